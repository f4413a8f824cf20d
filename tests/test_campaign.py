"""The yearly campaign on the real directory: send, fill (as a partner would), import, state.

The returns are made up in the tests: invented phone numbers and answers, never a real person.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from evictionportal.campaign import spreadsheet
from evictionportal.campaign.returns import ReturnErrors, diff_lines, import_returns
from evictionportal.campaign.send import return_rows, run_campaign
from evictionportal.errors import PortalError
from evictionportal.load import Sources, load_sources
from evictionportal.pages import render_pages
from evictionportal.relations import visible_sources
from tests.conftest import ROOT

SOURCE_FOLDERS = ("content", "directory", "referentiel", "flyers")
YEAR = 2027


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(ROOT / "build.py"), "--root", str(root), "annuaire", *args]
    return subprocess.run(command, capture_output=True, text=True)


def copy_sources(target: Path) -> Path:
    for folder in SOURCE_FOLDERS:
        shutil.copytree(ROOT / folder, target / folder, ignore=shutil.ignore_patterns("campagnes", "chiffres"))
    return target


@pytest.fixture(scope="module")
def campaign(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy of the real sources and the campaign sent from it on 1 March 2027."""
    base = tmp_path_factory.mktemp("campaign")
    root = copy_sources(base / "project")
    out = base / "envoi"
    result = run(root, "campagne", "--annee", str(YEAR), "--sortie", str(out), "--date", "2027-03-01")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Campagne {YEAR} : 47 organismes, 188 fichiers dans {out}")
    return root, out


@pytest.fixture
def project(campaign: tuple[Path, Path], tmp_path: Path) -> Path:
    """A fresh copy of the project as the campaign left it, for a test that imports into it."""
    return Path(shutil.copytree(campaign[0], tmp_path / "project"))


def fill_xlsx(sent: Path, target: Path, answers: dict[str, str]) -> Path:
    """What a partner does in Excel: type in the « Votre réponse » column, save."""
    book = load_workbook(sent)
    for row in book.active.iter_rows(min_row=2):
        if row[0].value in answers:
            row[4].value = answers[row[0].value]
    book.save(target)
    return target


_LOADED: dict[Path, Sources] = {}


def import_here(root: Path, *paths: Path, dry_run: bool = False) -> str:
    """The importer in this process (faster than the command line): its diff, or its French error.
    A dry run reuses the sources already loaded from the same folder (it changes nothing)."""
    sources = _LOADED.get(root) if dry_run else None
    sources = sources or load_sources(root, dt.date(2027, 3, 20))
    if dry_run:
        _LOADED[root] = sources
    try:
        return "\n".join(diff_lines(import_returns(sources, list(paths), dry_run=dry_run), root))
    except ReturnErrors as error:
        return str(error)


def sent_token(out: Path, org_id: str) -> str:
    """The sending's code, as written in the return file the organisation received."""
    sheet = load_workbook(out / org_id / f"reponse-{org_id}-{YEAR}.xlsx").active
    return next(row[2] for row in sheet.iter_rows(values_only=True) if row[0] == "code_envoi")


def filled_rows(campaign: tuple[Path, Path], org_id: str, answers: dict[str, str]) -> list[list[str]]:
    """The return file sent to `org_id`, answered, as rows (to save as ODS or CSV)."""
    root, out = campaign
    sources = load_sources(root, dt.date(2027, 3, 1))
    from evictionportal.campaign.send import indicators_asked

    indicators = indicators_asked(sources).get(org_id, [])
    rows = return_rows(sources.organisations[org_id], YEAR, indicators, sent_token(out, org_id))
    return [[*row[:4], answers.get(row[0], row[4])] for row in rows]


# ------------------------------------------------------------------ sending


