"""No reader is told to call someone they cannot reach: « Appelez l'ADIL » needs a way to reach the ADIL, there.

A sentence of a page, a leaflet or a letter (the text of every PDF) that asks the reader to contact an
organisation of the directory (« appelez », « contactez », « demandez … à », « adressez-vous », « écrivez »,
« rendez-vous », naming it by its name, short name, former name or one of its `aliases`) must give, in the
same sentence or its paragraph, one of its confirmed contacts (phone, e-mail, site, address) or one of the
line that reaches it (`reached_through`: SOS Loyers impayés for the ADIL, the 3975 for the Espaces parisiens
des solidarités). A PDF's lines are joined into paragraphs by their layout before sentences are cut: a line
break is not the end of a sentence.
"""

from __future__ import annotations

import ctypes
import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .. import schema
from .findings import Finding
from .parse import page_file

RULE = "contact-injoignable"

VERBS = re.compile(r"(?<![\w-])(appelez|telephonez|contactez|demandez|adressez-vous|ecrivez|rendez-vous)(?![\w-])")
TO = re.compile(r"(?<![\w-])(a|au|aux|aupres d[eu]|aupres des)(?![\w-])")
NOUN_BEFORE = {"prenez", "prendre", "un", "le", "les", "des", "du", "de", "votre", "vos", "sur", "en", "au", "d'un"}
CLAUSE_END = re.compile(r"[.;:!?]")
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[«\"(]?[A-ZÀ-Ý0-9])")


def fold(text: str) -> str:
    """Lower case, no accents, one kind of apostrophe and of space: names match however they were typed."""
    text = text.replace("\u2019", "'").replace("\u00a0", " ").replace("\u202f", " ").replace("\u2011", "-")
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(plain.casefold().split())


# ------------------------------------------------------------------ the directory, as the check needs it


@dataclass(frozen=True)
class Reachable:
    """One organisation: the names a text calls it by, its confirmed contacts, and the lines that reach it."""

    id: str
    label: str
    names: tuple[str, ...]  # folded
    contacts: tuple[str, ...]  # folded: phone digits, e-mail, site host, street address
    routes: tuple[str, ...] = ()  # ids of the lines that reach it


def contact_tokens(contact: schema.Contact) -> str | None:
    """What must be written for a reader to use a contact: the number, the address, the site's host."""
    value = contact.value
    if contact.kind is schema.ContactKind.phone:
        return re.sub(r"\D", "", value)
    if contact.kind is schema.ContactKind.website:
        return fold(re.sub(r"^https?://(www\.)?", "", value).split("/")[0])
    if contact.kind is schema.ContactKind.email:
        return fold(value)
    if contact.kind is schema.ContactKind.address:
        return fold(value.split(",")[0])
    return None  # opening hours are not a way to reach anyone


def contact_directory(sources: Any) -> list[Reachable]:
    """The published directory (sources as of the build day, drafts and withdrawn contacts out)."""
    found = []
    for org in sources.organisations.values():
        names = {org.name, org.display_name, *org.former_names, *org.aliases}
        tokens = {t for t in (contact_tokens(c) for c in org.public_contacts) if t}
        found.append(
            Reachable(
                org.id,
                org.display_name,
                tuple(sorted({fold(n) for n in names})),
                tuple(sorted(tokens)),
                tuple(org.reached_through),
            )  # fmt: skip
        )
    return found


# ------------------------------------------------------------------ paragraphs of a page and of a PDF

BLOCKS = {"p", "li", "td", "th", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "caption", "figcaption", "summary"}
SKIPPED = {"script", "style", "template", "nav", "svg"}


