"""Where the checks find their outside tools, and the one error when one is missing.

axe-core and vnu.jar are pinned in package.json and installed by `npm ci`;
Chromium and Java come from Debian (scripts/system-deps.sh). None is downloaded
at run time: CI has no internet.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from ..errors import PortalError

REPO = Path(__file__).resolve().parents[2]
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = Path("/usr/bin/chromium")


class ToolMissing(PortalError):
    """A tool the checks need is not installed; the message says how to install it."""


def npm_file(path: Path) -> Path:
    if not path.is_file():
        raise ToolMissing(f"{path} introuvable : lancez `npm ci --ignore-scripts` (ou `make test`)")
    return path


def debian_program(name: str, package: str, fallback: Path | None = None) -> str:
    found = str(fallback) if fallback and fallback.exists() else shutil.which(name)
    if found is None:
        raise ToolMissing(f"{name} introuvable : lancez `bash scripts/system-deps.sh` (paquet Debian {package})")
    return found
