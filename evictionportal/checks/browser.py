"""Checks in a real browser: accessibility (axe-core), privacy, reading without JavaScript, page weight.

One headless Chromium (Debian's, never a downloaded one) renders every page on a
phone-sized screen. It runs with a proxy that does not exist, which Chromium
never uses for 127.0.0.1: a request for any other host fails on this machine
instead of leaving it, and is reported with the page that made it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import CheckConfig
from .findings import Finding
from .server import serve
from .tools import AXE_JS, CHROMIUM, debian_program, npm_file

LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--proxy-server=http://127.0.0.1:9",  # nothing listens there; loopback bypasses proxies by default
]
LOCAL_SCHEMES = ("data:", "blob:", "about:")

AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html, summary: n.failureSummary || ''})),
  }));
}"""

# What a reader sees with JavaScript off: the h1 and (nearly) all the text of the article.
READABLE = """() => {
  const shown = el => !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const squash = text => (text || '').replace(/\\s+/g, ' ').trim();
  const article = document.querySelector('article') || document.querySelector('main') || document.body;
  const h1 = document.querySelector('h1');
  // Folded sections open with a tap, JavaScript or not: a reader can reach their text.
  article.querySelectorAll('details').forEach(el => { el.open = true; });
  const text = article.cloneNode(true);  // data blocks (JSON-LD) and styles are never shown: not page text
  // nor are tools that only work with JavaScript (the deadline calculator), hidden until a script shows them.
  text.querySelectorAll('script, style, template, [data-needs-javascript]').forEach(el => el.remove());
  return {
    h1: shown(h1), article: shown(article),
    rendered: squash(article.innerText).length, written: squash(text.textContent).length,
  };
}"""
SEARCH_QUERY = "expulsion"  # the first search weighed: a word every site of this kind has
# The search page says how many pages it found (or none) once the query's index files are loaded.
SEARCH_ANSWERED = "() => /trouvée|Aucune page/.test(document.querySelector('[data-recherche-etat]')?.textContent || '')"
READABLE_SHARE = 0.9  # below this share of the article's text rendered, something is hidden without JS


@dataclass
class BrowserResult:
    findings: list[Finding] = field(default_factory=list)
    weights: dict[str, int] = field(default_factory=dict)  # page -> bytes of a first visit, compressed
    search_bytes: int = 0  # what the first search adds to a first visit of the first weighed page
    seconds: dict[str, float] = field(default_factory=dict)


def launch_chromium(playwright: Any) -> Any:
    """Debian's Chromium, headless, unable to reach any host but 127.0.0.1."""
    chromium = debian_program("chromium", "chromium", fallback=CHROMIUM)
    return playwright.chromium.launch(executable_path=chromium, args=LAUNCH_ARGS)


def check_in_browser(
    site_dir: Path, pages: list[str], config: CheckConfig, budget_kb: int | None = None
) -> BrowserResult:
    """Every page with axe and with JavaScript off, then the weighed first visits (against `budget_kb`, by
    default the checks.yml budget); one browser for all."""
    from playwright.sync_api import sync_playwright

    npm_file(AXE_JS)
    result = BrowserResult()
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            with serve(site_dir) as server:
                began = time.perf_counter()
                result.findings += check_accessibility(browser, server.url, pages, config)
                result.seconds["axe"] = time.perf_counter() - began
                began = time.perf_counter()
                result.findings += check_without_javascript(browser, server.url, pages, config)
                result.seconds["sans-javascript"] = time.perf_counter() - began
            began = time.perf_counter()
            for page in config.page_weight.pages:
                if page not in pages:
                    result.findings.append(Finding(page, "", "poids", "page à peser absente du site (checks.yml)"))
                    continue
                result.weights[page] = measure_first_visit(browser, site_dir, page, config)
            if result.weights:
                first = next(iter(result.weights))
                result.search_bytes = measure_search(browser, site_dir, first, SEARCH_QUERY, config)[1]
            result.seconds["poids"] = time.perf_counter() - began
        finally:
            browser.close()
    budget = (budget_kb or config.page_weight.budget_kb) * 1000
    search_budget = config.page_weight.search_budget_kb * 1000
    if result.search_bytes > search_budget:
        page = next(iter(result.weights))
        message = (
            f"la première recherche (« {SEARCH_QUERY} ») ajoute {result.search_bytes / 1000:.0f} ko, "
            f"au-delà du budget de {search_budget / 1000:.0f} ko"
        )
        result.findings.append(Finding(page, "recherche", "poids", message))
    for page, weight in result.weights.items():
        if weight > budget:
            result.findings.append(
                Finding(
                    page,
                    "",
                    "poids",
                    f"première visite de {weight / 1000:.0f} ko, au-delà du budget de {budget / 1000:.0f} ko",
                )
            )
    return result


def _context(browser: Any, config: CheckConfig, javascript: bool = True) -> Any:
    return browser.new_context(
        viewport={"width": config.viewport_width, "height": 844},
        java_script_enabled=javascript,
        locale="fr-FR",
        service_workers="block",
    )


def _watch_requests(context: Any, base_url: str, current: Callable[[], str], findings: list[Finding]) -> None:
    """Report every request (page, worker, WebSocket) for a host other than the served site."""

    def report(kind: str, url: str) -> None:
        if not url.startswith(base_url) and not url.startswith(LOCAL_SCHEMES):
            message = "requête vers un autre site pendant l'affichage de la page"
            findings.append(Finding(current(), f"{kind} {url}", "vie-privee", message))

    context.on("request", lambda request: report(request.resource_type, request.url))
    context.on("page", lambda page: page.on("websocket", lambda socket: report("websocket", socket.url)))


