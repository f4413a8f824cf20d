"""The law in force on the build day: dated rules, their notice box, expired rules, yearly figures."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pypdf
import pytest

from evictionportal.build import build_site
from evictionportal.errors import SourceErrors
from evictionportal.load import load_sources
from tests.conftest import edit

STAGE = "referentiel/etapes/01-premiere-etape.yml"

# A rule that changes on 1 January 2027, written once per period, on a section and on a deadline.
DATED_RULES = """sections:
  - heading: La règle d'exemple
    until: 2026-12-31
    body: L'ancienne règle s'applique. Amende jusqu'à {{ amende-exemple }}.
  - heading: La règle d'exemple
    from: 2027-01-01
    body: La nouvelle règle s'applique.
deadlines:
  - label: Ancien délai de 2 mois
    until: 2026-12-31
    references: [loi-exemple]
  - label: Nouveau délai de 3 mois
    from: 2027-01-01
    references: [loi-exemple]
  - label: 6 semaines pour agir"""

FIGURES = """figures:
  - id: plafond-exemple
    label: plafond d'exemple
    values:
      - {year: 2026, amount: 4005, source: Jeu d essai}
amounts:
  - {id: amende-exemple, label: amende d'exemple, figure: plafond-exemple, times: 2}
"""


@pytest.fixture
def dated_tree(tree: Path) -> Path:
    edit(tree, STAGE, "deadlines:\n  - label: 6 semaines pour agir", DATED_RULES)
    (tree / "referentiel/baremes.yml").write_text(FIGURES, encoding="utf-8")
    return tree


def page_text(site: Path, path: str) -> str:
    html = (site / path / "index.html").read_text(encoding="utf-8")
    article = html[html.index("<article") : html.index("</article>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", article)).replace("\u00a0", " ")


def pdf_text(path: Path) -> str:
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
    return re.sub(r"\s+", " ", text).replace("\u00a0", " ").replace("\u2019", "'")


def test_dated_build_shows_the_rule_in_force_on_its_day_on_pages_and_leaflets(dated_tree: Path) -> None:
    """Two weeks before the change: the current rule and an « À partir du » box; after it, the new rule alone."""
    site = dated_tree / "site"
    build_site(dated_tree, site, as_of=dt.date(2026, 12, 15))
    text = page_text(site, "etapes/premiere-etape")
    assert "La règle d'exemple (jusqu'au 31 décembre 2026) L'ancienne règle s'applique." in text
    assert "À partir du 1er janvier 2027 La règle d'exemple La nouvelle règle s'applique." in text
    assert "Ancien délai de 2 mois (jusqu'au 31 décembre 2026)" in text
    assert "À partir du 1er janvier 2027 Nouveau délai de 3 mois" in text
    assert "Amende jusqu'à 8 010 €." in text  # twice the 2026 figure, computed, not typed
    leaflet = pdf_text(site / "documents/depliant-prevention-a4.pdf")
    assert "Ancien délai de 2 mois (jusqu'au 31 décembre 2026)" in leaflet
    assert "À partir du 1er janvier 2027 : Nouveau délai de 3 mois" in leaflet
    assert "Édition du 15 décembre 2026" in pdf_text(site / "documents/referentiel-a4.pdf")  # the cover's edition line
    assert build_site(dated_tree, site, as_of=dt.date(2026, 12, 15)).skipped

    assert not build_site(dated_tree, site, as_of=dt.date(2027, 1, 15)).skipped  # same files, later day
    text = page_text(site, "etapes/premiere-etape")
    assert "La règle d'exemple La nouvelle règle s'applique." in text
    assert "Nouveau délai de 3 mois" in text
    assert "ancienne règle" not in text and "Ancien délai" not in text and "À partir du" not in text
    leaflet = pdf_text(site / "documents/depliant-prevention-a4.pdf")
    assert "Nouveau délai de 3 mois" in leaflet and "Ancien délai" not in leaflet


def test_dated_expired_rule_without_successor_stops_the_build(dated_tree: Path) -> None:
    edit(dated_tree, STAGE, "    from: 2027-01-01\n    body: La nouvelle règle s'applique.", "    body: Autre chose.")
    site = dated_tree / "site"
    site.mkdir()
    (site / "index.html").write_text("ancien site")
    with pytest.raises(SourceErrors) as error:
        build_site(dated_tree, site, as_of=dt.date(2027, 1, 15))
    line = next(n for n, text in enumerate((dated_tree / STAGE).read_text().splitlines(), 1) if "until:" in text)
    assert str(error.value).startswith(
        f"{STAGE}:{line}: sections[0].until: règle expirée le 31 décembre 2026 et aucune règle ne lui succède ; "
        "ajoutez la règle qui s'applique depuis le 1er janvier 2027 (from: 2027-01-01)"
    )
    assert (site / "index.html").read_text() == "ancien site"
    load_sources(dated_tree, dt.date(2026, 12, 31))  # the day before, nothing has expired yet


def test_dated_next_rule_is_announced_only_within_its_notice_period(dated_tree: Path) -> None:
    def headings(day: dt.date) -> list[tuple[str, str]]:
        stage = load_sources(dated_tree, day).stages[0]
        return [(s.heading, s.timing) for s in stage.sections]

    assert headings(dt.date(2026, 11, 1)) == [("La règle d'exemple", "current")]  # 61 days before
    assert headings(dt.date(2026, 11, 2))[1] == ("La règle d'exemple", "upcoming")  # 60 days before
    edit(dated_tree, STAGE, "    from: 2027-01-01\n", "    from: 2027-01-01\n    notice_days: 90\n")
    assert headings(dt.date(2026, 10, 3))[1] == ("La règle d'exemple", "upcoming")


def test_dated_old_rule_kept_as_until_while_readers_may_need_it(dated_tree: Path) -> None:
    edit(
        dated_tree,
        STAGE,
        "    until: 2026-12-31\n    body: L'ancienne",
        "    until: 2026-12-31\n    shown_until: 2027-03-31\n    body: L'ancienne",
    )
    stage = load_sources(dated_tree, dt.date(2027, 1, 15)).stages[0]
    assert [(s.body[:20], s.timing) for s in stage.sections] == [
        ("L'ancienne règle s'a", "past"),
        ("La nouvelle règle s'", "current"),
    ]
    assert (
        "8\u00a0010\u00a0€." in stage.sections[0].body
    )  # an old rule keeps the figure of its own year, without warning
    assert load_sources(dated_tree, dt.date(2027, 4, 1)).stages[0].sections[0].timing == "current"


def test_dated_missing_year_of_a_figure_is_a_warning_naming_it(dated_tree: Path) -> None:
    edit(dated_tree, STAGE, "    until: 2026-12-31\n    body: L'ancienne règle s'applique.", "    body: Toujours.")
    edit(
        dated_tree,
        STAGE,
        "    from: 2027-01-01\n    body: La nouvelle règle s'applique.",
        "    from: 2027-01-01\n    body: Neuve.",
    )
    sources = load_sources(dated_tree, dt.date(2027, 1, 15))
    assert "8\u00a0010\u00a0€ (montant 2026)" in sources.stages[0].sections[0].body
    (warning,) = sources.warnings
    assert warning.startswith(
        "referentiel/baremes.yml : pas de montant 2027 pour le chiffre « plafond d'exemple » (plafond-exemple) ; "
        "ajoutez-le (values, year: 2027)"
    )


def test_dated_unknown_figure_is_an_error_with_its_line(dated_tree: Path) -> None:
    edit(dated_tree, STAGE, "{{ amende-exemple }}", "{{ amende-exempel }}")
    with pytest.raises(SourceErrors) as error:
        load_sources(dated_tree, dt.date(2026, 12, 15))
    line = next(n for n, text in enumerate((dated_tree / STAGE).read_text().splitlines(), 1) if "exempel" in text)
    assert f"{STAGE}:{line}: sections[0].body: chiffre « amende-exempel » inconnu" in str(error.value)


def test_dated_period_that_ends_before_it_starts_is_refused(dated_tree: Path) -> None:
    edit(
        dated_tree,
        STAGE,
        "    from: 2027-01-01\n    body: La",
        "    from: 2027-01-01\n    until: 2026-06-30\n    body: La",
    )
    with pytest.raises(SourceErrors) as error:
        load_sources(dated_tree, dt.date(2026, 12, 15))
    assert "sections[1]: la période finit (until 2026-06-30) avant de commencer (from 2027-01-01)" in str(error.value)


def test_dated_expired_reference_without_successor_stops_the_build(tree: Path) -> None:
    edit(tree, "referentiel/references.yml", "  - id: loi-exemple\n", "  - id: loi-exemple\n    until: 2026-06-30\n")
    with pytest.raises(SourceErrors) as error:
        load_sources(tree, dt.date(2026, 12, 15))
    assert "referentiel/references.yml:" in str(error.value)
    assert "texte « loi-exemple » expiré le 30 juin 2026" in str(error.value)


def test_dated_rule_ending_with_no_successor_is_a_warning_60_days_ahead(dated_tree: Path, capsys) -> None:
    """Build and validate say it 60 days before the build would stop, with the file and the line."""
    from evictionportal.cli import main

    edit(dated_tree, STAGE, "    from: 2027-01-01\n    body: La nouvelle règle s'applique.", "    body: Autre chose.")
    line = next(n for n, text in enumerate((dated_tree / STAGE).read_text().splitlines(), 1) if "until:" in text)
    assert not any("prend fin" in w for w in load_sources(dated_tree, dt.date(2026, 10, 31)).warnings)  # 61 days out
    warnings = [w for w in load_sources(dated_tree, dt.date(2026, 11, 1)).warnings if "prend fin" in w]
    assert warnings == [
        f"{STAGE}:{line}: sections[0].until: la règle prend fin le 31 décembre 2026 (dans 60 jours) et aucune ne "
        "lui succède : à partir du 1er janvier 2027 la construction s'arrêtera ; ajoutez celle qui s'appliquera "
        "(from: 2027-01-01) ou retirez celle-ci"
    ]
    assert main(["--root", str(dated_tree), "validate", "--date", "2026-12-15"]) == 0
    assert f"{STAGE}:{line}: sections[0].until: la règle prend fin le 31 décembre 2026 (dans 16 jours)" in (
        capsys.readouterr().err
    )


# ------------------------------------------------------------------ a directory field written once per period


def directory_texts(day: dt.date) -> dict[str, str]:
    """What the CAF's record says on `day`: its page, its open-data line and the territory's directory volume
    (the HTML the PDF is made from, and the PDF's own text)."""
    from weasyprint.text.fonts import FontConfiguration

    from evictionportal.opendata import csv_rows, structure
    from evictionportal.pages import render_pages
    from evictionportal.printing.context import build_context
    from evictionportal.printing.plan import plan
    from evictionportal.printing.render import render_html, render_pdf, template_environment
    from evictionportal.relations import visible_sources
    from tests.conftest import ROOT

    sources = visible_sources(load_sources(ROOT, day), include_drafts=False)
    pages = {p.path: p.markdown for p in render_pages(sources)}
    caf = sources.organisations["caf-paris"]
    volume = next(v for v in plan(sources) if v.flyer.layout.value == "annuaire" and v.part and v.part.area is None)
    html = render_html(template_environment(None), build_context(sources, volume, None))
    pdf, _, _ = render_pdf(html, FontConfiguration(), False)
    path = Path(f"/tmp/annuaire-{day.isoformat()}-{id(pdf)}.pdf")
    path.write_bytes(pdf)
    try:
        printed = pdf_text(path)
    finally:
        path.unlink()
    return {
        "page": page_text_of(pages["professionnels/annuaire/caf-paris.md"]),
        "ccapex": page_text_of(pages["professionnels/annuaire/ccapex-paris.md"]),
        "data": structure(sources, caf)["description"],
        "csv": next(" ".join(row) for row in csv_rows(sources) if row[0] == "caf-paris"),
        "pdf": printed,
    }


def page_text_of(markdown: str) -> str:
    import html

    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.unescape(markdown))).replace("\u00a0", " ")


