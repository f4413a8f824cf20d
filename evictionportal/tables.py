"""One reader for the tables that come from outside (a register of commandements, a partner's returned file),
and one writer for every CSV the project writes (change log, tracking table, listings, open data).

CSV as French spreadsheet software saves it (`;`, `,` or tab; UTF-8 with or without BOM, UTF-16 or
Windows-1252), XLSX and ODS (first sheet). Every cell comes back as the text a person sees, with the row
number the spreadsheet shows. A formula is never evaluated nor trusted: its cell is a `FormulaCell`
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

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
import zlib
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree
from xml.parsers import expat

from python_calamine import CalamineWorkbook

TEXT_FORMATS = (".csv", ".txt")
SPREADSHEET_FORMATS = (".xlsx", ".ods")
MAX_ARCHIVE_MEMBERS = 500
MAX_PART_BYTES = 5_000_000  # a workbook's other XML parts (workbook.xml, styles.xml…): what real ones weigh at most
MAX_COLUMN = 16_384  # the widest sheet Excel and LibreOffice make (XFD)
DAMAGED = "fichier endommagé"
RESAVE = "ouvrez-le dans le tableur et enregistrez-le à nouveau au format {suffix}, ou demandez-en une nouvelle copie"


class UnreadableFile(ValueError):
    """The file cannot be read safely; the message says why, in French, for the person who sent it."""


@dataclass(frozen=True)
class Limits:
    """What a caller accepts; `split_hint` says what to do with a file that is too long.

    Every limit is enforced while the file is read, before any value is kept: memory follows what is read,
    never what a file declares."""

    max_bytes: int
    max_unpacked_bytes: int  # an XLSX or ODS is a zip: what it may unpack to (zip bombs)
    max_rows: int
    max_cell_chars: int
    max_columns: int | None = None
    split_hint: str = ""
    max_cells: int = 1_000_000  # rows × columns of the area a sheet fills: what a reader allocates
    max_chars: int = 20_000_000  # the characters of every cell together


class FormulaCell(str):
    """The text of a cell that holds a formula: never evaluated, marked so that the caller refuses it."""

    __slots__ = ()


Cell = str  # a cell is the text a person sees: a plain str, so that millions of cells cost only their text


def is_formula(cell: str) -> bool:
    return isinstance(cell, FormulaCell)


EMPTY = ""
SHARED_VALUES = 50_000  # repeated values (a town, a date) are kept once, up to this many different ones


class _Values:
    """One Cell per distinct short value: a register repeats its towns, dates and amounts."""

    def __init__(self) -> None:
        self.known: dict[str, str] = {"": EMPTY}

    def cell(self, text: str) -> str:
        found = self.known.get(text)
        if found is None:
            found = text
            if len(self.known) < SHARED_VALUES and len(text) < 80:
                self.known[text] = found
        return found


@dataclass
class Table:
    """Every row of the first sheet (empty ones too), each with its number as the spreadsheet shows it."""

    sheet: str | None  # None for a CSV
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # a formula's cell is a FormulaCell


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


class _Budget:
    """The limits, counted as rows and cells are read: refuses the moment one is passed."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.chars = 0
        self.cells = 0

    def row(self, number: int) -> None:
        if number > self.limits.max_rows:
            raise UnreadableFile(
                f"plus de {self.limits.max_rows} lignes ; attendu : au plus {self.limits.max_rows}"
                f"{self.limits.split_hint}"
            )

    def cell(self, row: int, column: int, chars: int, count: int = 1) -> None:
        if chars > self.limits.max_cell_chars:
            raise UnreadableFile(
                f"ligne {row}, colonne {column} : cellule de {chars} caractères ; "
                f"attendu : au plus {self.limits.max_cell_chars}"
            )
        self.chars += chars * count
        self.cells += count
        if self.chars > self.limits.max_chars:
            raise UnreadableFile(
                f"plus de {self.limits.max_chars} caractères en tout ; attendu : au plus {self.limits.max_chars}"
                f"{self.limits.split_hint}"
            )

    def area(self, rows: int, columns: int) -> None:
        if columns > MAX_COLUMN:
            raise UnreadableFile(f"{DAMAGED} : colonne {columns} au-delà de la dernière d'un tableur ({MAX_COLUMN})")
        if rows * columns > self.limits.max_cells or self.cells > self.limits.max_cells:
            raise UnreadableFile(
                f"la feuille remplit {rows} lignes sur {columns} colonnes, soit plus de {self.limits.max_cells} "
                f"cellules ; attendu : au plus {self.limits.max_cells} (effacez les cellules remplies loin du "
                f"tableau){self.limits.split_hint}"
            )


