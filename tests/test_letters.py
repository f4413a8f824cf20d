"""Letters after each commandement de payer: registers in every format, every reject, the letters' words,
dates and window, the listings, private outputs, no personal data in logs or on the site.

Every register here is made up in the test; the sources are a copy of the repository's own.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import stat
import zipfile
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pypdf
import pytest

from evictionportal.build import build_site
from evictionportal.cli import main
from evictionportal.errors import BuildFailed, SourceErrors
from evictionportal.letters import make_letters
from evictionportal.letters.address import postal_lines
from evictionportal.letters.config import load_letters_config
from evictionportal.letters.context import household_letter, letter_sources
from evictionportal.letters.example import HEADERS
from evictionportal.letters.listings import NO_CRITERION
from evictionportal.letters.purge import purge_batches
from evictionportal.letters.records import parse_amount, parse_date, read_commandements
from evictionportal.letters.register import MAX_BYTES, RegisterError, read_register
from evictionportal.load import load_sources
from evictionportal.schema import letter_wording
from tests.conftest import MINIMAL, ROOT, edit

DAY = dt.date(2026, 11, 27)
MM = 72 / 25.4
WINDOW_LINES = ("Madame Ondine Zorglub1", "2e étage", "Bât. C", "1 rue de l'Essai", "75018 PARIS")


def person(n: int, **changes: str) -> dict[str, str]:
    """A made-up tenant and landlord; `changes` overrides columns by title."""
    row = {
        "Date du commandement": "02/11/2026",
        "Commissaire de justice": "Étude Imaginaire",
        "Civilité": "Mme",
        "Nom": f"Zorglub{n}",
        "Prénom": "Ondine",
        "Adresse": f"{n} rue de l'Essai",
        "Complément": "Bât. C, 2e étage",
        "Code postal": "75018",
        "Commune": "Paris",
        "Bailleur": f"Théodule Bidon{n}",
        "Adresse du bailleur": "4 allée des Maquettes",
        "Code postal du bailleur": "69003",
        "Commune du bailleur": "Lyon",
        "Type de bailleur": "personne physique",
        "Montant de la dette": "2 450,00 €",
        "Loyer mensuel hors charges": "700",
        "Date du bail": "01/02/2024",
        "Numéro d'allocataire": "1234567",
    }
    row.update(changes)
    return row


def write_csv(path: Path, rows: list[dict[str, str]], delimiter: str = ";", encoding: str = "utf-8-sig") -> Path:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows([row.get(h, "") for h in HEADERS] for row in rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "CDP"
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def write_ods(path: Path, rows: list[list[str]]) -> Path:
    """A minimal OpenDocument spreadsheet, written by hand (no library needed to make one)."""

    def cells(values: list[str]) -> str:
        return "".join(
            f'<table:table-cell office:value-type="string"><text:p>{escape(v)}</text:p></table:table-cell>'
            for v in values
        )

    body = "".join(f"<table:table-row>{cells(r)}</table:table-row>" for r in [HEADERS, *rows])
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="CDP">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path


def pdf_text(path: Path) -> str:
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
    return " ".join(text.replace("\u2019", "'").replace("\u00a0", " ").replace("\u202f", " ").split())


def copy_sources(target: Path) -> Path:
    for folder in ("content", "referentiel", "directory", "flyers"):
        shutil.copytree(ROOT / folder, target / folder)
    return target


@pytest.fixture(scope="module")
def repo_sources():
    sources = load_sources(ROOT, as_of=DAY)
    config, mapping = load_letters_config(sources)
    return sources, config, mapping


def read_rows(path: Path, repo_sources):
    sources, config, mapping = repo_sources
    register = read_register(path, mapping)
    return read_commandements(register, mapping, sources.territory, DAY, "lot", config.landlord.owner_kinds)


# ------------------------------------------------------------------ the whole command, once


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One run of `build.py courriers` on a made-up register with good rows, bad rows, a duplicate and blanks."""
    base = tmp_path_factory.mktemp("letters")
    rows = [person(n) for n in range(1, 6)]
    rows[1].update({"Date du bail": "15/03/2019", "Code postal": "75011"})  # old lease: 2 months
    rows[2].update({"Date du bail": "", "Type de bailleur": "personne morale", "Code postal": "75010"})  # both delays
    rows[3].update({"Type de bailleur": "SCI familiale"})
    rows[4].update({"Date du commandement": "10/01/2025", "Date du bail": "15/03/2024"})  # delay over long ago
    rows.append(person(2, **{"Date du bail": "15/03/2019", "Code postal": "75011"}))  # duplicate of the second row
    rows.append({h: "" for h in HEADERS})  # an empty row
    rows.append(person(7, **{"Code postal": ""}))
    rows.append(person(8, **{"Nom": "X" * 200}))
    register = write_csv(base / "registre.csv", rows)
    out = base / "sortie"
    import contextlib

    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(["courriers", str(register), "--sortie", str(out), "--date", DAY.isoformat(), "--processus", "2"])
    folders = [p for p in out.iterdir() if p.is_dir()]
    return {
        "code": code,
        "stdout": stdout.getvalue(),
        "stderr": stderr.getvalue(),
        "out": out,
        "folder": folders[0],
        "rows": rows,
    }


def test_letters_command_reports_every_row(batch: dict) -> None:
    assert batch["code"] == 0, batch["stderr"]
    report = batch["stdout"]
    assert "Lignes lues : 8 (lignes vides ignorées : 1)" in report
    assert "Courriers aux ménages : 5" in report
    assert "Courriers aux ménages dont le délai est déjà passé à la date des courriers : 1" in report
    assert "Courriers aux bailleurs (personnes physiques, SCI familiales) : 4" in report
    assert "Lignes rejetées : 3, dont doublons : 1" in report
    assert (batch["folder"] / "rapport.txt").read_text(encoding="utf-8").startswith("Registre : registre.csv")
    rejects = list(
        csv.reader(io.StringIO((batch["folder"] / "rejets.csv").read_text(encoding="utf-8-sig")), delimiter=";")
    )
    assert rejects[0] == ["ligne", "colonne", "motif"]
    assert rejects[1] == [
        "7",
        "",
        "doublon de la ligne 3 (même locataire, même adresse, même date de commandement) : pas de second courrier",
    ]
    assert rejects[2] == ["9", "Code postal", "valeur manquante"]
    assert rejects[3][:2] == ["10", "Nom"] and "adresse trop longue pour la fenêtre" in rejects[3][2]