def test_campaign_writes_a_packet_a_return_file_and_a_message_per_organisation(campaign: tuple[Path, Path]) -> None:
    root, out = campaign
    folders = sorted(p.name for p in out.iterdir() if p.is_dir())
    assert len(folders) == 47 and "mairie-20" in folders
    packet = PdfReader(out / "drihl" / f"dossier-drihl-{YEAR}.pdf")
    text = " ".join(page.extract_text() for page in packet.pages)
    assert packet.metadata.title == f"Mise à jour de l'annuaire {YEAR}"
    assert packet.trailer["/Root"]["/Lang"] == "fr"
    assert "Où vous apparaissez" in text and "Charte, action 2" in text
    assert f"Vos chiffres {YEAR - 1}" in text and "Nombre de CDP reçus" in text
    mairie = " ".join(p.extract_text() for p in PdfReader(out / "mairie-20" / f"dossier-mairie-20-{YEAR}.pdf").pages)
    assert "6 place Gambetta" in mairie and "27 novembre" in mairie and "publiée" in mairie

    sheet = load_workbook(out / "mairie-20" / f"reponse-mairie-20-{YEAR}.xlsx").active
    lines = {row[0]: row for row in sheet.iter_rows(values_only=True)}
    assert lines["contacts[1].value"][2] == "3975" and lines["contacts[1].value"][3] == "27 novembre 2026"
    assert lines["aucun_changement"][1].startswith("Tout est exact ?")
    ods = spreadsheet.read_sheet(out / "mairie-20" / f"reponse-mairie-20-{YEAR}.ods")
    assert ods.rows[0][1] == list(lines["Champ"])

    message = (out / "mairie-20" / "message-mairie-20.txt").read_text(encoding="utf-8")
    assert "reponse-mairie-20-2027.xlsx" in message and "Mairie du 20e arrondissement" in message
    tracking = (out / f"suivi-campagne-{YEAR}.csv").read_bytes()
    assert tracking.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(tracking.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["organisme", "nom", "fichiers envoyés", "envoyé le"]
    assert rows[[r[0] for r in rows].index("mairie-20")][:2] == ["mairie-20", "Mairie du 20e arrondissement"]
    record = (root / "directory" / "campagnes" / f"{YEAR}.yml").read_text(encoding="utf-8")
    assert "started: 2027-03-01" in record and "- organisation: mairie-20" in record and "&id" not in record


def test_campaign_never_replaces_a_folder_that_is_not_a_campaign(campaign: tuple[Path, Path], tmp_path: Path) -> None:
    (tmp_path / "mes-documents").mkdir()
    (tmp_path / "mes-documents" / "important.txt").write_text("à garder", encoding="utf-8")
    with pytest.raises(PortalError, match="ne contient pas un envoi de campagne : il serait remplacé"):
        run_campaign(load_sources(campaign[0]), YEAR, tmp_path / "mes-documents")
    assert (tmp_path / "mes-documents" / "important.txt").read_text(encoding="utf-8") == "à garder"


# ------------------------------------------------------------------ importing


def test_import_refuses_everything_when_one_row_is_wrong_then_applies_in_place(
    campaign: tuple[Path, Path], project: Path, tmp_path: Path
) -> None:
    _, out = campaign
    changed = fill_xlsx(
        out / "mairie-20" / f"reponse-mairie-20-{YEAR}.xlsx",
        tmp_path / "retour-mairie-20.xlsx",
        {"repondant": "Accueil", "contacts[1].value": "01 40 00 00 00", "areas": "20, 19"},
    )
    same = tmp_path / "retour-drihl.ods"
    answers = {"repondant": "Service prévention", "aucun_changement": "oui", "chiffre.1": "1 234", "chiffre.2": "980"}
    spreadsheet.write_ods(same, filled_rows(campaign, "drihl", answers), [20] * 5)
    wrong = tmp_path / "retour-caf.csv"  # Excel's « CSV (séparateur : point-virgule) » on French Windows
    rows = filled_rows(campaign, "caf-paris", {"repondant": "Accueil", "nouveau.phone": "01 23", "short_name": "CAF"})
    with wrong.open("w", encoding="cp1252", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(rows)
    before = {p: p.read_bytes() for p in (project / "directory").glob("*.yml")}
    line = next(n for n, row in enumerate(rows, start=1) if row[0] == "nouveau.phone")

    refused = run(project, "importer", str(changed), str(same), str(wrong), "--date", "2027-03-20")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert refused.stderr.splitlines() == [
        f"retour-caf.csv, feuille « CSV », ligne {line} : nouveau.phone : numéro de téléphone invalide « 01 23 » ; "
        "attendu : un numéro français comme 01 23 45 67 89 ou 0 805 160 075",
        "1 problème dans les fichiers de réponse : rien n'a été modifié.",
    ]
    assert before == {p: p.read_bytes() for p in (project / "directory").glob("*.yml")}
    assert not (project / "directory" / "journal-des-modifications.csv").exists()

    trial = import_here(project, changed, same, dry_run=True)
    assert "  contacts[1].value : « 3975 » → « 01 40 00 00 00 »" in trial.splitlines()
    assert before == {p: p.read_bytes() for p in (project / "directory").glob("*.yml")}

    applied = import_here(project, changed, same).splitlines()
    assert "  areas : « 20 » → « 20, 19 »" in applied
    assert "  aucun changement : dates de vérification renouvelées" in applied
    mairie = (project / "directory" / "mairie-20.yml").read_text(encoding="utf-8")
    old = before[project / "directory" / "mairie-20.yml"].decode("utf-8")
    assert mairie.splitlines()[0] == old.splitlines()[0] and mairie.startswith("# Annuaire : Mairie du 20e.")
    assert "areas: [20, 19]" in mairie and 'value: "01 40 00 00 00"' in mairie
    confirmed = (
        'verified: {date: 2027-03-20, by: "Accueil, Mairie du 20e", source: "confirmé par l\'organisme le '
        '20 mars 2027, retour du 20 mars 2027 (retour-mairie-20.xlsx)"}'
    )
    assert mairie.count(confirmed) == 5  # the record and each of its four contacts
    unchanged = [
        line for line in old.splitlines() if "verified" not in line and "3975" not in line and "areas" not in line
    ]
    assert all(line in mairie.splitlines() for line in unchanged)  # comments, order, quotes: all kept
    drihl = (project / "directory" / "drihl.yml").read_text(encoding="utf-8")
    assert drihl.startswith(before[project / "directory" / "drihl.yml"].decode("utf-8"))
    assert drihl.endswith(
        'source: "confirmé par l\'organisme le 20 mars 2027, retour du 20 mars 2027 (retour-drihl.ods)"}\n'
    )

    log = (project / "directory" / "journal-des-modifications.csv").read_text(encoding="utf-8-sig").splitlines()
    assert log[0] == "date;organisme;champ;ancienne valeur;nouvelle valeur;source"
    source = "retour du 2027-03-20 (retour-mairie-20.xlsx), Accueil"
    assert f"2027-03-20;mairie-20;contacts[1].value;3975;01 40 00 00 00;{source}" in log
    assert "2027-03-20;drihl;(toute la fiche);;aucun changement : dates renouvelées;" in "\n".join(log)
    figures = (project / "referentiel" / "chiffres" / f"{YEAR - 1}.yml").read_text(encoding="utf-8")
    assert "- indicator: Nombre de CDP reçus\n        value: 1234" in figures

    from evictionportal.campaign.commands import state_lines

    assert state_lines(load_sources(project, dt.date(2027, 3, 21)))[0] == (
        "Mise à jour de l'annuaire 2027 : 2 organismes sur 47 ont confirmé (campagne lancée le 1er mars 2027)."
    )
    sources = load_sources(project, dt.date(2027, 3, 21))
    assert sources.organisations["mairie-20"].areas == [20, 19]
    pages = {p.path: p for p in render_pages(visible_sources(sources, include_drafts=False))}
    update = pages["professionnels/mise-a-jour-annuaire.md"]
    assert update.title == "Mise à jour de l'annuaire 2027 : 2 organismes sur 47 ont confirmé"
    assert "- [Mairie du 20e arrondissement](annuaire/mairie-20.md) : le 20 mars 2027" in update.markdown
    assert "Mairie du 20e" in pages["pres-de-chez-moi/19.md"].markdown  # the new arrondissement it serves


def test_import_refuses_an_answer_to_a_value_changed_since_sending(
    campaign: tuple[Path, Path], project: Path, tmp_path: Path
) -> None:
    record = project / "directory" / "mairie-20.yml"
    record.write_text(record.read_text(encoding="utf-8").replace('value: "3975"', 'value: "01 40 00 00 01"'))
    answer = fill_xlsx(
        campaign[1] / "mairie-20" / f"reponse-mairie-20-{YEAR}.xlsx",
        tmp_path / "ancien.xlsx",
        {"repondant": "Accueil", "contacts[1].value": "01 40 00 00 02"},
    )
    assert import_here(project, answer).splitlines()[0] == (
        "ancien.xlsx, feuille « Fiche », ligne 15 : contacts[1].value : la fiche a changé depuis l'envoi "
        "(envoyé : « 3975 », aujourd'hui : « 01 40 00 00 01 ») ; appliquez cette réponse à la main "
        "ou renvoyez le fichier de réponse à jour"
    )


# ------------------------------------------------------------------ hostile returns


def test_import_never_evaluates_a_formula_and_keeps_markup_as_text(
    campaign: tuple[Path, Path], project: Path, tmp_path: Path
) -> None:
    _, out = campaign
    sent = out / "cresus-idf" / f"reponse-cresus-idf-{YEAR}.xlsx"
    formula = fill_xlsx(
        sent, tmp_path / "formule.xlsx", {"repondant": "Accueil", "name": '=HYPERLINK("https://x.test")'}
    )
    assert "formule.xlsx, feuille « Fiche », ligne 7 : name : formule ignorée" in import_here(project, formula)

    markup = fill_xlsx(
        sent, tmp_path / "balise.xlsx", {"repondant": "<b>Accueil</b>", "role": "<script>alert(1)</script> Aide."}
    )
    assert "  role : « " in import_here(project, markup)
    sources = visible_sources(load_sources(project, dt.date(2027, 3, 21)), include_drafts=False)
    page = next(p.markdown for p in render_pages(sources) if p.path == "professionnels/annuaire/cresus-idf.md")
    role = page.split("## Son rôle", 1)[1].split("\n\n", 2)[1]
    assert html.unescape(role) == "<p><script>alert(1)</script> Aide.</p>"  # shown as text: escaped in the page
    assert "<script>alert" not in page and "\\u003cscript\\u003ealert(1)" in page  # JSON-LD escaped too


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("vide.xlsx", b"", "le fichier est vide"),
        ("gros.csv", b"x" * 2_100_000, "au plus 2000 Ko sont acceptés"),
        ("ancien.xls", b"\xd0\xcf\x11\xe0", "format « .xls » non pris en charge"),
        ("faux.xlsx", b"PK pas un zip", "ce n'est pas un vrai fichier .xlsx"),
    ],
)
def test_import_unreadable_files_are_named_in_french(
    campaign: tuple[Path, Path], tmp_path: Path, name: str, content: bytes, said: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert import_here(campaign[0], path, dry_run=True).startswith(f"{name} : ")
    assert said in import_here(campaign[0], path, dry_run=True)


def test_import_refuses_macros_and_zip_bombs(campaign: tuple[Path, Path], tmp_path: Path) -> None:
    macro = tmp_path / "macro.xlsx"
    shutil.copyfile(campaign[1] / "adil-paris" / f"reponse-adil-paris-{YEAR}.xlsx", macro)
    with zipfile.ZipFile(macro, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"Sub AutoOpen()")
    bomb = tmp_path / "bombe.ods"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("content.xml", b"0" * 40_000_000)
    assert import_here(campaign[0], macro, bomb, dry_run=True).splitlines() == [
        "bombe.ods : fichier endommagé ou piégé : le fichier décompressé est anormalement gros ; il n'a pas été lu",
        "macro.xlsx : le fichier contient des macros ; enregistrez-le sans macros (.xlsx ou .ods) et renvoyez-le",
        "2 problèmes dans les fichiers de réponse : rien n'a été modifié.",
    ]


def test_import_reads_csv_in_the_encodings_spreadsheets_save(campaign: tuple[Path, Path], tmp_path: Path) -> None:
    rows = filled_rows(campaign, "fapil", {"repondant": "Délégation générale", "aucun_changement": "oui"})
    for encoding, delimiter in (("utf-8-sig", ";"), ("utf-16", "\t"), ("cp1252", ","), ("utf-8", ";")):
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=delimiter).writerows(rows)
        path = tmp_path / f"fapil-{encoding}.csv"
        path.write_bytes(buffer.getvalue().encode(encoding))
        assert "  aucun changement : dates de vérification renouvelées" in import_here(campaign[0], path, dry_run=True)


