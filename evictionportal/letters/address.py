"""Postal addresses for window envelopes, after the French norm NF Z 10-011.

At most 6 lines of at most 38 characters: 1 the person, 2 apartment / floor / staircase, 3 building /
residence, 4 number and street, 5 locality or PO box, 6 postcode and town in capitals without accents.
Empty lines are left out. An address that does not fit is refused, never clipped.
"""

from __future__ import annotations

import re
import unicodedata

from .glyphs import unprintable, width_pt

MAX_LINES = 6
MAX_CHARS = 38
TYPE_SIZE_PT = 10  # the recipient block's type size (letters.css, .recipient)
DL_WINDOW_MM = 85  # the window of a DL envelope; content/courriers.yml (window.width_mm) may say otherwise
WINDOW_PADDING_MM = 4 + 5  # the recipient block's left and right padding (letters.css, .window)


def window_text_pt(window_width_mm: float) -> float:
    """How wide a line of the recipient block may print, in points, in a window this wide."""
    return (window_width_mm - WINDOW_PADDING_MM) * 72 / 25.4


BUILDING_WORDS = re.compile(
    r"^(bat|bât|batiment|bâtiment|residence|résidence|immeuble|entree|entrée|tour|villa|cite|cité)\b", re.I
)


class AddressTooLong(ValueError):
    """One line is longer than the window allows: too many characters, or too wide once printed."""

    def __init__(self, line: int, length: int, wide: bool = False) -> None:
        self.line, self.length = line, length
        if wide:
            text = f"ligne {line} de l'adresse : {length} caractères, trop large une fois imprimée"
        else:
            text = f"ligne {line} de l'adresse : {length} caractères pour {MAX_CHARS} au plus"
        super().__init__(text)


class AddressUnprintable(ValueError):
    """A character the letters' font does not have: printed, it would be an empty box."""

    def __init__(self, line: int, chars: list[str]) -> None:
        self.line = line
        codes = ", ".join(f"U+{ord(c):04X}" for c in chars)
        super().__init__(
            f"ligne {line} de l'adresse : caractère que la police des courriers ne sait pas imprimer ({codes}) ; "
            "attendu : l'alphabet latin (les accents sont acceptés)"
        )


def without_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def town_line(postcode: str, town: str) -> str:
    """Line 6: « 75011 PARIS »."""
    return f"{postcode} {without_accents(town).upper()}"


def split_complement(complement: str) -> tuple[str, str]:
    """Lines 2 and 3 from one complement field: « Bât. B, esc. 2, apt 14 » -> (« esc. 2 apt 14 », « Bât. B »)."""
    inside, building = [], []
    for part in (p.strip() for p in complement.split(",")):
        if part:
            (building if BUILDING_WORDS.match(part) else inside).append(part)
    return " ".join(inside), " ".join(building)


def postal_lines(
    name: str, complement: str, street: str, postcode: str, town: str, window_width_mm: float = DL_WINDOW_MM
) -> list[str]:
    """The recipient block, line by line; raise AddressTooLong or AddressUnprintable rather than cut a line
    or print an empty box."""
    inside, building = split_complement(complement)
    numbered = [(1, name), (2, inside), (3, building), (4, street), (6, town_line(postcode, town))]
    lines = []
    for number, text in numbered:
        text = " ".join(text.split())
        if not text:
            continue
        if len(text) > MAX_CHARS:
            raise AddressTooLong(number, len(text))
        missing = unprintable(text)
        if missing:
            raise AddressUnprintable(number, missing)
        if width_pt(text, TYPE_SIZE_PT) > window_text_pt(window_width_mm):
            raise AddressTooLong(number, len(text), wide=True)
        lines.append(text)
    return lines[:MAX_LINES]
