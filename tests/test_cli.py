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