def test_spreadsheet_writer_keeps_a_leading_equals_sign_as_text(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    spreadsheet.write_xlsx(path, [["Champ", "=1+1"]], [10, 10])
    cell = load_workbook(path).active["B1"]
    assert cell.value == "=1+1" and cell.data_type == "s"


# ------------------------------------------------------------------ a return changes only its own organisation


def edit_xlsx(sent: Path, target: Path, cells: dict[tuple[str, int], str]) -> Path:
    """What a careless or hostile partner does: write in any column of any line ((code, column): value)."""
    book = load_workbook(sent)
    for row in book.active.iter_rows(min_row=2):
        for (code, column), value in cells.items():
            if row[0].value == code:
                row[column - 1].value = value
    book.save(target)
    return target


def project_files(root: Path) -> dict[str, bytes]:
    """Every file of the project, hidden ones included (a stale temporary file would show here)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_import_applies_a_return_to_the_organisation_it_was_sent_to_only(
    campaign: tuple[Path, Path], project: Path, tmp_path: Path
) -> None:
    sent = campaign[1] / "mairie-20" / f"reponse-mairie-20-{YEAR}.xlsx"
    answers = {("repondant", 5): "Accueil", ("name", 5): "Mairie piratée"}
    forged = edit_xlsx(sent, tmp_path / "retour.xlsx", {**answers, ("organisme", 3): "drihl"})
    before = project_files(project)
    said = import_here(project, forged)
    assert "retour.xlsx, feuille « Fiche », ligne 2 : organisme : retour.xlsx a été envoyé à « mairie-20 » " in said
    assert "mais cette ligne dit « drihl » : elle ne se modifie pas ; rien n'est appliqué" in said
    year = edit_xlsx(sent, tmp_path / "annee.xlsx", {**answers, ("campagne", 3): "2026"})
    assert "ligne 3 : campagne : annee.xlsx a été envoyé à « mairie-20 » pour la campagne 2027" in import_here(
        project, year
    )
    code = edit_xlsx(sent, tmp_path / "code.xlsx", {**answers, ("code_envoi", 3): "0" * 35})
    assert "code_envoi : code de l'envoi inconnu : code.xlsx ne correspond à aucun envoi" in import_here(project, code)
    gone = edit_xlsx(sent, tmp_path / "sans-code.xlsx", {**answers, ("code_envoi", 3): None})
    assert "code_envoi : code de l'envoi absent" in import_here(project, gone)
    # Another organisation's code (a partner who saw two files) binds the file to that organisation, not to the id cell.
    other = edit_xlsx(sent, tmp_path / "autre.xlsx", {**answers, ("code_envoi", 3): sent_token(campaign[1], "drihl")})
    said = import_here(project, other)
    assert (
        "organisme : autre.xlsx a été envoyé à « drihl » pour la campagne 2027, mais cette ligne dit « mairie-20 »"
        in said
    )
    written = edit_xlsx(sent, tmp_path / "ecrit.xlsx", {**answers, ("organisme", 5): "drihl", ("code_envoi", 5): "x"})
    said = import_here(project, written).splitlines()
    last = load_workbook(written).active.max_row
    assert said[:2] == [
        f"ecrit.xlsx, feuille « Fiche », ligne {line} : {code} : ligne à ne pas modifier : rien ne s'écrit dans "
        "« Votre réponse » sur cette ligne"
        for line, code in ((2, "organisme"), (last, "code_envoi"))
    ]
    assert project_files(project) == before  # nothing written, no change log


def test_import_reports_a_line_repeated_to_smuggle_a_value(
    campaign: tuple[Path, Path], project: Path, tmp_path: Path
) -> None:
    rows = filled_rows(campaign, "fapil", {"repondant": "Accueil", "aucun_changement": "oui"})
    rows.append(["organisme", "Identifiant de la fiche (ne pas modifier)", "drihl", "", ""])
    path = tmp_path / "double.csv"
    path.write_bytes("\n".join(";".join(row) for row in rows).encode("utf-8"))
    assert f"double.csv, feuille « CSV », ligne {len(rows)} : organisme : ligne en double (déjà ligne 2)" in (
        import_here(project, path)
    )


def returns_of_a_batch(campaign: tuple[Path, Path], folder: Path) -> list[Path]:
    folder.mkdir(exist_ok=True)
    changed = fill_xlsx(
        campaign[1] / "mairie-20" / f"reponse-mairie-20-{YEAR}.xlsx",
        folder / "retour-mairie-20.xlsx",
        {"repondant": "Accueil", "contacts[1].value": "01 40 00 00 00", "name": "Mairie du 20e"},
    )
    figures = folder / "retour-drihl.ods"
    answers = {"repondant": "Service prévention", "aucun_changement": "oui", "chiffre.1": "1 234", "chiffre.2": "980"}
    spreadsheet.write_ods(figures, filled_rows(campaign, "drihl", answers), [20] * 5)
    same = folder / "retour-fapil.csv"
    rows = filled_rows(campaign, "fapil", {"repondant": "Délégation générale", "aucun_changement": "oui"})
    same.write_bytes("\n".join(";".join(row) for row in rows).encode("utf-8"))
    return [changed, figures, same]


KILLER = """
import os, runpy, signal, sys
calls, kill_at = 0, int(sys.argv[1])
replace = os.replace
def dying(*args, **kwargs):
    global calls
    calls += 1
    if calls == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)
    return replace(*args, **kwargs)
