"""Give the vendored Atkinson Hyperlegible a plain zero, for French readers of the print documents.

Atkinson Hyperlegible draws 0 with a slash ("2Ø26", "7 85Ø €"), which French readers
take for a letter, and offers no feature for a plain one. This script redraws the
glyph `zero` of each file given: the two counters the slash cuts become one oval,
the outer contour mapped onto their bounding box and turned the other way, so the
stroke keeps the font's weight. `zero.tf` (tabular figures) refers to `zero` and
follows. Running it again on a fixed file changes nothing.

    python scripts/plain_zero.py evictionportal/assets/fonts/atkinson-hyperlegible-latin-*.woff
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools.ttLib import TTFont
from fontTools.ttLib.tables._g_l_y_f import GlyphCoordinates


def contours(glyph: object) -> list[range]:
    start, ranges = 0, []
    for end in glyph.endPtsOfContours:  # type: ignore[attr-defined]
        ranges.append(range(start, end + 1))
        start = end + 1
    return ranges


def plain_zero(path: Path) -> bool:
    """Redraw `zero` in the file at `path`; False when it is already plain."""
    font = TTFont(path)
    table = font["glyf"]
    glyph = table["zero"]
    coords = glyph.getCoordinates(table)[0]
    parts = contours(glyph)
    if len(parts) != 3:
        return False
    outer, inner = parts[0], [i for part in parts[1:] for i in part]
    ox = [coords[i][0] for i in outer]
    oy = [coords[i][1] for i in outer]
    ix = [coords[i][0] for i in inner]
    iy = [coords[i][1] for i in inner]

    def onto_counter(x: float, y: float) -> tuple[int, int]:
        nx = min(ix) + (x - min(ox)) * (max(ix) - min(ix)) / (max(ox) - min(ox))
        ny = min(iy) + (y - min(oy)) * (max(iy) - min(iy)) / (max(oy) - min(oy))
        return round(nx), round(ny)

    counter = [onto_counter(*coords[i]) for i in reversed(outer)]
    glyph.coordinates = GlyphCoordinates([coords[i] for i in outer] + counter)
    glyph.flags = bytearray([glyph.flags[i] for i in outer] + [glyph.flags[i] for i in reversed(outer)])
    glyph.endPtsOfContours = [len(outer) - 1, 2 * len(outer) - 1]
    glyph.numberOfContours = 2
    glyph.program.fromBytecode(b"")  # hinting instructions were written for the slashed shape
    glyph.recalcBounds(table)
    font.save(path)
    return True


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(f"{name} : {'zéro redessiné' if plain_zero(Path(name)) else 'déjà sans barre'}")
