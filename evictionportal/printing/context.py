"""One context per layout: what each print template shows, taken from the sources.

Nothing here writes a sentence of its own: titles, summaries, deadlines, what
to do and contacts all come from content/, referentiel/ and directory/; the
templates add the headings and the layout.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import segno

from .. import schema
from ..load import Sources
from ..pages import Paths
from ..relations import call_lines
from ..text import first_sentence
from .plan import DirectoryPart, Variant, directory_parts, page_url


@dataclass(frozen=True)
class QRCode:
    url: str
    shown_url: str  # the address as printed under the code, without https://
    data_uri: str  # vector SVG


@dataclass(frozen=True)
class Helper:
    """An organisation as a short document cites it: name, one sentence, verified contacts only."""

    name: str
    short_name: str | None
    about: str
    contacts: list[schema.Contact]


@dataclass(frozen=True)
class Hotline:
    name: str
    phones: list[schema.Contact]


@dataclass
class PrintContext:
    """Everything a print template may use. Fields a layout does not need stay empty."""

    title: str  # the PDF title (HTML <title>) and the documents page entry
    layout: str
    size: str
    print_shop: bool
    territory: schema.Territory
    edition: str  # who publishes: "etat" (the State's bloc-marque) or "collectivite" (the publisher's name)
    qr: QRCode | None  # None on a proof: the site's public address is not set yet
    verified: dt.date
    verified_by: list[str]
    hotlines: list[Hotline]
    review: schema.Review | None = None  # the review state of the document as a whole (the least advanced)
    as_of: dt.date | None = None  # the day whose law the document shows (sources.as_of)
    helpers: list[Helper] = field(default_factory=list)
    near_me_url: str = ""
    proof: bool = False
    intro: schema.GuidePage | None = None
    sections: list[schema.Section] = field(default_factory=list)
    stages: list[schema.Stage] = field(default_factory=list)
    stages_block: str | None = None
    whole_procedure: bool = False  # the leaflet's stages are every stage (« La procédure, étape par étape »)
    short_deadlines: dict[str, list[schema.Deadline]] = field(default_factory=dict)  # by stage, printable alone
    ground: schema.Ground | None = None
    lead: str = ""  # the sentence under the title of a leaflet or a poster, worded for paper
    facts: list[str] = field(default_factory=list)  # the ground's differences a leaflet prints
    chapters: list[schema.GuidePage] = field(default_factory=list)
    checklist: schema.Checklist | None = None  # the landlord guide's first week, on its first page
    schemes: list[schema.Scheme] = field(default_factory=list)
    scheme_index: dict[str, schema.Scheme] = field(default_factory=dict)
    references: dict[str, schema.LegalReference] = field(default_factory=dict)
    reference_ids: list[str] = field(default_factory=list)
    organisations: dict[str, schema.Organisation] = field(default_factory=dict)
    directory: list[schema.Organisation] = field(default_factory=list)
    grounds: list[schema.Ground] = field(default_factory=list)
    actions: list[schema.CharterAction] = field(default_factory=list)
    acronyms: list[schema.GlossaryTerm] = field(default_factory=list)  # the référentiel's list (« Les sigles »)
    acronyms_intro: str = ""
    indicators: schema.Indicators | None = None
    areas: dict[int, schema.Area] = field(default_factory=dict)
    part: DirectoryPart | None = None  # the directory's volume
    directory_volumes: list[str] = field(default_factory=list)  # the référentiel names the directory's files
    territory_volume: str = ""  # from an area's volume: the file of the territory-wide one


def qr_code(url: str) -> QRCode:
    """A vector QR code (SVG) for `url`, with a quiet zone of 4 modules."""
    code = segno.make(url, error="m", micro=False)
    svg = code.svg_inline(scale=1, border=4, dark="#000", light="#fff", omitsize=True)
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return QRCode(url, url.removeprefix("https://").removeprefix("http://"), f"data:image/svg+xml;base64,{data}")


def helpers(sources: Sources, ids: Iterable[str]) -> list[Helper]:
    found = []
    for org_id in ids:
        org = sources.organisations[org_id]
        found.append(Helper(org.name, org.short_name, first_sentence(org.role), org.public_contacts))
    return found


def reachable(found: list[Helper]) -> list[Helper]:
    """On a leaflet or a poster the reader cannot click through: an organisation without a verified contact
    is left out rather than named with no way to reach it."""
    return [helper for helper in found if helper.contacts]


def hotlines(sources: Sources, audience: schema.Audience) -> list[Hotline]:
    """The territory's hotlines for this audience (all of them if none serves it), verified phones only."""
    orgs = [sources.organisations[i] for i in sources.territory.hotlines]
    for_audience = [o for o in orgs if audience in o.audiences] or orgs
    return [_hotline(org) for org in for_audience if _hotline(org).phones]


