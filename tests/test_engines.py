"""A second site engine: Zensical, Material's successor, builds the same generated tree.

Material for MkDocs is in maintenance mode; Zensical reads the same mkdocs.yml.
Building with both on every `make test` shows early what a switch would break.
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from evictionportal.build import generate_docs
from evictionportal.load import load_sources
from evictionportal.schema import Edition
from evictionportal.search import site_pages
from evictionportal.site import engine_config, run_mkdocs, write_engine_config
from tests.conftest import ROOT


def expected_pages(docs_dir: Path) -> set[str]:
    """The HTML file each Markdown page becomes with use_directory_urls."""
    pages = set()
    for md in docs_dir.rglob("*.md"):
        relative = md.relative_to(docs_dir).as_posix().removesuffix(".md")
        is_index = relative == "index" or relative.endswith("/index")
        pages.add(relative + ".html" if is_index else relative + "/index.html")
    return pages


def built_pages(site_dir: Path) -> set[str]:
    return {p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.html")} - {"404.html"}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real content as the engines see it: a Markdown tree and a configuration with relative folders."""
    work = tmp_path_factory.mktemp("engines")
    # The local-authority edition: Material's, the theme Zensical succeeds (the State edition has its own templates).
    sources = dataclasses.replace(load_sources(ROOT), edition=Edition.collectivite)
    _, nav = generate_docs(sources, work / "docs")
    config = engine_config(ROOT, sources, nav, work / "docs")
    # Zensical 0.0.73 panics ("invariant: Id(Format(Path(RootDir)))") on absolute folders.
    config.update(docs_dir="docs", site_dir="site")
    write_engine_config(config, work / "mkdocs.yml")
    return work


@pytest.fixture(scope="module")
def zensical_build(generated: Path) -> subprocess.CompletedProcess[str]:
    zensical = shutil.which("zensical", path=str(Path(sys.executable).parent))
    assert zensical, "zensical n'est pas installé : `make test` l'installe (requirements.lock)"
    return subprocess.run(
        [zensical, "build", "--clean", "-f", "mkdocs.yml"], cwd=generated, capture_output=True, text=True
    )


def test_engines_zensical_builds_every_page(generated: Path, zensical_build: subprocess.CompletedProcess[str]) -> None:
    assert zensical_build.returncode == 0, zensical_build.stderr[-2000:]
    assert built_pages(generated / "site") == expected_pages(generated / "docs")


def test_engines_mkdocs_and_zensical_produce_the_same_pages(
    generated: Path, zensical_build: subprocess.CompletedProcess[str], tmp_path: Path
) -> None:
    mkdocs_site = tmp_path / "mkdocs-site"
    run_mkdocs(generated / "mkdocs.yml", mkdocs_site)
    assert built_pages(mkdocs_site) == built_pages(generated / "site")
    # The search index is read from the HTML either engine wrote: the same pages, titles and sections.
    sites = (mkdocs_site, generated / "site")
    indexed = [{(p.url, p.title, len(p.sections)) for p in site_pages(site)} for site in sites]
    assert indexed[0] == indexed[1] and len(indexed[0]) > 100
