"""One reader for the tables that come from outside (a register of commandements, a partner's returned file),
and one writer for every CSV the project writes (change log, tracking table, listings, open data).

CSV as French spreadsheet software saves it (`;`, `,` or tab; UTF-8 with or without BOM, UTF-16 or
Windows-1252), XLSX and ODS (first sheet). Every cell comes back as the text a person sees, with the row
number the spreadsheet shows. A formula is never evaluated nor trusted: its cell is marked `formula`
(in a CSV, a cell starting with « = »), for the caller to refuse. What is not safe to open is refused
whole, with the reason in French: too big, unpacking to too much (zip bomb), macros, too many rows,
too long a cell, an encoding that is not text.

The values of XLSX and ODS cells are read by calamine (fast on tens of thousands of rows); which cells
hold a formula is read from the file's own XML, which calamine does not say.

Every CSV written goes through `csv_bytes` / `write_csv`: a cell a spreadsheet would take for a formula
(starting with « = », « + », « - », « @ », a tab or a carriage return, spaces first or not) gets a
leading apostrophe, so that opening the file never runs anything (CSV injection).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from python_calamine import CalamineError, CalamineWorkbook

TEXT_FORMATS = (".csv", ".txt")
SPREADSHEET_FORMATS = (".xlsx", ".ods")
MAX_ARCHIVE_MEMBERS = 500


class UnreadableFile(ValueError):
    """The file cannot be read safely; the message says why, in French, for the person who sent it."""


@dataclass(frozen=True)
class Limits:
    """What a caller accepts; `split_hint` says what to do with a file that is too long."""

    max_bytes: int
    max_unpacked_bytes: int  # an XLSX or ODS is a zip: what it may unpack to (zip bombs)
    max_rows: int
    max_cell_chars: int
    max_columns: int | None = None
    split_hint: str = ""


@dataclass(frozen=True)
class Cell:
    text: str
    formula: bool = False


@dataclass
class Table:
    """Every row of the first sheet (empty ones too), each with its number as the spreadsheet shows it."""

    sheet: str | None  # None for a CSV
    rows: list[tuple[int, list[Cell]]] = field(default_factory=list)


def read_table(path: Path, limits: Limits) -> Table:
    """The first sheet of `path` as text cells; UnreadableFile when it cannot be read safely."""
    suffix = path.suffix.lower()
    if suffix not in TEXT_FORMATS + SPREADSHEET_FORMATS:
        raise UnreadableFile(
            f"format « {suffix or 'sans extension'} » non pris en charge ; attendu : un fichier .csv, .xlsx ou .ods "
            "(pas .xls, .xlsm ni .numbers : enregistrez-le dans l'un de ces formats)"
        )
    size = path.stat().st_size
    if size == 0:
        raise UnreadableFile("le fichier est vide")
    if size > limits.max_bytes:
        raise UnreadableFile(
            f"fichier trop gros ({_size(size)}) ; au plus {_size(limits.max_bytes)} sont acceptés{limits.split_hint}"
        )
    data = path.read_bytes()
    return _csv_table(data, limits) if suffix in TEXT_FORMATS else _spreadsheet_table(data, suffix, limits)


def _size(count: int) -> str:
    return f"{count // 1_000_000} Mo" if count >= 10_000_000 else f"{count // 1000} Ko"


def _row(number: int, cells: list[Cell], limits: Limits) -> tuple[int, list[Cell]]:
    if number > limits.max_rows:
        raise UnreadableFile(
            f"plus de {limits.max_rows} lignes ; attendu : au plus {limits.max_rows}{limits.split_hint}"
        )
    if limits.max_columns is not None:
        cells = cells[: limits.max_columns]
    for index, cell in enumerate(cells, start=1):
        if len(cell.text) > limits.max_cell_chars:
            raise UnreadableFile(
                f"ligne {number}, colonne {index} : cellule de {len(cell.text)} caractères ; "
                f"attendu : au plus {limits.max_cell_chars}"
            )
    return number, cells


# ------------------------------------------------------------------ CSV


def decode_text(data: bytes) -> str:
    """The encodings Excel and LibreOffice save CSV in: UTF-8 (with or without BOM), UTF-16, Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    else:
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
    raise UnreadableFile(
        "encodage des caractères non reconnu ; attendu : UTF-8 ou Windows-1252 "
        "(dans le tableur : « Enregistrer sous », CSV UTF-8)"
    )


