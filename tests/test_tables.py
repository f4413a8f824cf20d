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

from evictionportal.tables import Limits, UnreadableFile, is_formula, read_table

LIMITS = Limits(max_bytes=5_000_000, max_unpacked_bytes=50_000_000, max_rows=100, max_cell_chars=50, split_hint="")


def texts(table) -> list[list[str]]:
    return [list(cells) for _, cells in table.rows]


def formulas(table) -> set[tuple[int, int]]:
    return {(n, i) for n, cells in table.rows for i, c in enumerate(cells, start=1) if is_formula(c)}


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


# ------------------------------------------------------------------ the one CSV writer

HOSTILE = ["=1+1", "+33 1 23", "-2+3", "@SUM(A1)", "\t=1", "\r=1", ' =HYPERLINK("https://x.test")', "\uff1d1+1"]


def written_cells(data: bytes) -> list[list[str]]:
    import csv
    import io

    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel opens it with its accents
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_csv_writer_makes_every_formula_start_inert(tmp_path: Path) -> None:
    from evictionportal.tables import write_csv

    path = tmp_path / "t.csv"
    write_csv(path, [["a", *HOSTILE, "Élodie", 12, None]])
    assert written_cells(path.read_bytes()) == [["a", *("'" + h for h in HOSTILE), "Élodie", "12", ""]]


def test_every_csv_the_project_writes_goes_through_the_one_writer() -> None:
    """No module writes CSV on its own: a new listing cannot forget the formula guard."""
    package = Path(__file__).resolve().parent.parent / "evictionportal"
    writers = [
        path.relative_to(package).as_posix()
        for path in package.rglob("*.py")
        if "csv.writer" in (text := path.read_text(encoding="utf-8")) or "DictWriter" in text
    ]
    assert writers == ["tables.py"]


def test_listings_neutralise_formula_cells(tmp_path: Path) -> None:
    from decimal import Decimal

    from evictionportal.letters.config import ComplexCases
    from evictionportal.letters.listings import write_caf_listing, write_complex_cases, write_rejects
    from evictionportal.letters.records import Commandement, Reject

    write_rejects(tmp_path / "rejets.csv", [Reject(2, "=Nom", "@motif")])
    assert written_cells((tmp_path / "rejets.csv").read_bytes())[1] == ["2", "'=Nom", "'@motif"]
    made_up = Commandement(
        row=2, reference="-ref", date_commandement=dt.date(2026, 11, 2), commissaire_justice="Me Exemple",
        civilite="M.", nom="=HYPERLINK(\"https://x.test\")", prenom="+Zorglub", adresse="@1 rue de l'Exemple",
        complement="\t=1", code_postal="75011", commune="Paris", area=11, bailleur_nom="SCI Exemple",
        bailleur_adresse="1 rue", bailleur_code_postal="75011", bailleur_commune="Paris",
        bailleur_type="personne physique", montant_dette=Decimal("5000"), loyer_mensuel_hc=Decimal("500"),
        date_bail=None, numero_allocataire="-1", motif="impayés", household_address=("x",), landlord_address=None,
    )  # fmt: skip
    write_caf_listing(tmp_path / "caf.csv", [made_up])
    row = written_cells((tmp_path / "caf.csv").read_bytes())[1]
    assert row[:7] == [
        "'-ref",
        "'-1",
        "M.",
        '\'=HYPERLINK("https://x.test")',
        "'+Zorglub",
        "'@1 rue de l'Exemple",
        "'\t=1",
    ]
    write_complex_cases(tmp_path / "complexes.csv", [made_up], ComplexCases(debt_months_of_rent=3))
    assert written_cells((tmp_path / "complexes.csv").read_bytes())[1][:3] == [
        "'-ref",
        "M.",
        '\'=HYPERLINK("https://x.test")',
    ]


