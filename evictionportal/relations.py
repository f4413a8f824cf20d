"""Derived views of the sources: what is published, and who appears where.

Backlinks (an organisation's stages, schemes and charter actions) are always
computed here from the forward references, never written by hand.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from . import schema
from .errors import SourceErrors, SourceProblem
from .freshness import without_expired_contacts
from .load import Sources

HOME_PAGE = "accueil"
NEAR_ME_PAGE = "pres-de-chez-moi"


def is_published(page: schema.PublishedPage) -> bool:
    """Reviewed by the team or validated by partners: the footer says which."""
    return page.review.status is not schema.ReviewStatus.draft


def _public(page: Any) -> Any:
    """A published page without its drafting notes: they never reach the site or a PDF."""
    return page.model_copy(update={"editor_notes": None}) if page.editor_notes else page


def visible_sources(sources: Sources, include_drafts: bool) -> Sources:
    """The sources a build may show: drafts and drafting notes only in the preview; contacts past their
    withdrawal date never."""
    sources = without_expired_contacts(sources)
    if include_drafts:
        return sources
    published_stages = [s for s in sources.stages if is_published(s)]
    return dataclasses.replace(
        sources,
        # A reader counts the stages shown: with one held back, "Étape 3 sur 6" must follow "Étape 2 sur 6".
        stages=[_public(s).model_copy(update={"order": n}) for n, s in enumerate(published_stages, 1)],
        grounds=[_public(g) for g in sources.grounds if is_published(g)],
        schemes={k: _public(s) for k, s in sources.schemes.items() if is_published(s)},
        pages={k: _public(p) for k, p in sources.pages.items() if is_published(p)},
        landlord_guide=[_public(p) for p in sources.landlord_guide if is_published(p)],
    )


def require_home_page(sources: Sources, shown: Sources) -> None:
    """A build without a validated home page would publish a site with no front door."""
    if HOME_PAGE not in shown.pages:
        home = sources.pages.get(HOME_PAGE)
        file, line = (
            (sources.origin(home).file, sources.origin(home).line_of(("review", "status")))
            if home
            else (
                f"content/pages/{HOME_PAGE}.yml",
                0,
            )
        )
        raise SourceErrors(
            [
                SourceProblem(
                    file,
                    line,
                    "review.status",
                    "la page d'accueil doit être « reviewed » ou « validated » pour être publiée",
                )
            ]
        )


@dataclass
class Backlinks:
    """Where one organisation appears across the référentiel."""

    helps_at: list[schema.Stage] = field(default_factory=list)
    acts_at: list[tuple[schema.Stage, str]] = field(default_factory=list)
    helps_with: list[schema.Ground] = field(default_factory=list)
    operates: list[schema.Scheme] = field(default_factory=list)
    coordinates: list[schema.CharterAction] = field(default_factory=list)
    partners_in: list[schema.CharterAction] = field(default_factory=list)
    steps_in: list[schema.CharterAction] = field(default_factory=list)
    indicators: list[str] = field(default_factory=list)

    @property
    def actions(self) -> list[schema.CharterAction]:
        seen = {a.number: a for a in [*self.coordinates, *self.partners_in, *self.steps_in]}
        return [seen[n] for n in sorted(seen)]


def organisation_backlinks(sources: Sources) -> dict[str, Backlinks]:
    links = {org_id: Backlinks() for org_id in sources.organisations}
    for stage in sources.stages:
        for org_id in stage.who_can_help:
            links[org_id].helps_at.append(stage)
        for actor in stage.actors:
            links[actor.organisation].acts_at.append((stage, actor.role))
    for ground in sources.grounds:
        for org_id in ground.who_can_help:
            links[org_id].helps_with.append(ground)
    for scheme in sources.schemes.values():
        for org_id in scheme.operated_by:
            links[org_id].operates.append(scheme)
    for action in sources.actions:
        for org_id in action.coordinators:
            links[org_id].coordinates.append(action)
        for org_id in action.partners:
            if action not in links[org_id].partners_in:
                links[org_id].partners_in.append(action)
        for group in action.step_groups:
            for step in group.steps:
                for org_id in step.who:
                    if action not in links[org_id].steps_in:
                        links[org_id].steps_in.append(action)
    for group in sources.indicators.sets:
        links[group.organisation].indicators.extend(group.indicators)
    return links


def organisations_serving(sources: Sources, area: int) -> dict[str, list[schema.Organisation]]:
    """Who helps the people of one area: offices for that area first, then those located there
    (a city-wide service), then the city-wide and national lines."""
    local, located, everywhere, national = [], [], [], []
    for org in sources.organisations.values():  # in alphabetical order since loading
        if not org.serves(area) or schema.Audience.tenants not in org.audiences:
            continue
        if isinstance(org.areas, list) and area in org.areas:
            local.append(org)
        elif org.located_in == area:
            located.append(org)
        elif org.areas == "national":
            national.append(org)
        else:
            everywhere.append(org)
    here = local + located
    nearest = [] if any(o.public_contacts for o in here) else nearest_offices(sources, area)
    return {"here": here, "nearest": nearest, "everywhere": everywhere, "national": national}


def nearest_offices(sources: Sources, area: int) -> list[schema.Organisation]:
    """For an area with no confirmed office: the offices open to its people (serving the whole territory) with
    a confirmed address in the nearest neighbouring area that has one (`nearby` in content/territoire.yml)."""
    areas = {a.number: a for a in sources.territory.areas}
    for neighbour in areas[area].nearby if area in areas else []:
        found = [
            org
            for org in sources.organisations.values()
            if org.located_in == neighbour
            and org.serves(area)
            and schema.Audience.tenants in org.audiences
            and any(c.kind is schema.ContactKind.address for c in org.public_contacts)
        ]
        if found:
            return found
    return []


def routes_to(sources: Sources, org: schema.Organisation) -> list[schema.Organisation]:
    """How to reach an organisation that has no confirmed contact of its own: the lines of the directory that
    route calls to it (`reached_through`), those with a confirmed contact only."""
    if org.public_contacts:
        return []
    found = (sources.organisations.get(i) for i in org.reached_through)
    return [o for o in found if o is not None and o.public_contacts]


def call_lines(
    sources: Sources, helper_ids: list[str], every_hotline: bool = False, limit: int = 2
) -> list[schema.Organisation]:
    """The lines a tenant is told to call first, the same on the web page and on paper. A stage of the procedure
    (and a document for every stage) gets every hotline of the territory; a ground gets those it names (no
    unpaid-rent line on a congé page), else its helpers with a confirmed phone."""
    if every_hotline:
        hotlines = [sources.organisations[i] for i in sources.territory.hotlines]
        return [o for o in hotlines if _has_phone(o)][:limit]
    with_phone = [sources.organisations[i] for i in helper_ids if _has_phone(sources.organisations[i])]
    named = [o for o in with_phone if o.id in sources.territory.hotlines]
    return (named + [o for o in with_phone if o not in named])[:limit]


def _has_phone(org: schema.Organisation) -> bool:
    return any(c.kind is schema.ContactKind.phone for c in org.public_contacts)
