"""« Mes modifications »: the source files changed since the last commit, and committing them (never a push)."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from .catalogue import SOURCE_FOLDERS

GIT_SECONDS = 20


@dataclass(frozen=True)
class Change:
    file: str
    state: str  # modifié, nouveau, supprimé


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, timeout=GIT_SECONDS, check=False
    )


def is_checkout(root: Path) -> bool:
    try:
        done = _git(root, "rev-parse", "--show-toplevel")
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0 and Path(done.stdout.strip()).resolve() == root.resolve()


def changes(root: Path) -> list[Change]:
    """The files of the source folders that differ from the last commit."""
    done = _git(root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", *SOURCE_FOLDERS)
    found = []
    for entry in filter(None, done.stdout.split("\0")):
        code, name = entry[:2], entry[3:]
        state = "nouveau" if "?" in code or "A" in code else "supprimé" if "D" in code else "modifié"
        found.append(Change(name, state))
    return found


def diff_of(root: Path, change: Change) -> str:
    if change.state == "nouveau":
        return (root / change.file).read_text(encoding="utf-8", errors="replace")
    return _git(root, "diff", "HEAD", "--", change.file).stdout


def commit(root: Path, message: str, editor: str) -> str:
    """Commit the changed source files (and only them) with the editor's name; the new commit's short id."""
    files = [c.file for c in changes(root)]
    if not files:
        raise ValueError("aucune modification à enregistrer")
    if not message.strip():
        raise ValueError("écrivez un message : ce qui a changé, en une phrase")
    if not editor.strip():
        raise ValueError("indiquez votre nom (en haut de la page d'accueil de l'éditeur)")
    _git(root, "add", "--all", "--", *files)
    text = f"{message.strip()}\n\nModifié dans l'éditeur par : {editor.strip()}"
    done = _git(root, "commit", "--quiet", "-m", text, "--", *files)
    if done.returncode != 0:
        raise ValueError(f"git a refusé l'enregistrement : {(done.stderr or done.stdout).strip()[:300]}")
    return _git(root, "rev-parse", "--short", "HEAD").stdout.strip()
