"""Reading a register of commandements de payer (CSV, XLSX or ODS, through tables.py): the header row
and every data row as text, each with the row number a spreadsheet shows. A formula is never
evaluated: its cell is refused later (records.py), with its row and column.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import PortalError
from ..tables import Limits, UnreadableFile, read_table

MAX_BYTES = 50_000_000  # a weekly register of tens of thousands of rows weighs a few megabytes
MAX_ROWS = 200_000
LIMITS = Limits(
    max_bytes=MAX_BYTES,
    max_unpacked_bytes=500_000_000,
    max_rows=MAX_ROWS + 1,  # and its line of titles
    max_cell_chars=2_000,
    split_hint=", découpez le registre en plusieurs fichiers",
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

    def where(self, row: int) -> str:
        sheet = f", feuille « {self.sheet} »" if self.sheet else ""
        return f"{self.name}{sheet}, ligne {row}"


def read_register(path: Path) -> Register:
    """Read any supported register; raise RegisterError in French for a file that cannot be used."""
    if not path.is_file():
        raise RegisterError(f"{path.name} : fichier introuvable ({path})")
    try:
        table = read_table(path, LIMITS)
    except UnreadableFile as error:
        raise RegisterError(f"{path.name} : {error}") from None
    # A CSV cell starting with « = », « + » or « @ » is refused by records.py, which names the character.
    spreadsheet = table.sheet is not None
    rows = [
        Row(
            number, tuple(c.text for c in cells), frozenset(i for i, c in enumerate(cells) if c.formula and spreadsheet)
        )
        for number, cells in table.rows
    ]
    return _with_header(path.name, table.sheet, rows)


def _with_header(name: str, sheet: str | None, rows: list[Row]) -> Register:
    header = next((row for row in rows if not row.is_empty), None)
    if header is None:
        raise RegisterError(
            f"{name} : aucune ligne remplie ; attendu : une ligne de titres puis une ligne par commandement"
        )
    data = [row for row in rows if row.number > header.number]
    return Register(name, sheet, header.number, tuple(cell.strip() for cell in header.cells), data)
