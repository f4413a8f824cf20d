"""Letters to PDF, fast: one WeasyPrint layout per chunk of front sides, back sides laid out once.

A letter is a front side of its own (address, dates, delay) and a back side shared by every letter
of an arrondissement (households) or of the run (landlords). The front sides of a chunk are laid
out together; each back side once per worker process; each letter's file is written by WeasyPrint
from those pages, so it is tagged (PDF/UA-1) like every print document. The chunks run on every
core. WeasyPrint, the house stylesheet, the fonts and the PDF/UA settings are the print step's.
"""

from __future__ import annotations

import copy
import hashlib
import io
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject
from weasyprint.text.fonts import FontConfiguration

from ..errors import BuildFailed
from ..printing.render import RENDER_OPTIONS, french_spacing, layout_html, template_environment, weasyprint_errors
from .context import Letter, LetterSources, deadline_case_text

LETTER_TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "letters"
CHUNK_SIZE = 50  # front sides per WeasyPrint layout: bounds memory, keeps every core busy
MARGIN = {"top": 15, "right": 15, "bottom": 15, "left": 20}
TITLES = {
    "menage": "Courrier au ménage après un commandement de payer",
    "bailleur": "Courrier au propriétaire après un commandement de payer",
}
FRONT = {"menage": "household.html.j2", "bailleur": "landlord.html.j2"}
FRONT_END = {"menage": "household_body.html.j2", "bailleur": "landlord_body.html.j2"}
BACK = {"menage": "household_verso.html.j2", "bailleur": "landlord_verso.html.j2"}


def letters_environment(site_url: str | None) -> jinja2.Environment:
    """The print step's environment (filters, autoescape) reading templates/letters/ first, then templates/print/."""
    env = template_environment(site_url)
    env.loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(LETTER_TEMPLATES), env.loader])
    return env


class LetterHtml:
    """Turns letters into HTML; what letters share is rendered once."""

    def __init__(self, common: LetterSources, band: str | None, extra_areas: dict[int, Any] | None = None) -> None:
        self.common = common
        self.band = band  # printed at the top of every page: proof, model
        self.areas: dict[int, Any] = {a.number: a for a in common.territory.areas} | (extra_areas or {})
        self.env = letters_environment(str(common.territory.site_url) if common.territory.site_url else None)
        self.env.globals.update(common=common, window=common.config.window, margin=MARGIN)
        self._front_ends: dict[str, Markup] = {}
        self._backs: dict[tuple[str, int], tuple[str, str]] = {}

    def front(self, letter: Letter) -> Markup:
        if letter.kind not in self._front_ends:
            self._front_ends[letter.kind] = Markup(self.env.get_template(FRONT_END[letter.kind]).render())
        return Markup(
            self.env.get_template(FRONT[letter.kind]).render(
                letter=letter,
                body=self._front_ends[letter.kind],
                case_text=lambda deadline: deadline_case_text(self.common, deadline),
            )
        )

    def back_side(self, letter: Letter) -> Markup:
        """The back side of a letter, as a part of an HTML document."""
        helpers = self.common.helpers_by_area.get(letter.area, [])
        return Markup(
            self.env.get_template(BACK[letter.kind]).render(area=self.areas.get(letter.area), helpers=helpers)
        )

    def back(self, letter: Letter) -> tuple[str, str]:
        """The back side's key and HTML document (one per arrondissement for households, one for landlords)."""
        key = (letter.kind, letter.area if letter.kind == "menage" else 0)
        if key not in self._backs:
            html = self.wrap(TITLES[letter.kind], [self.back_side(letter)])
            self._backs[key] = (hashlib.sha256(html.encode()).hexdigest()[:16], html)
        return self._backs[key]

    def wrap(self, title: str, parts: list[Markup]) -> str:
        html = self.env.get_template("batch.html.j2").render(title=title, letters=parts, band=self.band)
        return french_spacing(html)


@dataclass(frozen=True)
class Chunk:
    kind: str
    html: str  # the front sides, one HTML document
    anchors: list[str]  # the id on each letter's first page
    backs: list[str]  # each letter's back side (key of `back_html`)
    back_html: dict[str, str]
    files: list[Path]
    titles: list[str]
    author: str


