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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser

import markdown as markdown_lib
import nh3
from babel.dates import format_date
from markupsafe import Markup

WEB_SCHEMES = frozenset({"https", "http", "mailto", "tel"})
PRINT_SCHEMES = frozenset({"https", "mailto", "tel"})  # a PDF link is never plain http
ALLOWED_TAGS = frozenset({"p", "br", "strong", "em", "ul", "ol", "li", "a", "code", "abbr"})
# `abbr` comes only from the glossary (a source's own `<` is text before the parser sees it), with its title only.
ALLOWED_ATTRIBUTES = {"a": {"href"}, "abbr": {"title"}}
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


def render_markdown(text: str, schemes: frozenset[str] = WEB_SCHEMES) -> str:
    """Source Markdown as clean HTML: only allowlisted elements, `href` only, allowed schemes or site paths."""
    return explained_markdown(text, schemes)[0]


@functools.lru_cache(maxsize=4096)
def explained_markdown(
    text: str, schemes: frozenset[str] = WEB_SCHEMES, terms: tuple[Term, ...] = ()
) -> tuple[str, frozenset[str]]:
    """`render_markdown`, with the first use of each of `terms` explained; and the keys of the terms it met."""
    html_text, used = explain_terms(_python_markdown(text), terms) if terms else (_python_markdown(text), frozenset())
    cleaned = nh3.clean(
        html_text,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(schemes),
        link_rel=None,
        strip_comments=True,
    )
    return _reserialise(cleaned, lambda href: None if link_problem(href) else href), used


# ------------------------------------------------------------------ glossary words


@dataclass(frozen=True)
class Term:
    """A glossary word as the Markdown path explains it: `<abbr title>` on its acronym, plain words after it."""

    key: str  # what the page remembers it by
    acronym: str | None
    expansion: str
    plain: str | None
    forms: tuple[str, ...]  # as written in the texts, longest first


class TermsExplained:
    """The glossary words a page has met already: each is explained once per page, at its first use."""

    def __init__(self, terms: Sequence[Term]) -> None:
        self.terms = tuple(terms)
        self.done: set[str] = set()

    def pending(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if t.key not in self.done)

    def said_in(self, title: str) -> TermsExplained:
        """A page titled with a term (« Le commandement de quitter les lieux ») explains it all along: not again."""
        self.done |= {t.key for t in self.terms if any(_form_pattern(f).search(title) for f in t.forms)}
        return self


HTML_TAG = re.compile(r"(<[^>]+>)")
CLOSING_INLINE = re.compile(r"^</(strong|em)>$")
ALREADY_SAID_AFTER = re.compile(r"^\s*[(,]")  # « FSL (fonds de… » or « la CCAPEX, la commission qui… »


@functools.lru_cache(maxsize=256)
def _form_pattern(form: str) -> re.Pattern[str]:
    flags = 0 if form.isupper() else re.IGNORECASE  # « CAF » never matches « caf… »; « Protocole » does
    return re.compile(rf"(?<![\w-]){re.escape(form)}(?![\w-])", flags)


def _text_after(tokens: list[str], index: int) -> tuple[str, int]:
    """The text that follows token `index` past closing `strong`/`em` tags, and the last of those tags."""
    last = index
    for j in range(index + 1, len(tokens)):
        if CLOSING_INLINE.match(tokens[j]):
            last = j
            continue
        if tokens[j].startswith("<"):
            return "", last
        if tokens[j]:
            return tokens[j], last
    return "", last


