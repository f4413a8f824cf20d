"""Dated contacts: flagged after 12 months, withdrawn after 18, as of the build day (`--date`)."""

from __future__ import annotations

import datetime as dt
import html
import subprocess
import sys
from pathlib import Path

from evictionportal.freshness import months_before
from evictionportal.load import load_sources
from evictionportal.pages import render_pages
from evictionportal.relations import visible_sources
from tests.conftest import ROOT, edit

PHONE = "01 23 45 67 89"  # association-quartier-deux, verified on 2026-10-01 in the fixture


def pages_as_of(tree: Path, day: str) -> dict[str, str]:
    sources = load_sources(tree, dt.date.fromisoformat(day))
    return {p.path: html.unescape(p.markdown) for p in render_pages(visible_sources(sources, include_drafts=False))}


def validate(tree: Path, day: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--root", str(tree), "validate", "--date", day],
        capture_output=True,
        text=True,
    )


def test_freshness_contact_flagged_after_12_months_then_withdrawn_after_18(tree: Path) -> None:
    fresh = pages_as_of(tree, "2027-09-30")
    card = "professionnels/annuaire/association-quartier-deux.md"
    assert PHONE in fresh["pres-de-chez-moi/2.md"]
    assert "— *vérifié le 1er octobre 2026 ; source : Jeu d'essai*" in fresh[card]
    assert "à revérifier" not in fresh[card]

    flagged = pages_as_of(tree, "2027-10-02")
    assert PHONE in flagged["pres-de-chez-moi/2.md"]
    assert "revérifier" not in flagged["pres-de-chez-moi/2.md"]  # tenants see the number, not our bookkeeping
    assert (
        f"{PHONE}](tel:+33123456789) — *vérifié le 1er octobre 2026 ; source : Jeu d'essai* — **à revérifier**"
        in (flagged[card])
    )

    withdrawn = pages_as_of(tree, "2028-04-02")
    assert all(PHONE not in text for text in withdrawn.values())


def test_freshness_validate_with_date_lists_stale_contacts(tree: Path) -> None:
    assert validate(tree, "2027-06-01").stderr == ""
    result = validate(tree, "2028-04-02")
    assert result.returncode == 0
    assert (
        "directory/association-quartier-deux.yml:9: contacts[0]: « 01 23 45 67 89 » vérifiée le 1er octobre 2026, "
        "plus de 18 mois : retirée des pages et des PDF ; faites-la confirmer par l'organisme"
    ) in result.stderr.splitlines()
    assert "ligne-exemple.yml:8: contacts[0]: « 0 805 160 075 » vérifiée le 26 novembre 2026, plus de 12 mois" in (
        result.stderr
    )


def test_freshness_periods_come_from_the_territory_file(tree: Path) -> None:
    periods = "directory_freshness:\n  recheck_after_months: 1\n  unpublish_after_months: 2\n"
    edit(tree, "content/territoire.yml", "hotlines:", periods + "hotlines:")
    assert PHONE not in pages_as_of(tree, "2027-01-02")["pres-de-chez-moi/2.md"]
    edit(tree, "content/territoire.yml", "unpublish_after_months: 2", "unpublish_after_months: 1")
    result = validate(tree, "2027-01-02")
    assert result.returncode == 1
    assert "directory_freshness: unpublish_after_months doit être plus grand que recheck_after_months" in result.stderr


def test_freshness_months_before_keeps_the_day_or_the_month_end() -> None:
    assert months_before(dt.date(2028, 4, 2), 18) == dt.date(2026, 10, 2)
    assert months_before(dt.date(2027, 3, 31), 1) == dt.date(2027, 2, 28)
