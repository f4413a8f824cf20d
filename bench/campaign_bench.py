"""Time a yearly campaign and an import on a copy of the real directory.

Run: .venv/bin/python bench/campaign_bench.py. The baseline is loading the
sources (what every `annuaire` command does first); the campaign (every
organisation's packet PDF, XLSX, ODS and message) and the import of one
« aucun changement » return per organisation are reported against it.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from openpyxl import load_workbook  # noqa: E402

from evictionportal.campaign.returns import import_returns  # noqa: E402
from evictionportal.campaign.send import run_campaign  # noqa: E402
from evictionportal.load import load_sources  # noqa: E402


def timed(function, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


def fill_no_change(sent: Path, target: Path) -> Path:
    book = load_workbook(sent)
    for row in book.active.iter_rows(min_row=2):
        if row[0].value == "repondant":
            row[4].value = "Service de test"
        if row[0].value == "aucun_changement":
            row[4].value = "oui"
    book.save(target)
    return target


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder) / "project"
        for name in ("content", "directory", "referentiel", "flyers"):
            shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("campagnes", "chiffres"))
        sources, load_seconds = timed(load_sources, project, dt.date(2027, 3, 1))
        report, campaign_seconds = timed(run_campaign, sources, 2027, Path(folder) / "envoi")
        returns = [
            fill_no_change(p, Path(folder) / f"retour-{p.parent.name}.xlsx")
            for p in sorted((Path(folder) / "envoi").glob("*/reponse-*.xlsx"))
        ]
        later = load_sources(project, dt.date(2027, 3, 20))
        _, dry_seconds = timed(import_returns, later, returns, dry_run=True)
        _, import_seconds = timed(import_returns, later, returns, dry_run=False)
    count = report.organisations
    print(f"chargement des sources (base)   : {load_seconds:6.2f} s")
    print(
        f"campagne, {count} organismes       : {campaign_seconds:6.2f} s "
        f"({campaign_seconds / load_seconds:.0f} × la base, {campaign_seconds / count:.2f} s par organisme)"
    )
    n = len(returns)
    print(f"import à blanc, {n} retours      : {dry_seconds:6.2f} s ({dry_seconds / load_seconds:.1f} × la base)")
    print(f"import, {n} retours              : {import_seconds:6.2f} s ({import_seconds / load_seconds:.1f} × la base)")


if __name__ == "__main__":
    main()
