"""Open data under /donnees/ and JSON-LD: valid data·inclusion, Excel-ready CSV, vCard, safe JSON-LD, hours."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
import vobject
from data_inclusion.schema.v1 import Service, Structure

from evictionportal.hours import opening_hours_in_french
from evictionportal.load import load_sources
from evictionportal.opendata import write_open_data
from evictionportal.pages import render_pages
from evictionportal.relations import visible_sources
from tests.conftest import ROOT, edit


def published(root: Path, day: dt.date = dt.date(2026, 11, 27)):  # noqa: ANN201 - Sources
    return visible_sources(load_sources(root, day), include_drafts=False)


@pytest.fixture(scope="module")
def real_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    docs = tmp_path_factory.mktemp("docs")
    write_open_data(published(ROOT), docs)
    return docs / "donnees"


@pytest.mark.parametrize(("name", "model"), [("structures.json", Structure), ("services.json", Service)])
def test_opendata_real_directory_is_valid_data_inclusion(real_data: Path, name: str, model: type) -> None:
    items = json.loads((real_data / name).read_text(encoding="utf-8"))
    assert len(items) >= 20
    for item in items:
        model.model_validate(item, context={"ignore_warnings": False})  # warnings count as errors here
        assert set(item) <= set(model.model_fields), (
            f"{item['id']}: unknown fields {set(item) - set(model.model_fields)}"
        )
    by_id = {item["id"]: item for item in items}
    if name == "structures.json":
        mairie = by_id["prevention-expulsions--mairie-20"]
        assert mairie["horaires_accueil"] == "Mo-We,Fr 08:30-17:00; Th 14:00-19:30"
        assert (mairie["adresse"], mairie["code_postal"], mairie["telephone"]) == ("6 place Gambetta", "75020", "3975")
    else:
        assert by_id["prevention-expulsions--pad-paris-18--prevention-expulsions"]["zone_eligibilite"] == ["75118"]


def test_opendata_csv_opens_with_its_accents_and_no_formula(tree: Path, tmp_path: Path) -> None:
    edit(
        tree,
        "directory/service-social.yml",
        "role: Le service social",
        'role: =HYPERLINK("https://x.test") Le service social',
    )
    write_open_data(published(tree), tmp_path)
    raw = (tmp_path / "donnees" / "annuaire.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the byte order mark Excel needs to read UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["identifiant", "nom", "sigle", "rôle"]
    social = next(row for row in rows if row[0] == "service-social")
    assert social[3].startswith("'=HYPERLINK")  # shown as text, never run by the spreadsheet
    quartier = next(row for row in rows if row[0] == "association-quartier-deux")
    assert quartier[1] == "Association du deuxième quartier" and quartier[7] == "01 23 45 67 89"
    assert quartier[8] == ""  # its e-mail is not verified: never published


def test_opendata_vcard_holds_verified_contacts_only(tree: Path, tmp_path: Path) -> None:
    write_open_data(published(tree), tmp_path)
    cards = list(vobject.readComponents((tmp_path / "donnees" / "annuaire.vcf").read_text(encoding="utf-8")))
    assert sorted(card.fn.value for card in cards) == ["Association du deuxième quartier", "Ligne d'écoute d'exemple"]
    quartier = next(card for card in cards if card.fn.value.startswith("Association"))
    assert quartier.tel.value == "01 23 45 67 89" and not hasattr(quartier, "email")
    stale = list(vobject.readComponents(_vcf_as_of(tree, tmp_path, dt.date(2028, 6, 1))))
    assert stale == []  # past 18 months, no contact is published, not even here


def _vcf_as_of(tree: Path, tmp_path: Path, day: dt.date) -> str:
    write_open_data(published(tree, day), tmp_path / "later")
    return (tmp_path / "later" / "donnees" / "annuaire.vcf").read_text(encoding="utf-8")


def test_opendata_jsonld_cannot_close_its_script_element(tree: Path) -> None:
    edit(
        tree,
        "directory/service-social.yml",
        "name: Service social d'exemple",
        'name: "</script><script>alert(1)</script>"',
    )
    pages = {p.path: html.unescape(p.markdown) for p in render_pages(published(tree))}
    page = pages["professionnels/annuaire/service-social.md"]
    block = page[page.index('<script type="application/ld+json">') :]
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert(1)" in block
    assert block.count("</script>") == 1  # only the element's own end tag
    data = json.loads(block.split(">", 1)[1].rsplit("</script>", 1)[0])
    assert data["name"] == "</script><script>alert(1)</script>" and data["@context"] == "https://schema.org"


def test_opendata_documents_page_lists_the_files(tree: Path, tmp_path: Path) -> None:
    sources = published(tree)
    files = write_open_data(sources, tmp_path)
    page = html.unescape(
        next(p for p in render_pages(sources, data_files=files) if p.path == "documents/index.md").markdown
    )
    assert "## Données ouvertes" in page
    assert "| [Annuaire complet, pour un tableur](../donnees/annuaire.csv) | CSV |" in page


# ------------------------------------------------------------------ opening hours


@pytest.mark.parametrize(
    ("osm", "french"),
    [
        (
            "Mo-We,Fr 08:30-17:00; Th 08:30-19:30",
            "Du lundi au mercredi et le vendredi : de 8 h 30 à 17 h. Le jeudi : de 8 h 30 à 19 h 30.",
        ),
        (
            "Mo-Fr 10:00-12:00,14:00-16:00; Sa off",
            "Du lundi au vendredi : de 10 h à 12 h et de 14 h à 16 h. Le samedi : fermé.",
        ),
        ("Tu[1] 13:00-17:00", "Le premier mardi du mois : de 13 h à 17 h."),
    ],
)
def test_hours_osm_syntax_in_plain_french(osm: str, french: str) -> None:
    assert opening_hours_in_french(osm) == french


def test_hours_unreadable_syntax_is_a_french_source_error(tree: Path) -> None:
    edit(tree, "directory/ligne-exemple.yml", "contacts:\n", "contacts:\n  - kind: hours\n    value: lundi 9h-17h\n")
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--root", str(tree), "validate"], capture_output=True, text=True
    )
    assert result.returncode == 1
    assert result.stderr.startswith(
        "directory/ligne-exemple.yml:9: contacts[0].value: horaires illisibles « lundi 9h-17h » ; "
        "attendu : la syntaxe OpenStreetMap"
    )
