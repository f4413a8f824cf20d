"""« Près de chez moi » on the real directory: the offices of the arrondissement first, then the city-wide lines;
in the browser, 44 px arrondissements and the postcode a reader types (assets/javascripts/code-postal.js)."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from evictionportal.build import build_site
from evictionportal.checks.browser import AXE_RUN
from evictionportal.checks.server import serve
from evictionportal.load import load_sources
from evictionportal.pages import render_pages
from evictionportal.relations import organisations_serving, visible_sources
from tests.conftest import PHONE, ROOT, phone_tab


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


# ------------------------------------------------------------------ in the browser, on a phone


@pytest.fixture(scope="module")
def site_url() -> Iterator[str]:
    """The real site as `make test` built it (built now if it is not up to date), served on 127.0.0.1."""
    with serve(build_site(ROOT).site_dir) as server:
        yield server.url


@pytest.fixture
def phone(browser: Any) -> Iterator[Page]:
    with phone_tab(browser, axe=True) as tab:
        yield tab


def test_near_me_arrondissements_are_44_px_tap_targets(phone: Page, site_url: str) -> None:
    phone.goto(site_url + "pres-de-chez-moi/")
    links = phone.locator("article ul.area-list a")
    expect(links).to_have_count(20)
    expect(links.nth(15)).to_have_text("16e arrondissement (75016, 75116)")
    for link in links.all():
        box = link.bounding_box()
        assert box and box["height"] >= 44 and box["width"] >= 44, f"{link.inner_text()} : {box}"
    for target in phone.locator("article .code-postal input, article .code-postal button").all():
        box = target.bounding_box()
        assert box and box["height"] >= 44 and box["width"] >= 44, box
    assert phone.evaluate(AXE_RUN, ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]) == []


PARIS_CENTRE = "Mairie de Paris Centre"


@pytest.mark.parametrize(
    ("typed", "area", "office"),
    [
        ("75116", 16, None),  # the 16e's second postcode
        ("75016", 16, None),
        ("75001", 1, PARIS_CENTRE),
        ("75002", 2, PARIS_CENTRE),
        ("75003", 3, PARIS_CENTRE),
        ("75004", 4, PARIS_CENTRE),
        ("75 018", 18, None),
        ("18e", 18, None),
        ("75020", 20, "Mairie du 20e arrondissement"),  # as the list of the 20e page says (test above)
    ],
)
def test_near_me_postcode_typed_leads_to_its_arrondissement(
    phone: Page, site_url: str, typed: str, area: int, office: str | None
) -> None:
    phone.goto(site_url + "pres-de-chez-moi/")
    field = phone.get_by_label("Votre code postal")
    field.fill(typed)
    phone.get_by_role("button", name="Voir").click()
    expect(phone).to_have_url(site_url + f"pres-de-chez-moi/{area}/")
    expect(phone.get_by_role("heading", level=1)).to_contain_text(f"{area}e arrondissement" if area > 1 else "1er")
    if office:  # the first office of the arrondissement's own list
        expect(phone.locator("article h3").first).to_have_text(office)


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("75021", "Le code postal 75021 n'est pas un code postal de Paris."),
        ("92100", "Le code postal 92100 n'est pas un code postal de Paris."),
        ("7501", "Tapez les 5 chiffres de votre code postal, par exemple 75018."),
        ("chez moi", "Tapez les 5 chiffres de votre code postal, par exemple 75018."),
    ],
)
def test_near_me_postcode_outside_paris_says_so_and_stays(phone: Page, site_url: str, typed: str, said: str) -> None:
    phone.goto(site_url + "pres-de-chez-moi/")
    phone.get_by_label("Votre code postal").fill(typed)
    phone.keyboard.press("Enter")
    expect(phone.get_by_role("status")).to_contain_text(said)
    expect(phone.get_by_label("Votre code postal")).to_be_focused()
    assert phone.url == site_url + "pres-de-chez-moi/"


def test_near_me_without_javascript_keeps_the_list(browser: Any, site_url: str) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False, locale="fr-FR")
    try:
        tab = context.new_page()
        tab.goto(site_url + "pres-de-chez-moi/")
        expect(tab.get_by_label("Votre code postal")).to_be_hidden()
        tab.get_by_role("link", name="16e arrondissement (75016, 75116)").click()
        expect(tab).to_have_url(site_url + "pres-de-chez-moi/16/")
    finally:
        context.close()


def test_near_me_call_box_text_at_body_size(phone: Page, site_url: str) -> None:
    """« Besoin d'aide ? Appelez, c'est gratuit » was Material's 12.8 px small print; it is the text's size."""
    for path in ("pres-de-chez-moi/", "pres-de-chez-moi/16/"):
        phone.goto(site_url + path)
        body = phone.evaluate("parseFloat(getComputedStyle(document.querySelector('article')).fontSize)")
        sizes = (
            phone.locator("article .appel-gratuit")
            .locator("p, strong, a")
            .evaluate_all("nodes => nodes.map(n => parseFloat(getComputedStyle(n).fontSize))")
        )
        assert body >= 16 and sizes and min(sizes) >= body, (path, body, sizes)
