"""The packet PDF of one organisation: what the portal publishes about it today, in the house print style.

Same renderer, stylesheet and fonts as the leaflets (`printing.render`): a
tagged PDF/UA-1 document, titled, in French.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from weasyprint.text.fonts import FontConfiguration

from .. import schema
from ..errors import BuildFailed
from ..freshness import Age, thresholds
from ..load import Sources
from ..printing.render import french_spacing, render_pdf, template_environment
from ..relations import Backlinks
from ..text import french_date
from .fields import KIND_LABELS

TEMPLATE = "campaign_packet.html.j2"


@dataclass(frozen=True)
class ContactLine:
    label: str
    contact: schema.Contact
    verified: str
    status: str


@dataclass
class PacketContext:
    """Everything the packet template shows; the `_base` frame needs the first seven fields."""

    title: str
    territory: schema.Territory
    verified: dt.date
    org: schema.Organisation
    year: int
    layout: str = "campagne"
    size: str = "A4"
    print_shop: bool = False
    proof: bool = False
    edition: str = "collectivite"  # who publishes, as the print frame (_base) asks: "etat" or "collectivite"
    audiences: str = ""
    areas: str = ""
    contacts: list[ContactLine] = field(default_factory=list)
    appears: list[str] = field(default_factory=list)
    indicators: list[str] = field(default_factory=list)
    return_files: list[str] = field(default_factory=list)


def where_it_appears(back: Backlinks) -> list[str]:
    """The backlinks in words: the stages, grounds, schemes and charter actions that name the organisation."""
    lines = [
        f"Étape {stage.order} de la procédure : {stage.title} (rôle décrit aux professionnels)"
        for stage, _ in back.acts_at
    ]
    acted = {stage.id for stage, _ in back.acts_at}
    lines += [f"Étape {s.order} : {s.title} (« Qui peut vous aider ? »)" for s in back.helps_at if s.id not in acted]
    lines += [f"Motif d'expulsion : {ground.title}" for ground in back.helps_with]
    lines += [f"Dispositif : {scheme.name}" for scheme in back.operates]
    for action in back.actions:
        role = "pilote" if action in back.coordinates else "partenaire" if action in back.partners_in else "étapes"
        lines.append(f"Charte, action {action.number} : {action.title} ({role})")
    return lines


def contact_lines(sources: Sources, org: schema.Organisation) -> list[ContactLine]:
    limits = thresholds(sources)
    lines = []
    for contact in org.contacts:
        age = limits.age(contact.verified)
        status = {
            None: "non publiée : à confirmer",
            Age.current: "publiée",
            Age.recheck: "publiée, à revérifier",
            Age.expired: "retirée : trop ancienne",
        }[age]
        when = french_date(contact.verified.date) if contact.verified else "jamais"
        lines.append(ContactLine(KIND_LABELS[contact.kind].split(" (")[0].capitalize(), contact, when, status))
    return lines


def packet_context(
    sources: Sources,
    org: schema.Organisation,
    back: Backlinks,
    year: int,
    indicators: list[str],
    return_files: list[str],
) -> PacketContext:
    areas = {a.number: a.name for a in sources.territory.areas}
    if org.areas == "national":
        scope = "ligne nationale"
    elif org.areas == "all":
        scope = f"tout {sources.territory.name}"
    else:
        scope = ", ".join(areas.get(n, str(n)) for n in org.areas)
    return PacketContext(
        title=f"Mise à jour de l'annuaire {year}",
        territory=sources.territory,
        verified=sources.as_of,
        org=org,
        year=year,
        edition=sources.edition.value,
        audiences=", ".join(a.value for a in org.audiences),
        areas=scope,
        contacts=contact_lines(sources, org),
        appears=where_it_appears(back),
        indicators=indicators,
        return_files=return_files,
    )


class DocumentPrinter:
    """Renders documents one after the other with one template environment and one font cache."""

    def __init__(self) -> None:
        self.env = template_environment()
        self.fonts = FontConfiguration()

    def pdf(self, template: str, context: Any) -> bytes:
        html = french_spacing(self.env.get_template(template).render(doc=context))
        pdf, _pages, errors = render_pdf(html, self.fonts, print_shop=False)
        if errors:
            problems = "; ".join(errors)
            raise BuildFailed(f"« {context.title} » : la mise en page a échoué (WeasyPrint) : {problems}")
        return pdf


def render_document(template: str, context: Any) -> bytes:
    """One PDF from one print template (templates/print/) and its context."""
    return DocumentPrinter().pdf(template, context)