def test_letters_outputs_are_private_and_complete(batch: dict) -> None:
    folder = batch["folder"]
    assert stat.S_IMODE(batch["out"].stat().st_mode) == 0o700
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in folder.rglob("*"):
        assert stat.S_IMODE(path.stat().st_mode) == (0o700 if path.is_dir() else 0o600), path
    assert len(list((folder / "menages").glob("*.pdf"))) == 5
    assert len(list((folder / "bailleurs").glob("*.pdf"))) == 4
    assert len(pypdf.PdfReader(folder / "courriers-menages.pdf").pages) == 10
    assert not list(batch["out"].glob(".*")), "the temporary folder is gone"


def test_letters_logs_name_nobody(batch: dict) -> None:
    logs = batch["stdout"] + batch["stderr"]
    for row in batch["rows"]:
        for column in ("Nom", "Prénom", "Adresse", "Bailleur", "Montant de la dette"):
            if row[column]:
                assert row[column] not in logs, column
    assert "Zorglub" not in logs and "2 450" not in logs


def test_letters_household_letter_words_come_from_the_stage_and_directory(batch: dict) -> None:
    stage = load_sources(ROOT, as_of=DAY).stages[1]
    letter = next(
        p
        for p in sorted((batch["folder"] / "menages").glob("*.pdf"))
        if "Zorglub1 " in pdf_text(p) or "Zorglub1" in pdf_text(p)
    )
    text = pdf_text(letter)
    assert "Objet : Votre commandement de payer" in text
    assert "Commandement de payer reçu le 2 novembre 2026" in text
    assert "Bail signé le 1er février 2024" in text
    assert "6 semaines pour payer ou demander des délais au juge jusqu'au 14 décembre 2026" in text
    # The letter prints the dates: its steps say « avant la fin de votre délai », not « notez la date ».
    assert stage.what_to_do[0] == "Notez la date du commandement. Votre délai commence ce jour-là."
    assert stage.what_to_do[0] not in text and letter_wording(stage.what_to_do[0]) in text
    assert stage.what_to_do[4] in text  # the steps the page and the letter word alike
    assert "SOS Loyers impayés" in text and "0 805 160 075" in text and "0 805 299 049" in text
    assert "Qui peut vous aider dans le 18e arrondissement" in text
    assert "Fonds de solidarité pour le logement (FSL)" in text and "Aides au logement de la CAF" in text
    assert "Épreuve, ne pas envoyer" in text  # no sender address yet in content/courriers.yml
    reader = pypdf.PdfReader(letter)
    assert reader.metadata.title.startswith("Courrier au ménage après un commandement de payer, référence ")


def letter_of(batch: dict, name: str, kind: str = "menages") -> str:
    return next(t for p in sorted((batch["folder"] / kind).glob("*.pdf")) if name in (t := pdf_text(p)))


def test_letters_past_delay_and_saturday_in_the_printed_letters(batch: dict) -> None:
    passed = letter_of(batch, "Zorglub5")
    assert "jusqu'à l'audience" in passed  # what can still be done
    assert "terminé le 21 février 2025" in passed and "Ce délai est passé, mais il n'est pas trop tard" in passed
    assert "terminé le 21 février 2025" in letter_of(batch, "5 rue de l'Essai", "bailleurs")  # the same date
    saturday = letter_of(batch, "Zorglub2")  # a lease of 2019: 2 months, ending on Saturday 2 January 2027
    assert "jusqu'au 2 janvier 2027 c'est un samedi" in saturday
    assert "n'attendez pas le dernier jour" in saturday


