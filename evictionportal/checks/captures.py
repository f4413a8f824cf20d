"""Images of what readers get, for a person to look at after `make test`: the main pages at a phone's
and a laptop's width, and every page of every PDF.

No check judges a layout as a person does: a banner over a text, a card cut in two, a table too wide
for a phone. These images make it quick to look. They are written under build/artefacts/ (ignored by
git), replaced at each run: `ecrans/` (one full-page image per page and width) and `pdf/` (one image per
PDF page, at a modest resolution).
"""

from __future__ import annotations

import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import PortalError
from .browser import launch_chromium
from .server import serve
from .tools import debian_program

SCREENS = {"390": {"width": 390, "height": 844}, "1280": {"width": 1280, "height": 800}}
PDF_DPI = 60  # an A4 page is 496 × 702 pixels: the layout shows, headings read; the folder stays small
TENANT_FOLDERS = ("etapes", "motifs")


@dataclass
class CaptureReport:
    screens: list[Path] = field(default_factory=list)
    pdf_pages: list[Path] = field(default_factory=list)
    pdfs: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    def summary(self, folder: Path) -> str:
        return (
            f"Images en {self.seconds.get('total', 0):.1f} s : {len(self.screens)} écrans dans {folder / 'ecrans'}, "
            f"{len(self.pdf_pages)} pages de {self.pdfs} PDF dans {folder / 'pdf'}"
        )


def pages_to_capture(site_dir: Path) -> list[str]:
    """The home page, the documents page, every tenant stage and ground page, the professional home and
    its first stage page, and the search page: the pages readers meet first, as served paths."""

    def children(folder: str) -> list[str]:
        return sorted(f"{p.parent.relative_to(site_dir).as_posix()}/" for p in (site_dir / folder).glob("*/index.html"))

    pro_stages = children("professionnels/etapes")
    wanted = ["", "documents/", *[p for f in TENANT_FOLDERS for p in children(f)], "professionnels/", *pro_stages[:1]]
    return [p for p in [*wanted, "recherche/"] if (site_dir / p / "index.html").is_file()]


def image_name(path: str) -> str:
    return path.strip("/").replace("/", "-") or "accueil"


def capture_screens(site_dir: Path, pages: list[str], folder: Path) -> list[Path]:
    """One full-page image of each page at each width in SCREENS, all in one browser."""
    from playwright.sync_api import sync_playwright

    written: list[Path] = []
    failed: list[str] = []
    with sync_playwright() as playwright, serve(site_dir) as server:
        browser = launch_chromium(playwright)
        try:
            for width, viewport in SCREENS.items():
                context = browser.new_context(viewport=viewport, locale="fr-FR", is_mobile=width == "390")
                tab = context.new_page()
                for path in pages:
                    response = tab.goto(server.url + path, wait_until="load")
                    if response is None or response.status >= 400:
                        failed.append(f"/{path} : la page ne se charge pas")
                        continue
                    target = folder / f"{image_name(path)}-{width}.png"
                    tab.screenshot(path=str(target), full_page=True, animations="disabled")
                    written.append(target)
                context.close()
        finally:
            browser.close()
    if failed:
        raise PortalError("\n".join(failed))
    return written


def pdf_page_images(documents: Path, folder: Path) -> tuple[int, list[Path]]:
    """Every page of every PDF in `documents` as a PNG (poppler's pdftoppm)."""
    pdftoppm = debian_program("pdftoppm", "poppler-utils")
    pdfs = sorted(documents.glob("*.pdf"))

    def render(pdf: Path) -> subprocess.CompletedProcess[str]:
        command = [pdftoppm, "-r", str(PDF_DPI), "-png", str(pdf), str(folder / pdf.stem)]
        return subprocess.run(command, capture_output=True, text=True)

    results = [render(pdf) for pdf in pdfs]
    failed = [f"{pdf.name} : {r.stderr.strip()}" for pdf, r in zip(pdfs, results, strict=True) if r.returncode]
    if failed:
        raise PortalError("pdftoppm n'a pas pu lire :\n" + "\n".join(failed))
    return len(pdfs), sorted(folder.glob("*.png"))


def write_captures(site_dir: Path, folder: Path) -> CaptureReport:
    """Replace `folder`/ecrans and `folder`/pdf with images of the built site in `site_dir`."""
    if not (site_dir / "index.html").is_file():
        raise PortalError(f"{site_dir} : pas de site construit ici ; lancez d'abord `python build.py build`")
    report = CaptureReport()
    screens, pdf = folder / "ecrans", folder / "pdf"
    for target in (screens, pdf):
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
    with ThreadPoolExecutor(max_workers=1) as pool:  # the PDFs are drawn while the browser works
        began = time.perf_counter()
        images = pool.submit(pdf_page_images, site_dir / "documents", pdf)
        report.screens = capture_screens(site_dir, pages_to_capture(site_dir), screens)
        report.seconds["ecrans"] = time.perf_counter() - began
        report.pdfs, report.pdf_pages = images.result()
        report.seconds["total"] = time.perf_counter() - began
    return report