class _Blocks(HTMLParser):
    """The text of each block (paragraph, list item, cell, heading) of the page's content."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._parts: list[str] = []
        self._skipping = 0

    def _flush(self) -> None:
        text = " ".join("".join(self._parts).split())
        if text:
            self.blocks.append(text)
        self._parts = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED:
            self._skipping += 1
        elif tag in BLOCKS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED and self._skipping:
            self._skipping -= 1
        elif tag in BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self._parts.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def html_paragraphs(html: str) -> list[str]:
    """The blocks of a page's content (its <article>, without the theme's menus)."""
    start, end = html.find("<article"), html.rfind("</article>")
    parser = _Blocks()
    parser.feed(html[start:end] if 0 <= start < end else html)
    parser.close()
    return parser.blocks


MARKER = re.compile(r"^\s*(\d+[.)]|[•–—-])\s*$")
SKIPPED_CHARS = {"\r", "\n", "\x02", "\ufffe", ""}


def pdf_paragraphs(path: Path) -> list[str]:
    """A PDF's paragraphs, joined from its lines by their layout: a line belongs to the paragraph above unless
    it starts after a wider gap than the document's usual line spacing for its type size, at a list marker,
    in another type size, or with a capital after a line that ended short of the margin without punctuation
    (a list item or a table's line, not a line the text wrapped)."""
    document = pdfium.PdfDocument(str(path))
    try:
        pages = [_lines(page) for page in document]
    finally:
        document.close()
    pitch = _line_spacing(pages)
    paragraphs: list[str] = []
    for lines in pages:
        margin: dict[float, float] = {}
        for line in lines:
            margin[line.size] = max(margin.get(line.size, 0.0), line.right)
        current: list[str] = []
        above: _Line | None = None
        for line in lines:
            starts = above is None or line.marked or abs(line.size - above.size) > 0.5
            if above is not None and not starts:
                starts = (above.baseline - line.baseline) > 1.12 * pitch.get(line.size, 1.4 * line.size)
                ended_short = above.right < margin[above.size] - 4 * above.size
                starts = starts or (ended_short and not END_PUNCTUATION.search(above.text) and line.text[:1].isupper())
            if starts and current:
                paragraphs.append(_joined(current))
                current = []
            current.append(line.text)
            above = line
        if current:
            paragraphs.append(_joined(current))
    return paragraphs


END_PUNCTUATION = re.compile(r"[.,;:!?…»)\-]\s*$")


@dataclass(frozen=True)
class _Line:
    baseline: float
    size: float
    text: str
    marked: bool  # a list marker (« 1. », « • ») starts it
    right: float  # where its last character starts


def _lines(page: Any) -> list[_Line]:
    """A page's lines, top to bottom."""
    textpage = page.get_textpage()
    x, y = ctypes.c_double(), ctypes.c_double()
    runs: list[list[Any]] = []  # [baseline, left, size, characters, right]
    for index in range(textpage.count_chars()):
        code = pdfium_c.FPDFText_GetUnicode(textpage.raw, index)
        char = chr(code) if code else ""
        if char in SKIPPED_CHARS:
            continue
        pdfium_c.FPDFText_GetCharOrigin(textpage.raw, index, ctypes.byref(x), ctypes.byref(y))
        size = round(pdfium_c.FPDFText_GetFontSize(textpage.raw, index), 1)
        baseline = round(y.value, 1)
        if runs and abs(runs[-1][0] - baseline) < 0.8 and abs(runs[-1][2] - size) < 0.3:
            runs[-1][3].append(char)
            runs[-1][4] = max(runs[-1][4], x.value)
        else:
            runs.append([baseline, x.value, size, [char], x.value])
    by_line: dict[float, list[tuple[float, float, str, float]]] = {}
    markers: set[float] = set()
    for baseline, left, size, chars, right in runs:
        text = "".join(chars)
        key = next((b for b in by_line if abs(b - baseline) < 0.8), baseline)
        if MARKER.match(text):
            markers.add(key)
            continue
        by_line.setdefault(key, []).append((left, size, text, right))
    lines = []
    for baseline in sorted(by_line, reverse=True):
        parts = sorted(by_line[baseline])
        size = max(part[1] for part in parts)
        text = "".join(part[2] for part in parts)
        lines.append(_Line(baseline, size, text, baseline in markers, max(part[3] for part in parts)))
    return lines


def _line_spacing(pages: list[list[_Line]]) -> dict[float, float]:
    """The usual distance between two lines of one paragraph, per type size: the most frequent one."""
    gaps: dict[float, Counter[float]] = {}
    for lines in pages:
        for first, second in zip(lines, lines[1:], strict=False):
            if first.size == second.size and first.baseline > second.baseline:
                gaps.setdefault(first.size, Counter())[round(first.baseline - second.baseline, 0)] += 1
    return {size: counter.most_common(1)[0][0] for size, counter in gaps.items()}


def _joined(lines: list[str]) -> str:
    """One paragraph's lines as one text: a word cut by a hyphen at a line's end is whole again."""
    text = " ".join(line.strip() for line in lines)
    return " ".join(re.sub(r"(\w)-\s+(\w)", r"\1\2", text).split())


def sentences(paragraph: str) -> list[str]:
    return [s for s in SENTENCE_END.split(paragraph) if s.strip()]


# ------------------------------------------------------------------ the rule


@functools.lru_cache(maxsize=4)
def _names(directory: tuple[Reachable, ...]) -> tuple[re.Pattern[str], dict[str, list[Reachable]]]:
    """One pattern for every name of the directory, the longest first (« ADIL de Paris » before « ADIL »)."""
    owners: dict[str, list[Reachable]] = {}
    for org in directory:
        for name in org.names:
            owners.setdefault(name, []).append(org)
    ordered = sorted(owners, key=len, reverse=True)
    return re.compile(r"(?<![\w])(" + "|".join(map(re.escape, ordered)) + r")(?![\w])"), owners


def _named(span: str, directory: list[Reachable]) -> list[Reachable]:
    """The organisations a folded span of text names."""
    pattern, owners = _names(tuple(directory))
    found: list[Reachable] = []
    for match in pattern.finditer(span):
        found += [org for org in owners[match.group(1)] if org not in found]
    return found


# The object of the verb ends where a purpose or another verb begins: « demandez à votre travailleur social
# de présenter votre situation à la CCAPEX » asks the reader to contact the social worker, not the CCAPEX.
OBJECT_END = re.compile(r"\s(?:pour|afin|de|d')\s?(?!votre|notre|leur|autre)(?=[a-z]+(?:er|ir|re|oir)(?![\w-]))")


def asked_to_contact(sentence: str, directory: list[Reachable]) -> list[Reachable]:
    """The organisations a sentence asks the reader to contact."""
    folded = fold(sentence)
    found: list[Reachable] = []
    for verb in VERBS.finditer(folded):
        word = verb.group(1)
        before = folded[: verb.start()].split()
        if word == "rendez-vous" and before and before[-1] in NOUN_BEFORE:
            continue  # « prenez rendez-vous » is a noun, not « rendez-vous à la mairie »
        end = CLAUSE_END.search(folded, verb.end())
        span = folded[verb.end() : end.start() if end else len(folded)]
        if word == "demandez":  # « demandez conseil à l'ADIL »: whom, after « à »
            to = TO.search(span)
            if not to:
                continue
            span = span[to.end() :]
        cut = OBJECT_END.search(span)
        span = span[: cut.start()] if cut else span
        found += [org for org in _named(span, directory) if org not in found]
    return found


def _given(paragraph: str, tokens: Iterable[str]) -> bool:
    folded = fold(paragraph)
    digits = {re.sub(r"\D", "", run) for run in re.findall(r"\+?\d[\d .\-]*\d|\d", folded)}
    return any((token in digits) if token.isdigit() else (token in folded) for token in tokens)


def unreachable_in(where: str, paragraphs: Iterable[str], directory: list[Reachable]) -> Iterator[Finding]:
    """A finding for each sentence asking to contact an organisation whose way in is not in its paragraph."""
    by_id = {org.id: org for org in directory}
    for paragraph in paragraphs:
        for sentence in sentences(paragraph):
            for org in asked_to_contact(sentence, directory):
                routes = [by_id[r] for r in org.routes if r in by_id and by_id[r].contacts]
                if _given(paragraph, org.contacts) or any(_given(paragraph, r.contacts) for r in routes):
                    continue
                yield Finding(where, "", RULE, _message(where, sentence, org, routes))


def _short(sentence: str, limit: int = 200) -> str:
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"


def _message(where: str, sentence: str, org: Reachable, routes: list[Reachable]) -> str:
    kind = "le PDF" if where.endswith(".pdf") else "la page"
    said = f"dans {kind} /{where}, la phrase « {_short(sentence)} » demande de joindre {org.label}"
    if org.contacts:
        fix = "écrivez dans la phrase ou son paragraphe son téléphone, son site ou son adresse confirmés"
    elif routes:
        fix = f"écrivez dans la phrase ou son paragraphe le numéro de {routes[0].label}, qui la joint"
    else:
        fix = "l'annuaire n'a aucune coordonnée confirmée : ne demandez pas de la joindre, nommez qui la joint"
    return f"{said}, sans moyen de la joindre dans la phrase ni dans son paragraphe ; {fix}"


def check_contacts(site_dir: Path, pages: list[str], directory: list[Reachable]) -> list[Finding]:
    """Every page and every PDF of the built site (leaflets, posters, guides, model letters); one PDF per
    text, not its print-shop copy."""
    findings: list[Finding] = []
    for path in pages:
        html = page_file(site_dir, path).read_text(encoding="utf-8")
        findings += unreachable_in(path, html_paragraphs(html), directory)
    for pdf in sorted(site_dir.rglob("*.pdf")):
        if pdf.stem.endswith("-imprimeur"):
            continue
        findings += unreachable_in(pdf.relative_to(site_dir).as_posix(), pdf_paragraphs(pdf), directory)
    return findings
