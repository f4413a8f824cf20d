"""Rules that span several sources: every id that is named must exist.

Run once, after every file has been validated on its own, so that a wrong id
is reported with the file and line where it is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel

from . import schema
from .errors import SourceProblem, did_you_mean
from .load import Located, Path_, Sources, field_label
from .relations import HOME_PAGE
from .text import french_date


def _unknown(located: Located, path: Path_, value: str, known: Iterable[str], what: str) -> SourceProblem:
    label = field_label(path)
    return SourceProblem(
        located.file, located.line_of(path), label, f"{what} « {value} » inconnu{did_you_mean(value, known)}"
    )


def section_reference_problem(
    located: Located, path: Path_, wanted: str, page: Any, page_origin: Located, day: dt.date | None = None
) -> SourceProblem | None:
    """A reference to a section of another file names its id; with `day` (sources as of that day), one of its
    periods must be shown then. `page` is the page as of `day`; `page_origin` holds every period."""

    def problem(message: str) -> SourceProblem:
        return SourceProblem(located.file, located.line_of(path), field_label(path), message)

    every = page_origin.model.sections
    ids = list(dict.fromkeys(s.id for s in every if s.id))
    if wanted not in ids:
        if ids:
            hint = did_you_mean(wanted, ids, otherwise=f" ; ids possibles : {', '.join(ids)}")
        else:
            hint = f" ; aucune partie de ce fichier n'a d'id : ajoutez « id: {wanted} » à la partie citée"
        return problem(f"partie d'id « {wanted} » absente de {page_origin.file}{hint}")
    if day is None or any(s.id == wanted for s in page.sections):
        return None
    periods = [s for s in every if s.id == wanted]
    if all(s.from_ and s.from_ > day for s in periods):
        start = min(s.from_ for s in periods if s.from_)
        return problem(
            f"la partie « {wanted} » de {page_origin.file} ne s'applique qu'à partir du {french_date(start)} : "
            f"rien à reprendre le {french_date(day)} ; citez une partie en vigueur ce jour-là"
        )
    end = max((s.until for s in periods if s.until), default=day)
    return problem(
        f"la partie « {wanted} » de {page_origin.file} ne s'applique plus le {french_date(day)} (dernier jour : "
        f"{french_date(end)}) et aucune partie du même id ne lui succède ; donnez l'id « {wanted} » à la partie "
        "qui la remplace (from), ou retirez ce renvoi"
    )


# Which kind of source each target of a reference lives in.
TARGET_KINDS = {
    "organisation": "organisations",
    "reference": "references",
    "scheme": "schemes",
    "stage": "stages",
    "ground": "grounds",
    "page": "pages",
}


class _Checker:
    def __init__(self, sources: Sources, failed: dict[str, set[str]]) -> None:
        self.sources = sources
        self.failed = failed
        self.problems: list[SourceProblem] = []
        self.targets = {
            "organisation": (set(sources.organisations), "organisme de l'annuaire (directory/)"),
            "reference": (set(sources.references), "texte de loi (referentiel/references.yml)"),
            "scheme": (set(sources.schemes), "dispositif (referentiel/dispositifs/)"),
            "stage": ({s.id for s in sources.stages}, "étape (referentiel/etapes/)"),
            "ground": ({g.id for g in sources.grounds}, "motif (referentiel/motifs/)"),
            "page": (set(sources.pages), "page (content/pages/)"),
        }

    def unverifiable(self, target: str, value: str) -> bool:
        """An id that may live in a file that did not validate: its problem is already reported."""
        kind = TARGET_KINDS[target]
        failed = self.failed.get(kind, set())
        return value in failed or (kind == "references" and bool(failed))

    def ids(self, model: Any, path: Path_, values: list[str], target: str) -> None:
        known, what = self.targets[target]
        located = self.sources.origin(model)
        for index, value in enumerate(values):
            if value not in known and not self.unverifiable(target, value):
                self.problems.append(_unknown(located, (*path, index), value, known, what))

    def one_id(self, model: Any, path: Path_, value: str, target: str) -> None:
        known, what = self.targets[target]
        if value not in known and not self.unverifiable(target, value):
            self.problems.append(_unknown(self.sources.origin(model), path, value, known, what))

    def area(self, model: Any, path: Path_, number: int) -> None:
        if self.sources.territory is None:  # content/territoire.yml did not validate: reported already
            return
        known = {a.number for a in self.sources.territory.areas}
        if number not in known:
            located = self.sources.origin(model)
            label = field_label(path)
            self.problems.append(
                SourceProblem(
                    located.file,
                    located.line_of(path),
                    label,
                    f"{self.sources.territory.area_label} « {number} » inconnu ; "
                    f"attendu : un numéro de {min(known)} à {max(known)}",
                )
            )


# Every field that names another source, per model (a subclass inherits its parent's): the one definition the
# check below walks the sources with, and the editor offers a choice of names from (never a typed id).
ID_FIELDS: dict[tuple[type, str], str] = {
    (schema.Territory, "hotlines"): "organisation",
    (schema.Organisation, "areas"): "area",
    (schema.Organisation, "located_in"): "area",
    (schema.Organisation, "reached_through"): "organisation",
    (schema.Area, "nearby"): "area",
    (schema.Review, "partners"): "organisation",
    (schema.TenantGuidance, "who_can_help"): "organisation",
    (schema.TenantGuidance, "references"): "reference",
    (schema.Deadline, "references"): "reference",
    (schema.Deadline, "passed_call"): "organisation",
    (schema.PracticalBox, "place"): "organisation",
    (schema.Stage, "schemes"): "scheme",
    (schema.ActorRole, "organisation"): "organisation",
    (schema.Ground, "stages"): "stage",
    (schema.Scheme, "operated_by"): "organisation",
    (schema.Scheme, "references"): "reference",
    (schema.GuidePage, "schemes"): "scheme",
    (schema.GuidePage, "who_can_help"): "organisation",
    (schema.GuidePage, "references"): "reference",
    (schema.ChecklistItem, "call"): "organisation",
    (schema.CharterAction, "coordinators"): "organisation",
    (schema.CharterAction, "partners"): "organisation",
    (schema.Step, "who"): "organisation",
    (schema.Indicators, "collected_by"): "organisation",
    (schema.IndicatorSet, "organisation"): "organisation",
    (schema.Flyer, "intro"): "page",
    (schema.Flyer, "ground"): "ground",
    (schema.Flyer, "who_can_help"): "organisation",
    (schema.PageSection, "page"): "page",
    (schema.CampaignSending, "organisation"): "organisation",
    (schema.PartnerFigures, "organisation"): "organisation",
}


def id_target(model: type, name: str) -> str | None:
    """What kind of source the field `name` of `model` names by id ("organisation", "area"…), if any."""
    for cls in model.__mro__:
        if (cls, name) in ID_FIELDS:
            return ID_FIELDS[(cls, name)]
    return None


def _walk_ids(check: _Checker, top: Any, model: Any, path: Path_) -> None:
    """Check every id field of `model` (a part of the source `top`) and of the parts it holds."""
    for name in type(model).model_fields:
        target = id_target(type(model), name)
        for here, value in _periods(model, name, path):
            _check_value(check, top, here, value, target)


def _periods(model: Any, name: str, path: Path_) -> list[tuple[Path_, Any]]:
    """A field's values with their paths: one, or one per period when it is written so (directory fields)."""
    value = getattr(model, name)
    if schema.is_periods(value):
        return [((*path, name, index, "value"), period.value) for index, period in enumerate(value)]
    return [((*path, name), value)]


