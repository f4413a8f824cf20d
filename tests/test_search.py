"""Search: a tenant types French words on a phone and gets the right pages, readable, for a few kilobytes.

The index is ours (evictionportal/search.py, assets/javascripts/recherche.js); the browser tests run on
the real site, served on 127.0.0.1 by the server that counts what it sends.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Page, expect

from evictionportal.build import build_site
from evictionportal.checks.browser import AXE_RUN, quiet_bytes
from evictionportal.checks.server import SiteServer, serve
from evictionportal.search import read_page, search_terms, site_pages
from tests.conftest import PHONE, ROOT, phone_tab

ARTEFACTS = ROOT / "build" / "artefacts"
QUERY_BUDGET = 60_000  # bytes, compressed: the bound for what one query transfers


# ------------------------------------------------------------------ words and excerpts


def test_search_terms_fold_accents_elisions_and_plurals() -> None:
    assert search_terms("L'expulsion, les Délais de la TRÊVE hivernale ; qu'il paie") == [
        "expulsion",
        "delai",
        "treve",
        "hivernale",
        "paie",
    ]


TABLE_PAGE = """<html lang="fr"><body><article><h1>Les étapes</h1>
<p>Voici ce qui se passe, étape par étape.</p>
<h2 id="tableau">Le calendrier</h2>
<table><thead><tr><th>Étape</th><th>Quoi</th><th>Quand</th><th>Qui</th></tr></thead>
<tbody><tr><td>1</td><td>Commandement de payer</td><td>6 semaines</td><td>Commissaire de justice</td></tr>
</tbody></table>
<p>Le commandement ouvre un délai pour payer.</p>
<nav data-search-exclude><a href="#">Étape 1</a></nav>
</article></body></html>"""


def test_search_excerpts_keep_table_words_searchable_but_never_shown() -> None:
    page = read_page(TABLE_PAGE, "etapes/")
    assert page is not None
    table = page.sections[1]
    assert table.heading == "Le calendrier" and table.anchor == "tableau"
    assert table.readable_text() == "Le commandement ouvre un délai pour payer."
    assert {"quand", "commissaire", "semaine"} <= set(table.words)


def test_search_excerpts_of_the_real_site_hold_no_table_row(real_site: Path) -> None:
    """No readable text of any page holds a row of one of its tables run together (« Étape Quoi Quand Qui 1… »)."""
    texts = {page.url: " ".join(s.readable_text() for s in page.sections) for page in site_pages(real_site)}
    rows_checked = 0
    for url, text in texts.items():
        html = (real_site / url / "index.html").read_text(encoding="utf-8")
        for row in BeautifulSoup(html, "html.parser").select("article table tr"):
            cells = [" ".join(c.get_text(" ").split()) for c in row.find_all(["th", "td"])]
            if len([c for c in cells if c]) > 1:
                rows_checked += 1
                assert " ".join(cells) not in text, f"/{url} : ligne de tableau dans l'extrait : {cells}"
    assert rows_checked > 0, "aucun tableau sur le site : le test ne vérifie plus rien"


# ------------------------------------------------------------------ in the browser


@pytest.fixture(scope="module")
def real_site() -> Path:
    """The real site as `make test` built it (built now if it is not up to date)."""
    return build_site(ROOT).site_dir


@pytest.fixture(scope="module")
def server(real_site: Path) -> Iterator[SiteServer]:
    with serve(real_site) as running:
        yield running


@pytest.fixture
def phone(browser: Any) -> Iterator[Page]:
    with phone_tab(browser, axe=True) as tab:
        yield tab


RESULTS = "[data-recherche-resultats] > li"


def result_paths(phone: Page) -> list[str]:
    links = phone.locator(f"{RESULTS} h2 a").evaluate_all("links => links.map(a => new URL(a.href).pathname)")
    return list(links)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("commandement", "/etapes/commandement-de-payer/"),
        ("expulsion hiver", "/etapes/treve-hivernale/"),
    ],
)
def test_search_from_the_home_page_finds_the_stage_with_readable_excerpts_for_a_few_kilobytes(
    phone: Page, server: SiteServer, query: str, expected: str
) -> None:
    phone.goto(server.url, wait_until="networkidle")
    visit = quiet_bytes(phone, server)
    phone.get_by_role("link", name="Rechercher sur le site").click()
    field = phone.get_by_label("Mots à chercher")
    expect(field).to_be_focused()
    page_loaded = quiet_bytes(phone, server)
    field.press_sequentially(query, delay=30)
    expect(phone.locator("[data-recherche-etat]")).to_contain_text("trouvée")
    done = quiet_bytes(phone, server)

    query_bytes, search_bytes = done - page_loaded, done - visit
    print(f"« {query} » : requête {query_bytes} octets, page de recherche comprise {search_bytes} octets")
    assert query_bytes < QUERY_BUDGET and search_bytes < QUERY_BUDGET, (query_bytes, search_bytes)
    # A tenant under stress reads the first results only: the stage page is among the first three.
    assert expected in result_paths(phone)[:3], result_paths(phone)
    results = phone.locator(RESULTS)
    for index in range(min(results.count(), 10)):
        result = results.nth(index)
        expect(result.locator("h2 a")).not_to_have_text("")
        excerpt = result.locator(".recherche-extrait")
        expect(excerpt).to_have_count(1)
        assert not re.search(r"Étape\s+Quoi\s+Quand", excerpt.inner_text())
    assert phone.locator(f"{RESULTS} .recherche-extrait mark").count() >= 1
    assert phone.evaluate(AXE_RUN, ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]) == []
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(ARTEFACTS / f"recherche-{query.replace(' ', '-')}.png"), animations="disabled")

    phone.locator(f"{RESULTS} h2 a").nth(result_paths(phone).index(expected)).click()
    expect(phone).to_have_url(re.compile(re.escape(expected)))


def test_search_by_keyboard_and_shared_address(phone: Page, server: SiteServer) -> None:
    """An address with ?q= shows its results; Tab goes from the field to the button, then to the first result."""
    phone.goto(server.url + "recherche/?q=fonds+solidarit%C3%A9+logement")
    expect(phone.locator("[data-recherche-etat]")).to_contain_text("trouvée")
    expect(phone.get_by_label("Mots à chercher")).to_have_value("fonds solidarité logement")
    phone.get_by_label("Mots à chercher").focus()
    phone.keyboard.press("Tab")
    expect(phone.get_by_role("button", name="Rechercher")).to_be_focused()
    phone.keyboard.press("Tab")
    expect(phone.locator(f"{RESULTS} h2 a").first).to_be_focused()

    phone.get_by_label("Mots à chercher").fill("zzzqqq")
    phone.keyboard.press("Enter")
    expect(phone.locator("[data-recherche-etat]")).to_contain_text("Aucune page ne contient « zzzqqq »")
    expect(phone.locator(RESULTS)).to_have_count(0)


def test_search_page_without_javascript_lists_every_page(browser: Any, server: SiteServer) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False, locale="fr-FR")
    try:
        tab = context.new_page()
        tab.goto(server.url + "recherche/")
        expect(tab.get_by_text("Sans JavaScript, la recherche ne fonctionne pas")).to_be_visible()
        expect(tab.get_by_role("search")).to_be_hidden()
        stage = tab.locator("article a", has_text="Le commandement de payer").first
        expect(stage).to_be_visible()
        stage.click()
        expect(tab).to_have_url(re.compile(r"/etapes/commandement-de-payer/$"))
    finally:
        context.close()


def test_search_more_results_come_ten_at_a_time_and_take_the_focus(phone: Page, server: SiteServer) -> None:
    phone.goto(server.url + "recherche/?q=expulsion")
    expect(phone.locator("[data-recherche-etat]")).to_contain_text("pages trouvées")
    expect(phone.locator(RESULTS)).to_have_count(10)
    phone.get_by_role("button", name="Voir plus de résultats").click()
    expect(phone.locator(RESULTS).nth(10).locator("h2 a")).to_be_focused()
    assert 10 < phone.locator(RESULTS).count() <= 20