def _row(number: int, cells: list[str], limits: Limits) -> tuple[int, list[str]]:
    if limits.max_columns is not None:
        cells = cells[: limits.max_columns]
    return number, cells


# ------------------------------------------------------------------ CSV


def text_encoding(data: bytes) -> str:
    """The encodings Excel and LibreOffice save CSV in: UTF-8 (with or without BOM), UTF-16, Windows-1252.
    Checked chunk by chunk, so that no second copy of the whole text is made."""
    candidates = ("utf-16",) if data.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8-sig", "cp1252")
    for encoding in candidates:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for start in range(0, len(data), 1 << 20):
                decoder.decode(data[start : start + (1 << 20)])
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise UnreadableFile(
        "encodage des caractères non reconnu ; attendu : UTF-8 ou Windows-1252 "
        "(dans le tableur : « Enregistrer sous », CSV UTF-8)"
    )


def decode_text(data: bytes) -> str:
    """The whole text, for small files."""
    return data.decode(text_encoding(data))


def guess_delimiter(text: str) -> str:
    """`;` (French spreadsheets), `,` or tab: whichever the first filled line uses most."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    return max((";", ",", "\t"), key=first.count)


def _csv_table(data: bytes, limits: Limits) -> Table:
    encoding = text_encoding(data)
    head = data[: 1 << 16].decode(encoding, errors="ignore")
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    table = Table(None)
    budget = _Budget(limits)
    values_seen = _Values()
    widest = 0
    reader = csv.reader(stream, delimiter=guess_delimiter(head))
    try:
        for number, values in enumerate(reader, start=1):
            budget.row(number)
            widest = max(widest, len(values))
            for column, value in enumerate(values, start=1):
                budget.cell(number, column, len(value))
            budget.area(number, widest)
            # A CSV holds no formulas, but « =… » would become one when the file is opened again.
            cells = [
                FormulaCell(value) if value.lstrip().startswith("=") else values_seen.cell(value) for value in values
            ]
            table.rows.append(_row(number, cells, limits))
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise UnreadableFile(
                f"ligne {len(table.rows) + 1} : cellule de plus de {csv.field_size_limit()} caractères ; "
                f"attendu : au plus {limits.max_cell_chars}"
            ) from None
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
    """Checked whole before calamine reads it: every part unpacks to what it declares (CRC included), and the first
    sheet's rows, cells and characters are counted while streaming its XML, so calamine never allocates more than
    the limits allow."""
    archive = _checked_archive(data, suffix, limits)
    resave = RESAVE.format(suffix=suffix)
    try:
        formulas = _xlsx_scan(archive, limits) if suffix == ".xlsx" else _ods_scan(archive, limits)
    except UnreadableFile:
        raise
    except (expat.ExpatError, ElementTree.ParseError, KeyError, ValueError, OSError) as error:
        raise UnreadableFile(f"{DAMAGED} : classeur illisible ({_reason(error)}) ; {resave}") from None
    name, start, rows = _calamine_sheet(data, resave)
    table = Table(name)
    offset = [EMPTY] * start
    values_seen = _Values()
    for number, row in enumerate(rows, start=1):
        cells = offset + [
            FormulaCell(cell_text(v)) if (number, column) in formulas else values_seen.cell(cell_text(v))
            for column, v in enumerate(row, start=len(offset) + 1)
        ]
        table.rows.append(_row(number, cells, limits))
    return table


def _calamine_sheet(data: bytes, resave: str) -> tuple[str, int, Iterator[list[object]]]:
    """The first sheet's name, first column and rows, read by calamine; its errors, and a panic of its Rust code
    on a forged file, become « fichier endommagé » (only calamine's calls are guarded: a bug of ours still shows)."""

    def damaged(error: BaseException) -> UnreadableFile:
        if isinstance(error, (KeyboardInterrupt, SystemExit, MemoryError)):
            raise error
        return UnreadableFile(f"{DAMAGED} : classeur illisible ({_reason(error)}) ; {resave}")

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = workbook.sheet_names
        sheet = workbook.get_sheet_by_index(0) if names else None
        start = sheet.start[1] if sheet is not None and sheet.start else 0
        source = iter(sheet.iter_rows()) if sheet is not None else iter(())
    except BaseException as error:
        raise damaged(error) from None
    if not names:
        raise UnreadableFile("le classeur n'a aucune feuille")

    def rows() -> Iterator[list[object]]:
        while True:
            try:
                row = next(source)
            except StopIteration:
                return
            except BaseException as error:
                raise damaged(error) from None
            yield row

    return names[0], start, rows()


def _reason(error: BaseException) -> str:
    reasons = {"ExpatError": "XML invalide", "ParseError": "XML invalide", "CalamineError": "contenu invalide"}
    return reasons.get(type(error).__name__, "contenu invalide")


def _checked_archive(data: bytes, suffix: str, limits: Limits) -> zipfile.ZipFile:
    """XLSX and ODS are zip archives: refuse a false or damaged one, a zip bomb, or one that carries macros.
    Every member is unpacked once, as a stream: its size must be the declared one and its CRC must match."""
    resave = RESAVE.format(suffix=suffix)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError, OSError, NotImplementedError):
        raise UnreadableFile(
            f"{DAMAGED} : classeur illisible : ce n'est pas un vrai fichier {suffix}, ou il est tronqué ; {resave}"
        ) from None
    names = [info.filename for info in infos]
    declared = sum(info.file_size for info in infos)
    if declared > limits.max_unpacked_bytes or len(names) > MAX_ARCHIVE_MEMBERS:
        raise UnreadableFile(f"{DAMAGED} ou piégé : le fichier décompressé est anormalement gros ; il n'a pas été lu")
    if any("vbaproject" in n.lower() or n.startswith(("Basic/", "Scripts/")) for n in names):
        raise UnreadableFile(
            "le fichier contient des macros ; enregistrez-le sans macros (.xlsx ou .ods) et renvoyez-le"
        )
    if any(info.flag_bits & 0x1 for info in infos):
        raise UnreadableFile(
            f"le classeur est protégé par un mot de passe ; enregistrez-le sans mot de passe ({resave})"
        )
    unpacked = 0
    for info in infos:
        big_part = info.filename.endswith((".xml", ".rels")) and not _is_data_part(info.filename)
        try:
            with archive.open(info) as member:
                read = 0
                while chunk := member.read(1 << 20):
                    read += len(chunk)
                    unpacked += len(chunk)
                    if unpacked > limits.max_unpacked_bytes or (big_part and read > MAX_PART_BYTES):
                        raise UnreadableFile(
                            f"{DAMAGED} ou piégé : le fichier décompressé est anormalement gros ; il n'a pas été lu"
                        )
        except UnreadableFile:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError, NotImplementedError, RuntimeError):
            raise UnreadableFile(
                f"{DAMAGED} : une partie du classeur ne se décompresse pas comme elle le déclare (octets modifiés, "
                f"fichier tronqué ou tailles fausses) ; {resave}"
            ) from None
        if read != info.file_size:
            raise UnreadableFile(f"{DAMAGED} : une partie du classeur n'a pas la taille qu'elle déclare ; {resave}")
    return archive