def test_letters_every_delay_case_fits_one_sheet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Without the lease date the box gives both delays: its one sentence still leaves room for the closing."""
    rows = [
        person(1, **{"Date du commandement": "10/01/2025", "Date du bail": ""}),  # both over
        person(2, **{"Date du commandement": "15/10/2026", "Date du bail": "", "Civilité": ""}),  # 6 weeks over
        person(3, **{"Date du commandement": "13/11/2026", "Date du bail": ""}),  # 6 weeks end on Christmas Day
        person(4, **{"Date du commandement": "13/11/2026", "Date du bail": "15/03/2019"}),  # 2 months: a Wednesday
    ]
    register = write_csv(tmp_path / "cas.csv", rows)
    out = tmp_path / "sortie"
    assert main(["courriers", str(register), "--sortie", str(out), "--date", DAY.isoformat(), "--processus", "1"]) == 0
    assert "plus de 2 pages" not in capsys.readouterr().out
    (folder,) = [p for p in out.iterdir() if p.is_dir()]
    texts = {}
    for path in (folder / "menages").glob("*.pdf"):
        assert len(pypdf.PdfReader(path).pages) == 2, path.name
        texts[next(n for n in ("Zorglub1", "Zorglub2", "Zorglub3", "Zorglub4") if n in pdf_text(path))] = pdf_text(path)
    assert "terminé le 14 décembre 2026" not in texts["Zorglub1"] and "terminé le 21 février 2025" in texts["Zorglub1"]
    assert "Délai passé ? Demandez des délais au juge." in texts["Zorglub2"]
    assert "jusqu'au 15 décembre 2026" in texts["Zorglub2"] and "Madame, Monsieur," in texts["Zorglub2"]
    assert "jusqu'au 25 décembre 2026 c'est un jour férié (Noël)" in texts["Zorglub3"]
    assert "N'attendez pas le dernier jour" in texts["Zorglub3"]
    assert "dernier jour" not in texts["Zorglub4"]


def test_letters_each_letter_file_is_tagged_pdf_ua_in_french(batch: dict) -> None:
    for letter in [*(batch["folder"] / "menages").glob("*.pdf"), *(batch["folder"] / "bailleurs").glob("*.pdf")]:
        reader = pypdf.PdfReader(letter)
        root = reader.trailer["/Root"]
        assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"], letter.name
        assert root["/Lang"] == "fr" and reader.metadata.title.endswith(letter.stem), letter.name
        assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data(), letter.name
        assert len(reader.pages) == 2, letter.name  # one sheet, front and back


def structure_problems(path: Path) -> list[str]:
    """Every object number used; every marked content drawn on a page an element of the structure tree,
    reachable from its root; every font embedded as a subset of the vendored font."""
    reader = pypdf.PdfReader(path)
    problems = [f"object {n} not defined" for n in range(1, reader.trailer["/Size"]) if reader.get_object(n) is None]
    tree = reader.trailer["/Root"]["/StructTreeRoot"]
    nums = tree["/ParentTree"].get_object()["/Nums"]
    parents = {int(nums[i]): nums[i + 1].get_object() for i in range(0, len(nums), 2)}
    for number, page in enumerate(reader.pages, start=1):
        drawn = [int(m) for m in re.findall(rb"<</MCID (\d+)>>", page.get_contents().get_data())]
        elements = parents.get(int(page["/StructParents"]))
        if elements is None or len(elements) < len(drawn):
            problems.append(
                f"page {number}: {len(drawn)} marked contents, parent tree has {elements and len(elements)}"
            )
            continue
        for mcid in drawn:
            element, depth = elements[mcid].get_object(), 0
            while element.get("/Type") != "/StructTreeRoot" and depth < 50:
                element, depth = element["/P"].get_object(), depth + 1
            if depth >= 50 or element.indirect_reference != tree.indirect_reference:
                problems.append(f"page {number}: MCID {mcid} not under the structure root")
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            if "/FontFile2" not in descriptor or not re.match(r"^/[A-Z]{6}\+Atkinson-?Hyperlegible", font["/BaseFont"]):
                problems.append(f"page {number}: font {font['/BaseFont']} not an embedded subset of the house font")
    return problems


def test_letters_values_printed_in_place_are_in_the_structure_tree(batch: dict) -> None:
    """A letter's own file and the batch: every text, the printed-in-place address and dates included, is tagged."""
    letter = next(p for p in (batch["folder"] / "menages").glob("*.pdf") if "Zorglub1" in pdf_text(p))
    assert structure_problems(letter) == []
    assert structure_problems(batch["folder"] / "courriers-menages.pdf") == []
    assert structure_problems(batch["folder"] / "courriers-bailleurs.pdf") == []
    page = pypdf.PdfReader(letter).pages[0].extract_text()
    assert "Madame Ondine Zorglub1" in page and "2026-11-27-" in page and "14 décembre 2026" in page


def test_letters_batch_is_one_tagged_file_a_section_per_letter_in_postcode_order(batch: dict) -> None:
    reader = pypdf.PdfReader(batch["folder"] / "courriers-menages.pdf")
    letters = sorted((batch["folder"] / "menages").glob("*.pdf"))
    assert len(reader.pages) == 2 * len(letters) == 10
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "fr" and root["/MarkInfo"]["/Marked"]
    assert reader.metadata.title == "Courrier au ménage après un commandement de payer : lot du 2026-11-27"
    document = root["/StructTreeRoot"]["/K"][0].get_object()
    sections = [kid.get_object() for kid in document["/K"]]
    assert [s["/S"] for s in sections] == ["/Sect"] * len(letters)
    assert [str(s["/T"]) for s in sections] == [f"Courrier {p.stem}" for p in sorted(letters, key=_postcode)]
    fronts = [" ".join(reader.pages[i].extract_text().split()) for i in range(0, len(reader.pages), 2)]
    assert [re.search(r"750\d\d PARIS", f).group(0) for f in fronts] == sorted(
        re.search(r"750\d\d PARIS", f).group(0) for f in fronts
    )


def _postcode(path: Path) -> tuple[str, str]:
    return re.search(r"750\d\d PARIS", pdf_text(path)).group(0), path.stem


def test_letters_delay_dates_for_both_lease_cases(batch: dict) -> None:
    texts = {p.name: pdf_text(p) for p in (batch["folder"] / "menages").glob("*.pdf")}
    old = next(t for t in texts.values() if "Zorglub2" in t)
    assert "Bail signé le 15 mars 2019" in old
    assert "délai écrit dans votre bail (2 mois) jusqu'au 2 janvier 2027" in old
    assert "6 semaines" not in old
    unknown = next(t for t in texts.values() if "Zorglub3" in t)
    # The 2 months end on a Saturday: one sentence says both that the lease date is unknown and not to wait.
    assert "Nous ne connaissons pas la date de votre bail : regardez-la. N'attendez pas le dernier jour." in unknown
    assert "Bail signé le" not in unknown
    assert "6 semaines pour payer ou demander des délais au juge jusqu'au 14 décembre 2026" in unknown
    assert "(2 mois) jusqu'au 2 janvier 2027" in unknown


def test_letters_landlord_letter_only_for_private_landlords(batch: dict) -> None:
    texts = [pdf_text(p) for p in (batch["folder"] / "bailleurs").glob("*.pdf")]
    assert not any("Bidon3" in t for t in texts)  # a company (personne morale) gets no letter
    first = next(t for t in texts if "Bidon1" in t)
    assert "Objet : Commandement de payer délivré à votre locataire" in first
    assert "Commandement de payer délivré le 2 novembre 2026" in first
    assert "Logement loué 2e étage Bât. C 1 rue de l'Essai 75018 PARIS" in first
    assert "L'aide au logement et la procédure d'impayé de la CAF" in first
    assert "Commission de coordination des actions de prévention des expulsions locatives (CCAPEX)" in first
    assert "69003 LYON" in first


