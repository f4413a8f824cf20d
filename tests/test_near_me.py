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
        "Les services sociaux de proximité de la Ville de Paris, dans chaque arrondissement.\n"
    ) in page
    bdf = "- **[Banque de France](../professionnels/annuaire/banque-de-france.md)** : Elle reçoit les dossiers de "
    assert bdf in page


def test_near_me_pages_with_local_data_all_differ(area_pages: dict[int, str]) -> None:
    with_local = {n: local_section(p) for n, p in area_pages.items() if "### " in local_section(p)}
    assert sorted(with_local) == [1, 2, 3, 4, 8, 9, 10, 13, 15, 17, 18, 19, 20]
    assert len(set(area_pages.values())) == 20
    # Paris Centre serves the 1er to the 4e; every other arrondissement has its own offices.
    assert len({with_local[n] for n in (8, 9, 10, 13, 15, 17, 18, 19, 20)}) == 9
    assert "Nous n'avons pas encore d'adresse confirmée dans le 5e arrondissement." in area_pages[5]


def test_near_me_groups_put_area_offices_before_those_merely_located_there() -> None:
    sources = load_sources(ROOT, dt.date(2026, 11, 27))
    here = [org.id for org in organisations_serving(sources, 10)["here"]]
    assert here == ["mairie-10", "mjd-paris-10"]