def test_change_log_neutralises_formula_cells(tmp_path: Path) -> None:
    from evictionportal.campaign.returns import CHANGE_LOG, _log_text

    first = _log_text(tmp_path, [["2027-03-20", "asso", "name", "=old", '=HYPERLINK("https://x.test")', "@src"]])
    (tmp_path / CHANGE_LOG).parent.mkdir(parents=True)
    (tmp_path / CHANGE_LOG).write_text(first, encoding="utf-8")
    rows = written_cells(_log_text(tmp_path, [["2027-03-21", "asso", "role", "", "-1", "+1"]]).encode("utf-8"))
    assert rows == [
        ["date", "organisme", "champ", "ancienne valeur", "nouvelle valeur", "source"],
        ["2027-03-20", "asso", "name", "'=old", '\'=HYPERLINK("https://x.test")', "'@src"],
        ["2027-03-21", "asso", "role", "", "'-1", "'+1"],
    ]


@pytest.mark.parametrize(
    ("kind", "value"),
    [("phone", "=0123456789"), ("phone", "+=0123456789"), ("email", "=contact@example.org"), ("email", "@x.org"),
     ("website", "=HYPERLINK(\"https://example.org\")"), ("address", "=1+1"), ("hours", "@Mo-Fr 09:00-17:00")],
)  # fmt: skip
def test_a_contact_value_starting_like_a_formula_is_refused(kind: str, value: str) -> None:
    from pydantic import ValidationError

    from evictionportal.schema import Contact

    with pytest.raises(ValidationError, match="attendu"):
        Contact.model_validate({"kind": kind, "value": value})
    assert Contact.model_validate({"kind": "phone", "value": "+33 1 23 45 67 89"}).value.startswith("+33")


# ------------------------------------------------------------------ damaged, forged and bomb-like workbooks


def workbook_bytes(rows: int = 30) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Nom", "Code postal", "Montant"])
    for number in range(rows):
        sheet.append([f"Zorglub {number}", 75011, 1234.5])
    path_bytes = __import__("io").BytesIO()
    book.save(path_bytes)
    return path_bytes.getvalue()


def central_entries(data: bytes) -> list[int]:
    positions, start = [], 0
    while (start := data.find(b"PK\x01\x02", start)) >= 0:
        positions.append(start)
        start += 4
    return positions


def forged(data: bytes, offset: int, value: int, local: bool = False) -> bytes:
    """Every central-directory entry (and every local header) with a 4-byte field overwritten."""
    import struct

    out = bytearray(data)
    for position in central_entries(data):
        struct.pack_into("<I", out, position + offset, value)
    if local:
        start = 0
        while (start := bytes(out).find(b"PK\x03\x04", start)) >= 0:
            struct.pack_into("<I", out, start + offset - 2, value)
            start += 4
    return bytes(out)


def damaged_variants() -> dict[str, bytes]:
    data = workbook_bytes()
    sheet = data.find(b"xl/worksheets/sheet1.xml") + 60  # inside the sheet's compressed data
    flipped = bytearray(data)
    flipped[sheet] ^= 0x10
    return {
        "octet-modifie": bytes(flipped),
        "tronque": data[: len(data) // 2],
        "tronque-fin": data[:-30],
        "taille-trop-petite": forged(data, 24, 10),  # the declared sizes lie
        "taille-enorme": forged(data, 24, 0xFFFFFF00),
        "crc-faux": forged(data, 16, 0x12345678, local=True),
    }


@pytest.mark.parametrize("name", sorted(damaged_variants()))
def test_damaged_or_forged_workbook_is_refused_as_damaged(tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.xlsx"
    path.write_bytes(damaged_variants()[name])
    with pytest.raises(UnreadableFile, match="fichier endommagé"):
        read_table(path, LIMITS)


def test_every_single_flipped_byte_is_read_or_refused_in_french(tmp_path: Path) -> None:
    """A byte flipped anywhere: the file reads (the byte did not matter) or is refused, never an exception."""
    import random

    data = workbook_bytes(5)
    rng = random.Random(20)
    for position in rng.sample(range(len(data)), 150):
        damaged = bytearray(data)
        damaged[position] ^= 1 << rng.randrange(8)
        path = tmp_path / "f.xlsx"
        path.write_bytes(bytes(damaged))
        try:
            read_table(path, LIMITS)
        except UnreadableFile as error:
            assert str(error)[0].islower() and "Error" not in str(error), (position, str(error))


PEAK_SCRIPT = """
import resource, sys
from pathlib import Path
from evictionportal.letters.register import LIMITS
from evictionportal.tables import UnreadableFile, read_table
try:
    read_table(Path(sys.argv[1]), LIMITS)
    print("lu")
except UnreadableFile as error:
    print(error)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""

SHEET_PARTS = {
    "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="'
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
    'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override '
    'PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
    'sharedStrings+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Registre" '
    'sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
}


def hand_made_xlsx(path: Path, rows: object, shared: list[str]) -> Path:
    """An XLSX written part by part, as a forger would: nothing stops it from lying."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in SHEET_PARTS.items():
            archive.writestr(name, text)
        strings = "".join(f"<si><t>{text}</t></si>" for text in shared)
        archive.writestr(
            "xl/sharedStrings.xml",
            '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"{strings}</sst>",
        )
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b'<dimension ref="A1:XFD1048576"/><sheetData>'
            )
            for row in rows:
                sheet.write(row.encode())
            sheet.write(b"</sheetData></worksheet>")
    return path


def peak(path: Path) -> tuple[str, int]:
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "-c", PEAK_SCRIPT, str(path)], capture_output=True, text=True, cwd=root, check=True
    )
    said, megabytes = result.stdout.splitlines()
    return said, int(megabytes)


