"""End-to-end builds of the made-up tree: what a reader sees, and what a failed build keeps."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest

from evictionportal.build import build_site
from evictionportal.errors import BuildFailed, SourceErrors
from evictionportal.load import load_sources
from tests.conftest import edit


def page_text(site: Path, path: str) -> str:
    """The readable text of a built page's main content, tags removed."""
    page = (site / path / "index.html").read_text(encoding="utf-8")
    article = page[page.index("<article") : page.index("</article>")]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", article)))


@pytest.fixture
def built(tree: Path) -> Path:
    report = build_site(tree)
    assert not report.skipped and report.pages > 10
    return tree / "site"


def test_build_stage_page_shows_deadline_actions_helpers_and_verification(built: Path) -> None:
    text = page_text(built, "etapes/premiere-etape")
    assert "6 semaines pour agir" in text
    assert "À faire aujourd'hui" in text and "Rassemblez vos papiers." in text
    assert "Association du deuxième quartier" in text
    assert "Vérifié le 20 novembre 2026 par Tests" in text
    html = (built / "etapes/premiere-etape/index.html").read_text()
    assert 'href="tel:+33805160075"' in html


def test_build_unverified_contact_is_never_published(built: Path) -> None:
    assert "contact@exemple.fr" not in "".join(p.read_text() for p in built.rglob("*.html"))
    org_page = page_text(built, "professionnels/annuaire/association-quartier-deux")
    assert "1 coordonnée(s) en attente de vérification, non publiée(s)" in org_page
    assert "Fiche pas encore vérifiée par l'organisme." in page_text(built, "professionnels/annuaire/service-social")


def test_build_draft_pages_stay_out_of_the_public_site(built: Path) -> None:
    assert not (built / "etapes/deuxieme-etape").exists()
    assert "La deuxième étape" not in page_text(built, "motifs/impayes")
    assert "Étape 1 sur 1 " in page_text(built, "etapes/premiere-etape")
    assert "La deuxième étape" not in page_text(built, "etapes/premiere-etape")


def test_build_area_page_lists_only_who_serves_the_area(built: Path) -> None:
    second = page_text(built, "pres-de-chez-moi/2")
    third = page_text(built, "pres-de-chez-moi/3")
    assert "Association du deuxième quartier" in second
    assert "Association du deuxième quartier" not in third
    for text in (second, third):
        assert "Ligne d'écoute d'exemple" in text and "Service social d'exemple" in text


def test_build_organisation_backlinks_are_generated(built: Path) -> None:
    text = page_text(built, "professionnels/annuaire/service-social")
    assert "Étape 1 : La première étape : Reçoit le ménage." in text
    assert "Aide d'exemple" in text
    assert "Action 1 : Informer les locataires (pilote)" in text
    assert "Nombre de ménages reçus" in text


def test_build_escapes_markup_written_in_yaml(tree: Path) -> None:
    edit(
        tree,
        "referentiel/etapes/01-premiere-etape.yml",
        "what_it_means: Vous devez agir vite.",
        'what_it_means: "Vous devez agir vite. <script>alert(1)</script>"',
    )
    build_site(tree)
    html = (tree / "site/etapes/premiere-etape/index.html").read_text()
    assert "<script>alert(1)</script>" not in html
    assert "<script>alert(1)</script>" in page_text(tree / "site", "etapes/premiere-etape")  # shown as text


def test_build_failure_leaves_previous_site_untouched(built: Path, tree: Path) -> None:
    before = {p: p.read_bytes() for p in built.rglob("*") if p.is_file()}
    edit(tree, "directory/service-social.yml", "areas: all", "areas: partout")
    edit(tree, "referentiel/actions/01.yml", "number: 1", "number: un")
    with pytest.raises(SourceErrors) as caught:
        build_site(tree)
    assert len(caught.value.problems) == 2
    after = {p: p.read_bytes() for p in built.rglob("*") if p.is_file()}
    assert after == before


def test_build_unchanged_sources_skip_the_rebuild(built: Path, tree: Path) -> None:
    assert build_site(tree).skipped
    edit(tree, "directory/service-social.yml", "Le service social de la ville.", "Le service social.")
    report = build_site(tree)
    assert not report.skipped
    assert "Le service social." in page_text(tree / "site", "professionnels/annuaire/service-social")


def test_build_on_another_day_rebuilds_and_keeps_the_day(built: Path, tree: Path) -> None:
    """The day is an input: the same tree built for a later date is built again, as of that date."""
    later = dt.date(2027, 1, 15)
    assert build_site(tree, as_of=later).skipped is False
    assert build_site(tree, as_of=later).skipped is True
    assert load_sources(tree, later).as_of == later


def test_build_broken_internal_link_fails_and_names_it(built: Path, tree: Path) -> None:
    before = (built / "mise-a-jour/index.html").read_bytes()
    edit(tree, "content/pages/mise-a-jour.yml", "body: Un texte court.", "body: Voir [la page](/page-absente/).")
    with pytest.raises(BuildFailed) as caught:
        build_site(tree)
    assert "page mise-a-jour.md : le lien « /page-absente/ » mène à une page qui n'existe pas" in str(caught.value)
    assert (built / "mise-a-jour/index.html").read_bytes() == before


def test_build_stage_numbers_count_only_published_stages(tree: Path) -> None:
    edit(
        tree,
        "referentiel/etapes/01-premiere-etape.yml",
        "review: {status: reviewed, date: 2026-11-26, by: Jeu d essai}",
        "review: {status: draft}",
    )
    edit(
        tree,
        "referentiel/etapes/02-deuxieme-etape.yml",
        "review: {status: draft}",
        "review: {status: reviewed, date: 2026-11-26, by: Jeu d essai}",
    )
    build_site(tree)
    assert "Étape 1 sur 1 " in page_text(tree / "site", "etapes/deuxieme-etape")
    assert not (tree / "site/etapes/premiere-etape").exists()


def test_build_draft_home_page_stops_before_any_work(tree: Path) -> None:
    edit(
        tree,
        "content/pages/accueil.yml",
        "review: {status: reviewed, date: 2026-11-26, by: Jeu d essai}",
        "review: {status: draft}",
    )
    with pytest.raises(SourceErrors) as caught:
        build_site(tree)
    assert [str(p) for p in caught.value.problems] == [
        "content/pages/accueil.yml:9: review.status: "
        "la page d'accueil doit être « reviewed » ou « validated » pour être publiée"
    ]
    assert not (tree / "build/print-cache").exists() or not any((tree / "build/print-cache").iterdir())


def test_build_without_published_landlord_guide_links_nowhere_to_it(tree: Path) -> None:
    edit(
        tree,
        "content/bailleurs/01-premier-impaye.yml",
        "review: {status: reviewed, date: 2026-11-26, by: Jeu d essai}",
        "review: {status: draft}",
    )
    build_site(tree)  # strict: a link to the missing guide would fail the build
    assert not (tree / "site/bailleurs").exists()
    assert not list((tree / "site/documents").glob("guide-bailleurs*"))
