"""« Près de chez moi » on the real directory: the offices of the arrondissement first, then the city-wide lines."""

from __future__ import annotations

import datetime as dt
import html

import pytest

from evictionportal.load import load_sources
from evictionportal.pages import render_pages
from evictionportal.relations import organisations_serving, visible_sources
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def area_pages() -> dict[int, str]:
    sources = visible_sources(load_sources(ROOT, dt.date(2026, 11, 27)), include_drafts=False)
    pages = {p.path: html.unescape(p.markdown) for p in render_pages(sources)}
    return {n: pages[f"pres-de-chez-moi/{n}.md"] for n in range(1, 21)}


def local_section(page: str) -> str:
    return page.split("\n## ", 2)[1]


def test_near_me_lists_the_local_offices_first(area_pages: dict[int, str]) -> None:
    page = area_pages[20]
    headings = [line for line in page.splitlines() if line.startswith("## ")]
    assert headings == ["## Dans le 20e arrondissement", "## Pour tout Paris", "## Lignes nationales"]
    local = local_section(page)
    assert local.index("### Mairie du 20e arrondissement") < local.index("### Point d'accès au droit du 20e")
    assert "- Adresse : 6 place Gambetta, 75020 Paris (métro Gambetta)" in local
    assert "- Horaires : Du lundi au mercredi et le vendredi : de 8 h 30 à 17 h. Le jeudi : de 14 h à 19 h 30." in local
    assert "Mairie du 19e" not in page


def test_near_me_city_wide_lines_are_one_line_without_pending_cards(area_pages: dict[int, str]) -> None:
    page = area_pages[18]
    assert "en cours de vérification" not in page
    assert (
        "- **[Espaces parisiens des solidarités](../professionnels/annuaire/espaces-parisiens-solidarites.md)** : "
        "Les services sociaux de proximité de la Ville de Paris, dans chaque arrondissement. "
        "Par téléphone, via **Ligne d'information de la Ville de Paris** : [3975](tel:3975).\n"
    ) in page
    bdf = "- **[Banque de France](../professionnels/annuaire/banque-de-france.md)** : Elle reçoit les dossiers de "
    assert bdf in page


def test_near_me_pages_with_local_data_all_differ(area_pages: dict[int, str]) -> None:
    with_local = {n: local_section(p) for n, p in area_pages.items() if "pas encore de bureau" not in local_section(p)}
    assert sorted(with_local) == [1, 2, 3, 4, 6, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 19, 20]
    assert len(set(area_pages.values())) == 20
    # Paris Centre serves the 1er to the 4e; every other arrondissement has its own offices.
    assert len({with_local[n] for n in (6, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 19, 20)}) == 13


def test_near_me_groups_put_area_offices_before_those_merely_located_there() -> None:
    sources = load_sources(ROOT, dt.date(2026, 11, 27))
    here = [org.id for org in organisations_serving(sources, 10)["here"]]
    assert here == ["mairie-10", "mjd-paris-10"]


def test_near_me_mairies_confirmed_on_2_december_2026_with_their_sources(area_pages: dict[int, str]) -> None:
    """contacts.md, « Confirmed on 2026-12-02 »: as it gives them, and nothing it does not give."""
    sources = load_sources(ROOT, dt.date(2026, 12, 15))
    expected = {
        "mairie-06": ("78 rue Bonaparte, 75006 Paris", "mairie06.paris.fr"),
        "mairie-11": ("place Léon-Blum, 75011 Paris", "mairie11.paris.fr (2020)"),
        "mairie-14": ("2 place Ferdinand-Brunot, 75014 Paris", "inventaire.iledefrance.fr, 2015"),
        "mairie-16": ("71 avenue Henri-Martin, 75016 Paris", "mairie16.paris.fr"),
    }
    for org_id, (address, source) in expected.items():
        org = sources.organisations[org_id]
        addresses = [c for c in org.public_contacts if c.kind.value == "address"]
        assert [c.value for c in addresses] == [address]
        assert source in addresses[0].verified.source and addresses[0].verified.date == dt.date(2026, 12, 2)
    phones = {
        o: [c.value for c in sources.organisations[o].public_contacts if c.kind.value == "phone"] for o in expected
    }
    assert phones == {"mairie-06": [], "mairie-11": ["3975"], "mairie-14": [], "mairie-16": []}  # none invented
    assert "- Adresse : 71 avenue Henri-Martin, 75016 Paris (métro Rue de la Pompe)" in local_section(area_pages[16])
    assert "- Téléphone : [3975](tel:3975)" in local_section(area_pages[11])


@pytest.mark.parametrize(("area", "nearest"), [(5, 13), (12, 13)])
def test_near_me_area_without_office_points_to_the_nearest_and_says_so(
    area_pages: dict[int, str], area: int, nearest: int
) -> None:
    local = local_section(area_pages[area])
    assert f"Nous n'avons pas encore de bureau confirmé dans le {area}e arrondissement." in local
    assert f"Le plus proche, ouvert à tous les habitants de Paris, est dans le {nearest}e arrondissement :" in local
    assert f"### Maison de justice et du droit du {nearest}e arrondissement" in local
    assert "appelez une des lignes gratuites en haut de la page" in local
    assert "Mairie du" not in local  # another arrondissement's mairie is not theirs


def test_near_me_area_without_office_nor_one_nearby_gives_the_city_wide_lines(area_pages: dict[int, str]) -> None:
    """The 7e: its neighbours' offices open to all (MJD du 15e) have no confirmed address yet."""
    local = local_section(area_pages[7])
    assert (
        "Nous n'avons pas encore de bureau confirmé dans le 7e arrondissement.\nAppelez une des lignes gratuites"
        in local
    )
    assert "Le plus proche" not in local


def test_near_me_organisation_without_contact_shows_the_line_that_reaches_it(area_pages: dict[int, str]) -> None:
    page = area_pages[12]
    assert (
        "- **[Agence départementale d'information sur le logement de Paris](../professionnels/annuaire/adil-paris.md)**"
        " : Elle donne gratuitement des conseils juridiques sur le logement, aux locataires comme aux bailleurs. "
        "Par téléphone, via **SOS Loyers impayés** : [0 805 160 075](tel:+33805160075).\n"
    ) in page
