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
from evictionportal.errors import SourceErrors
from evictionportal.load import load_sources
from evictionportal.pages import render_pages
from evictionportal.search import (
    SearchPage,
    Section,
    fold,
    put_first,
    read_page,
    search_terms,
    site_pages,
    synonym_terms,
    term_postings,
)
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


# ------------------------------------------------------------------ the readers' words (content/recherche.yml)


def two_pages() -> list[SearchPage]:
    court = Section(
        "Le jugement", "", words=search_terms("Le jugement : faire appel. Le commissaire de justice vient.")
    )
    call = Section("Aide", "", words=search_terms("Appelez une ligne gratuite."))
    return [SearchPage("etapes/jugement/", "Le jugement", [court]), SearchPage("aide/", "Aide", [call])]


def test_search_synonym_files_the_pages_phrase_under_the_readers_word() -> None:
    postings = term_postings(two_pages(), synonym_terms({"Huissiers": ["commissaire de justice"]}))
    assert postings["huissier"][:2] == [0, 0]  # « commissaire de justice » answers « huissier »
    assert len(postings["huissier"]) == 3
    assert "huissier" not in term_postings(two_pages())


def test_search_first_page_of_a_word_comes_before_every_other() -> None:
    pages = two_pages()
    postings = term_postings(pages)
    assert postings["appel"][0] == 0
    put_first(postings, pages, {"appel": "/aide/"})
    scores = {postings["appel"][k]: postings["appel"][k + 2] for k in range(0, len(postings["appel"]), 3)}
    assert scores[1] > scores[0]


def test_search_words_file_errors_are_located(tree: Path) -> None:
    (tree / "content" / "recherche.yml").write_text(
        "synonyms:\n  huissier: [commissaire de justice]\n  deux mots: [x]\nfirst:\n  huissier: etapes\n",
        encoding="utf-8",
    )
    with pytest.raises(SourceErrors) as error:
        load_sources(tree)
    text = str(error.value)
    assert "content/recherche.yml:3: synonyms.deux mots" in text and "un seul mot" in text
    assert "content/recherche.yml:5: first.huissier" in text and "/etapes/jugement/" in text


def test_search_first_page_must_be_a_page_of_the_site(tree: Path) -> None:
    (tree / "content" / "recherche.yml").write_text("first:\n  huissier: /etapes/nulle-part/\n", encoding="utf-8")
    with pytest.raises(SourceErrors) as error:
        render_pages(load_sources(tree))
    assert "content/recherche.yml:2: first.huissier: « /etapes/nulle-part/ » n'est pas une page publiée" in str(
        error.value
    )


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
    header_link = phone.get_by_role("link", name="Rechercher sur le site")
    if header_link.count():  # the local-authority edition: the header leads to the search page and its field
        header_link.click()
        field = phone.get_by_label("Mots à chercher")
        expect(field).to_be_focused()
        page_loaded = quiet_bytes(phone, server)
        field.press_sequentially(query, delay=30)
    else:  # the State edition: the DSFR header's search dialog sends the words to the search page
        phone.locator("header").get_by_role("button", name="Rechercher").first.click()
        field = phone.get_by_label("Rechercher sur le site")
        field.press_sequentially(query, delay=30)
        field.press("Enter")
        page_loaded = visit
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
    expect(phone.locator("article").get_by_role("button", name="Rechercher")).to_be_focused()
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


def search_for(phone: Page, server: SiteServer, query: str) -> list[str]:
    phone.goto(server.url + "recherche/?q=" + query.replace(" ", "+"))
    expect(phone.locator("[data-recherche-etat]")).to_contain_text("trouvée")
    return result_paths(phone)


# Issue 17: what a tenant types, and the page that must come first (before → after: see the closing note).
@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("huissier", "/etapes/commandement-de-payer/"),  # was 4th, after the landlords' and a charter page
        ("appel jugement", "/etapes/jugement/"),
        ("expulsion squat", "/motifs/occupation-sans-droit-ni-titre/"),  # was not found at all
        ("squat", "/motifs/occupation-sans-droit-ni-titre/"),
        ("commandement de payer", "/etapes/commandement-de-payer/"),
        ("jugement", "/etapes/jugement/"),
    ],
)
def test_search_tenant_query_finds_the_tenant_page_first(
    phone: Page, server: SiteServer, query: str, first: str
) -> None:
    paths = search_for(phone, server, query)
    assert paths[0] == first, paths[:5]
    for pro in ("/professionnels/", "/bailleurs/"):
        # A tenant page comes before the professionals' and the landlords' pages that say the same thing.
        same = [i for i, path in enumerate(paths) if path.startswith(pro) and path.endswith(first.split("/")[-2] + "/")]
        assert all(i > 0 for i in same), paths[:5]
    assert phone.evaluate(AXE_RUN, ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]) == []


def test_search_tenant_stage_comes_before_its_professional_sheet(phone: Page, server: SiteServer) -> None:
    paths = search_for(phone, server, "commandement de quitter les lieux")
    assert paths.index("/etapes/commandement-de-quitter-les-lieux/") < paths.index(
        "/professionnels/etapes/commandement-de-quitter-les-lieux/"
    )
    assert paths.index("/etapes/commandement-de-quitter-les-lieux/") < min(
        i for i, path in enumerate(paths) if path.startswith("/bailleurs/")
    )


def test_search_appel_is_not_the_call_buttons_appeler(phone: Page, server: SiteServer) -> None:
    """« appel » (an appeal) finds the word itself, never « Appeler » of the call buttons or « Appelez »."""
    search_for(phone, server, "appel")
    marked = {fold(m) for m in phone.locator(f"{RESULTS} mark").all_inner_texts()}
    assert marked and marked <= {"appel", "appels"}, marked
    excerpts = " ".join(phone.locator(f"{RESULTS} .recherche-extrait").all_inner_texts())
    assert "Appeler SOS" not in excerpts
    assert result_paths(phone)[0] == "/etapes/jugement/"
    # A word the site does not hold whole is still the start of one: « hiver » is whole, « hiv » is not.
    search_for(phone, server, "hiv")
    assert "/etapes/treve-hivernale/" in result_paths(phone)[:3]


def test_search_results_say_who_each_page_is_for(phone: Page, server: SiteServer) -> None:
    paths = search_for(phone, server, "commandement de payer")
    labels = phone.locator(f"{RESULTS} .recherche-public").all_inner_texts()
    assert len(labels) == len(paths)
    expected = {"/etapes/": "Pour les locataires", "/motifs/": "Pour les locataires"}
    expected |= {"/professionnels/": "Pour les professionnels", "/bailleurs/": "Pour les propriétaires bailleurs"}
    seen = set()
    for path, label in zip(paths, labels, strict=True):
        for prefix, wanted in expected.items():
            if path.startswith(prefix):
                assert label == wanted, (path, label)
                seen.add(prefix)
    assert seen == set(expected), seen  # the three audiences are all among the results
    # The marks follow the readers' words: « huissier » marks « commissaire de justice » too.
    search_for(phone, server, "huissier")
    expect(phone.locator(RESULTS).first.locator(".recherche-public")).to_have_text("Pour les locataires")
    marked = {fold(m) for m in phone.locator(f"{RESULTS} mark").all_inner_texts()}
    assert {"huissier", "commissaire"} <= marked, marked