def guess_delimiter(text: str) -> str:
    """`;` (French spreadsheets), `,` or tab: whichever the first filled line uses most."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    return max((";", ",", "\t"), key=first.count)


def _csv_table(data: bytes, limits: Limits) -> Table:
    text = decode_text(data)
    table = Table(None)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=guess_delimiter(text))
    try:
        for number, values in enumerate(reader, start=1):
            # A CSV holds no formulas, but « =… » would become one when the file is opened again.
            cells = [Cell(value, formula=value.lstrip().startswith("=")) for value in values]
            table.rows.append(_row(number, cells, limits))
    except csv.Error as error:
        raise UnreadableFile(
            f"ligne {len(table.rows) + 1} : ligne illisible ({error}) ; vérifiez les guillemets de cette ligne"
        ) from None
    return table


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


def _spreadsheet_table(data: bytes, suffix: str, limits: Limits) -> Table:
    archive = _checked_archive(data, suffix, limits)
    try:
        formulas = _xlsx_formulas(archive, limits) if suffix == ".xlsx" else _ods_formulas(archive, limits)
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not workbook.sheet_names:
            raise UnreadableFile("le classeur n'a aucune feuille")
        values = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except UnreadableFile:
        raise
    except (CalamineError, ElementTree.ParseError, KeyError, ValueError, OSError) as error:
        raise UnreadableFile(
            f"classeur illisible ({type(error).__name__}) ; ouvrez-le dans le tableur et enregistrez-le à nouveau "
            f"au format {suffix}"
        ) from None
    table = Table(workbook.sheet_names[0])
    for number, row in enumerate(values, start=1):
        cells = [Cell(cell_text(v), (number, column) in formulas) for column, v in enumerate(row, start=1)]
        table.rows.append(_row(number, cells, limits))
    return table


def _checked_archive(data: bytes, suffix: str, limits: Limits) -> zipfile.ZipFile:
    """XLSX and ODS are zip archives: refuse a false one, a zip bomb, or one that carries macros."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise UnreadableFile(
            f"classeur illisible : ce n'est pas un vrai fichier {suffix} ; enregistrez-le à nouveau au format {suffix}"
        ) from None
    names = archive.namelist()
    unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > limits.max_unpacked_bytes or len(names) > MAX_ARCHIVE_MEMBERS:
        raise UnreadableFile("le fichier décompressé est anormalement gros ; il n'a pas été lu")
    if any("vbaproject" in n.lower() or n.startswith(("Basic/", "Scripts/")) for n in names):
        raise UnreadableFile(
            "le fichier contient des macros ; enregistrez-le sans macros (.xlsx ou .ods) et renvoyez-le"
        )
    return archive


SPREADSHEETML = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATIONSHIPS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PACKAGE_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CELL_REFERENCE = re.compile(r"^([A-Z]+)(\d+)$")


def _xlsx_formulas(archive: zipfile.ZipFile, limits: Limits) -> set[tuple[int, int]]:
    """(row, column) of every cell of the first sheet that holds a formula."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    first = workbook.find(f"{SPREADSHEETML}sheets/{SPREADSHEETML}sheet")
    if first is None:
        return set()
    relation = first.get(f"{RELATIONSHIPS}id")
    links = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = [
        r.get("Target", "") for r in links.iter(f"{PACKAGE_RELATIONSHIPS}Relationship") if r.get("Id") == relation
    ]
    if not targets or not targets[0]:
        raise UnreadableFile("classeur illisible : sa première feuille est introuvable ; enregistrez-le à nouveau")
    path = targets[0].lstrip("/") if targets[0].startswith("/") else f"xl/{targets[0]}"
    found: set[tuple[int, int]] = set()
    row = column = 0
    for event, element in _elements(archive, path):
        if event == "start" and element.tag == f"{SPREADSHEETML}row":
            row = int(element.get("r") or row + 1)
            column = 0
            if row > limits.max_rows:
                break
        elif event == "end" and element.tag == f"{SPREADSHEETML}c":
            match = CELL_REFERENCE.match(element.get("r") or "")
            column = _column_number(match.group(1)) if match else column + 1
            if element.find(f"{SPREADSHEETML}f") is not None:
                found.add((row, column))
            element.clear()
    return found


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"


def _ods_formulas(archive: zipfile.ZipFile, limits: Limits) -> set[tuple[int, int]]:
    """(row, column) of every cell of the first sheet that holds a formula (repeated rows and cells expanded)."""
    found: set[tuple[int, int]] = set()
    row = column = 0
    depth = 0
    for event, element in _elements(archive, "content.xml"):
        tag = element.tag
        if tag == f"{TABLE}table":
            depth += 1 if event == "start" else -1
            if event == "end":
                break  # the first sheet only
            continue
        if depth != 1:
            continue
        if event == "start" and tag == f"{TABLE}table-row":
            column = 0
        elif event == "end" and tag in (f"{TABLE}table-cell", f"{TABLE}covered-table-cell"):
            span = min(int(element.get(f"{TABLE}number-columns-repeated") or 1), 16_384)
            if element.get(f"{TABLE}formula"):
                found.update((row + 1, column + c) for c in range(1, min(span, 1024) + 1))
            column += span
            element.clear()
        elif event == "end" and tag == f"{TABLE}table-row":
            repeat = int(element.get(f"{TABLE}number-rows-repeated") or 1)
            if repeat > 1:  # a repeated row repeats its formulas
                formulas = [c for r, c in found if r == row + 1]
                for extra in range(1, min(repeat, limits.max_rows + 1)):
                    found.update((row + 1 + extra, c) for c in formulas)
            row += repeat
            element.clear()
            if row > limits.max_rows:
                break
    return found


def _elements(archive: zipfile.ZipFile, name: str) -> Iterator[tuple[str, ElementTree.Element]]:
    """The start and end of each element of one XML member, read as a stream."""
    with archive.open(name) as member:
        yield from ElementTree.iterparse(member, events=("start", "end"))


# ------------------------------------------------------------------ writing CSV

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")  # and full-width forms


def inert(value: object) -> str:
    """A cell a spreadsheet program will not take for a formula (CSV injection): text kept, apostrophe first."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_START) or text.lstrip(" \u00a0\n").startswith(FORMULA_START):
        return "'" + text
    return text


def csv_text(rows: Iterable[Iterable[object]], line_end: str = "\r\n") -> str:
    """Rows as French spreadsheet software reads them: « ; » between cells, every cell made inert."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator=line_end)
    writer.writerows([inert(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def csv_bytes(rows: Iterable[Iterable[object]], line_end: str = "\r\n") -> bytes:
    """UTF-8 with a byte order mark: Excel and LibreOffice open it with its accents."""
    return csv_text(rows, line_end).encode("utf-8-sig")


def write_csv(path: Path, rows: Iterable[Iterable[object]], line_end: str = "\r\n") -> None:
    path.write_bytes(csv_bytes(rows, line_end))
