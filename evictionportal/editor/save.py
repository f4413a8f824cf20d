"""Saving a form: merge its values into the file as written, check every source as the build does, then write.

The file is read and written by the campaign's round-trip writer (`campaign/record.py`): only the values that
changed move, comments, key order, quoting and line breaks stay. The whole sources are checked with the file's
new text in a scratch tree of links (`build.checked_sources`, every check a build makes before writing); while
anything is wrong nothing is written. A file changed on disk since its form was opened is never overwritten.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString, ScalarString

from ..build import checked_sources
from ..campaign.record import dump_yaml, round_trip, write_files
from ..errors import PortalError, SourceErrors, SourceProblem
from ..load import MAX_FILE_BYTES, Sources
from .catalogue import SOURCE_FOLDERS
from .fields import Seq, field_shape, typed, variant, yaml_key


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.exists() else ""


# ------------------------------------------------------------------ merging into the file as written


def merged_text(base_text: str, data: dict[str, Any], model: type[BaseModel]) -> str:
    """The file's text with the form's values: unchanged values keep their exact writing."""
    document = round_trip().load(base_text) if base_text.strip() else CommentedMap()
    if not isinstance(document, CommentedMap):
        document = CommentedMap()
    _merge_map(document, typed(data, model), model)
    text = dump_yaml(document)
    return text


def _merge_map(old: CommentedMap, new: dict[str, Any], model: type[BaseModel] | None) -> None:
    fields = {yaml_key(model, n): n for n in model.model_fields} if model else {}
    for key in list(old):
        known = key in fields or model is None  # without a model: a mapping, whose entries the form lists
        if known and key not in new and not _empty(old[key]):
            del old[key]
    order = list(fields) + [k for k in new if k not in fields]
    for key, value in new.items():
        shape = field_shape(model, fields[key]) if model and key in fields else None
        sub = _model_of(shape, value)
        if key in old:
            old[key] = _merged(old[key], value, sub)
        elif not _empty(value):  # an empty list or group the form shows is not written
            old.insert(_position(old, key, order), key, _fresh(value))


def _model_of(shape: Any, value: Any) -> type[BaseModel] | None:
    """The model of a group, or of a list's items, or of the variant a value is written as."""
    while shape is not None:
        if shape.kind == "group":
            return shape.model
        if shape.kind in ("list", "mapping"):
            shape = shape.item
        elif shape.kind == "either":
            shape = variant(shape, value)
        else:
            return None
    return None


def _empty(value: Any) -> bool:
    """A value the form cannot tell from an absent one: `service: null`, `address: []` stay as written."""
    return value is None or (isinstance(value, (list, dict)) and not value)


def _position(old: CommentedMap, key: str, order: list[str]) -> int:
    """Where a new key goes: after the last key that comes before it in the model."""
    before = order[: order.index(key)] if key in order else order
    keys = list(old)
    places = [keys.index(k) + 1 for k in before if k in keys]
    return max(places) if places else len(keys)


def _merged(old: Any, new: Any, model: type[BaseModel] | None) -> Any:
    if isinstance(old, CommentedMap) and isinstance(new, dict):
        _merge_map(old, new, model)
        return old
    if isinstance(old, CommentedSeq) and isinstance(new, list):
        _merge_seq(old, new, model)
        return old
    if _same(old, new):
        return old
    return _scalar_like(old, new) if not isinstance(new, (dict, list)) else _fresh(new)


def _merge_seq(old: CommentedSeq, new: list[Any], model: type[BaseModel] | None) -> None:
    origins = list(getattr(new, "origins", range(len(new))))
    in_place = origins[: len(old)] == list(range(min(len(old), len(new)))) and all(
        o is None for o in origins[len(old) :]
    )
    if in_place or all(o is None for o in origins):
        for index, value in enumerate(new):
            if index < len(old):
                old[index] = _merged(old[index], value, model)
            else:
                old.append(_fresh(value))
        del old[len(new) :]
        return
    items, comments = [], {}
    for index, (value, origin) in enumerate(zip(new, origins, strict=False)):
        if origin is not None and origin < len(old):
            items.append(_merged(old[origin], value, model))
            if origin in old.ca.items:
                comments[index] = old.ca.items[origin]
        else:
            items.append(_fresh(value))
    old.clear()
    old.ca.items.clear()
    old.extend(items)
    old.ca.items.update(comments)


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, bool) or isinstance(new, bool):
        return type(old) is type(new) and old == new
    return old == new and (isinstance(old, str) == isinstance(new, str))


