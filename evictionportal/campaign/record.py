"""Writing the repository's YAML in place, keeping its comments and layout (ruamel.yaml round trip).

Used for the directory records a return changes, the campaign's record of
sendings (directory/campagnes/ANNEE.yml) and the partners' figures
(referentiel/chiffres/ANNEE.yml). A batch of files is written all or nothing,
through a journal that the next run finishes or undoes if a run was killed.
"""

from __future__ import annotations

import io
import json
import os
import shutil
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..load import Sources

CAMPAIGN_FOLDER = Path("directory") / "campagnes"
JOURNAL = Path("directory") / ".ecriture-en-cours"
MANIFEST = "manifest.json"


def round_trip() -> YAML:
    yaml = YAML()  # round-trip mode: comments, key order, quotes and flow style are kept
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a line we did not change
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.ignore_aliases = lambda *_: True  # the same date twice is written twice, never as &id001
    return yaml


def read_yaml_in_place(path: Path) -> Any:
    return round_trip().load(path.read_text(encoding="utf-8"))


def dump_yaml(data: Any) -> str:
    buffer = io.StringIO()
    round_trip().dump(data, buffer)
    return buffer.getvalue()


def write_files(root: Path, texts: dict[Path, str]) -> None:
    """Write every file of one batch, all or nothing even if the process is killed.

    The new texts go to a journal folder first (directory/.ecriture-en-cours/), then a manifest naming them is
    renamed into place: that rename is the commit. Only then is each file renamed over its target. A run killed
    before the commit leaves the records as they were; one killed after it leaves a journal that the next run
    finishes (`finish_interrupted_write`). Either way no temporary file stays behind.
    """
    finish_interrupted_write(root)
    journal = root / JOURNAL
    journal.mkdir(parents=True)
    entries = []
    for number, (path, text) in enumerate(sorted(texts.items())):
        staged = journal / f"{number:04d}"
        _write_synced(staged, text.encode("utf-8"))
        entries.append({"target": path.resolve().relative_to(root.resolve()).as_posix(), "staged": staged.name})
    _write_synced(journal / "manifest.json.tmp", json.dumps(entries, ensure_ascii=False).encode("utf-8"))
    os.replace(journal / "manifest.json.tmp", journal / MANIFEST)  # the commit
    _sync_folder(journal)
    _apply(root, journal)


def finish_interrupted_write(root: Path) -> str | None:
    """Finish (after the commit) or undo (before it) a batch a killed run left; a French line saying which."""
    journal = root / JOURNAL
    if not journal.exists():
        return None
    if (journal / MANIFEST).exists():
        count = _apply(root, journal)
        return f"écriture interrompue terminée : les {count} fichiers du lot interrompu sont à jour"
    shutil.rmtree(journal)
    return "écriture interrompue annulée : aucun fichier n'avait été modifié"


def _apply(root: Path, journal: Path) -> int:
    entries = json.loads((journal / MANIFEST).read_text(encoding="utf-8"))
    folders = set()
    for entry in entries:
        staged = journal / entry["staged"]
        target = root / entry["target"]
        if staged.exists():  # already moved by an earlier, interrupted attempt otherwise
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, target)
            folders.add(target.parent)
    for folder in folders:
        _sync_folder(folder)
    (journal / MANIFEST).unlink()
    shutil.rmtree(journal)
    return len(entries)


def _write_synced(path: Path, data: bytes) -> None:
    with path.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _sync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def flow_map(**values: Any) -> CommentedMap:
    """A mapping written on one line, like the `verified: {date: …, by: …, source: …}` of the sources."""
    mapping = CommentedMap(values)
    mapping.fa.set_flow_style()
    return mapping


def save_campaign(sources: Sources, year: int, sent: dict[str, tuple[list[str], str]]) -> Path:
    """Record who was sent what today, with each sending's code digest; a second run the same year keeps the start
    date and replaces the sendings (the files sent before no longer import)."""
    path = sources.root / CAMPAIGN_FOLDER / f"{year}.yml"
    if path.exists():
        data = read_yaml_in_place(path)
    else:
        data = CommentedMap(year=year, started=sources.as_of)
        data.yaml_set_start_comment(
            f"Campagne {year} de mise à jour de l'annuaire (action 6 de la charte).\n"
            "Écrit par « python build.py annuaire campagne » ; une fiche confirmée depuis « started » a répondu."
        )
    sendings = CommentedSeq()
    for org_id, (files, digest) in sent.items():
        sendings.append(CommentedMap(organisation=org_id, sent=sources.as_of, files=files, token_digest=digest))
    data["sendings"] = sendings
    write_files(sources.root, {path: dump_yaml(data)})
    return path