def test_letters_recipient_block_sits_in_the_envelope_window(batch: dict) -> None:
    """Read back where the address lines are drawn on page 1: inside the 85 × 33 mm frame at 110 mm, 55 mm."""
    letter = next(p for p in (batch["folder"] / "menages").glob("*.pdf") if "Zorglub1" in pdf_text(p))
    page = pypdf.PdfReader(letter).pages[0]
    height = float(page.mediabox.height)
    found: dict[str, tuple[float, float]] = {}

    def visit(text: str, cm: list, tm: list, font_dict: object, font_size: float) -> None:
        for wanted in WINDOW_LINES:
            if wanted in text.replace("\u2019", "'") and wanted not in found:
                x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
                found[wanted] = (x / MM, (height - y) / MM)

    page.extract_text(visitor_text=visit)
    assert set(found) == set(WINDOW_LINES), found
    for x, y in found.values():
        assert 110 <= x <= 110 + 85 - 30, (x, y)
        assert 55 < y < 55 + 33, (x, y)
    lines = sorted(found, key=lambda k: found[k][1])
    assert lines == list(WINDOW_LINES)  # NF Z 10-011 order: person, inside, building, street, town


def test_letters_caf_listing_and_no_complex_criterion(batch: dict) -> None:
    text = (batch["folder"] / "liste-caf.csv").read_bytes()
    assert text.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "reference",
        "numero_allocataire",
        "civilite",
        "nom",
        "prenom",
        "adresse",
        "complement_adresse",
        "code_postal",
        "commune",
        "date_commandement",
        "montant_dette",
        "loyer_mensuel_hc",
        "date_bail",
    ]
    assert len(rows) == 6
    first = next(r for r in rows if r[3] == "Zorglub1")
    assert first[1:] == [
        "1234567",
        "Madame",
        "Zorglub1",
        "Ondine",
        "1 rue de l'Essai",
        "Bât. C, 2e étage",
        "75018",
        "Paris",
        "2026-11-02",
        "2450,00",
        "700,00",
        "2024-02-01",
    ]
    assert (batch["folder"] / "situations-complexes.csv").read_text(encoding="utf-8-sig").strip() == NO_CRITERION


def test_letters_same_register_twice_gives_the_same_outputs(batch: dict, tmp_path: Path) -> None:
    """Byte for byte, PDFs included (font subsets carry no build time), with another number of workers."""
    first = {
        p.relative_to(batch["folder"]).as_posix(): p.read_bytes() for p in batch["folder"].rglob("*") if p.is_file()
    }
    register = write_csv(tmp_path / "registre.csv", batch["rows"])
    make_letters(ROOT, register, batch["out"], DAY, workers=1)
    again = [p for p in batch["out"].iterdir() if p.is_dir()]
    assert [p.name for p in again] == [batch["folder"].name]
    files = {p.relative_to(again[0]).as_posix(): p.read_bytes() for p in again[0].rglob("*") if p.is_file()}
    assert files.keys() == first.keys() and any(name.endswith(".pdf") for name in files)
    assert [name for name in files if files[name] != first[name]] == []


# ------------------------------------------------------------------ a stage change shows in the letter


def test_letters_follow_a_change_in_the_stage_file(tmp_path: Path) -> None:
    root = copy_sources(tmp_path / "project")
    edit(
        root,
        "referentiel/etapes/02-commandement-de-payer.yml",
        "Continuez à payer le loyer du mois en entier.",
        "Payez le loyer de ce mois-ci en entier, même si la dette reste.",
    )
    register = write_csv(tmp_path / "registre.csv", [person(1, **{"Type de bailleur": "personne morale"})])
    report = make_letters(root, register, tmp_path / "sortie", DAY, workers=1)
    text = pdf_text(report.folder / "courriers-menages.pdf")
    assert "Payez le loyer de ce mois-ci en entier, même si la dette reste." in text
    assert "Continuez à payer le loyer du mois en entier." not in text


def test_letters_address_is_measured_against_the_configured_window(tmp_path: Path) -> None:
    """The window is a setting (content/courriers.yml): a narrower window refuses the line it cannot hold."""
    root = copy_sources(tmp_path / "project")
    edit(root, "content/courriers.yml", "  width_mm: 85\n", "  width_mm: 45\n")
    register = write_csv(tmp_path / "registre.csv", [person(1, **{"Type de bailleur": "personne morale"})])
    report = make_letters(root, register, tmp_path / "sortie", DAY, workers=1)
    assert (report.households, report.rejected_rows) == (0, 1)
    rejects = (report.folder / "rejets.csv").read_text(encoding="utf-8-sig")
    assert (
        "Nom;adresse trop longue pour la fenêtre de l'enveloppe : ligne 1 de l'adresse : 22 caractères, trop large"
        in rejects
    )


def test_letters_front_that_would_push_the_dates_off_the_page_stops_the_run(tmp_path: Path) -> None:
    """Values are printed where the template's placeholders are: a front side too long to hold them is an
    error that says what to shorten, never a letter without its dates, and nothing is written."""
    root = copy_sources(tmp_path / "project")
    long_opening = "Un commissaire de justice vous a remis un commandement de payer. " * 60
    edit(
        root,
        "content/courriers.yml",
        "    Un commissaire de justice vous a remis un commandement de payer.\n",
        f"    {long_opening}\n",
    )
    register = write_csv(tmp_path / "registre.csv", [person(1, **{"Type de bailleur": "personne morale"})])
    with pytest.raises(BuildFailed, match="déborde de sa page .* raccourcissez les textes de content/courriers.yml"):
        make_letters(root, register, tmp_path / "sortie", DAY, workers=1)
    assert not any((tmp_path / "sortie").glob("2026-*"))


