"""Links: every internal link and anchor resolves; external links are listed, checked on request.

LinkChecker fetches every page and asset from the served site, as a visitor's
browser would. Anchors are checked here, from the one parse of each page:
LinkChecker's AnchorCheck downloads and re-parses a page once per distinct
fragment pointing at it (839 parses for 126 pages, 45 s instead of 8 s).
CI has no internet, so external links are only listed unless `--external`.
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from ..errors import BuildFailed
from .findings import Finding
from .parse import ParsedPage

LOCAL = "http://127.0.0.1/"  # stands for the site's own origin when resolving links statically

# maxrequestspersecond only applies to servers that send a `LinkChecker` header: ours does.
LINKCHECKER_CONFIG = """\
[checking]
maxrequestspersecond=1000
threads=4
timeout=30
"""


def check_links(base_url: str, pages: list[str], external: bool = False, own: list[str] | None = None) -> list[Finding]:
    """Run LinkChecker from every page (so pages no menu links to are checked too).

    `own` are the site's public origins (from its canonical links): this very site, checked
    here locally, so never fetched from the internet, even with `external`.
    """
    with tempfile.TemporaryDirectory(prefix="linkchecker-") as work:
        config = Path(work) / "linkcheckerrc"
        config.write_text(LINKCHECKER_CONFIG, encoding="utf-8")
        command = [
            sys.executable,
            "-m",
            "linkcheck",
            "--config",
            str(config),
            "--output",
            "csv",
            "--no-status",
            "--no-warnings",
        ]
        if external:
            command.append("--check-extern")
        for origin in own or []:
            command += ["--ignore-url", "^" + re.escape(origin)]
        result = subprocess.run(
            [*command, *(base_url + page for page in pages)], capture_output=True, text=True, cwd=work
        )
    if result.returncode not in (0, 1):  # 1 means "broken links found", anything else a crash
        raise BuildFailed(f"LinkChecker a échoué ({result.returncode}) :\n{result.stderr.strip()}")
    return linkchecker_failures(result.stdout, base_url)


def linkchecker_failures(csv_text: str, base_url: str) -> list[Finding]:
    """LinkChecker's CSV output: each invalid row becomes a finding on the page that holds the link."""
    lines = [line for line in csv_text.splitlines() if line and not line.startswith("#")]
    findings = []
    for row in csv.DictReader(lines, delimiter=";"):
        if row.get("valid") != "False":
            continue
        parent = row.get("parentname") or row.get("url") or ""
        page = parent.removeprefix(base_url)
        target = row.get("urlname") or row.get("url") or ""
        local = (row.get("url") or "").startswith(base_url)
        where = f" (ligne {row['line']})" if row.get("line") else ""
        label = f" « {row['name']} »" if row.get("name") else ""
        findings.append(
            Finding(
                page,
                f'<a href="{target}">{label}{where}' if row.get("name") else f"{target}{where}",
                "lien" if local else "lien-externe",
                f"lien cassé : {row.get('result') or 'introuvable'}",
            )
        )
    return findings


def check_anchors(pages: dict[str, ParsedPage]) -> list[Finding]:
    """Every `#fragment` pointing into the site names an id that exists on the target page."""
    findings = []
    for page in pages.values():
        for link in page.links:
            href = link.attr("href") or ""
            target = urlsplit(urljoin(LOCAL + page.path, href))
            if f"{target.scheme}://{target.netloc}/" != LOCAL or not target.fragment:
                continue
            target_path = unquote(target.path).removeprefix("/")
            if target_path.endswith("index.html"):
                target_path = target_path.removesuffix("index.html")
            target_page = pages.get(target_path)
            if target_page is None:
                continue  # a missing page is LinkChecker's finding, not an anchor's
            if unquote(target.fragment) not in target_page.ids:
                findings.append(
                    Finding(
                        page.path,
                        str(link),
                        "ancre",
                        f"l'ancre #{target.fragment} n'existe pas sur /{target_path}",
                    )
                )
    return findings


def external_links(pages: dict[str, ParsedPage]) -> dict[str, list[str]]:
    """Every link leaving the site (web, e-mail, phone), with the pages that carry it."""
    found: dict[str, set[str]] = defaultdict(set)
    for page in pages.values():
        for link in page.links:
            href = link.attr("href") or ""
            scheme = urlsplit(href).scheme
            if scheme in ("http", "https", "mailto", "tel"):
                found[href].add(page.path)
    return {url: sorted(where) for url, where in sorted(found.items())}


def own_origins(pages: dict[str, ParsedPage]) -> list[str]:
    """The public address the site will have, as its canonical links give it (none before `site_url` is set)."""
    origins = set()
    for page in pages.values():
        for element in page.elements:
            if element.tag == "link" and "canonical" in (element.attr("rel") or "").split():
                parts = urlsplit(element.attr("href") or "")
                if parts.scheme in ("http", "https") and parts.netloc:
                    origins.add(f"{parts.scheme}://{parts.netloc}/")
    return sorted(origins)