CAF_DECIDES = "c'est elle qui décide du maintien de l'aide"
CCAPEX_DECIDES = "ce n'est plus elle qui décide du maintien de l'aide en cas d'impayé : c'est la CCAPEX"
BOX_2027 = (
    "À partir du 1er janvier 2027 Elle verse les aides au logement (APL, ALS, ALF). "
    f"À partir du 1er janvier 2027, {CCAPEX_DECIDES}"
)


def test_dated_directory_caf_role_in_force_on_15_december_2026_with_the_2027_box() -> None:
    said = directory_texts(dt.date(2026, 12, 15))
    assert "## Son rôle (jusqu'au 31 décembre 2026)" in said["page"]
    assert CAF_DECIDES in said["page"]
    assert BOX_2027 in said["page"]
    # Open data carries the rule in force only.
    assert CAF_DECIDES in said["data"] and "CCAPEX" not in said["data"]
    assert CAF_DECIDES in said["csv"] and "CCAPEX" not in said["csv"]
    # The directory PDF: the rule in force, and the next one in its « À partir du » box.
    assert CAF_DECIDES in said["pdf"]
    assert BOX_2027 in said["pdf"]
    assert "qui décide du maintien ou de la suspension de l'aide au logement" in said["ccapex"]  # its box


def test_dated_directory_caf_role_from_15_january_2027_says_the_ccapex_decides() -> None:
    said = directory_texts(dt.date(2027, 1, 15))
    for where in ("page", "data", "csv", "pdf"):
        assert CCAPEX_DECIDES in said[where], where
        assert CAF_DECIDES not in said[where], where
        assert "dépasse 450 euros" in said[where], where  # the landlord still reports to the CAF
    assert "Son rôle (jusqu'au" not in said["page"] and "admonition" not in said["page"]  # no box, no old rule
    assert "c'est elle, et non plus la CAF, qui décide du maintien ou de la suspension" in said["ccapex"]


