"""Before going online: everything that stands between the sources and a real publication, in one list.

Each item names the file and the field to fill. The list is read from the same sources and checks as the
build (`build.checked_sources`), so it cannot disagree with what the pages and documents say (« à compléter »,
« Épreuve »). `python build.py publication` prints it and exits 1 while it is not empty.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from . import schema
from .build import checked_sources
from .freshness import stale_contact_warnings
from .letters.config import CONFIG_FILE as LETTERS_FILE
from .letters.config import load_letters_config
from .letters.models import has_letters
from .load import Sources

TERRITORY_FILE = "content/territoire.yml"
# The pages a public site must have (the State edition's footer links to each of them).
REQUIRED_PAGES = {
    "accessibilite": "la déclaration d'accessibilité (RGAA)",
    "mentions-legales": "les mentions légales (LCEN, art. 6 III)",
    "donnees-personnelles": "la page Données personnelles",
    "gestion-des-cookies": "la page Gestion des cookies",
}
LEGAL_FIELDS: list[tuple[tuple[str, ...], str]] = [
    (("site_url",), "l'adresse publique du site : sans elle, les documents sont des épreuves, sans code QR"),
    (("publisher_address",), "l'adresse postale de l'éditeur (mentions légales, LCEN art. 6 III)"),
    (("publication_director",), "le directeur ou la directrice de la publication (LCEN art. 6 III)"),
    (("host", "name"), "le nom de l'hébergeur (LCEN art. 6 III)"),
    (("host", "address"), "l'adresse de l'hébergeur (LCEN art. 6 III)"),
    (("host", "phone"), "le téléphone de l'hébergeur (LCEN art. 6 III)"),
    (("accessibility_contact",), "le moyen de signaler un problème d'accessibilité (déclaration d'accessibilité)"),
]


def publication_blockers(root: Path, as_of: dt.date | None = None) -> list[str]:
    """Every item still to settle before the site and its documents go online, each with its file and field."""
    sources, _ = checked_sources(root, as_of or dt.date.today())
    items = territory_blockers(sources)
    items += letters_blockers(sources)
    items += required_page_blockers(sources)
    items += review_blockers(sources)
    items += sources.warnings  # the yearly figures with no amount, each located
    items += stale_contact_warnings(sources)
    return items


def territory_blockers(sources: Sources) -> list[str]:
    territory = sources.territory
    items = []
    for path, what in LEGAL_FIELDS:
        value: Any = territory
        for name in path:
            value = getattr(value, name)
        if not value:
            field = ".".join(path)
            items.append(f"{TERRITORY_FILE}: {field} : à renseigner, {what}")
    return items


def letters_blockers(sources: Sources) -> list[str]:
    if not has_letters(sources.root):
        return []
    config, _ = load_letters_config(sources)
    return [
        f"{LETTERS_FILE}: sender.{name} : à renseigner ; tant qu'il manque, les courriers sont des épreuves"
        for name in config.missing_sender_fields()
    ]


def required_page_blockers(sources: Sources) -> list[str]:
    return [
        f"content/pages/{page_id}.yml : page absente ; il faut {what}"
        for page_id, what in REQUIRED_PAGES.items()
        if page_id not in sources.pages
    ]


def review_blockers(sources: Sources) -> list[str]:
    """A published text still only reviewed by the team, or a draft: the partners have not validated it."""
    items = []
    for origin in sources.origins.values():
        model = origin.model
        review = getattr(model, "review", None)
        if not isinstance(review, schema.Review) or review.status is schema.ReviewStatus.validated:
            continue
        line = origin.line_of(("review", "status"))
        if review.status is schema.ReviewStatus.draft:
            state = "brouillon : ni relu ni validé, la page n'est pas publiée"
        else:
            state = "relu par l'équipe, validation des partenaires en attente"
        items.append(f"{origin.file}:{line}: review.status : {state}")
    return sorted(set(items))  # a dated source is there twice: as written and as of the day
