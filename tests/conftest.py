"""Shared fixtures: a small, made-up source tree that tests copy and break."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, sync_playwright

from evictionportal.checks.browser import launch_chromium, watch_csp_violations
from evictionportal.checks.findings import Finding
from evictionportal.checks.tools import AXE_JS

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = Path(__file__).parent / "fixtures" / "minimal"
PHONE = {"width": 390, "height": 844}


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


# ------------------------------------------------------------------ the browser of the journeys and search


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@contextmanager
def phone_tab(browser: Any, axe: bool = False) -> Iterator[Page]:
    """A 390 × 844 touch tab in French (axe-core loaded if asked); the test fails if the
    Content-Security-Policy blocked anything on the way."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="fr-FR")
    if axe:
        context.add_init_script(path=str(AXE_JS))
    tab = context.new_page()
    blocked: list[Finding] = []
    watch_csp_violations(tab, lambda: tab.url, blocked)
    yield tab
    context.close()
    assert not blocked, "\n".join(str(f) for f in blocked)