DATED_ROLE = """role:
  - until: 2026-12-31
    value: Elle aide jusqu'à la fin de 2026.
  - from: 2027-01-01
    value: Elle aide autrement depuis 2027."""
RECORD = "directory/association-quartier-deux.yml"


def test_dated_directory_field_follows_the_day_and_the_calendar_knows_it(tree: Path) -> None:
    from evictionportal.timeline import changes_between

    edit(tree, RECORD, "role: Elle accompagne les locataires du 2e quartier.", DATED_ROLE)
    assert load_sources(tree, dt.date(2026, 6, 1)).organisations["association-quartier-deux"].role == (
        "Elle aide jusqu'à la fin de 2026."
    )
    later = load_sources(tree, dt.date(2027, 1, 2)).organisations["association-quartier-deux"]
    assert later.role == "Elle aide autrement depuis 2027." and later.changes == []
    days = {
        d.day: [f"{c.file}:{c.line}: {c.what}" for c in d.changes]
        for d in changes_between(load_sources(tree, dt.date(2026, 10, 1)), dt.date(2026, 10, 1), dt.date(2027, 2, 1))
    }
    assert (
        f"{RECORD}:7: annoncée (encadré « À partir du … ») : « role » de association-quartier-deux"
        in days[dt.date(2026, 11, 2)]
    )
    assert f"{RECORD}:7: entre en vigueur : « role » de association-quartier-deux" in days[dt.date(2027, 1, 1)]


