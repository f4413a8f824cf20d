"""How a laid-out document looks to a reader, measured on WeasyPrint's pages before the PDF is written.

Two faults are easy to miss on screen and plain on paper: a page left mostly empty in the middle of a
document, and a heading alone at the foot of a page, its text on the next one. Both are read here from
the layout itself (line boxes and their positions), so the build can say so without rasterising anything.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from weasyprint.formatting_structure import boxes

HEADINGS = frozenset({"h1", "h2", "h3", "h4"})
BOX_TITLES = frozenset({"notice-title"})  # a box's own title (« À partir du … ») counts as a heading
MOST_EMPTY = 1 / 3  # a page (the last one aside) may leave this share of its height empty, no more


def _lines(page: Any) -> Iterator[Any]:
    """The text lines of a page's body, without its running headers and page numbers (margin boxes)."""
    for child in page._page_box.children:
        if isinstance(child, boxes.MarginBox):
            continue
        for box in child.descendants():
            if isinstance(box, boxes.LineBox) and box.children:
                yield box


def _is_heading(line: Any) -> bool:
    element = line.element
    if element is None:
        return False
    classes = set((element.get("class") or "").split())
    return line.element_tag in HEADINGS or bool(classes & BOX_TITLES)


def page_fill(page: Any) -> float:
    """The share of the page's text area used down to its last line (0 for an empty page)."""
    box = page._page_box
    top, height = box.content_box_y(), box.height
    bottoms = [line.position_y + line.height for line in _lines(page)]
    if not bottoms or height <= 0:
        return 0.0
    return max(0.0, min(1.0, (max(bottoms) - top) / height))


def ends_with_heading(page: Any) -> bool:
    """The page's last line is a heading: its text starts on the next page."""
    lines = list(_lines(page))
    if not lines:
        return False
    last = max(lines, key=lambda line: line.position_y)
    return _is_heading(last)


def layout_findings(pages: list[Any]) -> list[str]:
    """What a reader would see as a fault, page by page, in French: near-empty pages, stranded headings."""
    findings = []
    for number, page in enumerate(pages[:-1], start=1):
        fill = page_fill(page)
        if fill < 1 - MOST_EMPTY:
            findings.append(f"page {number} vide aux {round((1 - fill) * 100)} %")
        if ends_with_heading(page):
            findings.append(f"page {number} finit par un titre, séparé de son texte")
    return findings
