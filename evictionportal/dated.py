"""The law in force on the build day: dated blocks and yearly figures.

A rule that changes on a known date is written once per period (`from`,
`until` on a section, a deadline or a reference). `sources_as_of` keeps, for
`sources.as_of`, the rules in force, the next ones within their notice period
(shown in an "À partir du …" box) and the old ones a reader may still need
("jusqu'au …"). It also writes the amounts that follow a yearly figure
(`{{ amende-signalement-caf }}`) for the build year. `load_sources` calls it
once, so the pages, the print documents and the letters all follow one date.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator, Sequence
from typing import Any

from babel.numbers import format_decimal
from pydantic import BaseModel

from . import schema
from .errors import SourceErrors, SourceProblem
from .load import Located, Path_, Sources, field_label
from .text import french_date

PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
FIGURES_FILE = schema.OPTIONAL_SOURCE_KINDS["legal_figures"][0]
TO_COMPLETE = "à compléter"


def timing_on(block: schema.Dated, day: dt.date) -> str | None:
    """How a block shows on `day`: current, upcoming (announced), past (kept) or None (not shown)."""
    if block.from_ and day < block.from_:
        return "upcoming" if (block.from_ - day).days <= block.notice_days else None
    if block.until and day > block.until:
        return "past" if block.shown_until and day <= block.shown_until else None
    return "current"


def expired_without_successor(blocks: Sequence[schema.Dated], day: dt.date) -> list[int]:
    """Indexes of the blocks whose period has ended with no block starting the next day."""
    starts = {b.from_ for b in blocks if b.from_}
    return [
        index
        for index, b in enumerate(blocks)
        if b.until and b.until < day and b.until + dt.timedelta(days=1) not in starts
    ]


WARN_DAYS_AHEAD = 60  # a rule that ends with nothing after it is said this many days before its last day


def ending_without_successor(blocks: Sequence[schema.Dated], day: dt.date) -> list[int]:
    """Indexes of the blocks whose period ends within WARN_DAYS_AHEAD days with no block starting the next day."""
    starts = {b.from_ for b in blocks if b.from_}
    return [
        index
        for index, b in enumerate(blocks)
        if b.until and 0 <= (b.until - day).days <= WARN_DAYS_AHEAD and b.until + dt.timedelta(days=1) not in starts
    ]


def euros(amount: int) -> str:
    """8 010 €, with non-breaking spaces the print fonts have."""
    return format_decimal(amount, locale="fr_FR").replace("\u202f", "\u00a0") + "\u00a0€"


@dataclasses.dataclass
class _Resolver:
    """Walks one source's models, keeping the blocks in force and writing the figures."""

    day: dt.date
    values: dict[str, tuple[schema.LegalFigure, int]]  # placeholder id -> (figure, multiplier)
    texts: dict[str, str]  # placeholder id -> fixed text (legal notice)
    located: Located | None = None
    problems: list[SourceProblem] = dataclasses.field(default_factory=list)
    warnings: list[str] = dataclasses.field(default_factory=list)

    def problem(self, path: Path_, message: str) -> None:
        file, line = (self.located.file, self.located.line_of(path)) if self.located else (FIGURES_FILE, 1)
        self.problems.append(SourceProblem(file, line, field_label(path), message))

    def warn(self, path: Path_, message: str) -> None:
        file, line = (self.located.file, self.located.line_of(path)) if self.located else (FIGURES_FILE, 1)
        warning = f"{file}:{line}: {field_label(path)}: {message}"
        if warning not in self.warnings:
            self.warnings.append(warning)

    def expired(self, items: Sequence[schema.Dated], path: Path_, said: str, successor: str) -> None:
        """A rule or a period over on the build day with nothing after it stops the build. `said` names the
        ended one, {fin} its last day; `successor` what to add (« la règle », « la valeur »)."""
        for index in expired_without_successor(items, self.day):
            until = items[index].until
            assert until is not None
            after = until + dt.timedelta(days=1)
            self.problem(
                (*path, index, "until"),
                f"{said.replace('{fin}', french_date(until))} ; ajoutez {successor} qui s'applique depuis le "
                f"{french_date(after)} (from: {after.isoformat()}) ou retirez celle-ci",
            )

    def ending_soon(self, items: Sequence[schema.Dated], path: Path_, what: str) -> None:
        """Said 60 days ahead: the build stops the day after such a rule ends (see `blocks`)."""
        for index in ending_without_successor(items, self.day):
            until = items[index].until
            assert until is not None
            after = until + dt.timedelta(days=1)
            self.warn(
                (*path, index, "until"),
                f"{what} prend fin le {french_date(until)} (dans {(until - self.day).days} jours) et aucune ne lui "
                f"succède : à partir du {french_date(after)} la construction s'arrêtera ; ajoutez celle qui "
                f"s'appliquera (from: {after.isoformat()}) ou retirez celle-ci",
            )

    def figure_text(self, key: str, year: int, path: Path_) -> str:
        figure, times = self.values[key]
        by_year = {v.year: v.amount for v in figure.values}
        if year in by_year:
            return euros(by_year[year] * times)
        known = max((y for y in by_year if y < year), default=min(by_year))
        warning = (
            f"{FIGURES_FILE} : pas de montant {year} pour le chiffre « {figure.label} » ({figure.id}) ; "
            f"ajoutez-le (values, year: {year}) ; en attendant, le montant {known} est affiché avec son année"
        )
        if warning not in self.warnings:
            self.warnings.append(warning)
        return f"{euros(by_year[known] * times)} (montant {known})"

    def substitute(self, text: str, year: int, path: Path_) -> str:
        def replace(match: re.Match[str]) -> str:
            key = match.group(1)
            if key in self.texts:
                return self.texts[key]
            if key in self.values:
                return self.figure_text(key, year, path)
            known = ", ".join(sorted([*self.values, *self.texts]))
            self.problem(path, f"chiffre « {key} » inconnu dans « {{{{ {key} }}}} » ; attendu : un de {known}")
            return match.group(0)

        return PLACEHOLDER.sub(replace, text) if "{{" in text else text

    def blocks(self, items: list[Any], year: int, path: Path_) -> list[Any]:
        """The dated blocks shown on the build day, each marked with its timing."""
        self.expired(items, path, "règle expirée le {fin} et aucune règle ne lui succède", "la règle")
        self.ending_soon(items, path, "la règle")
        kept = []
        for index, item in enumerate(items):
            timing = timing_on(item, self.day)
            if timing is None:
                continue
            block_year = item.from_.year if timing == "upcoming" and item.from_ else year
            block_year = item.until.year if timing == "past" and item.until else block_year
            copy = self.model(item, block_year, (*path, index)).model_copy()
            copy._timing = timing
            kept.append(copy)
        return kept

    def value(self, value: Any, year: int, path: Path_) -> Any:
        if isinstance(value, schema.ActionText):  # a step with the letter's own wording: both follow the year
            letter = None if value.letter is None else self.substitute(value.letter, year, (*path, "letter"))
            text = self.substitute(value, year, (*path, "text"))
            return value if text == value and letter == value.letter else schema.ActionText(text, letter)
        if isinstance(value, str):
            return self.substitute(value, year, path)
        if isinstance(value, BaseModel):
            return self.model(value, year, path)
        if isinstance(value, list):
            if schema.is_periods(value):  # a directory field written once per period: see `organisation`
                return value
            if value and isinstance(value[0], schema.Dated):
                return self.blocks(value, year, path)
            return [self.value(item, year, (*path, index)) for index, item in enumerate(value)]
        return value

    def organisation(self, org: schema.Organisation) -> schema.Organisation:
        """A directory record as of the build day: each dated field takes the value of its period in force;
        the next period (within its notice) and an old one still shown are kept as the record's `changes`."""
        year = self.day.year
        updates: dict[str, Any] = {}
        changes: list[schema.FieldChange] = []
        until: dict[str, dt.date] = {}
        for name, info in type(org).model_fields.items():
            periods = getattr(org, name)
            if not schema.is_periods(periods):
                continue
            path: Path_ = (name,)
            what = f"la valeur de « {name} »"
            self.expired(periods, path, what + " a expiré le {fin} et aucune période ne lui succède", "la valeur")
            self.ending_soon(periods, path, what)
            current = None
            for index, period in enumerate(periods):
                timing = timing_on(period, self.day)
                value = self.value(
                    period.value, year if timing != "upcoming" else period.from_.year, (*path, index, "value")
                )
                if timing == "current":
                    current = value
                    if period.until:
                        until[name] = period.until
                elif timing is not None:
                    shown = period.model_copy(update={"value": value})
                    shown._timing = timing
                    changes.append(schema.FieldChange(name, shown))
            if current is None and info.is_required():
                starts = sorted(p.from_ for p in periods if p.from_ and p.from_ > self.day)
                first = f" ; la première commence le {french_date(starts[0])}" if starts else ""
                self.problem(
                    (*path, 0),
                    f"aucune période de « {name} » ne s'applique le {french_date(self.day)}{first} ; "
                    "ajoutez la valeur de ce jour (une période sans from, ou qui commence plus tôt)",
                )
                current = periods[0].value
            updates[name] = current
        plain = self.model(org, year)
        resolved = plain.model_copy(update=updates) if updates else plain
        resolved._changes = changes
        resolved._until = until
        return resolved

    def model(self, model: BaseModel, year: int, path: Path_ = ()) -> BaseModel:
        updates = {}
        for name, info in type(model).model_fields.items():
            old = getattr(model, name)
            new = self.value(old, year, (*path, info.alias or name))
            if new is not old and new != old:
                updates[name] = new
        return model.model_copy(update=updates) if updates else model