def _open(page: Any, url: str, path: str, findings: list[Finding], wait_until: str = "load") -> bool:
    response = page.goto(url, wait_until=wait_until)
    if response is None or response.status >= 400:
        status = response.status if response else "aucune réponse"
        findings.append(Finding(path, "", "chargement", f"la page ne se charge pas ({status})"))
        return False
    return True


def watch_csp_violations(tab: Any, current: Callable[[], str], findings: list[Finding]) -> None:
    """Report every resource or script the Content-Security-Policy blocked: the page would be missing it."""

    def report(message: Any) -> None:
        if "Content Security Policy" in message.text:
            findings.append(Finding(current(), "", "csp", f"bloqué par la politique de sécurité : {message.text}"))

    tab.on("console", report)


@contextmanager
def _each_page(
    browser: Any, base_url: str, pages: list[str], config: CheckConfig, findings: list[Finding], javascript: bool = True
) -> Iterator[Iterator[tuple[str, Any]]]:
    """One browser tab that visits every page in turn, watching requests, and yields those that loaded."""
    current = [""]
    context = _context(browser, config, javascript=javascript)
    _watch_requests(context, base_url, lambda: current[0], findings)
    if javascript:
        context.add_init_script(path=str(AXE_JS))
    tab = context.new_page()
    watch_csp_violations(tab, lambda: current[0], findings)

    def visits() -> Iterator[tuple[str, Any]]:
        for path in pages:
            current[0] = path
            if _open(tab, base_url + path, path, findings):
                yield path, tab

    try:
        yield visits()
    finally:
        context.close()


def check_accessibility(browser: Any, base_url: str, pages: list[str], config: CheckConfig) -> list[Finding]:
    """axe-core's WCAG 2.1 A and AA rules on every page, plus the privacy watch while they render."""
    findings: list[Finding] = []
    with _each_page(browser, base_url, pages, config, findings) as visits:
        for path, tab in visits:
            for violation in tab.evaluate(AXE_RUN, config.axe_tags):
                for node in violation["nodes"]:
                    findings.append(
                        Finding(
                            path,
                            f"{node['target']} {_short(node['html'])}",
                            f"axe:{violation['id']}",
                            f"{violation['help']} ({violation['impact']}) : {_summary(node['summary'])}",
                        )
                    )
    return findings


def check_without_javascript(browser: Any, base_url: str, pages: list[str], config: CheckConfig) -> list[Finding]:
    """Each page still shows its title and its text when JavaScript is off (old phones, blocked scripts)."""
    findings: list[Finding] = []
    with _each_page(browser, base_url, pages, config, findings, javascript=False) as visits:
        for path, tab in visits:
            seen = tab.evaluate(READABLE)
            if not seen["h1"]:
                findings.append(Finding(path, "h1", "sans-javascript", "le titre h1 n'est pas visible sans JavaScript"))
            if not seen["article"]:
                findings.append(
                    Finding(path, "article", "sans-javascript", "le contenu n'est pas visible sans JavaScript")
                )
            elif seen["written"] and seen["rendered"] < READABLE_SHARE * seen["written"]:
                share = seen["rendered"] / seen["written"]
                findings.append(
                    Finding(
                        path,
                        "article",
                        "sans-javascript",
                        f"sans JavaScript, seuls {share:.0%} du texte de la page s'affichent",
                    )
                )
    return findings


def measure_first_visit(browser: Any, site_dir: Path, path: str, config: CheckConfig) -> int:
    """Bytes a first visit transfers, compressed, counted by a server that serves nothing else.

    Waits until the network is quiet. Search is not part of it: the search page and the index files
    a query needs are fetched only when the reader searches; see `measure_search`.
    """
    with serve(site_dir) as server:
        context = _context(browser, config)
        try:
            tab = context.new_page()
            tab.goto(server.url + path, wait_until="networkidle")
            return quiet_bytes(tab, server)
        finally:
            context.close()


def measure_search(browser: Any, site_dir: Path, path: str, query: str, config: CheckConfig) -> tuple[int, int]:
    """Bytes of a first visit, then bytes the reader's first search adds: the search page, its script and
    the index files of the query, from the tap on the header's search button to the results shown."""
    with serve(site_dir) as server:
        context = _context(browser, config)
        try:
            tab = context.new_page()
            tab.goto(server.url + path, wait_until="networkidle")
            visit = quiet_bytes(tab, server)
            header_link = tab.get_by_role("link", name="Rechercher sur le site")
            if header_link.count():  # the local-authority edition: a link to the search page and its field
                header_link.click()
                tab.locator("#recherche-mots").fill(query)
            else:  # the State edition: the DSFR header's search dialog sends the words to the search page
                tab.locator("header").get_by_role("button", name="Rechercher").first.click()
                tab.get_by_label("Rechercher sur le site").fill(query)
                tab.get_by_label("Rechercher sur le site").press("Enter")
            tab.wait_for_function(SEARCH_ANSWERED, timeout=20000)
            return visit, quiet_bytes(tab, server) - visit
        finally:
            context.close()


def quiet_bytes(tab: Any, server: Any) -> int:
    """What the server has sent once nothing more came for a second (at most 15 s)."""
    last, stable_since = -1, time.monotonic()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        sent = server.bytes_sent
        if sent != last:
            last, stable_since = sent, time.monotonic()
        elif time.monotonic() - stable_since > 1.0:
            break
        tab.wait_for_timeout(100)
    return server.bytes_sent


def _short(html: str, limit: int = 140) -> str:
    html = " ".join(html.split())
    return html if len(html) <= limit else html[: limit - 1] + "…"


def _summary(text: str) -> str:
    lines = [line.strip() for line in text.splitlines()]
    return " ".join(line for line in lines if line and not line.startswith("Fix "))
