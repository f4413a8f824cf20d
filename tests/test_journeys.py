"""Browser journeys on the real site, as a tenant would on a phone (390 px wide).

Each journey ends with a screenshot in build/artefacts/ (parcours-*.png) for a
person to look at. Debian's Chromium, through Playwright; nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from evictionportal.build import build_site
from evictionportal.checks.browser import AXE_RUN
from evictionportal.checks.server import serve
from evictionportal.delays import calculator_sentences, delay_calendar
from evictionportal.load import load_sources
from evictionportal.relations import organisations_serving
from tests.conftest import PHONE, ROOT, phone_tab

UTC = dt.UTC

ARTEFACTS = ROOT / "build" / "artefacts"


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real content, built afresh and served on 127.0.0.1."""
    site = tmp_path_factory.mktemp("real") / "site"
    build_site(ROOT, site)
    with serve(site) as server:
        yield server.url


@pytest.fixture
def phone(browser: Any) -> Iterator[Page]:
    with phone_tab(browser) as tab:
        yield tab


def last_screen(page: Page, name: str, full_page: bool = False) -> Path:
    """Keep what the tenant sees at the end of the journey, for a person to look at."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTEFACTS / f"parcours-{name}.png"
    page.screenshot(path=str(path), full_page=full_page, animations="disabled")
    return path


def assert_fits_phone(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} déborde de {overflow} px sur un écran de 390 px"


def test_journey_commandement_de_payer_shows_delay_exception_and_what_to_do(phone: Page, site_url: str) -> None:
    phone.goto(site_url)
    phone.get_by_role("link", name="Un commandement de payer", exact=True).click()

    expect(phone).to_have_url(site_url + "etapes/commandement-de-payer/")
    article = phone.locator("article")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Le commandement de payer")
    expect(article.locator(".delai-principal")).to_contain_text("6 semaines pour payer")
    expect(article.locator(".frise-titre")).to_have_text("Étape 2 sur 7")
    expect(article.locator('.frise [aria-current="step"]')).to_have_accessible_name(
        "Étape 2 : Le commandement de payer"
    )
    today = article.locator(".a-faire > ol > li")
    assert 1 <= today.count() <= 3
    expect(today.first).to_be_visible()
    expect(article.locator(".appeler a", has_text="SOS Loyers impayés")).to_have_attribute("href", "tel:+33805160075")
    # The detail is folded, readable with one tap, without JavaScript.
    details = article.locator("details", has_text="Le détail des délais")
    expect(details.get_by_role("heading", name=re.compile(r"^Bail signé avant le 29 juillet 2023"))).to_be_hidden()
    details.locator("summary").click()
    expect(details.get_by_role("heading", name=re.compile(r"^Bail signé avant le 29 juillet 2023"))).to_be_visible()
    assert_fits_phone(phone)

    phone.evaluate("window.scrollTo(0, 0)")
    last_screen(phone, "1-commandement-de-payer")


def test_journey_near_me_18th_lists_only_who_serves_it_with_phone_links(phone: Page, site_url: str) -> None:
    phone.goto(site_url)
    phone.get_by_role("link", name="Trouver les organismes de mon arrondissement").click()
    phone.get_by_role("link", name="18e arrondissement (75018)").click()

    expect(phone).to_have_url(site_url + "pres-de-chez-moi/18/")
    # The 18th's own offices come first, as cards; then every city-wide and national line, one line each.
    serving = organisations_serving(load_sources(ROOT), 18)
    cards = [org.name + (f" ({org.short_name})" if org.short_name else "") for org in serving["here"]]
    assert phone.locator("article h3").all_inner_texts() == cards
    lines = set(phone.locator("article li strong a").all_inner_texts())
    assert lines == {org.name for key in ("everywhere", "national") for org in serving[key]}
    not_serving = [org.name for org in load_sources(ROOT).organisations.values() if not org.serves(18)]
    assert not (set(cards) | lines) & set(not_serving)

    phone_links = phone.locator('article a[href^="tel:"]')
    assert phone_links.count() >= 1
    for link in phone_links.all():
        digits = re.sub(r"\D", "", link.inner_text())
        href_digits = re.sub(r"\D", "", link.get_attribute("href") or "")
        assert href_digits.endswith(digits.lstrip("0")), f"{link.inner_text()} → {link.get_attribute('href')}"
    assert_fits_phone(phone)

    phone_links.first.scroll_into_view_if_needed()
    last_screen(phone, "2-pres-de-chez-moi-18e")


def test_journey_print_stage_page_hides_navigation_and_shows_link_urls(phone: Page, site_url: str) -> None:
    phone.goto(site_url + "etapes/commandement-de-payer/")
    phone.emulate_media(media="print")

    for navigation in (".md-header", ".md-sidebar--primary", ".md-footer", ".md-search"):
        expect(phone.locator(navigation).first).to_be_hidden()
    for heading in phone.locator("article h2").all():
        expect(heading).to_be_visible()
    external = phone.locator('article a[href^="http"]')
    assert external.count() >= 1
    for link in external.all():
        after = link.evaluate("a => getComputedStyle(a, '::after').content")
        assert link.get_attribute("href") in after, f"{link.get_attribute('href')} absent à l'impression : {after}"

    last_screen(phone, "4-impression-etape", full_page=True)
    phone.pdf(path=str(ARTEFACTS / "parcours-4-impression-etape.pdf"), format="A4")


def test_journey_calculator_gives_the_end_of_the_delay_and_sends_nothing(phone: Page, site_url: str) -> None:
    phone.goto(site_url + "etapes/commandement-de-payer/", wait_until="networkidle")
    requests: list[str] = []
    phone.on("request", lambda request: requests.append(request.url))

    field = phone.get_by_label("Date inscrite sur le document")
    field.scroll_into_view_if_needed()
    field.fill("2026-11-02")
    result = phone.locator("[data-delai-resultat]")
    expect(result).to_contain_text("se termine le lundi 14 décembre 2026.")
    expect(result).to_contain_text("Bail signé avant le 29 juillet 2023")
    phone.get_by_label("Date de signature de votre bail, si vous la connaissez").fill("2021-03-15")
    expect(result).not_to_contain_text("lundi 14 décembre 2026")
    expect(result).to_contain_text("samedi 2 janvier 2027")
    box = field.bounding_box()
    assert box and box["height"] >= 44, box
    assert requests == [], f"le calcul a envoyé des requêtes : {requests}"
    assert_fits_phone(phone)
    last_screen(phone, "5-calcul-du-delai")


# Every day from October 2026 to March 2028: month ends, 29 February 2028, three changes of summer/winter time.
CALCULATOR_DAYS = [dt.date(2026, 10, 1) + dt.timedelta(days=n) for n in range(548)]
# The reader's day: delays from late 2026 have passed, some end in the trêve, others on holidays and weekends.
READER_DAY = dt.date(2027, 1, 15)
ANSWERS_FOR_EACH_DAY = """([days, lease]) => {
  const written = document.querySelector('[data-delai-document]');
  const signed = document.querySelector('[data-delai-bail]');
  if (signed) { signed.value = lease; signed.dispatchEvent(new Event('input')); }
  return days.map(day => {
    written.value = day;
    written.dispatchEvent(new Event('input'));
    return [...document.querySelectorAll('[data-delai-resultat] .delai-calcul-issue')].map(
      issue => [...issue.querySelectorAll('p:not(.delai-calcul-appel)')].map(p => p.textContent));
  });
}"""


@pytest.mark.parametrize("timezone", ["Europe/Paris", "America/Los_Angeles"])
@pytest.mark.parametrize(
    ("stage", "lease"),
    [
        ("commandement-de-payer", None),
        ("commandement-de-payer", dt.date(2023, 7, 28)),
        ("commandement-de-payer", dt.date(2023, 7, 29)),
        ("commandement-de-quitter-les-lieux", None),
    ],
)
def test_calculator_page_answers_as_the_python_rule_every_day(
    browser: Any, site_url: str, timezone: str, stage: str, lease: dt.date | None
) -> None:
    context = browser.new_context(viewport=PHONE, locale="fr-FR", timezone_id=timezone)
    try:
        tab = context.new_page()
        # Noon in UTC is 15 January in Paris and in Los Angeles alike.
        tab.clock.set_fixed_time(dt.datetime.combine(READER_DAY, dt.time(12), tzinfo=UTC))
        tab.goto(site_url + f"etapes/{stage}/")
        answers = tab.evaluate(
            ANSWERS_FOR_EACH_DAY, [[d.isoformat() for d in CALCULATOR_DAYS], lease.isoformat() if lease else ""]
        )
    finally:
        context.close()
    sources = load_sources(ROOT)
    deadlines = next(s for s in sources.stages if s.id == stage).deadlines
    reader = delay_calendar(sources.territory.public_holidays, sources.territory.delay_words, READER_DAY)
    expected = [calculator_sentences(deadlines, day, lease, reader) for day in CALCULATOR_DAYS]
    wrong = [(day, got, want) for day, got, want in zip(CALCULATOR_DAYS, answers, expected, strict=True) if got != want]
    assert not wrong, f"{len(wrong)} jours faux, dont : {wrong[:3]}"
    said = " ".join(line for day in expected for outcome in day for line in outcome)
    # The comparison went through each rule.
    if stage == "commandement-de-quitter-les-lieux":
        assert "pas d'expulsion forcée avant le jeudi 1er avril 2027" in said
    else:
        assert "s'est terminé le" in said and "jour férié (Noël) : n'attendez pas le dernier jour" in said


def axe_violations(page: Page) -> list[Any]:
    return page.evaluate(AXE_RUN, ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])


def test_journey_calculator_truce_past_delay_holiday_and_calendar_file(browser: Any, site_url: str) -> None:
    with phone_tab(browser, axe=True) as phone:
        phone.clock.set_fixed_time(dt.datetime(2026, 12, 3, 12, tzinfo=UTC))
        phone.goto(site_url + "etapes/commandement-de-quitter-les-lieux/", wait_until="networkidle")
        requests: list[str] = []
        phone.on("request", lambda request: requests.append(request.url))
        result = phone.locator("[data-delai-resultat]")

        # A CQL served on 30 November 2026: 2 months end in the trêve, so 1 April, never 30 January.
        phone.get_by_label("Date inscrite sur le document").fill("2026-11-30")
        expect(result).to_contain_text("pas d'expulsion forcée avant le jeudi 1er avril 2027.")
        expect(result).to_contain_text("Sauf exceptions : un relogement adapté est assuré")
        expect(result).to_contain_text("conjoint violent")
        expect(result).not_to_contain_text("janvier")
        assert axe_violations(phone) == []

        # A commandement de payer from 2025: the delay has passed; what can still be done, and a line to call.
        phone.goto(site_url + "etapes/commandement-de-payer/", wait_until="networkidle")
        requests.clear()  # the page itself, loaded; from here on, only what the calculator would send
        phone.get_by_label("Date de signature de votre bail, si vous la connaissez").fill("2024-03-15")
        phone.get_by_label("Date inscrite sur le document").fill("2025-01-10")
        expect(result).to_contain_text("Ce délai s'est terminé le vendredi 21 février 2025.")
        expect(result).to_contain_text("demander des délais au juge")
        expect(result).not_to_contain_text("se termine le")
        call = result.locator('a[href="tel:+33805160075"]')
        expect(call).to_contain_text("SOS Loyers impayés")
        box = call.bounding_box()
        assert box and box["height"] >= 44, box
        expect(result.get_by_role("button", name="Ajouter à mon agenda")).to_have_count(0)
        assert axe_violations(phone) == []
        last_screen(phone, "7-delai-passe")

        # A delay ending on Christmas Day: the day is named, and « n'attendez pas le dernier jour ».
        phone.get_by_label("Date inscrite sur le document").fill("2026-11-13")
        expect(result.locator("p").first).to_have_text(
            "Votre délai pour payer ou demander des délais au juge se termine le vendredi 25 décembre 2026."
        )
        expect(result).to_contain_text("C'est un jour férié (Noël) : n'attendez pas le dernier jour.")
        button = result.get_by_role("button", name="Ajouter à mon agenda")
        box = button.bounding_box()
        assert box and box["height"] >= 44, box
        with phone.expect_download() as download:
            button.click()
        assert download.value.suggested_filename == "fin-du-delai-2026-12-25.ics"
        ics = Path(download.value.path()).read_bytes().decode("utf-8")
        assert axe_violations(phone) == []
        last_screen(phone, "8-delai-jour-ferie")
        sent = [url for url in requests if not url.startswith(("blob:", "data:"))]
        assert sent == [], f"le calcul a envoyé des requêtes : {sent}"

    assert ics.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and ics.endswith("END:VCALENDAR\r\n")
    unfolded = ics.replace("\r\n ", "")
    lines = unfolded.split("\r\n")
    assert "DTSTART;VALUE=DATE:20261225" in lines and "DTEND;VALUE=DATE:20261226" in lines
    assert "SUMMARY:6 semaines pour payer ou demander des délais au juge" in lines
    assert "TRIGGER:-P3D" in lines
    description = next(line for line in lines if line.startswith("DESCRIPTION:Votre délai"))
    assert "vendredi 25 décembre 2026." in description and "n'attendez pas le dernier jour." in description
    assert description.endswith("etapes/commandement-de-payer/")
    assert all(len(line.encode("utf-8")) <= 75 for line in ics.split("\r\n")), "lignes de plus de 75 octets"


def test_journey_calculator_without_javascript_says_the_rule_in_words(browser: Any, site_url: str) -> None:
    context = browser.new_context(viewport=PHONE, locale="fr-FR", java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(site_url + "etapes/commandement-de-quitter-les-lieux/")
        expect(tab.locator("[data-delai-calcul]")).to_be_hidden()
        words = tab.locator("[data-delai-sans-calcul]")
        expect(words).to_be_visible()
        expect(words).to_contain_text("Comptez 2 mois à partir de la date inscrite sur le document.")
        expect(words).to_contain_text("n'attendez pas le dernier jour")
        expect(words).to_contain_text("pas d'expulsion forcée avant le 1er avril")
    finally:
        context.close()


SCREEN_HEIGHT = PHONE["height"]
# At most 6 screens with every fold open (issue 11). The pages were 6.4 to 11.6 screens; shorter texts, a compact
# « Qui peut vous aider ? » and one fold for the deadlines and their texts bring them to 4.4 to 5.9
# (bench/first_screen_bench.py gives each page's height).
MAX_SCREENS = 6
TENANT_PAGES = [f"etapes/{s.id}/" for s in load_sources(ROOT).stages] + [
    f"motifs/{g.id}/" for g in load_sources(ROOT).grounds
]
REASSURANCES = {f"etapes/{s.id}/": s.reassurance.heading for s in load_sources(ROOT).stages} | {
    f"motifs/{g.id}/": g.reassurance.heading for g in load_sources(ROOT).grounds
}


def in_first_screen(page: Page, selector: str, whole: bool = True) -> None:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{page.url} : rien ne correspond à {selector}"
    bottom = box["y"] + (box["height"] if whole else 24)
    assert bottom <= SCREEN_HEIGHT, f"{page.url} : {selector} finit à {bottom:.0f} px, après le premier écran"


@pytest.mark.parametrize("path", TENANT_PAGES)
def test_journey_tenant_page_links_to_near_me_within_two_screens(phone: Page, site_url: str, path: str) -> None:
    """« Près de chez moi » one tap away, within the first two phone screens (issue 17), and it leads there."""
    phone.goto(site_url + path)
    near_me = phone.locator("article .pres-lien a")
    box = near_me.bounding_box()
    assert box and box["y"] + box["height"] <= 2 * SCREEN_HEIGHT, f"{path} : « Près de chez moi » à {box}"
    assert box["height"] >= 44 and box["width"] >= 44, box
    near_me.click()
    expect(phone).to_have_url(site_url + "pres-de-chez-moi/")


@pytest.mark.parametrize("path", TENANT_PAGES)
def test_journey_tenant_page_first_screen_has_delay_todo_and_call(phone: Page, site_url: str, path: str) -> None:
    phone.goto(site_url + path)

    in_first_screen(phone, "article .delai-principal")
    in_first_screen(phone, "article .a-faire > ol > li", whole=False)
    in_first_screen(phone, 'article .appeler a[href^="tel:"]')
    in_first_screen(phone, "article .rassurer")
    expect(phone.locator("article .rassurer strong")).to_have_text(REASSURANCES[path])
    targets = (
        'article a[href^="tel:"], article .frise a, article summary, article .pres-lien a, header a[href$="recherche/"]'
    )
    for target in phone.locator(targets).all():
        box = target.bounding_box()
        if box:  # a folded link has no box
            assert box["height"] >= 44 and box["width"] >= 44, f"{path} : cible de {box} trop petite"
    phone.evaluate("document.querySelectorAll('article details').forEach(d => d.open = true)")
    height = phone.evaluate("document.documentElement.scrollHeight")
    assert height <= MAX_SCREENS * SCREEN_HEIGHT, f"{path} : {height} px, {height / SCREEN_HEIGHT:.1f} écrans"
    assert_fits_phone(phone)

    name = path.strip("/").replace("/", "-")
    phone.evaluate("document.querySelectorAll('article details').forEach(d => d.open = false); window.scrollTo(0, 0)")
    last_screen(phone, f"premier-ecran-{name}-390")
    phone.set_viewport_size({"width": 1280, "height": 900})
    last_screen(phone, f"premier-ecran-{name}-1280")


def test_journey_hearing_page_says_where_and_how_the_day_goes(phone: Page, site_url: str) -> None:
    phone.goto(site_url + "etapes/assignation-audience/")

    box = phone.locator("article .encadre-pratique")
    expect(box.get_by_role("heading", level=2)).to_have_text("Le jour de l'audience")
    expect(box).to_contain_text("29-45 avenue de la Porte de Clichy, 75017 Paris")  # from the directory, confirmed
    expect(box).to_contain_text("Porte de Clichy")
    expect(box).to_contain_text("Arrivez en avance")
    expect(box).to_contain_text("Apportez : une pièce d'identité, le bail")
    expect(box).to_contain_text("Pas besoin d'avocat")
    expect(box).to_be_visible()
    assert_fits_phone(phone)
    box.scroll_into_view_if_needed()
    last_screen(phone, "6-jour-de-l-audience")


# Every text node of the article, with its computed size; an « À partir du … » box is added to the page so
# that its size is checked whatever the build date (the real one shows only in the 60 days before 2027).
TEXT_SIZES = """() => {
  const article = document.querySelector('article');
  article.insertAdjacentHTML('beforeend', '<div class="admonition info" data-essai><p class="admonition-title">'
    + 'À partir du 1er janvier 2027</p><p><strong>Règle</strong></p><p>Texte de la règle.</p></div>');
  document.querySelectorAll('article details').forEach(d => d.open = true);
  const sizes = [];
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const element = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent.trim() || !element.getClientRects().length) continue;
    if (element.closest('.sr-only')) continue;
    sizes.push([parseFloat(getComputedStyle(element).fontSize), walker.currentNode.textContent.trim().slice(0, 60)]);
  }
  return [parseFloat(getComputedStyle(article).fontSize), sizes];
}"""


def test_tenant_pages_have_no_text_smaller_than_the_body(phone: Page, site_url: str) -> None:
    """At 390 px no text of a tenant page is smaller than its body text (16 px in the State edition, 17 in the
    other): not the « À partir du 1er janvier 2027 » box, not the free lines' box, not the call buttons' notes
    (Material's 12.8 px small print), not the stepper's « Étape suivante » (the DSFR's 12 px)."""
    pages = ["", "pres-de-chez-moi/", "pres-de-chez-moi/16/", *TENANT_PAGES]
    small: list[str] = []
    for path in pages:
        phone.goto(site_url + path)
        body, sizes = phone.evaluate(TEXT_SIZES)
        assert body >= 16, f"/{path} : texte courant de {body} px"
        small += [f"/{path} : {size} px « {text} »" for size, text in sizes if size < body]
    assert not small, "\n".join(small[:20])
    # The real 2027 box, in the 60 days before 1 January 2027 (the site is built as of today).
    phone.goto(site_url + "etapes/premier-impaye/")
    real = phone.locator("article .admonition.info", has_text="À partir du 1er janvier 2027").locator("p, li")
    sizes = real.evaluate_all("nodes => nodes.map(n => parseFloat(getComputedStyle(n).fontSize))")
    if dt.date(2026, 11, 2) <= dt.date.today() <= dt.date(2026, 12, 31):
        assert sizes, "l'encadré « À partir du 1er janvier 2027 » manque"
    assert all(size >= 16 for size in sizes), sizes
