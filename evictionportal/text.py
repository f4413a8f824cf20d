"""How source text becomes safe HTML, safe Markdown and French dates.

Every text in the sources is untrusted: written by a tired editor, or copied
from a partner's returned spreadsheet. Two kinds exist:

- plain text (titles, names, labels): never markup. It is HTML-escaped, and
  every character Markdown gives a meaning to is written as a character
  reference, so the site engine's own Markdown pass (with its page-wide
  extensions such as attribute lists) sees nothing to interpret;
- source Markdown (long texts): rendered here, by a Python-Markdown with no
  extension and raw HTML off, then cleaned by an allowlist sanitiser (nh3:
  a few elements, `href` only, https/http/mailto/tel or a path of the site),
  then shielded like plain text before it is placed in a generated page.

The same rendering feeds the web pages, the PDFs and any later output.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import posixpath
import re
from collections.abc import Callable
from html.parser import HTMLParser

import markdown as markdown_lib
import nh3
from babel.dates import format_date
from markupsafe import Markup

WEB_SCHEMES = frozenset({"https", "http", "mailto", "tel"})
PRINT_SCHEMES = frozenset({"https", "mailto", "tel"})  # a PDF link is never plain http
ALLOWED_TAGS = frozenset({"p", "br", "strong", "em", "ul", "ol", "li", "a", "code"})
# Characters that Markdown, or an extension of the site engine (attribute lists, tables, admonitions,
# automatic e-mail links), gives a meaning to anywhere in a line; and those that matter only first in a line.
MARKDOWN_SPECIALS = frozenset("\\`*_{}[]<>&!|~@#")
LINE_START_SPECIALS = frozenset("-+=:.>0123456789")
# What a browser removes from a URL before reading its scheme (WHATWG URL standard).
URL_IGNORED = re.compile(r"[\x00-\x20\x7f]")
SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# ------------------------------------------------------------------ plain text


def _reference(char: str) -> str:
    return f"&#{ord(char)};"


def shield_text(text: str) -> str:
    """HTML-escape `text` and write Markdown's special characters as references; runs of spaces become one.

    The result means the same to a browser, and nothing to a Markdown parser, wherever a template puts it.
    """
    flat = re.sub(r"\s+", " ", CONTROL.sub("", text))
    shielded = "".join(_reference(c) if c in MARKDOWN_SPECIALS else c for c in flat)
    return _reference(shielded[0]) + shielded[1:] if shielded[:1] in LINE_START_SPECIALS else shielded


def inline(text: str | None) -> Markup:
    """Source plain text on one line, for a generated Markdown page: shown exactly as typed."""
    return Markup(shield_text((text or "").strip()))


def engine_text(text: str) -> str:
    """A title or the site name for the site engine, whose templates print them as HTML."""
    flat = " ".join(CONTROL.sub("", text).split())
    return html.escape(flat, quote=False).replace('"', "&quot;")


# ------------------------------------------------------------------ links


def link_scheme(url: str) -> str | None:
    """The scheme a browser reads in `url` (character references already decoded), or None if relative."""
    match = SCHEME.match(URL_IGNORED.sub("", url))
    return match.group(1).lower() if match else None


def link_problem(url: str) -> str | None:
    """Why a link written in a source is refused, or None when it is fine."""
    scheme = link_scheme(url)
    cleaned = URL_IGNORED.sub("", url)
    if scheme is not None:
        if scheme not in WEB_SCHEMES:
            return f"lien non autorisé « {url.strip()[:80]} »"
        if scheme in ("http", "https") and not re.match(r"^https?://[^/?#]", cleaned, re.IGNORECASE):
            return f"adresse incomplète « {url.strip()[:80]} »"
        return None
    if cleaned.startswith("//"):
        return f"adresse incomplète « {url.strip()[:80]} »"
    if cleaned.startswith("#") or (cleaned.startswith("/") and cleaned == url.strip()):
        return None
    return f"lien « {url.strip()[:80]} » non compris"


LINK_EXPECTED = (
    "attendu : une adresse complète https://…, mailto:…, tel:…, "
    "ou une page du site écrite depuis la racine, comme /etapes/jugement/"
)


# ------------------------------------------------------------------ Markdown


class _Collector(HTMLParser):
    """The URLs a piece of HTML points to, decoded as a browser decodes them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.images = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src"):
                self.urls.append(value or "")
        self.images += tag == "img"


