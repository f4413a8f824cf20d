"""Where a tenant on a phone finds the essentials: every stage and ground page of a built site at 390 × 844.

Run: .venv/bin/python bench/first_screen_bench.py SITE_DIR [BASELINE_SITE_DIR]. For each page it prints the
page height (px and screens), where the first delay, the first "what to do" item and the first tel: link
start (px from the top; a screen is 844 px), and the smallest tap target among tel: links. With a second
site (for example one built from main), the same figures for it come first, as the baseline of the run.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from evictionportal.checks.browser import launch_chromium  # noqa: E402
from evictionportal.checks.server import serve  # noqa: E402

SCREEN = {"width": 390, "height": 844}
MEASURE = """() => {
  const top = el => el ? Math.round(el.getBoundingClientRect().top + window.scrollY) : null;
  const article = document.querySelector('article');
  const heading = text => [...article.querySelectorAll('h2, h3, p, summary')].find(h => h.textContent.includes(text));
  const delay = article.querySelector('.delai-principal') || heading('Les délais');
  const todo = article.querySelector('.a-faire li') || article.querySelector('h2#que-faire-maintenant + ol > li');
  const tels = [...article.querySelectorAll('a[href^="tel:"]')];
  const sizes = tels.map(a => a.getBoundingClientRect()).map(r => Math.round(Math.min(r.width, r.height)));
  article.querySelectorAll('details').forEach(d => d.open = true);
  return {
    height: document.documentElement.scrollHeight, delay: top(delay), todo: top(todo),
    tel: top(tels[0]), smallest_tap: sizes.length ? Math.min(...sizes) : null,
  };
}"""


def pages(site: Path) -> list[str]:
    return sorted(
        f"/{p.parent.relative_to(site).as_posix()}/"
        for folder in ("etapes", "motifs")
        for p in (site / folder).glob("*/index.html")
    )


def measure(browser: object, site: Path) -> dict[str, dict[str, int | None]]:
    figures = {}
    with serve(site) as server:
        context = browser.new_context(viewport=SCREEN, is_mobile=True, has_touch=True, locale="fr-FR")  # type: ignore[attr-defined]
        tab = context.new_page()
        for path in pages(site):
            tab.goto(server.url.rstrip("/") + path)
            figures[path] = tab.evaluate(MEASURE)
        context.close()
    return figures


def report(name: str, figures: dict[str, dict[str, int | None]]) -> None:
    print(f"\n{name}")
    print(f"{'page':45} {'height':>7} {'screens':>7} {'delay':>6} {'todo':>6} {'tel':>6} {'tap':>4}")
    for path, f in figures.items():
        height = f["height"] or 0
        print(
            f"{path:45} {height:7} {height / SCREEN['height']:7.1f} {f['delay'] or '-':>6} {f['todo'] or '-':>6} "
            f"{f['tel'] or '-':>6} {f['smallest_tap'] or '-':>4}"
        )


def main(site: Path, baseline: Path | None) -> None:
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        if baseline:
            report(f"baseline: {baseline}", measure(browser, baseline))
        report(f"site: {site}", measure(browser, site))
        browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else None)