def _check_value(check: _Checker, top: Any, here: Path_, value: Any, target: str | None) -> None:
    """One field's value: the ids it names exist, and so do those of the parts it holds."""
    if target == "area":
        for index, number in enumerate(value) if isinstance(value, list) else ():
            check.area(top, (*here, index), number)
        if isinstance(value, int):
            check.area(top, here, value)
    elif target and isinstance(value, list):
        check.ids(top, here, value, target)
    elif target and isinstance(value, str):
        check.one_id(top, here, value, target)
    elif isinstance(value, BaseModel):
        _walk_ids(check, top, value, here)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, BaseModel):
                _walk_ids(check, top, item, (*here, index))


def check_cross_references(sources: Sources, failed: dict[str, set[str]] | None = None) -> list[SourceProblem]:
    """Every id named exists. `failed`: per kind, the ids of files that did not validate (not reported twice)."""
    check = _Checker(sources, failed or {})
    named: list[Any] = [
        sources.territory,
        *sources.organisations.values(),
        *sources.stages,
        *sources.grounds,
        *sources.schemes.values(),
        *sources.pages.values(),
        *sources.landlord_guide,
        *sources.actions,
        sources.indicators,
        *sources.flyers,
        *sources.campaigns,
        *sources.figures,
    ]
    for model in named:
        if model is not None:  # a single file that did not validate: reported already
            _walk_ids(check, model, model, ())

    for flyer in sources.flyers:
        _check_flyer(check, flyer)
    for chapter in sources.landlord_guide:
        _check_landlord_summaries(check, chapter)
    for year in sources.figures:
        _check_figures(check, year)

    if HOME_PAGE not in sources.pages and HOME_PAGE not in check.failed.get("pages", set()):
        check.problems.append(
            SourceProblem(
                "content/pages",
                0,
                "",
                f"la page d'accueil manque ; créez content/pages/{HOME_PAGE}.yml (id: {HOME_PAGE})",
            )
        )
    return check.problems