# ------------------------------------------------------------------ every input variant


def test_letters_csv_comma_utf8_without_bom_and_windows_1252_read_alike(tmp_path: Path, repo_sources) -> None:
    rows = [person(1), person(2, **{"Nom": "Lefèvre-Zoé", "Montant de la dette": "1234.56"})]
    results = [
        read_rows(write_csv(tmp_path / "a.csv", rows), repo_sources),
        read_rows(write_csv(tmp_path / "b.csv", rows, delimiter=",", encoding="utf-8"), repo_sources),
        read_rows(write_csv(tmp_path / "c.csv", rows, encoding="cp1252"), repo_sources),
    ]
    for result in results:
        assert not result.rejects
        assert [c.nom for c in result.commandements] == ["Zorglub1", "Lefèvre-Zoé"]
        assert [c.montant_dette for c in result.commandements] == [Decimal("2450.00"), Decimal("1234.56")]


def test_letters_xlsx_and_ods_read_like_csv(tmp_path: Path, repo_sources) -> None:
    row = person(1)
    typed = [
        dt.datetime(2026, 11, 2),
        *[row[h] for h in HEADERS[1:7]],
        75018,
        "Paris",
        *[row[h] for h in HEADERS[9:11]],
        69003,
        "Lyon",
        "personne physique",
        2450,
        700,
        dt.date(2024, 2, 1),
        "1234567",
    ]
    xlsx = read_rows(write_xlsx(tmp_path / "r.xlsx", [typed, ["=1+1"] + typed[1:]]), repo_sources)
    ods = read_rows(write_ods(tmp_path / "r.ods", [[row[h] for h in HEADERS]]), repo_sources)
    csv_result = read_rows(write_csv(tmp_path / "r.csv", [row]), repo_sources)
    expected = csv_result.commandements[0]
    for result in (xlsx, ods):
        got = result.commandements[0]
        assert (got.date_commandement, got.code_postal, got.montant_dette, got.date_bail, got.household_address) == (
            expected.date_commandement,
            expected.code_postal,
            expected.montant_dette,
            expected.date_bail,
            expected.household_address,
        )
    # A formula is never evaluated nor trusted: its row is refused, naming the cell.
    assert [(r.row, r.column, r.reason) for r in xlsx.rejects] == [
        (3, "Date du commandement", "la cellule contient une formule de tableur (ignorée) ; attendu : une valeur")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 234,56 €", "1234.56"),
        ("1\u202f234,56\u00a0€", "1234.56"),
        ("1234.56", "1234.56"),
        ("1.234,56", "1234.56"),
        ("1,234.56", "1234.56"),
        ("950", "950.00"),
        ("2 000 €", "2000.00"),
    ],
)
def test_letters_amounts_as_french_spreadsheets_write_them(text: str, expected: str) -> None:
    assert parse_amount(text) == Decimal(expected)


def test_letters_dates_french_and_iso() -> None:
    assert (
        parse_date("12/03/2026")
        == parse_date("2026-03-12")
        == parse_date("12/03/2026 00:00:00")
        == dt.date(2026, 3, 12)
    )


# ------------------------------------------------------------------ every reject reason


def test_letters_every_reject_reason_names_row_and_column(tmp_path: Path, repo_sources) -> None:
    rows = [
        person(1, **{"Code postal": ""}),
        person(2, **{"Date du commandement": "31/02/2026"}),
        person(3, **{"Date du commandement": "01/12/2026"}),
        person(4, **{"Montant de la dette": "beaucoup"}),
        person(5, **{"Code postal": "13008"}),
        person(6, **{"Nom": "N" * 200}),
        person(7, **{"Prénom": "Ond\x07ine"}),
        person(8, **{"Nom": '=HYPERLINK("http://x")'}),
        person(9, **{"Type de bailleur": "bailleur social"}),
        person(10, **{"Montant de la dette": "-12"}),
        person(11, **{"Date du bail": "01/12/2026", "Date du commandement": "02/11/2026"}),
        person(12, **{"Adresse du bailleur": "B" * 60}),
        person(13, **{"Nom": "<b>Zo</b> <i>x</i>"}),
        person(14, **{"Nom": "王小明"}),
        person(15, **{"Nom": "MWMWMWMWMWMWMWMWMWMWMWM"}),
        person(16, **{"Code postal": "75116"}),
    ]
    result = read_rows(write_csv(tmp_path / "r.csv", rows), repo_sources)
    reasons = {(r.row, r.column): r.reason for r in result.rejects}
    assert reasons == {
        (2, "Code postal"): "valeur manquante",
        (3, "Date du commandement"): "date impossible (31/02/2026) ; attendu : un jour qui existe",
        (4, "Date du commandement"): "commandement daté dans le futur (après le 27/11/2026, date des courriers)",
        (5, "Montant de la dette"): "montant illisible ; attendu : un montant en euros comme 1 234,56",
        (6, "Code postal"): "code postal hors du territoire (content/territoire.yml, areas)",
        (
            7,
            "Nom",
        ): "adresse trop longue pour la fenêtre de l'enveloppe : ligne 1 de l'adresse : 214 caractères pour 38 au plus",
        (8, "Prénom"): "caractère de contrôle invisible ; attendu : du texte simple, retapez la cellule",
        (9, "Nom"): "la cellule commence par « = » (formule de tableur, ignorée) ; attendu : une valeur",
        (
            10,
            "Type de bailleur",
        ): "type de bailleur non prévu ; attendu : personne physique, SCI familiale ou personne morale",
        (11, "Montant de la dette"): "montant nul ou négatif ; attendu : un montant positif",
        (12, "Date du bail"): "bail signé après le commandement ; attendu : une date antérieure",
        (
            13,
            "Adresse du bailleur",
        ): "adresse du bailleur trop longue pour la fenêtre de l'enveloppe : "
        "ligne 4 de l'adresse : 60 caractères pour 38 au plus",
        (15, "Nom"): "adresse impossible à imprimer : ligne 1 de l'adresse : caractère que la police des courriers "
        "ne sait pas imprimer (U+738B, U+5C0F, U+660E) ; attendu : l'alphabet latin (les accents sont acceptés)",
        (16, "Nom"): "adresse trop longue pour la fenêtre de l'enveloppe : "
        "ligne 1 de l'adresse : 37 caractères, trop large une fois imprimée",
    }
    # HTML in a name is only text: the row is accepted and its letter will print the characters as they are.
    # 75116 is a postcode of the 16e as well as 75016 (territoire.yml, other_postcodes).
    assert [(c.nom, c.area) for c in result.commandements] == [("<b>Zo</b> <i>x</i>", 18), ("Zorglub16", 16)]


