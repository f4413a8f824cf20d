"""The one reader of outside tables (registers, partners' returned files): values as text, formulas marked
and never evaluated, hostile files refused with a French reason. Every file is made up here."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table as OdsTable
from odf.table import TableCell, TableRow
from odf.text import P

from evictionportal.tables import Limits, UnreadableFile, read_table

LIMITS = Limits(max_bytes=5_000_000, max_unpacked_bytes=50_000_000, max_rows=100, max_cell_chars=50, split_hint="")


def texts(table) -> list[list[str]]:
    return [[c.text for c in cells] for _, cells in table.rows]


def formulas(table) -> set[tuple[int, int]]:
    return {(n, i) for n, cells in table.rows for i, c in enumerate(cells, start=1) if c.formula}


def test_xlsx_values_as_text_and_formulas_marked(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Registre"
    sheet.append(["Code postal", "Date", "Montant", "Nom"])
    sheet.append([75011, dt.datetime(2026, 11, 2), 1234.5, "Zorglub"])
    sheet.append([75018, dt.date(2026, 11, 3), 12, '=HYPERLINK("https://x.test")'])
    path = tmp_path / "r.xlsx"
    book.save(path)
    table = read_table(path, LIMITS)
    assert table.sheet == "Registre"
    assert texts(table)[:2] == [["Code postal", "Date", "Montant", "Nom"], ["75011", "2026-11-02", "1234.5", "Zorglub"]]
    assert formulas(table) == {(3, 4)}


def test_ods_formulas_marked_in_repeated_rows(tmp_path: Path) -> None:
    document = OpenDocumentSpreadsheet()
    sheet = OdsTable(name="Feuille1")
    header = TableRow()
    for title in ("Nom", "Montant"):
        cell = TableCell(valuetype="string")
        cell.addElement(P(text=title))
        header.addElement(cell)
    sheet.addElement(header)
    repeated = TableRow(numberrowsrepeated=2)
    name = TableCell(valuetype="string")
    name.addElement(P(text="Zorglub"))
    repeated.addElement(name)
    repeated.addElement(TableCell(valuetype="float", value=2, formula="of:=1+1"))
    sheet.addElement(repeated)
    document.spreadsheet.addElement(sheet)
    path = tmp_path / "r.ods"
    document.save(str(path))
    table = read_table(path, LIMITS)
    assert table.sheet == "Feuille1"
    assert texts(table)[0] == ["Nom", "Montant"]
    assert formulas(table) == {(2, 2), (3, 2)}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("faux.xlsx", b"PK\x03\x04 rien", "classeur illisible : ce n'est pas un vrai fichier .xlsx"),
        ("ancien.xls", b"\xd0\xcf\x11\xe0", "format « .xls » non pris en charge"),
        ("vide.csv", b"", "le fichier est vide"),
        ("binaire.csv", b"\x81\x8d\x8f\x90\x9d", "encodage des caractères non reconnu"),
        ("long.csv", b"a;b\n" * 101, "plus de 100 lignes"),
        ("case.csv", b"x" * 51, "ligne 1, colonne 1 : cellule de 51 caractères ; attendu : au plus 50"),
    ],
)
def test_unsafe_or_unusable_files_are_refused_with_a_reason(tmp_path: Path, name: str, content: bytes, message: str):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableFile, match=message):
        read_table(path, LIMITS)


def test_a_zip_that_is_not_a_workbook_is_refused_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "autre.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", b"<workbook><sheets><sheet")  # truncated XML
    with pytest.raises(UnreadableFile, match="classeur illisible"):
        read_table(path, LIMITS)


def test_csv_in_utf16_and_windows_1252_read_alike(tmp_path: Path) -> None:
    utf16, cp1252 = tmp_path / "a.csv", tmp_path / "b.csv"
    utf16.write_bytes("Nom;Commune\r\nÉlodie;Paris\r\n".encode("utf-16"))
    cp1252.write_bytes("Nom;Commune\r\nÉlodie;Paris\r\n".encode("cp1252"))
    assert (
        texts(read_table(utf16, LIMITS))
        == texts(read_table(cp1252, LIMITS))
        == [
            ["Nom", "Commune"],
            ["Élodie", "Paris"],
        ]
    )
