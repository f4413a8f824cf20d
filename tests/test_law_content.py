"""Nothing public that the partners have not said: drafting notes, review states, the legal notice, the 2026 law."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pypdf
import pytest

from evictionportal.build import LEGAL_NOTICE_WARNING, build_site, source_warnings
from evictionportal.checks.config import load_check_config
from evictionportal.checks.parse import site_pages
from evictionportal.checks.phrases import check_drafting_phrases
from evictionportal.errors import SourceErrors
from evictionportal.load import load_sources
from evictionportal.pages import render_pages
from evictionportal.relations import visible_sources
from tests.conftest import ROOT, edit

PHRASES = load_check_config(ROOT / "checks.yml").drafting_phrases
STAGE = "referentiel/etapes/01-premiere-etape.yml"
REVIEWED = "review: {status: reviewed, date: 2026-11-26, by: Jeu d essai}"


def rendered(root: Path, day: dt.date, preview: bool = False) -> dict[str, str]:
    """Every generated page's Markdown, as the site engine receives it."""
    sources = load_sources(root, day)
    return {p.path: p.markdown for p in render_pages(visible_sources(sources, preview), preview=preview)}


def test_law_drafting_notes_stay_in_the_preview_and_a_public_one_is_found(tree: Path) -> None:
    note = "editor_notes: Seuil à confirmer ; ne pas l'annoncer aux ménages.\n"
    (tree / STAGE).write_text((tree / STAGE).read_text() + note)
    edit(tree, "content/pages/accueil.yml", "body: Un texte court.", "body: Un texte court, à confirmer.")
    preview = rendered(tree, dt.date(2026, 11, 27), preview=True)["etapes/premiere-etape.md"]
    assert "Note de rédaction (aperçu seulement, jamais publiée)" in preview and "ne pas l'annoncer" in preview

    site = tree / "site"
    build_site(tree, site, as_of=dt.date(2026, 11, 27))
    findings = check_drafting_phrases(site, site_pages(site), PHRASES)
    assert {(f.page, f.message) for f in findings} == {
        ("", "note de rédaction publiée : « à confirmer »"),  # the home page takes that section
        *{
            (pdf.relative_to(site).as_posix(), "note de rédaction imprimée dans le PDF : « à confirmer »")
            for pdf in (site / "documents").glob("depliant-prevention-*.pdf")
        },
    }
    # The stage's own note reached neither its page nor any document.
    assert not any("annoncer" in f.element for f in findings)
    leaflet = " ".join(p.extract_text() for p in pypdf.PdfReader(site / "documents/depliant-prevention-a4.pdf").pages)
    assert "Relu par Jeu d essai le 26 novembre 2026 ; validation des partenaires en attente." in " ".join(
        leaflet.split()
    )


def test_law_footer_says_reviewed_by_whom_and_that_partners_have_not_validated(tree: Path) -> None:
    page = rendered(tree, dt.date(2026, 11, 27))["etapes/premiere-etape.md"]
    assert "Relu par Jeu d essai le 26 novembre 2026 ; validation des partenaires en attente." in page
    assert "Validé" not in page


def test_law_footer_names_the_partners_who_validated(tree: Path) -> None:
    edit(
        tree,
        STAGE,
        REVIEWED,
        "review: {status: validated, date: 2026-12-03, partners: [service-social, association-quartier-deux]}",
    )
    page = rendered(tree, dt.date(2026, 12, 4))["etapes/premiere-etape.md"]
    assert "Validé par Service social d'exemple et Association du deuxième quartier le 3 décembre 2026." in page
    assert "en attente" not in page


def test_law_validated_without_partners_is_refused(tree: Path) -> None:
    edit(tree, STAGE, REVIEWED, "review: {status: validated, date: 2026-12-03}")
    with pytest.raises(SourceErrors) as error:
        load_sources(tree)
    assert f"{STAGE}:20: review: une page « validated » indique la date (date) et les partenaires" in str(error.value)


def test_law_legal_notice_says_to_complete_until_the_territory_names_director_and_host(tree: Path) -> None:
    page = """id: mentions-legales
order: 3
title: Mentions légales
sections:
  - heading: Directeur de la publication
    body: "Directeur ou directrice de la publication : {{ directeur-publication }}. Hébergeur : {{ hebergeur }}."
review: {status: reviewed, date: 2026-11-26, by: Jeu d essai}
verified: {date: 2026-11-20, by: Tests, source: Jeu d essai}
"""
    (tree / "content/pages/mentions-legales.yml").write_text(page, encoding="utf-8")
    edit(tree, "content/territoire.yml", "publication_director: Camille Exemple, directrice de la publication\n", "")
    edit(
        tree,
        "content/territoire.yml",
        'host: {name: Hébergeur d\'exemple, address: "1 rue Fictive, 99001 Exempleville", phone: 01 99 00 00 00}\n',
        "",
    )
    day = dt.date(2026, 11, 27)
    assert "publication : à compléter. Hébergeur : à compléter." in rendered(tree, day)["mentions-legales.md"]
    assert LEGAL_NOTICE_WARNING in source_warnings(load_sources(tree, day))

    edit(
        tree,
        "content/territoire.yml",
        "area_label:",
        'publication_director: "Camille Exemple, directrice"\n'
        "host: {name: Hébergeur d'exemple, address: 1 rue Fictive, phone: 01 99 00 00 00}\narea_label:",
    )
    text = rendered(tree, day)["mentions-legales.md"]
    assert "publication : Camille Exemple, directrice. Hébergeur : Hébergeur d'exemple, 1 rue Fictive, " in text
    assert LEGAL_NOTICE_WARNING not in source_warnings(load_sources(tree, day))


