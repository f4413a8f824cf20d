"""No drafting note reaches a reader: phrases listed in checks.yml are looked for in every page and PDF.

Notes such as "à confirmer" or "ne pas l'annoncer aux ménages" belong in the
editor-only field `editor_notes`; this check catches one written in a public
text by mistake, in the HTML and in the text of every print document.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pypdf

from .findings import Finding
from .parse import page_file

RULE = "note-de-redaction"


class _TextParser(HTMLParser):
    """The text a reader sees: everything but scripts, styles and the search index."""

    SKIPPED = {"script", "style", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIPPED:
            self._skipping += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIPPED and self._skipping:
            self._skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def normalise(text: str) -> str:
    """Lower case, one space between words, one kind of apostrophe: a phrase matches however it was typed."""
    text = text.replace("\u2019", "'").replace("\u00a0", " ").replace("\u202f", " ")
    return " ".join(text.casefold().split())


def page_text(html: str) -> str:
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    return " ".join(parser.parts)


def pdf_text(path: Path) -> str:
    # A line break inside a phrase is only a space; a word cut by a hyphen at the end of a line is joined again.
    text = " ".join(page.extract_text() or "" for page in pypdf.PdfReader(path).pages)
    return re.sub(r"(\w)-\s+(\w)", r"\1\2", text)


def phrases_in(text: str, phrases: list[str]) -> list[tuple[str, str]]:
    """Each listed phrase found in `text`, with a few words around it to find it again."""
    flat = normalise(text)
    found = []
    for phrase in phrases:
        index = flat.find(normalise(phrase))
        if index >= 0:
            found.append((phrase, flat[max(0, index - 40) : index + len(phrase) + 40]))
    return found


def check_drafting_phrases(site_dir: Path, pages: list[str], phrases: list[str]) -> list[Finding]:
    """A finding for each drafting phrase in a page or in a PDF of the built site."""
    if not phrases:
        return []
    findings = []
    for path in pages:
        html = page_file(site_dir, path).read_text(encoding="utf-8")
        for phrase, context in phrases_in(page_text(html), phrases):
            findings.append(Finding(path, f"« … {context} … »", RULE, f"note de rédaction publiée : « {phrase} »"))
    for pdf in sorted(site_dir.rglob("*.pdf")):
        path = pdf.relative_to(site_dir).as_posix()
        for phrase, context in phrases_in(pdf_text(pdf), phrases):
            findings.append(
                Finding(path, f"« … {context} … »", RULE, f"note de rédaction imprimée dans le PDF : « {phrase} »")
            )
    return findings
