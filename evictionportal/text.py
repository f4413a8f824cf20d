"""How source text becomes safe Markdown and French dates.

YAML text may use a little Markdown, never markup: `<`, `>` and `&` are
escaped, so a `<script>` written in a source is shown as text, never run.
The same functions serve the web pages and the print documents.
"""

from __future__ import annotations

import datetime as dt
import re

import markdown as markdown_lib
from babel.dates import format_date
from markupsafe import Markup

SAFE_LINK = re.compile(r"^(https://|http://|mailto:|tel:|/|#|\.\.?/)")
MARKDOWN_LINK = re.compile(r"\]\(\s*<?([^)\s>]*)")


def escape_markup(text: str) -> str:
    """Neutralise HTML in source text, keeping Markdown syntax intact."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unsafe_links(text: str) -> list[str]:
    """Link targets a reader should never be sent to (javascript:, data:…)."""
    return [target for target in MARKDOWN_LINK.findall(text) if not SAFE_LINK.match(target)]


def safe_markdown(text: str | None) -> Markup:
    """Source Markdown, escaped, ready to drop into a generated Markdown page."""
    return Markup(escape_markup(text or ""))


def inline(text: str | None) -> Markup:
    """Source text on one line (titles, list items that must stay one item)."""
    return Markup(" ".join(escape_markup(text or "").split()))


SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-ÖØ-Ý«])")


def first_sentence(text: str) -> str:
    """The first sentence of a source text: how a leaflet or a short list introduces an organisation."""
    flat = " ".join(text.split())
    return SENTENCE_END.split(flat, maxsplit=1)[0]


def capitalize_first(text: str) -> str:
    """Upper-case the first letter only (`str.capitalize` would lower-case the rest)."""
    return text[:1].upper() + text[1:]


def french_date(value: dt.date) -> str:
    return format_date(value, format="long", locale="fr_FR")


ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def parse_iso_date(value: str) -> dt.date:
    """An AAAA-MM-JJ date; the ValueError says in French which day does not exist."""
    match = ISO_DATE.match(value.strip())
    if not match:
        raise ValueError(f"date invalide « {value} » ; attendu : une date AAAA-MM-JJ, par exemple 2026-11-26")
    year, month, day = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        raise ValueError(f"date invalide « {value} » : il n'y a pas de mois {month} ; attendu : AAAA-MM-JJ")
    try:
        return dt.date(year, month, day)
    except ValueError:
        month_name = format_date(dt.date(2000, month, 1), format="MMMM", locale="fr_FR")
        raise ValueError(
            f"date invalide « {value} » : le {day} {month_name} {year} n'existe pas ; attendu : AAAA-MM-JJ"
        ) from None


def markdown_to_html(text: str) -> Markup:
    """Render generated Markdown to HTML, for print documents."""
    return Markup(markdown_lib.markdown(text, extensions=["attr_list", "tables", "md_in_html"]))
