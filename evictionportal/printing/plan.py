"""Which PDFs the flyers ask for, where they go, and what a build reports about them."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from .. import schema
from ..load import Sources
from ..pages import Paths
from ..relations import HOME_PAGE

OUTPUT_FOLDER = "documents"  # under the site root: site/documents/*.pdf
PRINT_SHOP_SUFFIX = "imprimeur"


@dataclass(frozen=True)
class Variant:
    """One PDF to produce: a flyer in one paper size, for the office printer or the print shop."""

    flyer: schema.Flyer
    format: schema.PrintFormat
    print_shop: bool = False

    @property
    def size(self) -> str:
        return self.format.size.value

    @property
    def filename(self) -> str:
        suffix = f"-{PRINT_SHOP_SUFFIX}" if self.print_shop else ""
        return f"{self.flyer.id}-{self.size.lower()}{suffix}.pdf"

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

    @property
    def kilobytes(self) -> int:
        return max(1, math.ceil(self.bytes / 1024))

    @property
    def is_leaflet(self) -> bool:
        return self.layout == schema.FlyerLayout.leaflet.value


@dataclass
class PrintReport:
    documents: list[PrintedDocument] = field(default_factory=list)
    seconds: float = 0.0
    proof: bool = False  # no public address yet: proofs without QR codes, not for the print shop

    @property
    def rendered(self) -> int:
        return sum(not d.cached for d in self.documents)

    @property
    def cached(self) -> int:
        return sum(d.cached for d in self.documents)


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
        for fmt in flyer.formats:
            variants.append(Variant(flyer, fmt))
            if flyer.print_shop:
                variants.append(Variant(flyer, fmt, print_shop=True))
    return variants


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
