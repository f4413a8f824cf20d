"""Live preview for editors: drafts included and marked, rebuilt on every save.

The YAML-to-Markdown step runs here, in our code; `mkdocs serve` only watches
the generated Markdown and reloads the browser.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import time
from pathlib import Path

from .build import generate_docs, input_files
from .errors import PortalError, SourceErrors
from .load import load_sources
from .site import engine_config, write_engine_config


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
    shutil.rmtree(docs_dir, ignore_errors=True)  # pages removed from the sources disappear too
    _, nav = generate_docs(sources, docs_dir, preview=True)
    return write_engine_config(engine_config(root, sources, nav, docs_dir), work / "mkdocs.yml")


def serve(root: Path, port: int = 8000, as_of: dt.date | None = None) -> None:
    work = root / "build" / "preview"
    work.mkdir(parents=True, exist_ok=True)
    config = regenerate(root, work, as_of)
    if config is None:
        raise PortalError("l'aperçu ne démarre pas : corrigez d'abord les problèmes ci-dessus")
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-f", str(config), "-a", f"127.0.0.1:{port}"])
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