@pytest.mark.parametrize("day", [dt.date(2026, 12, 15), dt.date(2027, 1, 15)])
def test_law_real_content_has_no_drafting_note_in_any_public_page(day: dt.date) -> None:
    words = [p for p in PHRASES if p != "**"]  # Markdown holds bold markers; `build.py check` reads the HTML
    for path, markdown in rendered(ROOT, day).items():
        text = " ".join(markdown.replace("\u2019", "'").casefold().split())
        for phrase in words:
            assert phrase.casefold() not in text, f"{path} : « {phrase} »"


def test_law_real_content_caf_rule_follows_the_build_date() -> None:
    before = rendered(ROOT, dt.date(2026, 12, 15))
    stage = before["etapes/premier-impaye.md"]
    assert "Si vous recevez une aide au logement (jusqu'au 31 décembre 2026)" in stage
    assert "admonition-title" in stage and "À partir du 1er janvier 2027</p>" in stage and "450 €" in stage
    assert "- À partir du 1er janvier 2027 : Aide au logement : impayé après 3 mois" in before["etapes/index.md"]
    assert "8 010 €" in before["professionnels/dispositifs/plan-apurement-caf.md"].replace("\u00a0", " ")
    assert "7 850" not in " ".join(before.values())

    after = rendered(ROOT, dt.date(2027, 1, 15))
    stage = after["etapes/premier-impaye.md"]
    assert "## Si vous recevez une aide au logement\n" in stage and "(jusqu'au" not in stage
    assert "admonition" not in stage and "deux fois le loyer du mois" not in stage
    scheme = after["professionnels/dispositifs/plan-apurement-caf.md"]
    # Professionals still see the old procedure, marked with its end, for files opened before the change.
    assert "La procédure quand l'aide est versée au bailleur (jusqu'au 31 décembre 2026)" in scheme
    assert "### La procédure d'impayé de dépense de logement\n" in scheme


def test_law_real_content_police_assistance_cites_the_2025_decree_and_r153_1() -> None:
    pages = rendered(ROOT, dt.date(2026, 12, 15))
    guide = pages["bailleurs/concours-force-publique-refuse.md"]
    assert "décret n° 2025-1052 du 3 novembre 2025" in guide and "R153-1" in guide
    assert re.search(r"R154-1 à R154-7", guide)
    stage = pages["professionnels/etapes/concours-force-publique.md"]
    assert "Décret n° 2025-1052" in stage and "(CPCE, R153-1)" in stage


def test_law_update_page_counts_the_review_states_it_describes(tree: Path) -> None:
    """The update-procedure page says how many pages are reviewed, validated or drafts, from their `review`."""
    edit(
        tree,
        "content/pages/mise-a-jour.yml",
        "body: Un texte court.",
        "body: 'Aujourd''hui : {{ pages-relues }} ; {{ pages-validees }} ; {{ pages-brouillons }}.'",
    )
    page = rendered(tree, dt.date(2026, 11, 27))["mise-a-jour.md"]
    assert "Aujourd'hui : 6 pages relues ; aucune page validée ; 1 brouillon." in page
    edit(tree, STAGE, REVIEWED, "review: {status: validated, date: 2026-12-03, partners: [service-social]}")
    page = rendered(tree, dt.date(2026, 12, 4))["mise-a-jour.md"]
    assert "Aujourd'hui : 5 pages relues ; 1 page validée ; 1 brouillon." in page


def test_law_real_update_page_claims_no_validation_that_did_not_happen() -> None:
    sources = load_sources(ROOT)
    page = {p.path: p.markdown for p in render_pages(visible_sources(sources, False))}["mise-a-jour.md"]
    pages = [*sources.stages, *sources.grounds, *sources.schemes.values(), *sources.pages.values()]
    pages += sources.landlord_guide
    validated = sum(p.review.status.value == "validated" for p in pages)
    reviewed = sum(p.review.status.value == "reviewed" for p in pages)
    assert f"{reviewed} pages relues, en attente de la validation des partenaires" in page
    assert ("aucune page validée" if validated == 0 else f"{validated} page") in page
    assert "Il est validé avant publication" not in page and "brouillon</strong> ou <strong>validée" not in page
