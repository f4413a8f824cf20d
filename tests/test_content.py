"""The real Paris content, built end to end: every page the charter asks for, with the right facts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from evictionportal.build import build_site
from evictionportal.load import Sources, load_sources
from tests.conftest import ROOT
from tests.test_build import page_text


@pytest.fixture(scope="module")
def sources() -> Sources:
    return load_sources(ROOT)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("real") / "site"
    build_site(ROOT, target, force=True)
    return target


def all_html(site: Path) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))


def test_content_every_stage_ground_area_action_and_organisation_has_its_page(site: Path, sources: Sources) -> None:
    expected = [
        *(f"etapes/{s.id}" for s in sources.stages),
        *(f"professionnels/etapes/{s.id}" for s in sources.stages),
        *(f"motifs/{g.id}" for g in sources.grounds),
        *(f"pres-de-chez-moi/{n}" for n in range(1, 21)),
        *(f"professionnels/charte/action-{n:02d}" for n in range(1, 25)),
        *(f"professionnels/annuaire/{o}" for o in sources.organisations),
        *(f"professionnels/dispositifs/{s}" for s in sources.schemes),
        *(f"bailleurs/{c.id}" for c in sources.landlord_guide),
        "professionnels/indicateurs",
        "accessibilite",
        "mentions-legales",
        "mise-a-jour",
    ]
    missing = [path for path in expected if not (site / path / "index.html").exists()]
    assert missing == []
    assert len(sources.stages) == 7 and len(sources.grounds) == 4 and len(sources.actions) == 24


def test_content_commandement_de_payer_gives_the_2023_delay_and_the_old_lease_exception(site: Path) -> None:
    text = page_text(site, "etapes/commandement-de-payer")
    assert "6 semaines" in text
    assert "29 juillet 2023" in text
    assert "2 mois" in text and "13 juin 2024" in text
    assert "À faire aujourd'hui" in text


@pytest.mark.parametrize(
    ("page", "facts"),
    [
        ("etapes/assignation-audience", ["6 semaines", "3 ans"]),
        ("etapes/commandement-de-quitter-les-lieux", ["2 mois", "1 mois", "1 an"]),
        ("etapes/concours-force-publique", ["2 mois"]),
        ("etapes/treve-hivernale", ["1er novembre", "31 mars"]),
        ("motifs/conge-vente-reprise", ["6 mois", "3 mois"]),
    ],
)
def test_content_stage_and_ground_pages_state_their_deadlines(site: Path, page: str, facts: list[str]) -> None:
    text = page_text(site, page)
    for fact in facts:
        assert fact in text, f"{fact!r} missing from {page}"


def test_content_hotlines_on_every_stage_and_obsolete_number_nowhere(site: Path, sources: Sources) -> None:
    for stage in sources.stages:
        text = page_text(site, f"etapes/{stage.id}")
        assert "0 805 160 075" in text and "0 805 299 049" in text
    html = all_html(site)
    assert not re.search(r"0\s?810\s?001\s?505", html)


def test_content_only_verified_contact_details_are_published(site: Path, sources: Sources) -> None:
    html = all_html(site)
    for org in sources.organisations.values():
        for contact in org.contacts:
            if contact.verified is None:
                assert contact.value not in html, f"unverified contact of {org.id} published"


def test_content_every_public_page_says_when_it_was_verified(site: Path, sources: Sources) -> None:
    pages = ["", *(f"etapes/{s.id}" for s in sources.stages), *(f"motifs/{g.id}" for g in sources.grounds)]
    pages += [f"bailleurs/{c.id}" for c in sources.landlord_guide]
    for page in pages:
        assert re.search(r"Vérifié le \d{1,2} \w+ 20\d\d", page_text(site, page)), page


def test_content_eighteenth_arrondissement_lists_only_who_serves_it(site: Path, sources: Sources) -> None:
    text = page_text(site, "pres-de-chez-moi/18")
    for org in sources.organisations.values():
        if "locataires" not in [a.value for a in org.audiences]:
            continue
        assert (org.name in text) == org.serves(18), org.id
