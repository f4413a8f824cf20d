"""Reading a register of commandements de payer (CSV, XLSX or ODS, through tables.py): the header row
and every data row as text, each with the row number a spreadsheet shows. A formula is never
evaluated: its cell is refused later (records.py), with its row and column.

Exported spreadsheets often put a title or a date above the column titles: the header is the row,
among the first filled ones, that names the most fields of content/courriers-colonnes.yml.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import PortalError
from ..tables import Limits, UnreadableFile, is_formula, read_table

if TYPE_CHECKING:
    from .config import ColumnMapping

MAX_BYTES = 50_000_000  # a weekly register of tens of thousands of rows weighs a few megabytes
MAX_ROWS = 200_000
HEADER_SEARCH = 20  # the header is looked for among this many filled rows
LIMITS = Limits(
    max_bytes=MAX_BYTES,
    max_unpacked_bytes=500_000_000,
    max_rows=MAX_ROWS + 1,  # and its line of titles
    max_cell_chars=2_000,
    split_hint=", découpez le registre en plusieurs fichiers",
    max_cells=2_000_000,  # 117,000 rows of 17 columns; with the characters' limit, peak memory stays under 500 MB
    max_chars=32_000_000,
)


class RegisterError(PortalError):
    """The register cannot be read at all (no row is processed)."""


@dataclass(frozen=True)
class Row:
    number: int  # as the spreadsheet shows it: the header is usually row 1
    cells: tuple[str, ...]
    formulas: frozenset[int] = frozenset()  # the positions of cells that hold a formula (never evaluated)

    @property
    def is_empty(self) -> bool:
        return not any(cell.strip() for cell in self.cells)


@dataclass(frozen=True)
class Register:
    name: str  # the file name, for messages
    sheet: str | None  # the sheet read, for spreadsheets
    header_row: int
    headers: tuple[str, ...]
    rows: list[Row]

    @property
    def described(self) -> str:
        """The file, and where its column titles were found when not on the first line."""
        return self.name if self.header_row == 1 else f"{self.name} (titres de colonne en ligne {self.header_row})"

    def where(self, row: int) -> str:
        sheet = f", feuille « {self.sheet} »" if self.sheet else ""
        return f"{self.name}{sheet}, ligne {row}"


def read_register(path: Path, mapping: ColumnMapping | None = None) -> Register:
    """Read any supported register; raise RegisterError in French for a file that cannot be used. With the
    columns' mapping, the header is the row that names the most fields; without it, the first filled row."""
    if not path.is_file():
        raise RegisterError(f"{path.name} : fichier introuvable ({path})")
    try:
        table = read_table(path, LIMITS)
    except UnreadableFile as error:
        raise RegisterError(f"{path.name} : {error}") from None
    # A CSV cell starting with « = », « + » or « @ » is refused by records.py, which names the character.
    spreadsheet = table.sheet is not None
    table_sheet = table.sheet
    rows = [
        Row(number, tuple(cells), frozenset(i for i, c in enumerate(cells) if spreadsheet and is_formula(c)))
        for number, cells in table.rows
    ]
    table.rows.clear()
    return _with_header(path.name, table_sheet, rows, mapping)


def _with_header(name: str, sheet: str | None, rows: list[Row], mapping: ColumnMapping | None) -> Register:
    filled = list(itertools.islice((row for row in rows if not row.is_empty), HEADER_SEARCH))
    if not filled:
        raise RegisterError(
            f"{name} : aucune ligne remplie ; attendu : une ligne de titres puis une ligne par commandement"
        )
    header = filled[0]
    if mapping is not None:
        named = [(len({mapping.field_of(cell) for cell in row.cells if cell.strip()} - {None}), row) for row in filled]
        most = max(count for count, _ in named)
        if most:
            header = next(row for count, row in named if count == most)
    data = [row for row in rows if row.number > header.number]
    return Register(name, sheet, header.number, tuple(cell.strip() for cell in header.cells), data)
