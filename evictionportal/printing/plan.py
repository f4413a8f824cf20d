"""Which PDFs the flyers ask for, where they go, and what a build reports about them."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass, field

from .. import schema
from ..load import Sources
from ..pages import Paths
from ..relations import HOME_PAGE

OUTPUT_FOLDER = "documents"  # under the site root: site/documents/*.pdf
PRINT_SHOP_SUFFIX = "imprimeur"
# The paper fixes their length: a leaflet folds, a poster is one sheet, a booklet is stapled. Their page
# budget stops the build. The référentiel and the directory grow with the sources: theirs is indicative.
BOUND_LAYOUTS = frozenset({schema.FlyerLayout.leaflet, schema.FlyerLayout.poster, schema.FlyerLayout.landlord_guide})


def budget_is_binding(layout: schema.FlyerLayout) -> bool:
    return layout in BOUND_LAYOUTS


@dataclass(frozen=True)
class DirectoryPart:
    """One volume of the printed directory: who serves the whole territory, or who serves one area.

    Each organisation sits in exactly one kind of volume (the territory's, or those of the areas it
    lists), so a volume stays short at 1,000 organisations and an edit re-renders only its volumes.
    """

    key: str  # in the file name: "paris", "18"
    label: str  # in the title: "tout Paris", "18e arrondissement"
    area: int | None = None

    def shows(self, org: schema.Organisation) -> bool:
        if self.area is None:
            return not isinstance(org.areas, list)
        return isinstance(org.areas, list) and self.area in org.areas


@dataclass(frozen=True)
class Variant:
    """One PDF to produce: a flyer in one paper size, for the office printer or the print shop."""

    flyer: schema.Flyer
    format: schema.PrintFormat
    print_shop: bool = False
    part: DirectoryPart | None = None  # for the directory: which volume

    @property
    def size(self) -> str:
        return self.format.size.value

    @property
    def title(self) -> str:
        return f"{self.flyer.title} : {self.part.label}" if self.part else self.flyer.title

    @property
    def filename(self) -> str:
        suffix = f"-{PRINT_SHOP_SUFFIX}" if self.print_shop else ""
        part = f"-{self.part.key}" if self.part else ""
        return f"{self.flyer.id}{part}-{self.size.lower()}{suffix}.pdf"

    @property
    def path(self) -> str:
        """Relative to the site root, e.g. documents/depliant-prevention-a4.pdf."""
        return f"{OUTPUT_FOLDER}/{self.filename}"

    @property
    def web_page(self) -> str:
        """The site page this document matches: its QR code and printed address lead there."""
        flyer = self.flyer
        if flyer.ground:
            return Paths.ground(flyer.ground)
        if flyer.layout is schema.FlyerLayout.landlord_guide:
            return Paths.landlords
        if flyer.layout is schema.FlyerLayout.referentiel:
            return Paths.professionals
        if flyer.layout is schema.FlyerLayout.directory:
            return Paths.area(self.part.area) if self.part and self.part.area else Paths.directory
        if flyer.intro and flyer.intro != HOME_PAGE:
            return Paths.guide_page(flyer.intro)
        return Paths.home


@dataclass(frozen=True)
class PrintedDocument:
    """A PDF written by the build, as the documents page and the stage pages show it."""

    flyer_id: str
    title: str
    layout: str
    audience: str
    ground: str | None
    size: str
    print_shop: bool
    path: str
    url: str | None  # the page its QR code points to; None on a proof
    pages: int
    bytes: int
    verified: dt.date
    seconds: float
    cached: bool
    budget: int = 0  # the page count in flyers/
    bound: bool = True  # the budget stops the build (leaflet, poster, booklet), or is indicative
    thumbnail: str | None = None  # page 1 as a small image, relative to the site root (thumbnails.py)
    thumbnail_size: tuple[int, int] = (0, 0)  # the width and height it is shown at, in CSS pixels

    @property
    def kilobytes(self) -> int:
        return max(1, math.ceil(self.bytes / 1024))

    @property
    def past_budget(self) -> bool:
        """A growing document longer than its indicative page count (a bound one never gets here)."""
        return not self.bound and self.pages > self.budget

    @property
    def is_leaflet(self) -> bool:
        return self.layout == schema.FlyerLayout.leaflet.value


@dataclass
class PrintReport:
    documents: list[PrintedDocument] = field(default_factory=list)
    seconds: float = 0.0
    proof: bool = False  # no public address yet: proofs without QR codes, not for the print shop
    notes: list[str] = field(default_factory=list)  # growing documents past their indicative page count
    layout_faults: list[str] = field(default_factory=list)  # near-empty pages, stranded headings (layout.py)

    @property
    def rendered(self) -> int:
        return sum(not d.cached for d in self.documents)

    @property
    def cached(self) -> int:
        return sum(d.cached for d in self.documents)

    def growing_documents(self) -> list[str]:
        """One line per growing document (référentiel, directory): its files, pages and size, every build."""
        by_flyer: dict[str, list[PrintedDocument]] = {}
        for doc in self.documents:
            if not doc.bound and not doc.print_shop:
                by_flyer.setdefault(doc.flyer_id, []).append(doc)
        lines = []
        for flyer_id, docs in by_flyer.items():
            longest = max(docs, key=lambda d: d.pages)
            total = f"{len(docs)} PDF, {sum(d.pages for d in docs)} p., {sum(d.kilobytes for d in docs)} Ko"
            if len(docs) > 1:
                total += f" (le plus long : {longest.path.split('/')[-1]}, {longest.pages} p.)"
            lines.append(f"{flyer_id} : {total}")
        return lines


def unpublished_inputs(flyer: schema.Flyer, sources: Sources) -> list[str]:
    """What a flyer takes words from that is not validated yet (`sources` holds only what is)."""
    pages = {flyer.intro, *(wanted.page for wanted in flyer.sections)} - {None}
    missing = [f"la page content/pages/{page}.yml" for page in sorted(pages - set(sources.pages))]
    if flyer.ground and flyer.ground not in {g.id for g in sources.grounds}:
        missing.append(f"le motif « {flyer.ground} » (referentiel/motifs/)")
    if flyer.layout is schema.FlyerLayout.landlord_guide and not sources.landlord_guide:
        missing.append("le guide des propriétaires (content/bailleurs/)")
    return missing


def takes_only_published(flyer: schema.Flyer, sources: Sources) -> bool:
    """A flyer waits until every page it takes words from is validated."""
    return not unpublished_inputs(flyer, sources)


def held_back_warnings(sources: Sources) -> list[str]:
    """One line per flyer the build does not print because what it takes is still a draft: never silent."""
    warnings = []
    for flyer in sources.flyers:
        missing = unpublished_inputs(flyer, sources)
        if missing:
            warnings.append(
                f"{sources.origin(flyer).file} : le document « {flyer.title} » n'est pas produit, "
                f"car {', '.join(missing)} n'est pas encore validé(e) (review.status: validated)"
            )
    return warnings


def plan(sources: Sources) -> list[Variant]:
    """Every PDF the flyers ask for, once what they take is published."""
    ground_order = {g.id: g.order for g in sources.grounds}
    layouts = list(schema.FlyerLayout)

    def reading_order(flyer: schema.Flyer) -> tuple[int, int, str]:
        return layouts.index(flyer.layout), ground_order.get(flyer.ground or "", 0), flyer.id

    variants = []
    for flyer in sorted(sources.flyers, key=reading_order):
        if not takes_only_published(flyer, sources):
            continue
        parts = directory_parts(sources) if flyer.layout is schema.FlyerLayout.directory else [None]
        for part in parts:
            for fmt in flyer.formats:
                variants.append(Variant(flyer, fmt, part=part))
                if flyer.print_shop:
                    variants.append(Variant(flyer, fmt, print_shop=True, part=part))
    return variants


def slug(text: str) -> str:
    """A file-name word from a name: « Seine-Saint-Denis » -> seine-saint-denis."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def directory_parts(sources: Sources) -> list[DirectoryPart]:
    """The directory's volumes that have someone in them: the whole territory first, then each area."""
    territory = sources.territory
    candidates = [DirectoryPart(slug(territory.name), f"tout {territory.name}")]
    candidates += [DirectoryPart(str(area.number), area.name, area.number) for area in territory.areas]
    orgs = list(sources.organisations.values())
    return [part for part in candidates if any(part.shows(org) for org in orgs)]


def page_url(site_url: str, page: str) -> str:
    """The public address of a generated page, e.g. motifs/impayes.md -> https://…/motifs/impayes/."""
    path = page.removesuffix(".md")
    path = path.removesuffix("index")
    if path and not path.endswith("/"):
        path += "/"
    return site_url.rstrip("/") + "/" + path


PROOF_WARNING = (
    "Épreuves seulement : content/territoire.yml n'indique pas site_url, l'adresse publique du site. "
    "Les documents sont produits sans code QR ni adresse du site et marqués « Épreuve » ; "
    "ajoutez « site_url: https://… » (l'adresse réelle du portail) pour les documents à imprimer."
)
