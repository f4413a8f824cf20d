"""One reader and one writer per spreadsheet format (XLSX, ODS, CSV), for files partners fill in.

A returned file is untrusted input. The reader refuses files that are too
big, that unpack to too much (zip bombs), or that carry macros; it never
evaluates a formula (a cell holding one is reported, its cached result is not
used); every cell comes back as plain text. The writers write every cell as
text, so a value that starts with « = » stays text in Excel and LibreOffice.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

MAX_FILE_BYTES = 2_000_000
MAX_UNPACKED_BYTES = 30_000_000
MAX_ROWS = 2_000
MAX_COLUMNS = 20
MAX_CELL_CHARS = 5_000
SHEET_NAME = "Fiche"
FORMATS = (".xlsx", ".ods", ".csv")


@dataclass(frozen=True)
class Cell:
    text: str
    formula: bool = False


@dataclass
class Sheet:
    """The rows of one sheet, each with its number as the spreadsheet program shows it (from 1)."""

    name: str
    rows: list[tuple[int, list[Cell]]] = field(default_factory=list)


class UnreadableFile(ValueError):
    """The file cannot be read safely; the message says why, in French, for the person who sent it."""


# ------------------------------------------------------------------ writing


def write_xlsx(path: Path, rows: Sequence[Sequence[str]], widths: Sequence[int]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_NAME
    for r, values in enumerate(rows, 1):
        for c, value in enumerate(values, 1):
            cell = sheet.cell(row=r, column=c, value=value)
            cell.data_type = "s"  # text, even when it starts with « = »
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if r == 1:
                cell.font = Font(bold=True)
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    book.save(path)


def write_ods(path: Path, rows: Sequence[Sequence[str]], widths: Sequence[int]) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Style, TableColumnProperties
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    table = Table(name=SHEET_NAME)
    for index, width in enumerate(widths):
        style = Style(name=f"col{index}", family="table-column")
        style.addElement(TableColumnProperties(columnwidth=f"{width * 0.19:.2f}cm"))
        document.automaticstyles.addElement(style)
        table.addElement(TableColumn(stylename=style))
    for values in rows:
        row = TableRow()
        for value in values:
            cell = TableCell(valuetype="string")
            for line in value.split("\n"):
                cell.addElement(P(text=line))
            row.addElement(cell)
        table.addElement(row)
    document.spreadsheet.addElement(table)
    document.save(str(path))


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert(value: str) -> str:
    """A cell a spreadsheet program will not take for a formula (CSV injection)."""
    return "'" + value if value.startswith(FORMULA_START) else value


def write_csv(path: Path, rows: Sequence[Sequence[str]]) -> None:
    """UTF-8 with a byte order mark and « ; »: Excel and LibreOffice open it with its accents."""
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out, delimiter=";").writerows([[inert(cell) for cell in row] for row in rows])


# ------------------------------------------------------------------ reading


def read_sheet(path: Path) -> Sheet:
    """The first sheet of a returned file, as text cells; UnreadableFile when it is not safe to read."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise UnreadableFile(
            f"format « {path.suffix or 'sans extension'} » non pris en charge ; attendu : "
            "un fichier .xlsx, .ods ou .csv (pas .xlsm, .xls ni .numbers)"
        )
    size = path.stat().st_size
    if size == 0:
        raise UnreadableFile("le fichier est vide")
    if size > MAX_FILE_BYTES:
        raise UnreadableFile(f"le fichier fait {size // 1000} Ko ; au plus {MAX_FILE_BYTES // 1000} Ko sont acceptés")
    data = path.read_bytes()
    if suffix == ".csv":
        return _read_csv(data)
    _check_archive(data, suffix)
    return _read_xlsx(data) if suffix == ".xlsx" else _read_ods(data)


