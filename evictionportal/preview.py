"""Live preview for editors: drafts included and marked, rebuilt on every save.

The YAML-to-Markdown step runs here, in our code; `mkdocs serve --dirty` only
watches the generated Markdown, re-renders the pages whose file changed and
reloads the browser. Only pages whose text changed are rewritten, so saving one
organisation re-renders a handful of pages, not the whole directory.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

from .build import input_files
from .errors import PortalError, SourceErrors
from .load import load_sources
from .pages import navigation, render_pages
from .relations import visible_sources
from .site import engine_config, write_docs, write_engine_config


def _snapshot(root: Path) -> dict[Path, float]:
    return {path: path.stat().st_mtime for path in input_files(root)}


def regenerate(root: Path, work: Path, as_of: dt.date | None = None) -> Path | None:
    """Rebuild the preview tree; on bad sources print every problem and keep the last good one."""
    try:
        sources = load_sources(root, as_of)
    except SourceErrors as error:
        print(error.summary(), file=sys.stderr, flush=True)
        return None
    docs_dir = work / "docs"
    shown = visible_sources(sources, include_drafts=True)
    files = write_docs(render_pages(shown, preview=True), docs_dir, sources.edition)
    remove_other_files(docs_dir, files)  # pages removed from the sources disappear too
    config_file = work / "mkdocs.yml"
    before = config_file.read_bytes() if config_file.exists() else b""
    write_engine_config(engine_config(root, sources, navigation(shown), docs_dir), config_file)
    if config_file.read_bytes() != before:  # the menu (or a setting) changed: every page shows it
        for path in files:
            os.utime(path)
    return config_file


def remove_other_files(folder: Path, keep: set[Path]) -> None:
    for path in folder.rglob("*"):
        if path.is_file() and path not in keep:
            path.unlink()


def serve(root: Path, port: int = 8000, as_of: dt.date | None = None) -> None:
    work = root / "build" / "preview"
    work.mkdir(parents=True, exist_ok=True)
    config = regenerate(root, work, as_of)
    if config is None:
        raise PortalError("l'aperçu ne démarre pas : corrigez d'abord les problèmes ci-dessus")
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-f", str(config), "-a", f"127.0.0.1:{port}"]
    )
    print(f"Aperçu sur http://127.0.0.1:{port}/ (Ctrl+C pour arrêter)", flush=True)
    seen = _snapshot(root)
    try:
        while server.poll() is None:
            time.sleep(1)
            now = _snapshot(root)
            if now != seen:
                seen = now
                if regenerate(root, work, as_of):
                    print("Sources modifiées : aperçu mis à jour.", flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        server.terminate()
