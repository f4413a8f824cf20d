"""One writer per spreadsheet format (XLSX, ODS, CSV) for the files partners fill in, and the reader of
what they send back.

A returned file is untrusted input: it is read by tables.py, which refuses files that are too big,
that unpack to too much (zip bombs) or that carry macros, and marks every formula (reported here,
never used). The writers write every cell as text, so a value that starts with « = » stays text in
Excel and LibreOffice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..tables import Cell, Limits, UnreadableFile, is_formula, read_table, write_csv

__all__ = ["Cell", "Sheet", "UnreadableFile", "is_formula", "read_sheet", "write_csv", "write_ods", "write_xlsx"]

LIMITS = Limits(
    max_bytes=2_000_000,
    max_unpacked_bytes=30_000_000,
    max_rows=2_000,
    max_columns=20,
    max_cell_chars=5_000,
    split_hint=" (le fichier de réponse en compte une cinquantaine)",
    max_cells=100_000,
    max_chars=2_000_000,
)
SHEET_NAME = "Fiche"


@dataclass
class Sheet:
    """The rows of one sheet, each with its number as the spreadsheet program shows it (from 1)."""

    name: str
    rows: list[tuple[int, list[Cell]]] = field(default_factory=list)  # a formula's cell is a tables.FormulaCell


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


# ------------------------------------------------------------------ reading


def read_sheet(path: Path) -> Sheet:
    """The first sheet of a returned file, as text cells, its blank rows left out; UnreadableFile when it is
    not safe to read (tables.py: the same reader as the letters' registers)."""
    table = read_table(path, LIMITS)
    rows = [(n, cells) for n, cells in table.rows if any(c.strip() or is_formula(c) for c in cells)]
    return Sheet(table.sheet or "CSV", rows)
