"""How a laid-out document looks to a reader, measured on WeasyPrint's pages before the PDF is written.

Three faults are easy to miss on screen and plain on paper: a page left mostly empty in the middle of a
document, a heading alone at the foot of a page, its text on the next one, and the band that marks a proof
lying over a line of text or a running header. All three are read here from the layout itself (boxes and
their positions), so the build can say so without rasterising anything.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from weasyprint.formatting_structure import boxes
from weasyprint.layout.absolute import AbsolutePlaceholder  # where a fixed box sits on its first page

HEADINGS = frozenset({"h1", "h2", "h3", "h4"})
BOX_TITLES = frozenset({"notice-title"})  # a box's own title (« À partir du … ») counts as a heading
MOST_EMPTY = 1 / 3  # a page (the last one aside) may leave this share of its height empty, no more
PROOF_BAND = "proof-band"  # the class of the « Épreuve, ne pas imprimer » line (_base.html.j2)


def _lines(page: Any, margins: bool = False) -> Iterator[Any]:
    """The text lines of a page's body; with `margins`, its running headers and page numbers too."""
    for child in page._page_box.children:
        if isinstance(child, boxes.MarginBox) and not margins:
            continue
        for box in child.descendants():
            if isinstance(box, boxes.LineBox) and box.children:
                yield box


def _classes(box: Any) -> set[str]:
    return set((box.element.get("class") or "").split()) if box.element is not None else set()


def _rectangle(box: Any, border: bool) -> tuple[float, float, float, float]:
    """Left, top, right, bottom: of the border box (a band with its background) or of the line itself."""
    if border:
        left, top = box.border_box_x(), box.border_box_y()
        return left, top, left + box.border_width(), top + box.border_height()
    return box.position_x, box.position_y, box.position_x + box.width, box.position_y + box.height


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def proof_band_covers_text(page: Any) -> bool:
    """The « Épreuve » band, drawn on every page of a proof, lies over a line of text or a running header."""
    body = page._page_box.children
    bands = [
        _rectangle(box, border=True)
        for child in body
        for box in child.descendants()
        if isinstance(box, (boxes.BlockBox, AbsolutePlaceholder)) and PROOF_BAND in _classes(box)
    ]
    lines = [_rectangle(line, border=False) for line in _lines(page, margins=True) if PROOF_BAND not in _classes(line)]
    return any(_overlap(band, line) for band in bands for line in lines)


def _is_heading(line: Any) -> bool:
    return line.element_tag in HEADINGS or bool(_classes(line) & BOX_TITLES)


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


def layout_findings(pages: list[Any], back_cover: bool = False) -> list[str]:
    """What a reader would see as a fault, page by page, in French: a proof band over text, near-empty pages,
    stranded headings. The last page may end early, unless it is a folded leaflet's `back_cover`, seen first
    when the leaflet lies face down."""
    findings = [
        f"page {n} : la bande « Épreuve » couvre du texte" for n, p in enumerate(pages, 1) if proof_band_covers_text(p)
    ]
    for number, page in enumerate(pages if back_cover else pages[:-1], start=1):
        fill = page_fill(page)
        if fill < 1 - MOST_EMPTY:
            findings.append(f"page {number} vide aux {round((1 - fill) * 100)} %")
        if ends_with_heading(page):
            findings.append(f"page {number} finit par un titre, séparé de son texte")
    return findings