def _hotline(org: schema.Organisation) -> Hotline:
    return Hotline(org.name, [c for c in org.public_contacts if c.kind is schema.ContactKind.phone])


def _verification(items: Iterable[Any]) -> tuple[dt.date, list[str]]:
    """The oldest verification among the sources a document shows: all of it was checked since."""
    records = [item.verified for item in items if getattr(item, "verified", None) is not None]
    if not records:
        return dt.date.today(), []
    by = sorted({r.by for r in records})
    return min(r.date for r in records), by


def document_review(items: Iterable[Any]) -> schema.Review | None:
    """A document is validated by the partners who validated every text it takes, else it says who reviewed it."""
    reviews = [item.review for item in items if getattr(item, "review", None) is not None]
    if not reviews:
        return None
    date = max(r.date for r in reviews if r.date) if any(r.date for r in reviews) else None
    if all(r.status is schema.ReviewStatus.validated for r in reviews):
        common = [p for p in reviews[0].partners if all(p in r.partners for r in reviews)]
        if common:
            return schema.Review(status=schema.ReviewStatus.validated, date=date, partners=common)
    by = sorted({r.by for r in reviews if r.by})
    if by and date:
        return schema.Review(status=schema.ReviewStatus.reviewed, date=date, by=", ".join(by))
    return schema.Review(status=schema.ReviewStatus.draft)


def build_context(sources: Sources, variant: Variant, site_url: str | None) -> PrintContext:
    """The context of one PDF; `sources` holds only what may be published."""
    flyer = variant.flyer
    layout = flyer.layout
    base = {
        "title": variant.title,
        "layout": layout.value,
        "size": variant.size,
        "print_shop": variant.print_shop,
        "territory": sources.territory,
        "edition": sources.edition.value,
        "qr": qr_code(page_url(site_url, variant.web_page)) if site_url else None,
        "proof": site_url is None,
        "hotlines": hotlines(sources, flyer.audience),
        "helpers": helpers(sources, flyer.who_can_help),
        "near_me_url": page_url(site_url, Paths.near_me).removeprefix("https://") if site_url else "",
        "references": sources.references,
        "organisations": sources.organisations,
        "as_of": sources.as_of,
    }
    if layout is schema.FlyerLayout.landlord_guide:
        return _landlord_guide(sources, base)
    if layout is schema.FlyerLayout.referentiel:
        return _referentiel(sources, base)
    if layout is schema.FlyerLayout.directory:
        return _directory(sources, variant, base)
    return _short_document(sources, flyer, base)


def _short_document(sources: Sources, flyer: schema.Flyer, base: dict[str, Any]) -> PrintContext:
    """Leaflets and posters: an intro page or a ground, sections, stages, helpers."""
    intro = sources.pages.get(flyer.intro) if flyer.intro else None
    ground = next((g for g in sources.grounds if g.id == flyer.ground), None)
    sections = []
    for wanted in flyer.sections:
        page = sources.pages.get(wanted.page)
        sections += [s for s in page.sections if s.id == wanted.section] if page else []
    if ground is not None:
        stages = [s for s in sources.stages if s.id in ground.stages]
    elif flyer.stages is not None:
        stages = list(sources.stages)
    else:
        stages = []
    received = list(sources.grounds) if flyer.stages is schema.StagesBlock.documents else []  # the poster's list
    shown = [x for x in (intro, ground) if x is not None] + stages + received
    shown += [sources.pages[w.page] for w in flyer.sections if w.page in sources.pages]
    verified, by = _verification(shown)
    base["helpers"] = reachable(base["helpers"])
    # The lines the web page gives as call buttons: the ground's own, or every hotline with the stages.
    lines = call_lines(sources, ground.who_can_help) if ground else call_lines(sources, [], every_hotline=True)
    base["hotlines"] = [_hotline(org) for org in lines]
    return PrintContext(
        **base,
        verified=verified,
        verified_by=by,
        review=document_review(shown),
        intro=intro,
        ground=ground,
        lead=paper_lead(ground or intro),
        facts=printed_facts(ground, flyer.facts_left_out) if ground else [],
        sections=sections,
        stages=stages,
        stages_block=flyer.stages.value if flyer.stages else ("en-bref" if ground else None),
        grounds=received,
        whole_procedure=bool(stages) and len(stages) == len(sources.stages),
        short_deadlines={s.id: [d for d in s.deadlines if d.print_in_short] for s in stages},
    )