def _scalar_like(old: Any, new: Any) -> Any:
    """A changed text keeps the quoting of the old one; a text on several lines becomes a `|` block."""
    if isinstance(new, str) and "\n" in new.strip():
        return (
            LiteralScalarString(new.strip("\n") + "\n")
            if isinstance(old, LiteralScalarString)
            else (LiteralScalarString(new.strip("\n")))
        )
    if isinstance(old, ScalarString) and isinstance(new, str):
        return type(old)(new)
    return new


def _fresh(value: Any) -> Any:
    """A new value as ruamel writes it: lists of plain values on one line, like the sources."""
    if isinstance(value, dict):
        return CommentedMap((k, _fresh(v)) for k, v in value.items())
    if isinstance(value, list):
        seq = CommentedSeq(_fresh(v) for v in value)
        if all(not isinstance(v, (dict, list)) and not (isinstance(v, str) and len(v) > 40) for v in value):
            seq.fa.set_flow_style()
        return seq
    if isinstance(value, str) and "\n" in value.strip():
        return LiteralScalarString(value.strip("\n"))
    return value


# ------------------------------------------------------------------ what a save adds by itself


def date_changed_contacts(data: dict[str, Any], base: Any, today: dt.date, editor: str) -> None:
    """A verified contact whose value changed is verified again today by the editor; its source must be said
    again (left empty unless the editor changed it: the loader then asks for it at the field), and so must
    who checked it when the editor gave no name."""
    contacts = data.get("contacts")
    before = base.get("contacts") if isinstance(base, dict) else None
    if not isinstance(contacts, Seq) or not isinstance(before, list):
        return
    for contact, origin in zip(contacts, contacts.origins, strict=False):
        if not isinstance(contact, dict) or origin is None or origin >= len(before):
            continue
        old = before[origin] if isinstance(before[origin], dict) else {}
        verified = contact.get("verified")
        if not isinstance(verified, dict) or not isinstance(old.get("verified"), dict):
            continue
        if (str(contact.get("value", "")), contact.get("kind")) == (str(old.get("value", "")), old.get("kind")):
            continue
        verified["date"] = today.isoformat()
        if editor:
            verified["by"] = editor
        elif str(verified.get("by", "")) == str(old["verified"].get("by", "")):
            verified.pop("by", None)  # no name given: who checked the new value must be written
        if str(verified.get("source", "")) == str(old["verified"].get("source", "")):
            verified.pop("source", None)


def review_step(data: dict[str, Any], step: str, today: dt.date, editor: str) -> None:
    """Move the review state one step: reviewed (by whom and when) or validated (when; the partners chosen)."""
    review = data.setdefault("review", {})
    review["status"] = step
    review["date"] = today.isoformat()
    if step == "reviewed":
        review["by"] = editor
        review.pop("partners", None)
    elif step == "validated":
        review.setdefault("partners", Seq())
    else:
        for key in ("date", "by", "partners"):
            review.pop(key, None)


# ------------------------------------------------------------------ checking and writing


@dataclass
class Outcome:
    """What a save did: written (with the diff), refused (problems), or refused because the file changed."""

    written: bool = False
    text: str = ""  # the file as the form would write it
    diff: list[str] = field(default_factory=list)
    problems: list[SourceProblem] = field(default_factory=list)
    other: list[str] = field(default_factory=list)  # problems not located in a source file
    conflict: str | None = None  # the file as it is on disk now, when it changed since the form was opened
    seconds: float = 0.0
    sources: Sources | None = None


