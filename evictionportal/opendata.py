"""The directory as open data, under /donnees/: data·inclusion JSON, a CSV for spreadsheets, a vCard file.

Only what the site publishes goes out: visible sources, verified contacts
that are not past their withdrawal date. Each organisation page also carries
its schema.org description (JSON-LD), escaped for a <script> element.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import vobject

from . import schema
from .load import Sources
from .schema import ContactKind
from .tables import write_csv

FOLDER = "donnees"
PRODUCER = "prevention-expulsions"
POSTCODE = re.compile(r"\b(75\d{3})\b")
SERVICE_THEMES = ["logement-hebergement--se-maintenir-dans-le-logement"]


@dataclass(frozen=True)
class DataFile:
    """One open-data file, as the documents page lists it."""

    title: str
    path: str  # relative to the site root, e.g. donnees/annuaire.csv
    format: str
    bytes: int

    @property
    def kilobytes(self) -> int:
        return max(1, round(self.bytes / 1024))


def first(org: schema.Organisation, kind: ContactKind) -> schema.Contact | None:
    return next((c for c in org.public_contacts if c.kind is kind), None)


def page_url(sources: Sources, org: schema.Organisation) -> str | None:
    from .pages import Paths  # pages import this module for the JSON-LD

    if sources.territory.site_url is None:
        return None
    return str(sources.territory.site_url).rstrip("/") + "/" + Paths.organisation(org.id).removesuffix(".md") + "/"


def last_update(sources: Sources, org: schema.Organisation) -> str:
    """The latest verification of the record or one of its published contacts (the build day if none)."""
    dates = [c.verified.date for c in org.public_contacts if c.verified] + ([org.verified.date] if org.verified else [])
    return (max(dates) if dates else sources.as_of).isoformat()


def international_phone(contact: schema.Contact | None) -> str | None:
    return contact.href.removeprefix("tel:") if contact and contact.href else None


def eligibility_zone(org: schema.Organisation) -> list[str]:
    """INSEE codes: Paris (75), its arrondissements (75101 to 75120), or the whole country."""
    if org.areas == "national":
        return ["france"]
    if org.areas == "all":
        return ["75"]
    return [f"751{n:02d}" for n in org.areas]


# ------------------------------------------------------------------ data·inclusion


def structure(sources: Sources, org: schema.Organisation) -> dict[str, Any]:
    address = first(org, ContactKind.address)
    postcode = POSTCODE.search(address.value) if address else None
    item = {
        "source": PRODUCER,
        "id": f"{PRODUCER}--{org.id}",
        "nom": org.name,
        "date_maj": last_update(sources, org),
        "description": " ".join(org.role.split()),
        "lien_source": page_url(sources, org),
        "adresse": address.value.split(",")[0] if address else None,
        "code_postal": postcode.group(1) if postcode else None,
        "commune": "Paris" if postcode else None,
        "telephone": international_phone(first(org, ContactKind.phone)),
        "courriel": getattr(first(org, ContactKind.email), "value", None),
        "site_web": getattr(first(org, ContactKind.website), "value", None),
        "horaires_accueil": getattr(first(org, ContactKind.hours), "value", None),
    }
    return {key: value for key, value in item.items() if value is not None}


def service(sources: Sources, org: schema.Organisation) -> dict[str, Any]:
    """What the organisation does against evictions, as one data·inclusion service."""
    place = structure(sources, org)
    item = {
        "source": PRODUCER,
        "structure_id": place["id"],
        "id": f"{PRODUCER}--{org.id}--prevention-expulsions",
        "nom": f"Prévention des expulsions : {org.display_name}",
        "description": place["description"],
        "date_maj": place["date_maj"],
        "lien_source": place.get("lien_source"),
        "thematiques": SERVICE_THEMES,
        "zone_eligibilite": eligibility_zone(org),
        **{
            key: place[key]
            for key in ("adresse", "code_postal", "commune", "telephone", "courriel", "horaires_accueil")
            if key in place
        },
    }
    return {key: value for key, value in item.items() if value is not None}


def tenant_organisations(sources: Sources) -> list[schema.Organisation]:
    return [o for o in sources.organisations.values() if schema.Audience.tenants in o.audiences]


# ------------------------------------------------------------------ CSV and vCard

CSV_HEADER = [
    "identifiant", "nom", "sigle", "rôle", "pour qui", "territoire", "arrondissement", "téléphone", "e-mail",
    "site internet", "adresse", "horaires (OpenStreetMap)", "horaires", "fiche vérifiée le",
]  # fmt: skip


def csv_rows(sources: Sources) -> list[list[str]]:
    rows = [CSV_HEADER]
    for org in sources.organisations.values():
        hours = first(org, ContactKind.hours)
        rows.append(
            [
                org.id,
                org.name,
                org.short_name or "",
                " ".join(org.role.split()),
                ", ".join(a.value for a in org.audiences),
                org.areas if isinstance(org.areas, str) else ", ".join(map(str, org.areas)),
                str(org.located_in or ""),
                *[getattr(first(org, kind), "value", "") for kind in (ContactKind.phone, ContactKind.email)],
                *[getattr(first(org, kind), "value", "") for kind in (ContactKind.website, ContactKind.address)],
                hours.value if hours else "",
                hours.shown_value if hours else "",
                org.verified.date.isoformat() if org.verified else "",
            ]
        )
    return rows


def vcard(org: schema.Organisation) -> vobject.base.Component:
    card = vobject.vCard()
    card.add("fn").value = org.name
    card.add("org").value = [org.name]
    card.add("note").value = " ".join(org.role.split())
    for contact in org.public_contacts:
        if contact.kind is ContactKind.phone:
            card.add("tel").value = contact.value
        elif contact.kind is ContactKind.email:
            card.add("email").value = contact.value
        elif contact.kind is ContactKind.website:
            card.add("url").value = contact.value
        elif contact.kind is ContactKind.address:
            street, _, rest = contact.value.partition(",")
            postcode = POSTCODE.search(rest)
            code = postcode.group(1) if postcode else ""
            city = rest.replace(code, "").strip() if postcode else rest.strip()
            card.add("adr").value = vobject.vcard.Address(street=street.strip(), city=city, code=code, country="France")
    return card


# ------------------------------------------------------------------ schema.org


def organisation_jsonld(sources: Sources, org: schema.Organisation) -> str:
    """schema.org JSON-LD, safe inside <script>: no « < », « > » or « & » can close the element."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "GovernmentOrganization" if org.kind.value in ("etat", "collectivite", "justice") else "Organization",
        "name": org.name,
        "description": " ".join(org.role.split()),
    }
    if org.short_name:
        data["alternateName"] = org.short_name
    if url := page_url(sources, org):
        data["url"] = url
    for kind, key in ((ContactKind.phone, "telephone"), (ContactKind.email, "email"), (ContactKind.website, "sameAs")):
        if contact := first(org, kind):
            data[key] = contact.value
    if address := first(org, ContactKind.address):
        data["address"] = {"@type": "PostalAddress", "streetAddress": address.value, "addressCountry": "FR"}
    if hours := first(org, ContactKind.hours):
        data["openingHours"] = hours.value
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# ------------------------------------------------------------------ writing


def write_open_data(sources: Sources, site_docs: Path) -> list[DataFile]:
    """Write /donnees/ into the docs folder; `sources` holds only what may be published."""
    folder = site_docs / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    orgs = tenant_organisations(sources)
    files = {
        "structures.json": ("Annuaire au format data·inclusion : structures", "JSON"),
        "services.json": ("Annuaire au format data·inclusion : services", "JSON"),
        "annuaire.csv": ("Annuaire complet, pour un tableur", "CSV"),
        "annuaire.vcf": ("Coordonnées vérifiées, pour un carnet d'adresses", "vCard"),
    }
    structures = [structure(sources, o) for o in orgs]
    services = [service(sources, o) for o in orgs]
    for name, items in (("structures.json", structures), ("services.json", services)):
        (folder / name).write_text(json.dumps(items, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    write_csv(folder / "annuaire.csv", csv_rows(sources))
    cards = [vcard(o) for o in sources.organisations.values() if o.public_contacts]
    (folder / "annuaire.vcf").write_text("".join(card.serialize() for card in cards), encoding="utf-8")
    return [
        DataFile(title, f"{FOLDER}/{name}", kind, (folder / name).stat().st_size)
        for name, (title, kind) in files.items()
    ]