def placeholder_values(sources: Sources) -> tuple[dict[str, tuple[schema.LegalFigure, int]], list[SourceProblem]]:
    """Every {{ id }} a text may cite: the yearly figures and the amounts computed from them."""
    if sources.legal_figures is None:
        return {}, []
    figures = {f.id: f for f in sources.legal_figures.figures}
    values: dict[str, tuple[schema.LegalFigure, int]] = {f.id: (f, 1) for f in figures.values()}
    problems = []
    located = sources.origin(sources.legal_figures)
    for index, amount in enumerate(sources.legal_figures.amounts):
        if amount.figure in figures:
            values[amount.id] = (figures[amount.figure], amount.times)
        else:
            path = ("amounts", index, "figure")
            problems.append(
                SourceProblem(
                    located.file,
                    located.line_of(path),
                    field_label(path),
                    f"chiffre « {amount.figure} » inconnu ; attendu : un de {', '.join(sorted(figures))}",
                )
            )
    return values, problems


def review_state_texts(sources: Sources) -> dict[str, str]:
    """How many pages are drafts, reviewed or validated, counted from their `review`, for the update-procedure
    page ({{ pages-relues }}, {{ pages-validees }}, {{ pages-brouillons }}): it never claims more than is true."""
    pages = [
        *sources.stages,
        *sources.grounds,
        *sources.schemes.values(),
        *sources.pages.values(),
        *sources.landlord_guide,
    ]
    count = {state: sum(p.review.status is state for p in pages) for state in schema.ReviewStatus}

    def said(number: int, none: str, one: str, many: str) -> str:
        return none if number == 0 else one if number == 1 else f"{number} {many}"

    return {
        "pages-total": said(len(pages), "aucune page", "1 page", "pages"),
        "pages-relues": said(count[schema.ReviewStatus.reviewed], "aucune page relue", "1 page relue", "pages relues"),
        "pages-validees": said(
            count[schema.ReviewStatus.validated], "aucune page validée", "1 page validée", "pages validées"
        ),
        "pages-brouillons": said(count[schema.ReviewStatus.draft], "aucun brouillon", "1 brouillon", "brouillons"),
    }