def test_letters_html_in_a_name_is_printed_as_text(tmp_path: Path) -> None:
    register = write_csv(
        tmp_path / "r.csv", [person(1, **{"Nom": "<i>Zorglub</i>", "Type de bailleur": "personne morale"})]
    )
    report = make_letters(ROOT, register, tmp_path / "sortie", DAY, workers=1)
    assert "Madame Ondine <i>Zorglub</i>" in pdf_text(report.folder / "courriers-menages.pdf")


def test_letters_register_without_a_required_column_is_refused_whole(tmp_path: Path, repo_sources) -> None:
    path = tmp_path / "r.csv"
    path.write_text("Nom;Adresse\nZorglub;1 rue de l'Essai\n", encoding="utf-8")
    with pytest.raises(RegisterError) as error:
        read_rows(path, repo_sources)
    message = str(error.value)
    assert "r.csv, ligne 1 : colonne manquante pour le champ date_commandement ; titres acceptés :" in message
    assert "aucun courrier n'a été fait" in message


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("vide.csv", b"", "vide.csv : le fichier est vide"),
        ("blanc.csv", b";;;\r\n;;\r\n", "blanc.csv : aucune ligne remplie"),
        ("registre.pdf", b"%PDF", "registre.pdf : format « .pdf » non pris en charge"),
        ("casse.xlsx", b"PK\x03\x04 pas un classeur", "casse.xlsx : fichier endommagé : classeur illisible"),
    ],
)
def test_letters_unusable_register_says_why(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(RegisterError, match=re.escape(message)):
        read_register(path)


REWORDED = {  # the same columns as an export may title them: other word order, other little words, other case
    "Date du commandement": "COMMANDEMENT - date",
    "Nom": "Locataire nom",
    "Prénom": "Prénom locataire",
    "Code postal du bailleur": "Bailleur : code postal",
    "Montant de la dette": "Dette montant",
}


def test_letters_header_below_title_lines_and_in_another_word_order(tmp_path: Path, repo_sources) -> None:
    headers = [REWORDED.get(h, h) for h in HEADERS]
    rows = [["Registre des commandements de payer", "", "semaine 45"], [], headers]
    rows += [[p[h] for h in HEADERS] for p in (person(1), person(2))]
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    register = tmp_path / "export.xlsx"
    book.save(register)
    read = read_register(register, repo_sources[2])
    assert read.header_row == 3 and read.described == "export.xlsx (titres de colonne en ligne 3)"
    result = read_rows(register, repo_sources)
    assert result.rejects == [] and [c.nom for c in result.commandements] == ["Zorglub1", "Zorglub2"]
    assert result.ignored_columns == []
    csv_path = tmp_path / "export.csv"
    csv_path.write_text("\n".join(";".join(row) for row in rows[:1] + rows[2:]), encoding="utf-8")
    assert read_register(csv_path, repo_sources[2]).header_row == 2
    assert len(read_rows(csv_path, repo_sources).commandements) == 2


def test_letters_ambiguous_column_title_is_reported_not_guessed(tmp_path: Path, repo_sources) -> None:
    headers = ["Date commandement bail" if h == "Date du commandement" else h for h in HEADERS if h != "Date du bail"]
    path = tmp_path / "r.csv"
    path.write_text(";".join(headers) + "\n", encoding="utf-8")
    with pytest.raises(RegisterError) as error:
        read_rows(path, repo_sources)
    assert (
        "r.csv, ligne 1 : colonne « Date commandement bail » ambiguë : elle peut donner les champs "
        "date_bail ou date_commandement ; renommez-la comme l'un des titres de content/courriers-colonnes.yml"
    ) in str(error.value)


def test_letters_same_title_for_two_fields_is_refused_in_the_columns_file(tmp_path: Path) -> None:
    root = copy_sources(tmp_path / "project")
    columns = root / "content" / "courriers-colonnes.yml"
    text = columns.read_text(encoding="utf-8")
    columns.write_text(
        text.replace("montant_dette: [", "montant_dette: [hors charges loyer mensuel, "), encoding="utf-8"
    )
    said = (
        "content/courriers-colonnes.yml:20: loyer_mensuel_hc: le titre « loyer mensuel hors charges » sert déjà pour "
        "montant_dette (mêmes mots, dans un autre ordre ou sans les petits mots) : titre ambigu"
    )
    with pytest.raises(SourceErrors, match=re.escape(said)):
        load_letters_config(load_sources(root, as_of=DAY))


def test_letters_row_with_more_cells_than_the_header_is_rejected(tmp_path: Path, repo_sources) -> None:
    path = tmp_path / "r.csv"
    lines = [";".join(HEADERS), ";".join(person(1).get(h, "") for h in HEADERS)]
    lines.append(";".join([*(person(2).get(h, "") for h in HEADERS), "", "en trop", "aussi"]))
    lines.append(";".join([*(person(3).get(h, "") for h in HEADERS), "", ""]))  # empty cells after: nothing lost
    path.write_text("\n".join(lines), encoding="utf-8")
    result = read_rows(path, repo_sources)
    assert [c.row for c in result.commandements] == [2, 4]
    assert [(r.row, r.column, r.reason) for r in result.rejects] == [
        (
            3,
            f"colonne {len(HEADERS) + 2}",
            f"colonnes en trop : 2 cellule(s) remplie(s) après la dernière colonne titrée (colonne {len(HEADERS)}) ; "
            "attendu : une valeur sous chaque titre, rien au-delà",
        )
    ]


def test_letters_huge_register_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "gros.csv"
    with path.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)
    with pytest.raises(RegisterError, match="fichier trop gros"):
        read_register(path)