@dataclass
class RenderedChunk:
    kind: str
    files: list[Path]
    pages: list[int] = field(default_factory=list)


_FONTS: FontConfiguration | None = None
_BACKS: dict[str, Any] = {}  # back sides laid out by this process, by key


def render_chunk(chunk: Chunk) -> RenderedChunk:
    """Lay out the chunk's front sides once, reuse the back sides, write each letter's tagged PDF."""
    global _FONTS
    _FONTS = _FONTS or FontConfiguration()
    result = RenderedChunk(chunk.kind, chunk.files)
    with weasyprint_errors() as errors:
        fronts = layout_html(chunk.html, _FONTS)
        for key, html in chunk.back_html.items():
            if key not in _BACKS:
                _BACKS[key] = layout_html(html, _FONTS)
        starts = {anchor: n for n, page in enumerate(fronts.pages) for anchor in page.anchors}
        firsts = [starts[anchor] for anchor in chunk.anchors]
        for index, first in enumerate(firsts):
            last = firsts[index + 1] if index + 1 < len(firsts) else len(fronts.pages)
            pages = fronts.pages[first:last] + _BACKS[chunk.backs[index]].pages
            letter = fronts.copy(pages)
            letter.metadata = copy.copy(fronts.metadata)
            letter.metadata.title = chunk.titles[index]
            write_private(chunk.files[index], letter.write_pdf(**RENDER_OPTIONS))
            result.pages.append(len(pages))
    if errors:
        raise BuildFailed("la mise en page des courriers a échoué (WeasyPrint) :\n" + "\n".join(errors))
    return result


def write_private(path: Path, data: bytes) -> None:
    """Owner-only file: the letters and listings hold personal data."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def chunks(letters: list[Letter], html: LetterHtml, folder: Path, size: int, titled: bool = True) -> Iterator[Chunk]:
    """The letters cut into chunks of `size`, each with the HTML of its front sides and the back sides it needs."""
    for start in range(0, len(letters), size):
        part = letters[start : start + size]
        kind = part[0].kind
        backs = [html.back(letter) for letter in part]
        yield Chunk(
            kind=kind,
            html=html.wrap(TITLES[kind], [html.front(letter) for letter in part]),
            anchors=[letter.anchor for letter in part],
            backs=[key for key, _ in backs],
            back_html=dict(backs),
            files=[folder / f"{letter.reference}.pdf" for letter in part],
            titles=[f"{TITLES[kind]}, référence {letter.reference}" if titled else TITLES[kind] for letter in part],
            author=html.common.sender.name,
        )


def render_letters(
    jobs: Iterable[Chunk], workers: int, progress: Callable[[int], None] | None = None
) -> list[RenderedChunk]:
    """Render every chunk, in order, on `workers` processes (in this process when 1)."""
    results: list[RenderedChunk] = []
    if workers <= 1:
        for chunk in jobs:
            results.append(render_chunk(chunk))
            if progress:
                progress(len(chunk.files))
        return results
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending: deque[tuple[int, Future]] = deque()
        for chunk in jobs:  # the HTML of the next chunks is made while the workers lay out the first ones
            pending.append((len(chunk.files), pool.submit(render_chunk, chunk)))
            if len(pending) > 2 * workers:  # memory stays bounded by a few chunks
                _collect(pending.popleft(), results, progress)
        while pending:
            _collect(pending.popleft(), results, progress)
    return results


def _collect(item: tuple[int, Future], results: list[RenderedChunk], progress: Callable[[int], None] | None) -> None:
    count, future = item
    results.append(future.result())
    if progress:
        progress(count)


def merge_batch(files: list[Path], title: str, author: str) -> bytes:
    """The print-ready batch of one kind: every letter's file, in the order they were sorted."""
    writer = PdfWriter()
    for path in files:
        writer.append(PdfReader(path))
    writer.add_metadata({"/Title": title, "/Author": author})
    writer._root_object[NameObject("/Lang")] = TextStringObject("fr")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
