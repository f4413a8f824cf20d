"""Retention: the letters and listings of a batch hold personal data; remove them once posted and sent.

Only the batch folders this tool writes (AAAA-MM-JJ-xxxxxxxx) are touched, never another file.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

from ..errors import PortalError

BATCH_FOLDER = re.compile(r"^(\d{4}-\d{2}-\d{2})-[0-9a-f]{8}$")


def batch_date(folder: Path) -> dt.date | None:
    match = BATCH_FOLDER.match(folder.name)
    if not match:
        return None
    try:
        return dt.date.fromisoformat(match.group(1))
    except ValueError:
        return None


def purge_batches(out_root: Path, before: dt.date) -> list[str]:
    """Delete every batch dated before `before`; return the folder names removed."""
    if not out_root.is_dir():
        raise PortalError(f"{out_root} : dossier introuvable ; attendu : le dossier donné à --sortie")
    removed = []
    for folder in sorted(out_root.iterdir()):
        day = batch_date(folder)
        if folder.is_dir() and day is not None and day < before:
            shutil.rmtree(folder)
            removed.append(folder.name)
    return removed