def _is_data_part(name: str) -> bool:
    """The parts that hold cells (bounded by the row, cell and character limits, not by MAX_PART_BYTES)."""
    return name.startswith("xl/worksheets/") or name in ("xl/sharedStrings.xml", "content.xml")


SPREADSHEETML = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATIONSHIPS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PACKAGE_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CELL_REFERENCE = re.compile(r"^([A-Z]{1,3})(\d{1,7})$")


def _first_sheet_path(archive: zipfile.ZipFile) -> str | None:
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    first = workbook.find(f"{SPREADSHEETML}sheets/{SPREADSHEETML}sheet")
    if first is None:
        return None
    relation = first.get(f"{RELATIONSHIPS}id")
    links = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = [
        r.get("Target", "") for r in links.iter(f"{PACKAGE_RELATIONSHIPS}Relationship") if r.get("Id") == relation
    ]
    if not targets or not targets[0]:
        raise UnreadableFile("classeur illisible : sa première feuille est introuvable ; enregistrez-le à nouveau")
    return targets[0].lstrip("/") if targets[0].startswith("/") else f"xl/{targets[0]}"


def _parse(archive: zipfile.ZipFile, name: str, handlers: dict[str, object]) -> None:
    """Stream one XML member through expat; a DOCTYPE (entities: never in a real workbook) is refused."""

    def no_doctype(*_: object) -> None:
        raise UnreadableFile(f"{DAMAGED} : le classeur déclare des entités XML (DOCTYPE), ce qu'un tableur ne fait pas")

    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = no_doctype
    parser.EntityDeclHandler = no_doctype
    for event, handler in handlers.items():
        setattr(parser, event, handler)
    with archive.open(name) as member:
        while chunk := member.read(1 << 20):
            parser.Parse(chunk, False)
    parser.Parse(b"", True)


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _shared_lengths(archive: zipfile.ZipFile, budget: _Budget) -> array:
    """The length of every shared string (calamine holds them all: they count towards the characters)."""
    lengths = array("L")
    current = [0, False]  # characters of the string being read, inside a <t> of it

    def start(name: str, _attrs: dict[str, str]) -> None:
        tag = _local(name)
        if tag == "si":
            current[0] = 0
        elif tag == "t":
            current[1] = True

    def end(name: str) -> None:
        tag = _local(name)
        if tag == "t":
            current[1] = False
        elif tag == "si":
            lengths.append(min(current[0], 2**32 - 1))
            budget.chars += current[0]
            if budget.chars > budget.limits.max_chars:
                raise UnreadableFile(
                    f"plus de {budget.limits.max_chars} caractères en tout ; attendu : au plus "
                    f"{budget.limits.max_chars}{budget.limits.split_hint}"
                )
            if len(lengths) > budget.limits.max_cells:
                raise UnreadableFile(f"plus de {budget.limits.max_cells} textes différents dans le classeur")

    def text(data: str) -> None:
        if current[1]:
            current[0] += len(data)

    if "xl/sharedStrings.xml" in archive.namelist():
        _parse(
            archive,
            "xl/sharedStrings.xml",
            {"StartElementHandler": start, "EndElementHandler": end, "CharacterDataHandler": text},
        )
    budget.chars = 0  # counted again, cell by cell, as the sheet uses them
    return lengths