def legal_notice_texts(territory: schema.Territory) -> dict[str, str]:
    """What the legal notice cites from content/territoire.yml; never a made-up name."""
    host = territory.host
    host_parts = [host.name or f"nom {TO_COMPLETE}", host.address or f"adresse {TO_COMPLETE}"]
    host_parts.append(f"téléphone {host.phone}" if host.phone else f"téléphone {TO_COMPLETE}")
    return {
        "nom-du-site": territory.site_name,
        "editeur": territory.publisher,
        "editeur-nom": territory.publisher_name,
        "editeur-adresse": territory.publisher_address or TO_COMPLETE,
        "directeur-publication": territory.publication_director or TO_COMPLETE,
        "hebergeur": ", ".join(host_parts) if any((host.name, host.address, host.phone)) else TO_COMPLETE,
        "hebergeur-nom": host.name or TO_COMPLETE,
        "hebergeur-adresse": host.address or TO_COMPLETE,
        "hebergeur-telephone": host.phone or TO_COMPLETE,
        "contact-accessibilite": territory.accessibility_contact or TO_COMPLETE,
    }


def sources_as_of(sources: Sources) -> Sources:
    """The sources as they read on `sources.as_of`; raise SourceErrors for a rule expired with no successor."""
    values, problems = placeholder_values(sources)
    texts = {**legal_notice_texts(sources.territory), **review_state_texts(sources)}
    resolver = _Resolver(sources.as_of, values, texts, problems=problems)
    origins = dict(sources.origins)

    def resolve(model: Any) -> Any:
        resolver.located = sources.origin(model)
        if isinstance(model, schema.Organisation):
            new = resolver.organisation(model)
        else:
            new = resolver.model(model, sources.as_of.year)
        origins[id(new)] = resolver.located
        return new

    references_file = next(o for o in sources.origins.values() if isinstance(o.model, schema.References))
    resolver.located = references_file
    for index in expired_without_successor(list(sources.references.values()), sources.as_of):
        reference = list(sources.references.values())[index]
        resolver.problem(
            ("references", index, "until"),
            f"texte « {reference.id} » expiré le {french_date(reference.until)} et aucun texte ne lui succède ; "
            "ajoutez le texte en vigueur (from) ou retirez celui-ci",
        )
    resolver.ending_soon(list(sources.references.values()), ("references",), "le texte")
    references = {}
    for index, (ref_id, reference) in enumerate(sources.references.items()):
        copy = resolver.model(reference, sources.as_of.year, ("references", index)).model_copy()
        copy._timing = timing_on(reference, sources.as_of) or ("upcoming" if reference.from_ else "past")
        references[ref_id] = copy

    resolved = dataclasses.replace(
        sources,
        references=references,
        organisations={
            o.id: o
            for o in sorted((resolve(o) for o in sources.organisations.values()), key=lambda o: o.name.casefold())
        },
        stages=[resolve(s) for s in sources.stages],
        grounds=[resolve(g) for g in sources.grounds],
        schemes={k: resolve(s) for k, s in sources.schemes.items()},
        pages={k: resolve(p) for k, p in sources.pages.items()},
        landlord_guide=[resolve(p) for p in sources.landlord_guide],
        origins=origins,
    )
    if resolver.problems:
        raise SourceErrors(resolver.problems)
    resolved.warnings = [*sources.warnings, *resolver.warnings]
    return resolved