def test_letters_cli_error_has_no_traceback_and_leaves_previous_outputs(batch: dict, tmp_path: Path, capsys) -> None:
    before = sorted(p.name for p in batch["out"].iterdir())
    bad = tmp_path / "r.csv"
    bad.write_text("Nom\nZorglub\n", encoding="utf-8")
    assert main(["courriers", str(bad), "--sortie", str(batch["out"]), "--date", DAY.isoformat()]) == 1
    err = capsys.readouterr().err
    assert "colonne manquante" in err and "Traceback" not in err and "Zorglub" not in err
    assert sorted(p.name for p in batch["out"].iterdir()) == before


# ------------------------------------------------------------------ addresses, delays, configuration


def test_letters_postal_block_follows_nf_z_10_011() -> None:
    lines = postal_lines(
        "Mme Ondine Zorglub", "Résidence des Essais, esc. 2, apt 14", "12 rue de l'Essai", "75011", "Paris"
    )
    assert lines == ["Mme Ondine Zorglub", "esc. 2 apt 14", "Résidence des Essais", "12 rue de l'Essai", "75011 PARIS"]
    assert postal_lines("A", "", "1 rue X", "69003", "Saint-Étienne-du-Rouvray")[-1] == "69003 SAINT-ETIENNE-DU-ROUVRAY"


@pytest.mark.parametrize(
    ("lease", "ends"),
    [("2023-07-29", ["14 mars 2026"]), ("2023-07-28", ["31 mars 2026"]), (None, ["14 mars 2026", "31 mars 2026"])],
)
def test_letters_delay_ends_six_weeks_or_two_months_after(repo_sources, lease: str | None, ends: list[str]) -> None:
    sources, config, _ = repo_sources
    cdp = read_rows_from(
        [person(1, **{"Date du commandement": "31/01/2026", "Date du bail": lease or ""})], repo_sources
    )
    letter = household_letter(letter_sources(sources, config), cdp, dt.date(2026, 2, 2))
    deadlines = [fact.lines[0] for fact in letter.facts if fact.lines[0].startswith("jusqu")]
    assert deadlines == [f"jusqu'au {end}" for end in ends]


def test_letters_delay_over_on_the_letters_date_says_so_and_what_can_still_be_done(repo_sources) -> None:
    sources, config, _ = repo_sources
    common = letter_sources(sources, config)
    cdp = read_rows_from(
        [person(1, **{"Date du commandement": "10/01/2025", "Date du bail": "15/03/2024"})], repo_sources
    )
    letter = household_letter(common, cdp, DAY)
    assert letter.facts[-1].lines == ("terminé le 21 février 2025",)
    assert not any(line.startswith("jusqu") for fact in letter.facts for line in fact.lines)
    assert config.household.deadline_passed in letter.note and "demander des délais" in letter.note
    assert letter.delay_passed
    # The last day itself is not over: 6 weeks after 16 October 2026 is 27 November 2026, the letters' day.
    today = read_rows_from([person(1, **{"Date du commandement": "16/10/2026"})], repo_sources)
    assert household_letter(common, today, DAY).facts[-1].lines == ("jusqu'au 27 novembre 2026",)
    assert not household_letter(common, today, DAY).delay_passed


def test_letters_delay_ending_on_a_holiday_or_weekend_says_which_day(repo_sources) -> None:
    sources, config, _ = repo_sources
    common = letter_sources(sources, config)
    christmas = read_rows_from([person(1, **{"Date du commandement": "13/11/2026"})], repo_sources)
    letter = household_letter(common, christmas, DAY)
    assert letter.facts[-1].lines == ("jusqu'au 25 décembre 2026", "c'est un jour férié (Noël)")
    assert "n'attendez pas le dernier jour" in letter.note and not letter.delay_passed
    saturday = read_rows_from([person(1, **{"Date du bail": "15/03/2019"})], repo_sources)  # 2 months: 2 January
    assert household_letter(common, saturday, DAY).facts[-1].lines == ("jusqu'au 2 janvier 2027", "c'est un samedi")
    monday = read_rows_from([person(1)], repo_sources)  # 6 weeks after 2 November 2026: Monday 14 December
    assert household_letter(common, monday, DAY).facts[-1].lines == ("jusqu'au 14 décembre 2026",)
    assert household_letter(common, monday, DAY).note == ""


def read_rows_from(rows: list[dict[str, str]], repo_sources):
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        return read_rows(write_csv(Path(folder) / "r.csv", rows), repo_sources).commandements[0]


def test_letters_configuration_errors_name_file_line_and_field(tmp_path: Path) -> None:
    root = copy_sources(tmp_path / "project")
    edit(root, "content/courriers.yml", "jusqu'au {fin_delai}", "jusqu'au {fin}")
    dated = '"Votre commandement de payer du {date_commandement}"'
    edit(root, "content/courriers.yml", '"Votre commandement de payer"', dated)
    edit(root, "content/courriers.yml", "    - votre-interet\n", "    - votre-interets\n")
    edit(root, "content/courriers-colonnes.yml", "motif: [motif]", "motiff: [motif]")
    with pytest.raises(SourceErrors) as error:
        load_letters_config(load_sources(root, as_of=DAY))
    lines = str(error.value).splitlines()
    assert any(
        re.match(r"content/courriers\.yml:\d+: household\.deadline_value: « \{fin\} » inconnu", line) for line in lines
    )
    assert any(  # a date inside a sentence: the dates stand alone in the dates box
        re.match(r"content/courriers\.yml:\d+: household\.subject: « \{date_commandement\} » : ce texte est le même", x)
        for x in lines
    )
    assert any(
        "landlord.sections[0]: partie d'id « votre-interets » absente de "
        "content/bailleurs/02-aides-locataire-solvable.yml ; vouliez-vous dire « votre-interet » ?" in line
        for line in lines
    )
    assert any(
        line.startswith("content/courriers-colonnes.yml:")
        and "champ inconnu « motiff » ; vouliez-vous dire « motif » ?" in line
        for line in lines
    )