def explain_terms(html_text: str, terms: tuple[Term, ...]) -> tuple[str, frozenset[str]]:
    """Python-Markdown's HTML with the first use of each term explained, outside links and code.

    The acronym becomes `<abbr title="en toutes lettres">`; the plain words follow in brackets, unless the text
    explains the term there already (« FSL (fonds de solidarité…) », « (CCAPEX) » after its name).
    """
    tokens = HTML_TAG.split(html_text)
    hidden = set()
    depth = 0
    for index, token in enumerate(tokens):
        if re.match(r"^<(a|code)[\s>]", token):
            depth += 1
        elif re.match(r"^</(a|code)>", token):
            depth = max(0, depth - 1)
        elif depth or token.startswith("<"):
            hidden.add(index)
    found: list[tuple[int, int, int, Term]] = []
    for term in terms:
        match = _first_use(tokens, hidden, term)
        if match is None:
            continue
        index, start, end = match
        if any(i == index and start < e and s < end for i, s, e, _ in found):
            continue  # inside another term's words: explained with a later use
        found.append((index, start, end, term))
    for index, start, end, term in sorted(found, key=lambda f: (f[0], f[1]), reverse=True):
        token = tokens[index]
        words = token[start:end]
        if term.acronym and term.acronym in words:
            title = html.escape(term.expansion, quote=True)
            words = words.replace(term.acronym, f'<abbr title="{title}">{term.acronym}</abbr>', 1)
        before, after = token[:start], token[end:]
        plain = ""
        following, last = (after, index) if after.strip() else _text_after(tokens, index)
        if term.plain and not ALREADY_SAID_AFTER.match(following) and not before.rstrip().endswith("("):
            inside_brackets = before.count("(") > before.count(")")
            said = html.escape(term.plain, quote=False)
            plain = f", {said}" if inside_brackets else f" ({said})"
        if plain and not after.strip() and last != index:
            tokens[last] += plain  # after the bold or italic that holds the term
            plain = ""
        tokens[index] = before + words + plain + after
    return "".join(tokens), frozenset(term.key for *_, term in found)


def inline_explained(text: str | None, explained: TermsExplained | None) -> Markup:
    """Plain text on one line, as `inline`; with `explained` (a tenant page), its glossary words explained at first
    use, like the Markdown path. Nothing in the text itself becomes markup."""
    flat = " ".join(CONTROL.sub("", text or "").split())
    if explained is None or not flat:
        return inline(flat)
    marked, used = explain_terms(html.escape(flat, quote=False), explained.pending())
    explained.done |= used
    return Markup(_reserialise(marked, lambda href: None, shield=True))


def _first_use(tokens: list[str], hidden: set[int], term: Term) -> tuple[int, int, int] | None:
    for index, token in enumerate(tokens):
        if index in hidden or not token:
            continue
        matches = [m for form in term.forms if (m := _form_pattern(form).search(token))]
        if matches:
            first = min(matches, key=lambda m: (m.start(), -len(m.group(0))))
            return index, first.start(), first.end()
    return None


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
        if tag == "abbr":
            title = dict(attrs).get("title")
            if title is None:
                self.out.append("<abbr>")
                return
            special = MARKDOWN_SPECIALS if self.shield else frozenset()
            escaped = "".join(_reference(c) if c in special else html.escape(c, quote=True) for c in title)
            self.out.append(f'<abbr title="{escaped}">')
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


def markdown_for_page(
    text: str | None,
    from_page: str,
    seen_site_links: list[str] | None = None,
    explained: TermsExplained | None = None,
) -> Markup:
    """Source Markdown as shielded HTML on one line, ready for a generated Markdown page.

    Paths of the site (`/etapes/jugement/`) become links relative to `from_page`, and are
    recorded in `seen_site_links` so that the build can refuse a link to a page that does not exist.
    With `explained` (a tenant page), the glossary words this page has not met yet are explained here.
    """

    def rewrite(href: str) -> str | None:
        if link_problem(href):
            return None
        if href.startswith("/"):
            if seen_site_links is not None:
                seen_site_links.append(href)
            return relative_url(from_page, href)
        return href

    pending = explained.pending() if explained is not None else ()
    clean, used = explained_markdown(text or "", WEB_SCHEMES, pending)
    if explained is not None:
        explained.done |= used
    return Markup(_reserialise(clean, rewrite, shield=True))


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