# ------------------------------------------------------------------ the days ahead on which something changes


@dataclasses.dataclass(frozen=True, order=True)
class Boundary:
    """A day on which what a source publishes changes, and where that is written."""

    day: dt.date
    file: str
    line: int
    what: str  # in French: « entre en vigueur : L'aide au logement pendant un impayé »


def dated_items(sources: Sources) -> Iterator[tuple[Located, Path_, schema.Dated]]:
    """Every dated block of every loaded file, in any field: sections, deadlines, references, and whatever
    other model takes `from`/`until` (a directory field…), found by walking the files as loaded."""
    seen: set[int] = set()
    for located in sources.origins.values():
        if id(located) in seen:
            continue
        seen.add(id(located))
        yield from _walk(located, (), located.model)


def _walk(located: Located, path: Path_, value: Any) -> Iterator[tuple[Located, Path_, Any]]:
    if isinstance(value, schema.Dated):
        yield located, path, value
    if isinstance(value, BaseModel):
        for name, info in type(value).model_fields.items():
            yield from _walk(located, (*path, info.alias or name), getattr(value, name))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(located, (*path, index), item)


def _name(block: Any) -> str:
    for attribute in ("heading", "label", "id", "name"):
        text = getattr(block, attribute, None)
        if isinstance(text, str) and text:
            return text
    return "règle datée"


def dated_boundaries(sources: Sources) -> Iterator[Boundary]:
    """Each day a dated block changes what is shown: its notice box opens, it starts, it ends, it stops being
    shown as « jusqu'au … »."""
    one_day = dt.timedelta(days=1)
    for located, path, block in dated_items(sources):
        changes: list[tuple[dt.date, str, str]] = []
        if block.from_:
            changes.append((block.from_, "entre en vigueur", "from"))
            if block.notice_days:
                notice = block.from_ - dt.timedelta(days=block.notice_days)
                changes.append((notice, "annoncée (encadré « À partir du … »)", "from"))
        if block.until:
            changes.append((block.until + one_day, "ne s'applique plus", "until"))
        if block.shown_until:
            changes.append((block.shown_until + one_day, "n'est plus montrée (« jusqu'au … »)", "shown_until"))
        name = _name(block)
        if isinstance(block, schema.Period) and path:  # a directory field's period: say which field of which record
            name = f"« {path[0]} » de {getattr(located.model, 'id', located.file)}"
        for day, what, field in changes:
            yield Boundary(day, located.file, located.line_of((*path, field)), f"{what} : {name}")


def figure_boundaries(sources: Sources, start: dt.date, end: dt.date) -> Iterator[Boundary]:
    """Each 1 January in the window whose year a yearly figure has no amount for: the build warns from then."""
    if sources.legal_figures is None:
        return
    located = sources.origin(sources.legal_figures)
    for index, figure in enumerate(sources.legal_figures.figures):
        years = {v.year for v in figure.values}
        for year in range(start.year, end.year + 1):
            day = dt.date(year, 1, 1)
            if start < day <= end and year not in years:
                yield Boundary(
                    day,
                    located.file,
                    located.line_of(("figures", index, "values")),
                    f"pas de montant {year} pour « {figure.label} » ({figure.id}) : l'ancien montant est affiché",
                )