class Mirror:
    """A tree of links to every source, kept for the session: a check puts one file's new text in it, runs the
    build's checks there, and puts the link back. Made once (a thousand links take seconds on a busy disk),
    then only brought up to date."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._path: Path | None = None

    @property
    def path(self) -> Path:
        """Made at the first check, in build/ (ignored by git), removed when the editor stops."""
        if self._path is None:
            (self.root / "build").mkdir(exist_ok=True)
            self._path = Path(tempfile.mkdtemp(prefix="edition-", dir=self.root / "build"))
        return self._path

    def sync(self) -> None:
        wanted = {
            path.relative_to(self.root)
            for folder in SOURCE_FOLDERS
            if (self.root / folder).is_dir()
            for path in (self.root / folder).rglob("*")
            if path.is_symlink() or not path.is_dir()
        }
        present = {path.relative_to(self.path) for path in self.path.rglob("*") if path.is_symlink()}
        for rel in present - wanted:
            (self.path / rel).unlink()
        for rel in wanted - present:
            target = self.path / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists() and not target.is_symlink():
                target.unlink()  # a file left by an interrupted check
            os.symlink((self.root / rel).absolute(), target)

    @contextlib.contextmanager
    def holding(self, rel: str, text: str) -> Iterator[Path]:
        """The mirror with `rel` holding `text`, for the time of a check."""
        self.sync()
        target = self.path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_symlink() or target.exists():
            target.unlink()
        target.write_text(text, encoding="utf-8")
        try:
            yield self.path
        finally:
            target.unlink()
            if (self.root / rel).exists() or (self.root / rel).is_symlink():
                os.symlink((self.root / rel).absolute(), target)

    def remove(self) -> None:
        if self._path is not None:
            shutil.rmtree(self._path, ignore_errors=True)


Checked = tuple[Sources | None, list[SourceProblem], list[str]]


def check_with(mirror: Mirror, rel: str, text: str, as_of: dt.date) -> Checked:
    """Every check a build makes, on the sources with `rel` holding `text`."""
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        message = f"le fichier ferait plus de {MAX_FILE_BYTES // 1024} Ko ; une source fait au plus cette taille"
        return None, [SourceProblem(rel, 0, "", message)], []
    with mirror.holding(rel, text) as tree:
        try:
            sources, _warnings = checked_sources(tree, as_of)
            sources.root = mirror.root
            return sources, [], []
        except SourceErrors as error:
            return None, error.problems, []
        except PortalError as error:
            return None, [], [str(error)]


def save(
    mirror: Mirror,
    rel: str,
    data: dict[str, Any],
    model: type[BaseModel],
    base_text: str | None,
    as_of: dt.date,
    new: bool = False,
) -> Outcome:
    """Write the form's values into `rel` if every source is then valid and the file is as it was opened
    (a new record: `base_text` is its template, and the file must still not exist)."""
    start = time.perf_counter()
    path = mirror.root / rel
    on_disk = read_text(path)
    opened = on_disk if base_text is None else base_text
    outcome = Outcome(text=merged_text(opened, data, model))
    changed = path.exists() or path.is_symlink() if new else on_disk != base_text
    if base_text is None or changed:
        outcome.conflict = on_disk
        outcome.seconds = time.perf_counter() - start
        return outcome
    outcome.sources, outcome.problems, outcome.other = check_with(mirror, rel, outcome.text, as_of)
    if not outcome.problems and not outcome.other:
        if read_text(path) != on_disk or (new and path.exists()):  # changed while we checked
            outcome.conflict = read_text(path)
        else:
            write_files(mirror.root, {path: outcome.text})
            outcome.written = True
            outcome.diff = diff(on_disk, outcome.text, rel)
    outcome.seconds = time.perf_counter() - start
    return outcome


def diff(before: str, after: str, rel: str) -> list[str]:
    return list(
        difflib.unified_diff(
            before.splitlines(), after.splitlines(), f"{rel} (avant)", f"{rel} (après)", lineterm="", n=2
        )
    )


def base_data(text: str) -> Any:
    """The file's data, for comparing a form with what was opened."""
    from .fields import plain

    return plain(round_trip().load(text)) if text.strip() else {}


def errors_by_field(problems: list[SourceProblem], rel: str) -> tuple[dict[str, list[str]], list[SourceProblem]]:
    """The problems of the edited file by field (as the build names it), and those elsewhere."""
    at: dict[str, list[str]] = {}
    elsewhere = []
    for problem in problems:
        if problem.file == rel and problem.field:
            at.setdefault(problem.field, []).append(problem.message)
        else:
            elsewhere.append(problem)
    return at, elsewhere


def unplaced(errors: dict[str, list[str]], shown: set[str]) -> list[tuple[str, str]]:
    """The field problems no drawn field took: shown at the top, with their field name."""
    return [(name, message) for name, messages in errors.items() if name not in shown for message in messages]
