"""Stage 3 of the pipeline: hand the generated pages to the site engine.

MkDocs (or Zensical, which reads the same configuration) only sees a folder
of Markdown and a configuration file written here; nothing in the engine
knows about our YAML, so the engine can be swapped.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from .errors import BuildFailed
from .load import Sources
from .pages import Page
from .text import engine_text

ASSETS = Path(__file__).parent / "assets"
# Only the site's own files load, and no script written inside a page runs: a text that slipped through
# every other defence still could not execute. Sent as a <meta> by the theme; a host should also send it
# as an HTTP header, with the others in deploy/nginx-securite.conf (a test keeps the two the same).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-src 'none'"
)
THEME_OVERRIDES = Path(__file__).parent / "theme"


def write_docs(pages: list[Page], docs_dir: Path) -> None:
    """Write the Markdown tree the engine builds from, with our assets."""
    for page in pages:
        target = docs_dir / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.markdown, encoding="utf-8")
    shutil.copytree(ASSETS, docs_dir / "assets", dirs_exist_ok=True)


def engine_config(root: Path, sources: Sources, nav: list[Any], docs_dir: Path) -> dict[str, Any]:
    """The project's mkdocs.yml plus what comes from the sources."""
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    territory = sources.territory
    config.update(
        site_name=engine_text(territory.site_name),
        site_description=engine_text(f"{territory.site_name} : la procédure, les délais, qui peut aider."),
        docs_dir=str(docs_dir.resolve()),
        nav=escaped_nav(nav),
    )
    config["theme"]["custom_dir"] = str(THEME_OVERRIDES)
    config.setdefault("extra", {})["content_security_policy"] = CONTENT_SECURITY_POLICY
    if territory.site_url:
        config["site_url"] = str(territory.site_url)
    return config


def escaped_nav(nav: Any) -> Any:
    """The menu with every title HTML-escaped: the engine's templates print menu titles as HTML."""
    if isinstance(nav, list):
        return [escaped_nav(item) for item in nav]
    if isinstance(nav, dict):
        return {engine_text(title): escaped_nav(target) for title, target in nav.items()}
    return nav


def write_engine_config(config: dict[str, Any], path: Path) -> Path:
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def run_mkdocs(config_file: Path, site_dir: Path) -> None:
    """`mkdocs build --strict`: a broken internal link or anchor fails the build."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config_file), "-d", str(site_dir)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        output = (result.stderr or result.stdout).splitlines()
        problems = [line for line in output if not line.startswith("INFO")] or output
        raise BuildFailed("le moteur du site (MkDocs) a échoué :\n" + "\n".join(problems).strip())


def swap_in(new_dir: Path, target: Path) -> None:
    """Replace `target` by `new_dir` in two renames, so a reader never sees half a site."""
    old = target.with_name(target.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    new_dir.rename(target)
    if old.exists():
        shutil.rmtree(old)