def test_letters_complex_cases_follow_the_configured_thresholds(tmp_path: Path) -> None:
    root = copy_sources(tmp_path / "project")
    edit(root, "content/courriers.yml", "debt_months_of_rent: null", "debt_months_of_rent: 6")
    rows = [
        person(1, **{"Type de bailleur": "personne morale"}),
        person(2, **{"Montant de la dette": "5 000 €", "Type de bailleur": "personne morale"}),
    ]
    report = make_letters(root, write_csv(tmp_path / "r.csv", rows), tmp_path / "sortie", DAY, workers=1)
    listed = list(
        csv.reader(
            io.StringIO((report.folder / "situations-complexes.csv").read_text(encoding="utf-8-sig")), delimiter=";"
        )
    )
    assert [r[2] for r in listed[1:]] == ["Zorglub2"]
    assert listed[1][-2:] == ["7,1", "dette supérieure à 6 mois de loyer hors charges"]
    assert report.complex_cases == 1


# ------------------------------------------------------------------ retention, made-up registers, the site


def test_letters_refuse_to_write_under_site(tmp_path: Path, capsys) -> None:
    register = write_csv(tmp_path / "r.csv", [person(1)])
    assert (
        main(["courriers", str(register), "--sortie", str(ROOT / "site" / "courriers"), "--date", DAY.isoformat()]) == 1
    )
    assert "données personnelles ; attendu : un dossier hors de site/" in capsys.readouterr().err
    assert not (ROOT / "site" / "courriers").exists()


def test_letters_purge_removes_only_old_batches(tmp_path: Path) -> None:
    for name in ("2026-10-01-0123abcd", "2026-11-20-89abcdef", "notes", "2026-13-01-0123abcd"):
        (tmp_path / name).mkdir()
    assert purge_batches(tmp_path, dt.date(2026, 11, 1)) == ["2026-10-01-0123abcd"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2026-11-20-89abcdef", "2026-13-01-0123abcd", "notes"]


def test_letters_example_register_is_read_without_rejects(tmp_path: Path, repo_sources) -> None:
    path = tmp_path / "exemple.csv"
    assert main(["courriers", "--exemple", "40", str(path), "--date", DAY.isoformat()]) == 0
    result = read_rows(path, repo_sources)
    assert result.rows_read == 40 and not result.rejects and len(result.commandements) == 40


def test_letters_model_letters_are_on_the_documents_page(tmp_path: Path) -> None:
    """The site publishes both model letters, filled with placeholders, and nothing from a register."""
    root = tmp_path / "project"
    shutil.copytree(MINIMAL, root)
    config = (ROOT / "content" / "courriers.yml").read_text(encoding="utf-8")
    config = config.replace("commandement-de-payer", "premiere-etape").replace(
        "organisation: drihl", "organisation: service-social"
    )
    config = config.replace("schemes: [fsl, aides-au-logement-caf]", "schemes: [aide-exemple]")
    config = config.replace("chapter: aides-locataire-solvable", "chapter: premier-impaye").replace(
        "schemes: [ccapex]", "schemes: []"
    )
    config = re.sub(r"  sections:.*\n(    - .*\n)+", "  sections:\n    - parler-au-locataire\n", config)
    (root / "content" / "courriers.yml").write_text(config, encoding="utf-8")
    # the letters count the stage's own delays: the made-up stage gets both, by lease date, as the real one has
    stage = root / "referentiel/etapes/01-premiere-etape.yml"
    delays = (
        "  - label: 6 semaines pour agir\n    duration: {weeks: 6}\n    lease_signed: {since: 2023-07-29}\n"
        "    ends: Votre délai se termine le\n    passed: Il est encore temps.\n    references: [loi-exemple]\n"
        "  - label: 2 mois pour agir\n    duration: {months: 2}\n    lease_signed: {before: 2023-07-29}\n"
        "    ends: Votre délai se termine le\n    passed: Il est encore temps.\n    references: [loi-exemple]\n"
    )
    text = stage.read_text(encoding="utf-8")
    stage.write_text(text.replace("deadlines:\n", "deadlines:\n" + delays, 1), encoding="utf-8")
    shutil.copy(ROOT / "content" / "courriers-colonnes.yml", root / "content")
    build_site(root, as_of=DAY)
    page = (root / "site" / "documents" / "index.html").read_text(encoding="utf-8")
    assert "Modèle de courrier au ménage après un commandement de payer" in page
    assert "Modèle de courrier au propriétaire après un commandement de payer" in page
    household = pdf_text(root / "site" / "documents" / "modele-courrier-menage.pdf")
    assert "[Civilité Prénom Nom]" in household and "[date de fin du délai]" in household
    assert "[Nom du bailleur]" in pdf_text(root / "site" / "documents" / "modele-courrier-bailleur.pdf")
    assert not any("Zorglub" in p.read_text(errors="ignore") for p in (root / "site").rglob("*.html"))
    # an edit the model letters do not show does not render them again (issue 12)
    edit(root, "directory/association-quartier-deux.yml", "Association du deuxième", "Association renommée du deuxième")
    models = [d for d in build_site(root, as_of=DAY).printed.documents if d.layout == "courrier"]
    assert len(models) == 2 and all(d.cached for d in models)
