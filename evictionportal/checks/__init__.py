"""Quality gates over a built site: links, accessibility, valid HTML, privacy, security, page weight.

Tenants read the portal on phones, under stress: a broken link, an unreadable
contrast or a page that needs a mouse fails exactly them. Each check is a plain
function returning `Finding`s (page, element, rule, message); `run_checks`
runs them all over every generated page, and the caller decides that any
finding fails (`python build.py check` exits 1).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from ..errors import PortalError
from .browser import check_in_browser
from .config import CheckConfig, load_check_config
from .contacts import Reachable, check_contacts
from .findings import Finding
from .headings import check_headings, check_language
from .html import check_html
from .links import check_anchors, check_links, external_links, own_origins
from .parse import parse_site
from .phrases import check_drafting_phrases
from .privacy import check_foreign_resources, check_stylesheets
from .report import CheckReport, failure, summary, write_reports
from .security import check_security
from .server import serve

__all__ = ["CheckConfig", "CheckReport", "ChecksFailed", "Finding", "check_site", "load_check_config", "run_checks"]

T = TypeVar("T")


class ChecksFailed(PortalError):
    """The site has findings; the message lists every one of them."""


STATE_EDITION_MARK = Path("assets") / "dsfr" / "dsfr.min.css"


def is_state_edition(site_dir: Path) -> bool:
    """The State edition is the one that serves the DSFR (site.STATE_ASSETS_URL)."""
    return (site_dir / STATE_EDITION_MARK).is_file()


def page_budget_kb(site_dir: Path, config: CheckConfig) -> int:
    weights = config.page_weight
    return weights.state_budget_kb if is_state_edition(site_dir) else weights.budget_kb


def run_checks(
    site_dir: Path,
    config: CheckConfig,
    external: bool = False,
    sample: bool = False,
    directory: list[Reachable] | None = None,
) -> CheckReport:
    """Run every check over every page of `site_dir`. `directory`: the published directory, for the check that
    no page, leaflet or letter asks the reader to contact an organisation without a way to reach it. With
    `sample`, the browser, the HTML validator and the link checker see only `sample_pages`; the static checks
    still read every page.

    LinkChecker and the HTML validator are separate processes: they run while the
    browser works through the pages, which keeps the whole under a few minutes on two cores.
    """
    site_dir = site_dir.resolve()
    if not (site_dir / "index.html").is_file():
        raise PortalError(f"{site_dir} : pas de site construit ici ; lancez d'abord `python build.py build`")
    report = CheckReport(site_dir, external_checked=external)
    start = time.perf_counter()
    parsed = parse_site(site_dir)
    report.pages = list(parsed)
    for page in parsed.values():
        report.findings += check_headings(page) + check_language(page) + check_foreign_resources(page)
    report.findings += check_anchors(parsed) + check_stylesheets(site_dir) + check_security(site_dir)
    report.findings += check_drafting_phrases(site_dir, report.pages, config.drafting_phrases)
    if directory is not None:
        report.findings += check_contacts(site_dir, report.pages, directory)
    report.external_links = external_links(parsed)
    report.seconds["statique"] = time.perf_counter() - start
    if sample:
        missing = [page for page in config.sample_pages if page not in parsed]
        absent = "page de l'échantillon absente du site (checks.yml, sample_pages)"
        report.findings += [Finding(page, "", "echantillon", absent) for page in missing]
        report.pages = [page for page in config.sample_pages if page in parsed]

    def timed(name: str, function: Callable[..., T], *args: Any) -> T:
        began = time.perf_counter()
        try:
            return function(*args)
        finally:
            report.seconds[name] = time.perf_counter() - began

    with serve(site_dir) as server, ThreadPoolExecutor(max_workers=2) as pool:
        links = pool.submit(timed, "liens", check_links, server.url, report.pages, external, own_origins(parsed))
        html = pool.submit(timed, "html", check_html, site_dir, report.pages, config.html_allowlist)
        budget = page_budget_kb(site_dir, config)
        browser = timed("navigateur", check_in_browser, site_dir, report.pages, config, budget)
        report.findings += links.result()
        html_findings, report.html_allowlisted = html.result()
        report.findings += html_findings
    report.findings += browser.findings
    report.weights = browser.weights
    report.search_bytes = browser.search_bytes
    report.seconds.update({f"navigateur/{name}": seconds for name, seconds in browser.seconds.items()})
    report.findings = sorted(set(report.findings))  # the same request can be seen by two browser passes
    report.seconds["total"] = time.perf_counter() - start
    return report


def check_site(
    site_dir: Path,
    config_file: Path,
    artefacts: Path,
    external: bool = False,
    sample: bool = False,
    directory: list[Reachable] | None = None,
) -> CheckReport:
    """What `python build.py check` does: run every check, print the summary, leave the reports.

    Raises `ChecksFailed`, listing every finding, when there is any.
    """
    config = load_check_config(config_file)
    report = run_checks(site_dir, config, external=external, sample=sample, directory=directory)
    written = write_reports(report, artefacts)
    edition = "État" if is_state_edition(site_dir) else "collectivité"
    scope = f"échantillon de {len(report.pages)} pages" if sample else "toutes les pages"
    print(f"Édition {edition}, {scope} : {site_dir}")
    print(summary(report, page_budget_kb(site_dir, config)))
    print("Rapports : " + ", ".join(str(p) for p in written))
    if report.findings:
        raise ChecksFailed(failure(report.findings))
    return report
