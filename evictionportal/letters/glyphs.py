"""The letters' own type: which characters a letter can print, how wide a line is, and the fonts that
print a letter's personal fields into its laid-out template (see stamp.py).

The faces are the house print font (assets/fonts, as in print.css): Atkinson Hyperlegible, its
"latin" file first, then its "latin-ext" file, regular and bold. A character neither file has is not
printable: the row is refused (rejets.csv) rather than printed as an empty box.
"""

from __future__ import annotations

import functools
import hashlib
import io
import zlib
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

FONTS = Path(__file__).resolve().parent.parent / "assets" / "fonts"
FILES = {
    # (bold, coverage) -> file; the order of COVERAGES is the order print.css tries them in.
    (False, "latin"): "atkinson-hyperlegible-latin-400-normal.woff",
    (False, "latin-ext"): "atkinson-hyperlegible-latin-ext-400-normal.woff",
    (True, "latin"): "atkinson-hyperlegible-latin-700-normal.woff",
    (True, "latin-ext"): "atkinson-hyperlegible-latin-ext-700-normal.woff",
}
COVERAGES = ("latin", "latin-ext")


@dataclass(frozen=True)
class Face:
    """One font file: its characters, their glyphs and advance widths (in 1/1000 of the type size)."""

    key: tuple[bool, str]
    data: bytes
    glyph_of: dict[int, int]  # code point -> glyph id
    glyph_names: list[str]
    advance: dict[int, float]  # glyph id -> width
    ps_name: str
    ascent: int
    descent: int
    cap_height: int
    bbox: tuple[int, int, int, int]

    @property
    def resource(self) -> str:
        """Its name in a page's resources: never one WeasyPrint uses (those are six capitals)."""
        return "Ltr" + ("B" if self.key[0] else "R") + ("e" if self.key[1] == "latin-ext" else "l")


@functools.cache
def face(bold: bool, coverage: str) -> Face:
    data = (FONTS / FILES[(bold, coverage)]).read_bytes()
    font = TTFont(io.BytesIO(data))
    scale = 1000 / font["head"].unitsPerEm
    order = font.getGlyphOrder()
    glyph_of = {code: font.getGlyphID(name) for code, name in font.getBestCmap().items()}
    metrics = font["hmtx"].metrics
    os2, head = font["OS/2"], font["head"]
    return Face(
        key=(bold, coverage),
        data=data,
        glyph_of=glyph_of,
        glyph_names=order,
        advance={gid: metrics[name][0] * scale for gid, name in enumerate(order)},
        ps_name=font["name"].getDebugName(6) or "AtkinsonHyperlegible",
        ascent=round(os2.sTypoAscender * scale),
        descent=round(os2.sTypoDescender * scale),
        cap_height=round(getattr(os2, "sCapHeight", os2.sTypoAscender) * scale),
        bbox=tuple(round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)),  # type: ignore[arg-type]
    )


def face_for(char: str, bold: bool) -> Face | None:
    """The file print.css would take this character from, or None when no file has it."""
    for coverage in COVERAGES:
        candidate = face(bold, coverage)
        if ord(char) in candidate.glyph_of:
            return candidate
    return None


def unprintable(text: str) -> list[str]:
    """The characters of `text` the letters' font cannot print, each once, in order."""
    missing: list[str] = []
    for char in text:
        if char not in missing and (face_for(char, False) is None or face_for(char, True) is None):
            missing.append(char)
    return missing


def width_pt(text: str, size: float, bold: bool = False) -> float:
    """How wide `text` prints at `size` points (no kerning: a little wider than laid out, never narrower)."""
    total = 0.0
    for char in text:
        found = face_for(char, bold)
        if found is not None:
            total += found.advance[found.glyph_of[ord(char)]]
    return total * size / 1000


def glyph_runs(text: str, bold: bool) -> list[tuple[Face, list[int]]]:
    """The text as runs of glyphs, one run per font file (unprintable characters were refused earlier)."""
    runs: list[tuple[Face, list[int]]] = []
    for char in text:
        found = face_for(char, bold)
        if found is None:
            continue
        if runs and runs[-1][0] is found:
            runs[-1][1].append(found.glyph_of[ord(char)])
        else:
            runs.append((found, [found.glyph_of[ord(char)]]))
    return runs