def _xlsx_scan(archive: zipfile.ZipFile, limits: Limits) -> set[tuple[int, int]]:
    """(row, column) of every cell of the first sheet that holds a formula; refuses, while streaming, a sheet
    past the limits (rows, area, characters, one cell's length)."""
    path = _first_sheet_path(archive)
    if path is None:
        return set()
    budget = _Budget(limits)
    shared = _shared_lengths(archive, budget)
    found: set[tuple[int, int]] = set()
    state = {"row": 0, "column": 0, "type": "", "formula": False, "value": False, "chars": 0, "in": False}
    index_text: list[str] = []
    widest = [0, 0]  # the last row and the widest column that hold something

    def start(name: str, attrs: dict[str, str]) -> None:
        tag = _local(name)
        if tag == "c":
            match = CELL_REFERENCE.match(attrs.get("r") or "")
            state["column"] = _column_number(match.group(1)) if match else state["column"] + 1
            if match:
                state["row"] = int(match.group(2))
            state.update(type=attrs.get("t") or "", formula=False, value=False, chars=0)
            index_text.clear()
        elif tag == "row":
            state["row"] = int(attrs.get("r") or state["row"] + 1)
            state["column"] = 0
        elif tag == "f":
            state["formula"] = True
        elif tag in ("v", "t"):
            state["in"] = True
            state["value"] = True

    def end(name: str) -> None:
        tag = _local(name)
        if tag in ("v", "t"):
            state["in"] = False
        elif tag == "c" and (state["value"] or state["formula"]):
            row, column = state["row"], state["column"]
            budget.row(row)
            chars = state["chars"]
            if state["type"] == "s":
                index = "".join(index_text).strip()
                chars = shared[int(index)] if index.isdigit() and int(index) < len(shared) else 0
            budget.cell(row, column, chars)
            widest[0], widest[1] = max(widest[0], row), max(widest[1], column)
            budget.area(widest[0], widest[1])
            if state["formula"]:
                found.add((row, column))

    def text(data: str) -> None:
        if state["in"]:
            state["chars"] += len(data)
            if state["type"] == "s":
                index_text.append(data)

    _parse(archive, path, {"StartElementHandler": start, "EndElementHandler": end, "CharacterDataHandler": text})
    return found


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _ods_scan(archive: zipfile.ZipFile, limits: Limits) -> set[tuple[int, int]]:
    """(row, column) of every cell of the first sheet that holds a formula (repeated rows and cells expanded);
    refuses, while streaming, sheets past the limits. calamine reads every sheet of an ODS: all are counted."""
    budget = _Budget(limits)
    found: set[tuple[int, int]] = set()
    state = {"depth": 0, "tables": 0, "row": 0, "column": 0, "in_cell": False, "text": 0, "filled": False}
    row_cells: list[tuple[int, int, int, bool]] = []  # (first column, span, characters, formula)
    spans = [1, 1]  # the current row's and cell's repeats
    formula = [False]
    widest = [0, 0]

    def attr(attrs: dict[str, str], name: str) -> str:
        return next((v for k, v in attrs.items() if _local(k) == name), "")

    def repeat(attrs: dict[str, str], name: str) -> int:
        value = attr(attrs, name) or "1"
        number = int(value)
        if number < 1:
            raise ValueError(name)
        return number

    def start(name: str, attrs: dict[str, str]) -> None:
        tag = _local(name)
        if tag == "table":
            state["depth"] += 1
            if state["depth"] == 1:
                state["tables"] += 1
                state["row"] = 0
                widest[0] = widest[1] = 0
        elif state["depth"] != 1:
            return
        elif tag == "table-row":
            spans[0] = repeat(attrs, "number-rows-repeated")
            state["column"] = 0
            row_cells.clear()
        elif tag in ("table-cell", "covered-table-cell"):
            spans[1] = repeat(attrs, "number-columns-repeated")
            formula[0] = bool(attr(attrs, "formula"))
            value = attr(attrs, "value") or attr(attrs, "string-value") or attr(attrs, "date-value")
            state.update(in_cell=True, text=len(value), filled=bool(attr(attrs, "value-type")) or formula[0])
        elif tag == "p" and state["in_cell"]:
            state["filled"] = True

    def end(name: str) -> None:
        tag = _local(name)
        if tag == "table":
            state["depth"] -= 1
            return
        if state["depth"] != 1:
            return
        if tag in ("table-cell", "covered-table-cell"):
            if state["filled"] or state["text"]:
                row_cells.append((state["column"] + 1, spans[1], state["text"], formula[0]))
            state["column"] += spans[1]
            state["in_cell"] = False
        elif tag == "table-row":
            first = state["row"] + 1
            state["row"] += spans[0]
            if row_cells:
                budget.row(state["row"])
                for column, span, chars, is_formula in row_cells:
                    budget.cell(first, column, chars, count=span * spans[0])
                    widest[0], widest[1] = state["row"], max(widest[1], column + span - 1)
                    budget.area(widest[0], widest[1])
                    if is_formula and state["tables"] == 1:
                        found.update(
                            (r, c) for r in range(first, state["row"] + 1) for c in range(column, column + span)
                        )

    def text(data: str) -> None:
        if state["in_cell"] and state["depth"] == 1:
            state["text"] += len(data)

    _parse(
        archive, "content.xml", {"StartElementHandler": start, "EndElementHandler": end, "CharacterDataHandler": text}
    )
    return found


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