@functools.lru_cache(maxsize=8192)
def _python_markdown(text: str) -> str:
    """Markdown with raw HTML off: `<` is text before the parser sees it. No extension, no attribute list."""
    escaped = CONTROL.sub("", text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return markdown_lib.markdown(escaped, extensions=[], output_format="html")


def markdown_problems(text: str) -> list[str]:
    """Every link or image in source Markdown that the site would refuse, said for the editor."""
    collector = _Collector()
    collector.feed(_python_markdown(text))
    problems = [f"{problem} ; {LINK_EXPECTED}" for url in collector.urls if (problem := link_problem(url))]
    if collector.images:
        problems.append("les images ne sont pas permises dans le texte ; mettez un lien [texte](https://…)")
    return problems


@functools.lru_cache(maxsize=4096)
def render_markdown(text: str, schemes: frozenset[str] = WEB_SCHEMES) -> str:
    """Source Markdown as clean HTML: only allowlisted elements, `href` only, allowed schemes or site paths."""
    cleaned = nh3.clean(
        _python_markdown(text),
        tags=set(ALLOWED_TAGS),
        attributes={"a": {"href"}},
        url_schemes=set(schemes),
        link_rel=None,
        strip_comments=True,
    )
    return _reserialise(cleaned, lambda href: None if link_problem(href) else href)


class _Reserialiser(HTMLParser):
    """Writes clean HTML back with every text shielded and every attribute fully escaped."""

    def __init__(self, shield: bool, rewrite: Callable[[str], str | None]) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.shield = shield
        self.rewrite = rewrite
        self.open_links: list[bool] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            return
        if tag == "a":
            href = dict(attrs).get("href")
            target = self.rewrite(href) if href is not None else None
            self.open_links.append(target is not None)
            if target is None:
                return
            escaped = html.escape(target, quote=True)
            if self.shield:
                escaped = escaped.replace("@", "&#64;")
            self.out.append(f'<a href="{escaped}">')
            return
        self.out.append(f"<{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag not in ALLOWED_TAGS or tag == "br":
            return
        if tag == "a":
            if self.open_links and self.open_links.pop():
                self.out.append("</a>")
            return
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if self.shield:
            self.out.append(shield_text(data))
        else:
            self.out.append(html.escape(data, quote=False))


def _reserialise(clean_html: str, rewrite: Callable[[str], str | None], shield: bool = False) -> str:
    parser = _Reserialiser(shield, rewrite)
    parser.feed(clean_html)
    parser.close()
    return "".join(parser.out).strip()


def page_url(page_path: str) -> str:
    """Where a generated page is served: `etapes/jugement.md` -> `etapes/jugement/`, `index.md` -> ``."""
    stem = page_path.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("index") if stem.endswith("/index") else stem + "/"


def relative_url(from_page: str, site_path: str) -> str:
    """A link from one generated page to a path of the site (`/etapes/jugement/#delais`)."""
    path, _, fragment = site_path.partition("#")
    base = page_url(from_page)
    target = path.lstrip("/")
    relative = posixpath.relpath(target or ".", base or ".")
    if target == "" or target.endswith("/"):
        relative = "./" if relative == "." else relative + "/"
    return relative + (f"#{fragment}" if fragment else "")


def markdown_for_page(text: str | None, from_page: str, seen_site_links: list[str] | None = None) -> Markup:
    """Source Markdown as shielded HTML on one line, ready for a generated Markdown page.

    Paths of the site (`/etapes/jugement/`) become links relative to `from_page`, and are
    recorded in `seen_site_links` so that the build can refuse a link to a page that does not exist.
    """

    def rewrite(href: str) -> str | None:
        if link_problem(href):
            return None
        if href.startswith("/"):
            if seen_site_links is not None:
                seen_site_links.append(href)
            return relative_url(from_page, href)
        return href

    return Markup(_reserialise(render_markdown(text or ""), rewrite, shield=True))


def markdown_for_print(text: str | None, site_url: str | None) -> Markup:
    """Source Markdown as HTML for a PDF: https, mailto and tel links; site paths made absolute, or plain text."""

    def rewrite(href: str) -> str | None:
        if link_problem(href):
            return None
        if href.startswith("/"):
            return site_url.rstrip("/") + href if site_url else None
        return href

    return Markup(_reserialise(render_markdown(text or "", PRINT_SCHEMES), rewrite))


# ------------------------------------------------------------------ dates and small helpers


SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-ÖØ-Ý«])")


def first_sentence(text: str) -> str:
    """The first sentence of a source text: how a leaflet or a short list introduces an organisation."""
    flat = " ".join(text.split())
    return SENTENCE_END.split(flat, maxsplit=1)[0]


def capitalize_first(text: str) -> str:
    """Upper-case the first letter only (`str.capitalize` would lower-case the rest)."""
    return text[:1].upper() + text[1:]


def french_date(value: dt.date) -> str:
    """« 1er janvier 2027 », « 31 décembre 2026 »: French writes the first of the month as an ordinal."""
    text = format_date(value, format="long", locale="fr_FR")
    return "1er" + text[1:] if value.day == 1 else text


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
