"""The editors' preview: drafts shown and marked, bad sources reported without losing the last preview."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from evictionportal.preview import regenerate
from tests.conftest import edit


def test_preview_shows_drafts_with_a_banner(tree: Path, tmp_path: Path) -> None:
    config = regenerate(tree, tmp_path)
    assert config is not None and config.exists()
    draft = (tmp_path / "docs/etapes/deuxieme-etape.md").read_text()
    assert '!!! warning "Brouillon"' in draft
    assert "Brouillon" not in (tmp_path / "docs/etapes/premiere-etape.md").read_text()
    assert "Étape 1 sur 2<" in (tmp_path / "docs/etapes/premiere-etape.md").read_text()


def test_preview_bad_source_keeps_last_good_preview(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    regenerate(tree, tmp_path)
    before = (tmp_path / "docs/index.md").read_text()
    edit(tree, "content/pages/accueil.yml", "order: 1", "order: un")
    assert regenerate(tree, tmp_path) is None
    assert "content/pages/accueil.yml:2: order: nombre entier attendu" in capsys.readouterr().err
    assert (tmp_path / "docs/index.md").read_text() == before


def test_preview_rewrites_only_the_pages_an_edit_changes(tree: Path, tmp_path: Path) -> None:
    """The preview's engine re-renders the files whose date changed: one organisation edited, a few pages."""
    config = regenerate(tree, tmp_path)
    assert config is not None
    files = [path for path in (tmp_path / "docs").rglob("*") if path.is_file()] + [config]
    for path in files:
        os.utime(path, (1000, 1000))
    edit(tree, "directory/association-quartier-deux.yml", "value: 01 23 45 67 89", "value: 01 23 45 67 00")
    regenerate(tree, tmp_path)
    changed = {path.relative_to(tmp_path).as_posix() for path in files if path.stat().st_mtime != 1000}
    assert changed == {
        "docs/professionnels/annuaire/association-quartier-deux.md",  # its own page
        "docs/pres-de-chez-moi/2.md",  # the area it serves
        "docs/etapes/premiere-etape.md",  # the stage where it helps
    }