def _check_landlord_summaries(check: _Checker, chapter: Any) -> None:
    """A scheme the landlord guide cites speaks to the landlord there: it needs its `landlord_summary`."""
    located = check.sources.origin(chapter)
    for index, scheme_id in enumerate(chapter.schemes):
        scheme = check.sources.schemes.get(scheme_id)
        if scheme is None or scheme.landlord_summary:
            continue
        scheme_file = check.sources.origin(scheme).file
        check.problems.append(
            SourceProblem(
                located.file,
                located.line_of(("schemes", index)),
                f"schemes[{index}]",
                f"le dispositif « {scheme_id} » n'a pas de phrase pour les propriétaires ; ajoutez landlord_summary "
                f"dans {scheme_file} (le dispositif dit au bailleur, « votre locataire »), "
                "ou retirez-le de ce chapitre",
            )
        )


def _check_flyer(check: _Checker, flyer: Any) -> None:
    """A print document's sections exist in their page, and the sentences it leaves out in its ground."""
    _check_facts_left_out(check, flyer)
    check.problems += flyer_section_problems(check.sources, flyer)


def flyer_section_problems(sources: Sources, flyer: Any, day: dt.date | None = None) -> list[SourceProblem]:
    """Each section a leaflet takes is named by its id in its page; with `day`, shown on that day."""
    found = []
    for index, wanted in enumerate(flyer.sections):
        page = sources.pages.get(wanted.page)
        if page is not None:
            path = ("sections", index, "section")
            problem = section_reference_problem(
                sources.origin(flyer), path, wanted.section, page, sources.origin(page), day
            )
            found += [problem] if problem else []
    return found


def check_dated_references(sources: Sources) -> list[SourceProblem]:
    """On the sources as of their day: every section another file takes is shown that day."""
    return [p for flyer in sources.flyers for p in flyer_section_problems(sources, flyer, sources.as_of)]


def _check_facts_left_out(check: _Checker, flyer: Any) -> None:
    """Each sentence a leaflet leaves out must still begin an item of its ground: a rewritten one is said."""
    ground = next((g for g in check.sources.grounds if g.id == flyer.ground), None)
    if flyer.ground is not None and ground is None:
        return  # the unknown or invalid ground is reported on its own
    located = check.sources.origin(flyer)
    for index, start in enumerate(flyer.facts_left_out):
        if ground is not None and any(item.startswith(start) for item in ground.differences):
            continue
        where = f"referentiel/motifs/{flyer.ground}.yml" if ground else "un motif (ground)"
        check.problems.append(
            SourceProblem(
                located.file,
                located.line_of(("facts_left_out", index)),
                f"facts_left_out[{index}]",
                f"aucune phrase de « differences » dans {where} ne commence par « {start} » ; "
                "recopiez le début exact de la phrase à ne pas imprimer, ou retirez cette ligne",
            )
        )


def _check_figures(check: _Checker, year: Any) -> None:
    """Each figure answers an indicator that indicateurs.yml asks of that partner."""
    indicators = check.sources.indicators
    asked = {group.organisation: group.indicators for group in indicators.sets} if indicators else {}
    for p, partner in enumerate(year.partners):
        known = asked.get(partner.organisation, [])
        for f, figure in enumerate(partner.figures):
            if figure.indicator not in known:
                path = ("partners", p, "figures", f, "indicator")
                check.problems.append(
                    _unknown(check.sources.origin(year), path, figure.indicator, known, "indicateur de ce partenaire")
                )