def _check_archive(data: bytes, suffix: str) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise UnreadableFile(
            f"ce n'est pas un vrai fichier {suffix} ; enregistrez-le à nouveau au format {suffix}"
        ) from None
    names = archive.namelist()
    if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES or len(names) > 500:
        raise UnreadableFile("le fichier décompressé est anormalement gros ; il n'a pas été lu")
    if any("vbaproject" in n.lower() or n.startswith(("Basic/", "Scripts/")) for n in names):
        raise UnreadableFile(
            "le fichier contient des macros ; enregistrez-le sans macros (.xlsx ou .ods) et renvoyez-le"
        )


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]  # type: ignore[union-attr]
    return str(value)


def _limited(sheet: Sheet, number: int, cells: list[Cell]) -> None:
    if number > MAX_ROWS:
        raise UnreadableFile(f"plus de {MAX_ROWS} lignes ; le fichier de réponse en compte une cinquantaine")
    cells = cells[:MAX_COLUMNS]
    if any(len(c.text) > MAX_CELL_CHARS for c in cells):
        raise UnreadableFile(f"ligne {number} : une case dépasse {MAX_CELL_CHARS} caractères")
    if any(c.text.strip() or c.formula for c in cells):
        sheet.rows.append((number, cells))


def _read_xlsx(data: bytes) -> Sheet:
    from openpyxl import load_workbook

    try:
        # data_only=False: a formula comes back as its text and is reported, never computed or trusted.
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_vba=False, keep_links=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise UnreadableFile(f"fichier .xlsx illisible ({type(error).__name__}) ; enregistrez-le à nouveau") from None
    worksheet = book.worksheets[0]
    sheet = Sheet(worksheet.title)
    for number, row in enumerate(worksheet.iter_rows(max_col=MAX_COLUMNS), 1):
        cells = [Cell(_cell_text(c.value), formula=getattr(c, "data_type", "") == "f") for c in row]
        _limited(sheet, number, cells)
    book.close()
    return sheet


def _read_ods(data: bytes) -> Sheet:
    from odf import teletype
    from odf.namespaces import TABLENS
    from odf.opendocument import load
    from odf.table import Table, TableCell, TableRow

    try:
        document = load(io.BytesIO(data))
    except Exception as error:  # odfpy raises many kinds for a damaged file
        raise UnreadableFile(f"fichier .ods illisible ({type(error).__name__}) ; enregistrez-le à nouveau") from None
    tables = document.spreadsheet.getElementsByType(Table)
    if not tables:
        raise UnreadableFile("le fichier ne contient aucune feuille")
    sheet = Sheet(str(tables[0].getAttribute("name")))
    number = 0
    for row in tables[0].getElementsByType(TableRow):
        repeat = int(row.getAttrNS(TABLENS, "number-rows-repeated") or 1)
        cells: list[Cell] = []
        for cell in row.getElementsByType(TableCell):
            span = min(int(cell.getAttrNS(TABLENS, "number-columns-repeated") or 1), MAX_COLUMNS)
            formula = bool(cell.getAttrNS(TABLENS, "formula"))
            text = "\n".join(teletype.extractText(p) for p in cell.childNodes if p.qname[1] == "p")
            cells += [Cell(text, formula)] * span
            if len(cells) >= MAX_COLUMNS:
                break
        blank = not any(c.text.strip() or c.formula for c in cells)
        if blank:  # LibreOffice writes the empty rest of the sheet as one row repeated a million times
            number += repeat
            continue
        for _ in range(min(repeat, MAX_ROWS + 1)):
            number += 1
            _limited(sheet, number, cells)
    return sheet


def _decode(data: bytes) -> str:
    """The encodings Excel and LibreOffice save CSV in: UTF-8 (with or without BOM), UTF-16, Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _read_csv(data: bytes) -> Sheet:
    text = _decode(data)
    first = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first.count)
    sheet = Sheet("CSV")
    for number, row in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1):
        # A CSV holds no formulas, but « =… » would become one when the file is opened again: never taken.
        _limited(sheet, number, [Cell(value, formula=value.lstrip().startswith("=")) for value in row])
    return sheet
