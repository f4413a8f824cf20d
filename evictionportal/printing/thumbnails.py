"""Page 1 of each printed document as a small image, for the documents page.

Drawn from the PDF the build has just written (PDFium, through pypdfium2: a wheel with its own
library, no system package), so the picture always shows the document as it is. A few kilobytes of
WebP each; the documents page loads them lazily.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path

import pypdfium2

from .plan import OUTPUT_FOLDER, PrintedDocument

THUMBNAIL_FOLDER = "apercus"  # under documents/: site/documents/apercus/*.webp
SHOWN_WIDTH = 88  # CSS pixels on the documents page
WIDTH_PX = 2 * SHOWN_WIDTH  # drawn at twice that: sharp on a phone's screen
WEBP_QUALITY = 60


def thumbnail_path(doc: PrintedDocument) -> str:
    """Relative to the site root, e.g. documents/apercus/depliant-prevention-a4.webp."""
    name = doc.path.split("/")[-1].removesuffix(".pdf")
    return f"{OUTPUT_FOLDER}/{THUMBNAIL_FOLDER}/{name}.webp"


def draw_first_page(pdf: Path, target: Path) -> tuple[int, int]:
    """Page 1 of `pdf` as a WebP image WIDTH_PX wide; returns the width and height it is shown at (CSS px)."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        scale = WIDTH_PX / page.get_width()
        image = page.render(scale=scale, may_draw_forms=False).to_pil().convert("RGB")
        page.close()
    finally:
        document.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    image.save(target, "WEBP", quality=WEBP_QUALITY, method=6)
    return SHOWN_WIDTH, round(SHOWN_WIDTH * image.height / image.width)


def add_thumbnails(documents: Iterable[PrintedDocument], site_root: Path) -> list[PrintedDocument]:
    """Every document with the picture of its first page; the print-shop copies, listed apart, go without."""
    result = []
    for doc in documents:
        if not doc.print_shop:
            path = thumbnail_path(doc)
            size = draw_first_page(site_root / doc.path, site_root / path)
            doc = dataclasses.replace(doc, thumbnail=path, thumbnail_size=size)
        result.append(doc)
    return result
