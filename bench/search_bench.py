"""Search benchmark: what one query transfers, on the real site and with N made-up organisations, before and after.

Run: .venv/bin/python bench/search_bench.py [N] (default 1000)

The sources are copied twice (as they are; with N made-up organisations from bench/madeup_directory.py)
and each copy is built once with the theme's search plugin switched back on beside the portal's own
search, so both indexes come from the same pages in the same run:

- before: the theme's index (search/search_index.json), which its first search fetched whole;
- after: for each query, what the portal's search page fetched for it (its index files and the result
  pages' files), and the whole first search from the home page (the search page, its script, the query);
  and, for scale, the portal's index were it fetched whole.

All sizes are compressed as served (gzip level 6, like nginx), in kB (1 kB = 1000 bytes).
"""

from __future__ import annotations

import argparse
import gzip
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.madeup_directory import write_madeup_organisations  # noqa: E402
from bench.scale_bench import copy_sources  # noqa: E402
from evictionportal.build import build_site  # noqa: E402
from evictionportal.checks.browser import SEARCH_ANSWERED, launch_chromium, measure_search, quiet_bytes  # noqa: E402
from evictionportal.checks.config import load_check_config  # noqa: E402
from evictionportal.checks.server import serve  # noqa: E402
from evictionportal.search import SEARCH_FOLDER  # noqa: E402

QUERIES = ["commandement", "expulsion hiver", "assignation", "aide au loyer", "paris"]
THEME_SEARCH = {"search": {"lang": "fr", "separator": "[\\s\\-'’]+"}}  # the plugin as main had it


def with_theme_search(root: Path) -> None:
    """Switch the theme's search plugin back on in a copy of the sources: its index is the "before"."""
    config_file = root / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["plugins"] = [THEME_SEARCH]
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


def compressed(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6))


def query_bytes(browser: Any, site: Path, query: str) -> int:
    """Bytes the search page fetches for `query` once it is open (index files and result files only)."""
    with serve(site) as server:
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
        try:
            tab = context.new_page()
            tab.goto(server.url + "recherche/", wait_until="networkidle")
            before = quiet_bytes(tab, server)
            tab.locator("#recherche-mots").fill(query)
            tab.wait_for_function(SEARCH_ANSWERED, timeout=20000)
            return quiet_bytes(tab, server) - before
        finally:
            context.close()


def measure(root: Path) -> dict[str, str]:
    from playwright.sync_api import sync_playwright

    figures: dict[str, str] = {"organisations": str(len(list((root / "directory").glob("*.yml"))))}
    began = time.perf_counter()
    site = build_site(root, force=True).site_dir
    figures["build (PDFs included)"] = f"{time.perf_counter() - began:.0f} s"
    ours = list((site / SEARCH_FOLDER).rglob("*.json"))
    figures["pages indexed"] = str(len(list((site / SEARCH_FOLDER / "pages").glob("*.json"))))
    figures["before: theme index, whole"] = f"{compressed(site / 'search' / 'search_index.json') / 1000:.0f} kB"
    whole = sum(compressed(f) for f in ours)
    figures["after: our index if fetched whole"] = f"{whole / 1000:.0f} kB in {len(ours)} files"
    config = load_check_config(ROOT / "checks.yml")
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            for query in QUERIES:
                only = query_bytes(browser, site, query)
                visit, first = measure_search(browser, site, "", query, config)
                figures[f"« {query} »: query / first search"] = f"{only / 1000:.1f} / {first / 1000:.1f} kB"
            figures["home page, first visit"] = f"{visit / 1000:.0f} kB"
        finally:
            browser.close()
    return figures


def main() -> None:
    cli = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    cli.add_argument("count", type=int, nargs="?", default=1000, help="made-up organisations (default 1000)")
    args = cli.parse_args()
    columns: dict[str, dict[str, str]] = {}
    with tempfile.TemporaryDirectory(prefix="search-bench-") as folder:
        real = copy_sources(Path(folder) / "reel")
        grown = copy_sources(Path(folder) / f"plus-{args.count}")
        write_madeup_organisations(grown, args.count)
        for label, root in (("real site", real), (f"+{args.count} made-up", grown)):
            print(f"measuring: {label}…", file=sys.stderr, flush=True)
            with_theme_search(root)
            columns[label] = measure(root)
    rows = list(dict.fromkeys(key for figures in columns.values() for key in figures))
    width = max(len(row) for row in rows)
    print(f"{'':{width}}  " + "  ".join(f"{label:>26}" for label in columns))
    for row in rows:
        print(f"{row:{width}}  " + "  ".join(f"{figures.get(row, '-'):>26}" for figures in columns.values()))


if __name__ == "__main__":
    main()