def paper_lead(lead: schema.Ground | schema.GuidePage | None) -> str:
    """The sentence under the title: a page's own wording for paper when its summary speaks of the site."""
    if lead is None:
        return ""
    return getattr(lead, "print_summary", None) or lead.summary or ""


def printed_facts(ground: schema.Ground, left_out: list[str]) -> list[str]:
    """« Ce qu'il faut savoir » on a leaflet: the ground's differences, less those that speak of the site."""
    return [item for item in ground.differences if not any(item.startswith(start) for start in left_out)]


def _landlord_guide(sources: Sources, base: dict[str, Any]) -> PrintContext:
    chapters = list(sources.landlord_guide)
    scheme_ids = _unique(i for c in chapters for i in c.schemes)
    helper_ids = _unique(i for c in chapters for i in c.who_can_help)
    verified, by = _verification(chapters)
    base["helpers"] = base["helpers"] or helpers(sources, helper_ids)
    return PrintContext(
        **base,
        verified=verified,
        verified_by=by,
        review=document_review(chapters),
        chapters=chapters,
        checklist=next((c.checklist for c in chapters if c.checklist), None),
        schemes=[sources.schemes[i] for i in scheme_ids if i in sources.schemes],
        reference_ids=_unique(i for c in chapters for i in c.references),
    )


def _referentiel(sources: Sources, base: dict[str, Any]) -> PrintContext:
    """Everything in referentiel/; the directory is a document of its own (layout « annuaire »)."""
    texts = [*sources.stages, *sources.grounds, *sources.schemes.values()]
    verified, by = _verification(texts)
    return PrintContext(
        **base,
        verified=verified,
        verified_by=by,
        review=document_review(texts),
        stages=list(sources.stages),
        grounds=list(sources.grounds),
        schemes=list(sources.schemes.values()),
        scheme_index=dict(sources.schemes),
        actions=list(sources.actions),
        acronyms=sources.glossary.acronyms if sources.glossary else [],
        acronyms_intro=(sources.glossary.intro or "") if sources.glossary else "",
        indicators=sources.indicators,
        reference_ids=list(sources.references),
        directory_volumes=directory_volumes(sources),
    )


def directory_volumes(sources: Sources) -> list[str]:
    """The files of the directory (office printer, first format): where the référentiel sends its reader."""
    flyers = [f for f in sources.flyers if f.layout is schema.FlyerLayout.directory]
    return [
        Variant(flyer, flyer.formats[0], part=part).filename for flyer in flyers for part in directory_parts(sources)
    ]


def _directory(sources: Sources, variant: Variant, base: dict[str, Any]) -> PrintContext:
    """One volume of the directory: the organisations it shows, in alphabetical order (since loading)."""
    part = variant.part
    if part is None:
        raise ValueError(f"{variant.filename} : volume de l'annuaire manquant")
    directory = [org for org in sources.organisations.values() if part.shows(org)]
    verified, by = _verification(directory)
    territory_volume = ""
    whole = directory_parts(sources)[0]
    if part.area is not None and whole.area is None:
        territory_volume = dataclasses.replace(variant, part=whole, print_shop=False).filename
    return PrintContext(
        **base,
        verified=verified,
        verified_by=by,
        directory=directory,
        areas={a.number: a for a in sources.territory.areas},
        part=part,
        territory_volume=territory_volume,
    )


def _unique(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(ids))
