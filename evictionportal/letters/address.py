"""Postal addresses for window envelopes, after the French norm NF Z 10-011.

At most 6 lines of at most 38 characters: 1 the person, 2 apartment / floor / staircase, 3 building /
residence, 4 number and street, 5 locality or PO box, 6 postcode and town in capitals without accents.
Empty lines are left out. An address that does not fit is refused, never clipped.
"""

from __future__ import annotations

import re
import unicodedata

MAX_LINES = 6
MAX_CHARS = 38
BUILDING_WORDS = re.compile(
    r"^(bat|bât|batiment|bâtiment|residence|résidence|immeuble|entree|entrée|tour|villa|cite|cité)\b", re.I
)


class AddressTooLong(ValueError):
    """One line is longer than the window allows."""

    def __init__(self, line: int, length: int) -> None:
        self.line, self.length = line, length
        super().__init__(f"ligne {line} de l'adresse : {length} caractères pour {MAX_CHARS} au plus")


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


def postal_lines(name: str, complement: str, street: str, postcode: str, town: str) -> list[str]:
    """The recipient block, line by line; raise AddressTooLong rather than cut a line."""
    inside, building = split_complement(complement)
    numbered = [(1, name), (2, inside), (3, building), (4, street), (6, town_line(postcode, town))]
    lines = []
    for number, text in numbered:
        text = " ".join(text.split())
        if not text:
            continue
        if len(text) > MAX_CHARS:
            raise AddressTooLong(number, len(text))
        lines.append(text)
    return lines[:MAX_LINES]
