"""The editors' preview: drafts shown and marked, bad sources reported without losing the last preview."""

from __future__ import annotations

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
    assert "Étape 1 sur 2." in (tmp_path / "docs/etapes/premiere-etape.md").read_text()


def test_preview_bad_source_keeps_last_good_preview(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    regenerate(tree, tmp_path)
    before = (tmp_path / "docs/index.md").read_text()
    edit(tree, "content/pages/accueil.yml", "order: 1", "order: un")
    assert regenerate(tree, tmp_path) is None
    assert "content/pages/accueil.yml:2: order: nombre entier attendu" in capsys.readouterr().err
    assert (tmp_path / "docs/index.md").read_text() == before
