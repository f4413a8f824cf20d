"""The print fonts: digits read as French readers expect them."""

from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

FONTS = Path(__file__).resolve().parent.parent / "evictionportal" / "assets" / "fonts"


@pytest.mark.parametrize("path", sorted(FONTS.glob("atkinson-hyperlegible-latin-[47]*.woff")), ids=lambda p: p.name)
def test_print_font_zero_has_no_slash(path: Path) -> None:
    font = TTFont(path)
    zero = font["glyf"]["zero"]
    assert zero.numberOfContours == 2, f"{path.name} : le zéro est barré (« 2Ø26 ») ; lancez scripts/plain_zero.py"
    letter_o = font["glyf"]["O"]
    assert letter_o.numberOfContours == 2  # the same kind of shape as a letter O: one outline, one counter