@pytest.mark.parametrize(
    ("role", "day", "expected"),
    [
        (
            "role:\n  - until: 2026-12-31\n    value: A.\n  - from: 2026-12-01\n    value: B.",
            dt.date(2026, 6, 1),
            f"{RECORD}:5: role: les périodes 1 et 2 se chevauchent ; une seule valeur s'applique chaque jour",
        ),
        (
            "role:\n  - until: 2026-12-31\n    valeur: A.",
            dt.date(2026, 6, 1),
            f"{RECORD}:6: role[0].valeur: champ inconnu « valeur » ; vouliez-vous dire « value » ?",
        ),
        (
            "role:\n  - until: 2026-12-31\n    value: A.",
            dt.date(2027, 1, 5),
            f"{RECORD}:5: role[0].until: la valeur de « role » a expiré le 31 décembre 2026 et aucune période ne lui "
            "succède",
        ),
        (
            "role:\n  - from: 2027-03-01\n    value: A.",
            dt.date(2027, 1, 5),
            f"{RECORD}:5: role[0]: aucune période de « role » ne s'applique le 5 janvier 2027 ; la première commence "
            "le 1er mars 2027",
        ),
    ],
)
def test_dated_directory_bad_period_is_a_located_french_error(
    tree: Path, role: str, day: dt.date, expected: str
) -> None:
    edit(tree, RECORD, "role: Elle accompagne les locataires du 2e quartier.", role)
    with pytest.raises(SourceErrors) as raised:
        load_sources(tree, day)
    assert any(str(p).startswith(expected) for p in raised.value.problems), [str(p) for p in raised.value.problems]
