"""The command line: every command has help, errors exit 1 with the full list, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from evictionportal.cli import COMMANDS
from evictionportal.schema import ALL_SOURCE_KINDS
from tests.conftest import ROOT, edit


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], capture_output=True, text=True, cwd=ROOT)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_cli_every_command_has_help(command: str) -> None:
    result = run(command, "--help")
    assert result.returncode == 0
    assert COMMANDS[command][1] in " ".join(result.stdout.split())


def test_cli_bad_sources_exit_1_with_every_problem(tree: Path) -> None:
    edit(tree, "directory/service-social.yml", "kind: collectivite", "kind: mairie")
    edit(tree, "referentiel/references.yml", "url: https://www.legifrance.gouv.fr/", "url: ftp://x")
    result = run("--root", str(tree), "validate")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith(
        "directory/service-social.yml:3: kind: valeur « mairie » non prévue ; "
        "attendu : une de ces valeurs : etat, collectivite,"
    )
    assert lines[1].startswith("referentiel/references.yml:4: references[0].url: lien invalide « ftp://x »")
    assert lines[-1] == "2 problèmes dans les sources : rien n'a été publié, le site précédent est intact."


def test_cli_schema_writes_one_json_schema_per_kind(tree: Path) -> None:
    result = run("--root", str(tree), "schema")
    assert result.returncode == 0
    written = sorted(p.name for p in (tree / "schemas").glob("*.schema.json"))
    assert "organisations.schema.json" in written and len(written) == len(ALL_SOURCE_KINDS)
    assert "Identifiant court" in (tree / "schemas/organisations.schema.json").read_text()


def test_cli_committed_json_schemas_are_up_to_date() -> None:
    """Editors read schemas/ from the repository: it must match the model."""
    from evictionportal.jsonschema import as_text, editor_settings, json_schemas

    for name, schema in json_schemas().items():
        assert (ROOT / "schemas" / name).read_text(encoding="utf-8") == as_text(schema), (
            f"schemas/{name} is stale: run `python build.py schema`"
        )
    assert (ROOT / ".vscode/settings.json").read_text(encoding="utf-8") == as_text(editor_settings())


@pytest.mark.parametrize(
    ("value", "said"),
    [("2026-02-30", "le 30 février 2026 n'existe pas"), ("2027-13-01", "pas de mois 13"), ("demain", "AAAA-MM-JJ")],
)
def test_cli_impossible_build_date_is_a_french_usage_error(value: str, said: str) -> None:
    result = run("validate", "--date", value)
    assert result.returncode == 2
    assert said in result.stderr and "Traceback" not in result.stderr


# ------------------------------------------------------------------ dates and folders


def test_cli_build_date_before_the_latest_verification_is_refused_by_validate_and_build(tree: Path) -> None:
    """A « 1er janvier 1999 » edition would say « Vérifié le 26 novembre 2026 » (the fixture's latest)."""
    said = (
        "--date 1999-01-01 : avant la dernière vérification de ce qui serait publié (content/pages/accueil.yml : "
        "vérifié le 26 novembre 2026) ; une édition du 1er janvier 1999 dirait « Vérifié le 26 novembre 2026 » ; "
        "attendu : une date à partir du 26 novembre 2026"
    )
    for command in ("validate", "build"):
        result = run("--root", str(tree), command, "--date", "1999-01-01")
        assert (result.returncode, result.stderr.strip().split("\n")[-1].split(" (")[0]) == (1, said.split(" (")[0])
        assert "vérifié le 26 novembre 2026" in result.stderr and "Traceback" not in result.stderr
    assert not (tree / "site").exists()
    assert run("--root", str(tree), "validate", "--date", "2026-11-26").returncode == 0


def test_cli_build_date_more_than_two_years_ahead_is_refused(tree: Path) -> None:
    import datetime as dt

    far = dt.date.today().replace(day=1, year=dt.date.today().year + 3).isoformat()
    result = run("--root", str(tree), "validate", "--date", far)
    assert result.returncode == 1 and f"--date {far} : plus de 2 ans après aujourd'hui" in result.stderr


def test_cli_busy_target_folder_is_refused_first_and_nothing_is_left(tree: Path) -> None:
    """Another build writing the same site (its lock held by a running process) is refused at once."""
    site = tree / "site"
    lock = tree / ".site.verrou"
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        lock.write_text(str(holder.pid))
        result = run("--root", str(tree), "build")
        assert result.returncode == 1
        assert result.stderr.strip() == (
            f"{site} : dossier occupé, un autre build l'écrit en ce moment (processus {holder.pid}) ; "
            "attendez qu'il finisse, puis relancez"
        )
        assert not site.exists() and not (tree / ".site.nouveau").exists()
        assert [p.name for p in (tree / "build").iterdir() if p.name.startswith("site-")] == []
    finally:
        holder.kill()
        holder.wait()
    # Its process gone, the lock is stale: the next build takes it over and removes it.
    result = run("--root", str(tree), "build")
    assert result.returncode == 0, result.stderr
    assert (site / "index.html").exists() and not lock.exists() and not (tree / ".site.nouveau").exists()


def test_cli_target_that_is_a_file_or_cannot_be_created_is_refused_in_french(tree: Path) -> None:
    (tree / "fichier").write_text("pas un dossier")
    result = run("--root", str(tree), "build", "--site-dir", str(tree / "fichier" / "site"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert (
        result.stderr.strip()
        == f"{tree / 'fichier'} : un fichier de ce nom existe déjà ; le site ne peut pas y être écrit"
    )
    assert "Errno" not in result.stderr and "Not a directory" not in result.stderr


def test_cli_os_errors_are_never_said_in_english() -> None:
    import errno

    from evictionportal.load import os_reason

    for code in (errno.EBUSY, errno.EDQUOT, errno.ENOTEMPTY, errno.EIO, errno.ENXIO, errno.ESTALE):
        reason = os_reason(OSError(code, "English text from the system"))
        assert "English" not in reason and reason[0].islower()


@pytest.mark.parametrize(
    ("key", "kind"),
    [("telephon", "phone"), ("Téléphone", "phone"), ("tel", "phone"), ("email", "email"), ("e-mail", "email"),
     ("adresse", "address"), ("site", "website")],
)  # fmt: skip
def test_cli_contact_written_as_a_top_level_key_says_where_it_goes(tree: Path, key: str, kind: str) -> None:
    edit(tree, "directory/service-social.yml", "\nname:", f'\n{key}: "01 23 45 67 89"\nname:')
    result = run("--root", str(tree), "validate")
    assert result.returncode == 1
    assert (
        f"champ inconnu « {key} » : " in result.stderr and f"s'écrit dans contacts, avec kind: {kind}" in result.stderr
    )
