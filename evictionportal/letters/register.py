"""Reading a register of commandements de payer: CSV as French spreadsheets save it, XLSX or ODS.

One reader per format, all giving the same thing: the header row and every data row as text, each
with the row number a spreadsheet shows. Formulas are never evaluated: a spreadsheet cell gives the
value its software last saved; a CSV cell starting with « = » stays text and is refused later.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from python_calamine import CalamineError, load_workbook

from ..errors import PortalError

MAX_BYTES = 50 * 1024 * 1024  # a weekly register of tens of thousands of rows weighs a few megabytes
MAX_ROWS = 200_000
MAX_CELL_CHARS = 2_000
SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods")
TEXT_FILES = (".csv", ".txt")


class RegisterError(PortalError):
    """The register cannot be read at all (no row is processed)."""


@dataclass(frozen=True)
class Row:
    number: int  # as the spreadsheet shows it: the header is usually row 1
    cells: tuple[str, ...]

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
    size = path.stat().st_size
    if size == 0:
        raise RegisterError(f"{path.name} : le fichier est vide")
    if size > MAX_BYTES:
        raise RegisterError(
            f"{path.name} : fichier trop gros ({size // (1024 * 1024)} Mo) ; attendu : au plus "
            f"{MAX_BYTES // (1024 * 1024)} Mo, découpez le registre en plusieurs fichiers"
        )
    suffix = path.suffix.lower()
    if suffix in TEXT_FILES:
        sheet, rows = None, _csv_rows(path)
    elif suffix in SPREADSHEETS:
        sheet, rows = _spreadsheet_rows(path)
    else:
        raise RegisterError(
            f"{path.name} : format « {suffix or 'sans extension'} » non pris en charge ; "
            "attendu : un fichier .csv, .xlsx ou .ods"
        )
    return _with_header(path.name, sheet, rows)


def _with_header(name: str, sheet: str | None, rows: list[Row]) -> Register:
    header = next((row for row in rows if not row.is_empty), None)
    if header is None:
        raise RegisterError(
            f"{name} : aucune ligne remplie ; attendu : une ligne de titres puis une ligne par commandement"
        )
    data = [row for row in rows if row.number > header.number]
    if len(data) > MAX_ROWS:
        raise RegisterError(f"{name} : {len(data)} lignes ; attendu : au plus {MAX_ROWS}, découpez le registre")
    return Register(name, sheet, header.number, tuple(cell.strip() for cell in header.cells), data)


# ------------------------------------------------------------------ CSV


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM) or Windows-1252, as French spreadsheet software saves CSV."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise RegisterError(
            f"{name} : encodage des caractères non reconnu ; attendu : UTF-8 ou Windows-1252 "
            "(dans le tableur : « Enregistrer sous », CSV UTF-8)"
        ) from None


def guess_delimiter(text: str) -> str:
    """`;` (French spreadsheets), `,` or tab: whichever the first filled line uses most."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    return max((";", ",", "\t"), key=first.count)


def _csv_rows(path: Path) -> list[Row]:
    text = decode_text(path.read_bytes(), path.name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=guess_delimiter(text))
    rows = []
    try:
        for number, cells in enumerate(reader, start=1):
            _check_cells(path.name, number, cells)
            rows.append(Row(number, tuple(cells)))
    except csv.Error as error:
        raise RegisterError(
            f"{path.name}, ligne {len(rows) + 1} : ligne illisible ({error}) ; vérifiez les guillemets de cette ligne"
        ) from None
    return rows


def _check_cells(name: str, number: int, cells: list[str]) -> None:
    if number > MAX_ROWS + 1:
        raise RegisterError(f"{name} : plus de {MAX_ROWS} lignes ; attendu : au plus {MAX_ROWS}, découpez le registre")
    for index, cell in enumerate(cells, start=1):
        if len(cell) > MAX_CELL_CHARS:
            raise RegisterError(
                f"{name}, ligne {number}, colonne {index} : cellule de {len(cell)} caractères ; "
                f"attendu : au plus {MAX_CELL_CHARS}"
            )


# ------------------------------------------------------------------ XLSX, ODS


def cell_text(value: object) -> str:
    """A spreadsheet value as the text a person sees: 75011 not 75011.0, dates as AAAA-MM-JJ."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "VRAI" if value else "FAUX"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _spreadsheet_rows(path: Path) -> tuple[str, list[Row]]:
    try:
        workbook = load_workbook(str(path))
        names = workbook.sheet_names
        if not names:
            raise RegisterError(f"{path.name} : le classeur n'a aucune feuille")
        sheet = workbook.get_sheet_by_index(0)
        values = sheet.to_python(skip_empty_area=False)
    except CalamineError as error:
        raise RegisterError(
            f"{path.name} : classeur illisible ({type(error).__name__}) ; "
            "ouvrez-le dans le tableur et enregistrez-le à nouveau en .xlsx ou .ods"
        ) from None
    except (OSError, ValueError) as error:
        raise RegisterError(f"{path.name} : classeur illisible ({error.__class__.__name__})") from None
    rows = []
    for number, cells in enumerate(values, start=1):
        texts = [cell_text(value) for value in cells]
        _check_cells(path.name, number, texts)
        rows.append(Row(number, tuple(texts)))
    return names[0], rows