@functools.cache
def _char_of(bold: bool) -> dict[int, str]:
    """Glyph id -> character in the "latin" file (the lowest code point where several share a glyph)."""
    return {gid: chr(code) for code, gid in sorted(face(bold, "latin").glyph_of.items(), reverse=True)}


def text_of_glyphs(glyphs: list[int], bold: bool) -> str:
    """Back from glyph ids of the "latin" file to text: how a placeholder is found in a template."""
    char_of = _char_of(bold)
    return "".join(char_of.get(gid, "\ufffd") for gid in glyphs)


# ------------------------------------------------------------------ fonts embedded in a PDF


@dataclass(frozen=True)
class EmbeddedFont:
    """The PDF objects of one subset face, as bytes: Type0 font, CID font, descriptor, font file, ToUnicode.

    `objects` holds them in that order; each body refers to the others as {0}, {1}… (their numbers in
    the file being written)."""

    resource: str
    objects: tuple[bytes, ...]


def embedded_font(found: Face, chars: set[str]) -> EmbeddedFont:
    """A subset of `found` holding `chars` (glyph ids kept, so a glyph id is the CID), ready to write."""
    glyphs = sorted({found.glyph_of[ord(c)] for c in chars if ord(c) in found.glyph_of} | {0})
    options = subset.Options(retain_gids=True, notdef_outline=True, desubroutinize=True, name_IDs=["*"])
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "SVG"]
    font = TTFont(io.BytesIO(found.data), recalcTimestamp=False)  # same register, same bytes: no build time inside
    font.flavor = None
    subsetter = subset.Subsetter(options)
    subsetter.populate(gids=glyphs)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    program = buffer.getvalue()
    tag = "".join(chr(65 + b % 26) for b in hashlib.sha256(program).digest()[:6])
    name = f"/{tag}+{found.ps_name}"
    widths = " ".join(f"{g} [{found.advance[g]:.0f}]" for g in glyphs)
    unicode_of = {found.glyph_of[ord(c)]: c for c in sorted(chars) if ord(c) in found.glyph_of}
    cmap = to_unicode_cmap(unicode_of)
    packed = zlib.compress(program)
    bbox = " ".join(str(v) for v in found.bbox)
    return EmbeddedFont(
        resource=found.resource,
        objects=(
            f"<</Type /Font /Subtype /Type0 /BaseFont {name} /Encoding /Identity-H "
            "/DescendantFonts [{1} 0 R] /ToUnicode {4} 0 R>>".encode(),
            f"<</Type /Font /Subtype /CIDFontType2 /BaseFont {name} "
            "/CIDSystemInfo <</Registry (Adobe) /Ordering (Identity) /Supplement 0>> "
            f"/FontDescriptor {{2}} 0 R /CIDToGIDMap /Identity /DW 1000 /W [{widths}]>>".encode(),
            f"<</Type /FontDescriptor /FontName {name} /Flags 32 /FontBBox [{bbox}] /ItalicAngle 0 "
            f"/Ascent {found.ascent} /Descent {found.descent} /CapHeight {found.cap_height} /StemV 80 "
            "/FontFile2 {3} 0 R>>".encode(),
            f"<</Length {len(packed)} /Length1 {len(program)} /Filter /FlateDecode>>\nstream\n".encode()
            + packed
            + b"\nendstream",
            f"<</Length {len(cmap)}>>\nstream\n".encode() + cmap + b"\nendstream",
        ),
    )


def to_unicode_cmap(unicode_of: dict[int, str]) -> bytes:
    """The ToUnicode CMap that lets a reader (and a screen reader) get the text back from the glyphs."""
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo <</Registry (Adobe) /Ordering (UCS) /Supplement 0>> def",
        "/CMapName /Adobe-Identity-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<0000> <FFFF>",
        "endcodespacerange",
    ]
    items = sorted(unicode_of.items())
    for start in range(0, len(items), 100):
        block = items[start : start + 100]
        lines.append(f"{len(block)} beginbfchar")
        lines += [f"<{gid:04X}> <{c.encode('utf-16-be').hex().upper()}>" for gid, c in block]
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode("ascii")