def test_bomb_like_workbooks_are_refused_while_streaming_with_bounded_memory(tmp_path: Path) -> None:
    """Small files within every size limit whose cells would take gigabytes once laid out: refused as they are
    read, with peak memory measured (before: 1 GB for the first, 8 GB for a 1.4 MB file of the corpus)."""
    far = hand_made_xlsx(
        tmp_path / "loin.xlsx",
        ['<row r="1"><c r="A1" t="s"><v>0</v></c></row>', '<row r="2000"><c r="XFD2000" t="s"><v>0</v></c></row>'],
        ["Nom"],
    )
    columns = [f"{chr(65 + i)}" for i in range(20)]
    repeated = hand_made_xlsx(
        tmp_path / "repete.xlsx",
        (
            f'<row r="{r}">' + "".join(f'<c r="{c}{r}" t="s"><v>0</v></c>' for c in columns) + "</row>"
            for r in range(1, 1_501)
        ),
        ["Zorglub " * 240],  # one text of 1,920 characters, used by 30,000 cells: 57 million characters
    )
    assert far.stat().st_size < 2_000 and repeated.stat().st_size < 100_000
    said, megabytes = peak(far)
    assert said.startswith("la feuille remplit 2000 lignes sur 16384 colonnes, soit plus de 2000000 cellules")
    assert megabytes < 500
    said, megabytes = peak(repeated)
    assert said.startswith("plus de 32000000 caractères en tout") and megabytes < 500


def test_bomb_like_ods_is_refused_while_streaming(tmp_path: Path) -> None:
    content = (
        '<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:'
        'xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="Registre">'
        '<table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="16384"'
        ' office:value-type="string"><text:p>Zorglub</text:p></table:table-cell></table:table-row>'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    path = tmp_path / "repete.ods"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
    with pytest.raises(UnreadableFile, match="plus de 100 lignes"):
        read_table(path, LIMITS)
    wide = LIMITS.__class__(**{**LIMITS.__dict__, "max_rows": 2_000_000})
    with pytest.raises(UnreadableFile, match="plus de 20000000 caractères en tout"):
        read_table(path, wide)


def test_a_doctype_in_a_workbook_is_refused(tmp_path: Path) -> None:
    path = hand_made_xlsx(tmp_path / "entites.xlsx", ['<row r="1"><c r="A1" t="s"><v>0</v></c></row>'], ["x"])
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/sharedStrings.xml"] = (
        b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">]><sst><si><t>&a;</t></si></sst>'
    )
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    with pytest.raises(UnreadableFile, match="fichier endommagé : le classeur déclare des entités XML"):
        read_table(path, LIMITS)
