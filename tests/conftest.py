"""Shared fixtures: a small, made-up source tree that tests copy and break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = Path(__file__).parent / "fixtures" / "minimal"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A writable copy of the minimal source tree (made-up organisations and people)."""
    target = tmp_path / "project"
    shutil.copytree(MINIMAL, target)
    return target


def edit(tree: Path, relative: str, old: str, new: str) -> None:
    """Change one piece of text in one source file; fail loudly if it is not there."""
    path = tree / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