os.replace = dying
sys.argv = [sys.argv[2], *sys.argv[3:]]
sys.path.insert(0, os.path.dirname(sys.argv[0]))
runpy.run_path(sys.argv[0], run_name="__main__")
"""


@pytest.mark.parametrize("kill_at", [1, 3], ids=["before-the-commit", "half-applied"])
def test_import_killed_in_the_middle_then_run_again_ends_as_an_uninterrupted_run(
    campaign: tuple[Path, Path], tmp_path: Path, kill_at: int
) -> None:
    returns = [str(p) for p in returns_of_a_batch(campaign, tmp_path / "retours")]
    arguments = ["importer", *returns, "--date", "2027-03-20"]
    reference = Path(shutil.copytree(campaign[0], tmp_path / "reference"))
    assert run(reference, *arguments).returncode == 0
    expected = project_files(reference)
    assert "directory/journal-des-modifications.csv" in expected and "referentiel/chiffres/2026.yml" in expected

    killed = Path(shutil.copytree(campaign[0], tmp_path / "tue"))
    before = project_files(killed)
    command = [sys.executable, "-c", KILLER, str(kill_at), str(ROOT / "build.py"), "--root", str(killed), "annuaire"]
    assert subprocess.run([*command, *arguments], capture_output=True).returncode == -9  # killed
    assert (killed / "directory" / ".ecriture-en-cours").is_dir()
    if kill_at == 1:  # killed before the commit: no record was touched
        assert {k: v for k, v in project_files(killed).items() if ".ecriture-en-cours" not in k} == before

    again = run(killed, *arguments)
    assert again.returncode == 0, again.stderr
    said = "terminée" if kill_at > 1 else "annulée : aucun fichier n'avait été modifié"
    assert again.stderr.startswith(f"écriture interrompue {said}")
    assert project_files(killed) == expected  # records, figures, change log and campaign record: byte for byte

    once_more = run(killed, *arguments)
    assert once_more.stdout.splitlines()[-1] == "aucun fichier modifié"
    assert "retour-drihl.ods : déjà importé le 20 mars 2027 (retour-drihl.ods) ; rien à refaire" in once_more.stdout
    assert project_files(killed) == expected


def test_import_refuses_an_answer_to_a_dated_field_and_keeps_its_periods(
    campaign: tuple[Path, Path], project: Path, tmp_path: Path
) -> None:
    """The CAF's role is written once per period (until 31 December 2026, from 1 January 2027): a return cannot
    say which period it means, and applying another answer must not flatten the periods into one value."""
    sent = campaign[1] / "caf-paris" / f"reponse-caf-paris-{YEAR}.xlsx"
    dated = fill_xlsx(sent, tmp_path / "role.xlsx", {"repondant": "Accueil", "role": "Un autre rôle."})
    assert "role : ce champ change à une date connue dans directory/caf-paris.yml" in import_here(project, dated)
    other = fill_xlsx(sent, tmp_path / "sigle.xlsx", {"repondant": "Accueil", "short_name": "CAF 75"})
    assert "short_name : « CAF de Paris » → « CAF 75 »" in import_here(project, other)
    text = (project / "directory" / "caf-paris.yml").read_text(encoding="utf-8")
    assert "short_name: CAF 75" in text
    assert "role:\n  - until: 2026-12-31\n    value: >-" in text and "  - from: 2027-01-01\n" in text
