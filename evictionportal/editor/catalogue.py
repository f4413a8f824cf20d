"""Which files the editor lists and opens: the sources, by kind, in French; never a path outside them.

The kinds and their models come from `schema.ALL_SOURCE_KINDS` (and the letters' settings), so the editor opens
exactly the files the build reads. The letters' registers (personal data) are not sources: never listed, never
opened.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import schema
from ..dated import timing_on
from ..freshness import Age, thresholds
from ..letters.config import CONFIG_FILE, LettersConfig
from ..load import Sources, source_files
from ..text import french_date


@dataclass(frozen=True)
class Kind:
    key: str
    label: str  # the French heading of the listing
    pattern: str
    model: type[schema.Source]
    template: str | None = None  # the new-record template in modeles/, if records of this kind can be added


# In the order of the listing; every pattern is one of the build's (a test keeps them the same).
KINDS: tuple[Kind, ...] = (
    Kind("stages", "Étapes", schema.SOURCE_KINDS["stages"][0], schema.Stage, "etape.yml"),
    Kind("grounds", "Motifs", schema.SOURCE_KINDS["grounds"][0], schema.Ground),
    Kind("schemes", "Dispositifs", schema.SOURCE_KINDS["schemes"][0], schema.Scheme, "dispositif.yml"),
    Kind("organisations", "Annuaire", schema.SOURCE_KINDS["organisations"][0], schema.Organisation, "organisme.yml"),
    Kind("pages", "Pages", schema.SOURCE_KINDS["pages"][0], schema.GuidePage, "page.yml"),
    Kind("landlord_guide", "Guide des bailleurs", schema.SOURCE_KINDS["landlord_guide"][0], schema.GuidePage),
    Kind("flyers", "Documents à imprimer", schema.SOURCE_KINDS["flyers"][0], schema.Flyer),
    Kind("letters", "Courriers", CONFIG_FILE, LettersConfig),
    Kind("territory", "Territoire", schema.SOURCE_KINDS["territory"][0], schema.Territory),
    Kind("legal_figures", "Chiffres", schema.OPTIONAL_SOURCE_KINDS["legal_figures"][0], schema.LegalFigures),
    Kind("figures", "Chiffres", schema.OPTIONAL_SOURCE_KINDS["figures"][0], schema.YearFigures),
    Kind("indicators", "Chiffres", schema.SOURCE_KINDS["indicators"][0], schema.Indicators),
    Kind("actions", "Actions de la charte", schema.SOURCE_KINDS["actions"][0], schema.CharterAction),
    Kind("references", "Textes de loi", schema.SOURCE_KINDS["references"][0], schema.References),
    Kind(
        "search_words",
        "Recherche",
        schema.OPTIONAL_SOURCE_KINDS["search_words"][0],
        schema.OPTIONAL_SOURCE_KINDS["search_words"][1],
    ),
)
# Any other kind the build reads is listed too, under its French name here or « Autres sources »; the campaign's
# record of sendings is written by `annuaire campagne` only.
OTHER_LABELS = {"glossary": "Glossaire"}
NOT_EDITED = ("campaigns",)
KINDS += tuple(
    Kind(key, OTHER_LABELS.get(key, "Autres sources"), pattern, model)
    for key, (pattern, model) in schema.ALL_SOURCE_KINDS.items()
    if key not in {kind.key for kind in KINDS} and key not in NOT_EDITED
)
SOURCE_FOLDERS = ("content", "referentiel", "directory", "flyers")
STATUS_WORDS = {"draft": "Brouillon", "reviewed": "Relu", "validated": "Validé"}


@dataclass
class Entry:
    """One line of the listing."""

    file: str
    kind: Kind
    title: str
    status: str | None = None  # Brouillon, Relu, Validé
    verified: str | None = None  # « Vérifié le … »
    details: list[str] = field(default_factory=list)  # an organisation's arrondissements, its contacts' freshness

    @property
    def search_text(self) -> str:
        return " ".join([self.file, self.title, self.kind.label, *self.details]).casefold()

    def matches(self, words: str) -> bool:
        return all(word in self.search_text for word in words.casefold().split())


def kind_of(rel: str) -> Kind | None:
    """The kind of a source file named relative to the root, or None if it is not a source."""
    for kind in KINDS:
        if fnmatch.fnmatchcase(rel, kind.pattern) and "/" not in rel[len(kind.pattern.split("*")[0]) :]:
            return kind
    return None


class Refused(Exception):
    """A path the editor must not open: outside the sources, a link leading out, not a source."""


def resolve_source(root: Path, rel: str, new: bool = False) -> tuple[Path, Kind]:
    """The file `rel` names, if it is a source under a source folder once every link is followed."""
    if not rel or "\\" in rel or "\x00" in rel or rel.startswith("/") or ".." in rel.split("/"):
        raise Refused(rel)
    kind = kind_of(rel)
    if kind is None or rel.split("/")[0] not in SOURCE_FOLDERS:
        raise Refused(rel)
    path = root / rel
    folder = (root / rel.split("/")[0]).resolve()
    real = path.resolve()
    if not real.is_relative_to(folder) or not real.is_relative_to(root.resolve()):
        raise Refused(rel)
    if not new and not path.is_file():
        raise Refused(rel)
    if new and (path.exists() or path.is_symlink()):
        raise Refused(rel)
    return path, kind


def listing(root: Path, sources: Sources | None, today: dt.date) -> list[Entry]:
    """Every source file by kind, with what the validated sources say of it (when they are valid)."""
    by_file = {}
    if sources is not None:
        by_file = {located.file: located.model for located in sources.origins.values()}
    limits = thresholds(sources) if sources is not None and sources.territory is not None else None
    entries = []
    for kind in KINDS:
        for path in source_files(root, kind.pattern):
            rel = path.relative_to(root).as_posix()
            model = by_file.get(rel)
            entries.append(_entry(rel, kind, model, limits, today))
    return entries


def on(value: Any, today: dt.date) -> Any:
    """A field's value today: itself, or the value of its period in force (a directory field written per period)."""
    if schema.is_periods(value):
        return next((p.value for p in value if timing_on(p, today) == "current"), None)
    return value


def _entry(rel: str, kind: Kind, model: Any, limits: Any, today: dt.date) -> Entry:
    title = next((on(getattr(model, name), today) for name in ("title", "name") if getattr(model, name, None)), None)
    if kind.key == "actions" and model is not None:
        title = f"Action {model.number} : {model.title}"
    entry = Entry(rel, kind, title or rel.rsplit("/", 1)[-1])
    review = getattr(model, "review", None)
    if review is not None:
        entry.status = STATUS_WORDS[review.status.value]
    verified = getattr(model, "verified", None)
    if verified is not None:
        entry.verified = f"Vérifié le {french_date(verified.date)}"
    if isinstance(model, schema.Organisation):
        areas = on(model.areas, today) or []
        entry.details.append(
            {"all": "Tout le territoire", "national": "Ligne nationale"}.get(areas, "")
            if isinstance(areas, str)
            else "Arrondissements : " + ", ".join(str(n) for n in areas)
        )
        for contact in model.contacts:
            age = limits.age(contact.verified) if limits else None
            state = {
                None: "non vérifiée",
                Age.current: "à jour",
                Age.recheck: "à revérifier",
                Age.expired: "retirée (trop ancienne)",
            }[age]
            entry.details.append(f"{contact.kind.value} {contact.value[:40]} : {state}")
    return entry
