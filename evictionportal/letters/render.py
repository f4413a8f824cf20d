"""Letters to PDF, fast: one WeasyPrint layout per chunk of letters, split into one file per letter.

The HTML of a chunk is made here (the part every letter of an arrondissement shares is rendered
once); the layout, the PDF and the split run in worker processes, one per core. WeasyPrint, the
house stylesheet, the fonts and the PDF/UA settings are those of the print step (printing/render.py).
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterable, Iterator
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject
from weasyprint.text.fonts import FontConfiguration

from ..errors import BuildFailed
from ..printing.render import french_spacing, render_pdf, template_environment
from .context import Letter, LetterSources, deadline_case_text

LETTER_TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "letters"
CHUNK_SIZE = 100  # letters per WeasyPrint layout: bounds memory, keeps both cores busy
MARGIN = {"top": 15, "right": 15, "bottom": 15, "left": 20}
TITLES = {"menage": "Courrier au ménage après un commandement de payer", "bailleur": "Courrier au propriétaire après un commandement de payer"}


def letters_environment() -> jinja2.Environment:
    """The print step's environment (filters, autoescape) reading templates/letters/ first, then templates/print/."""
    env = template_environment()
    env.loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(LETTER_TEMPLATES), env.loader])
    return env


class LetterHtml:
    """Turns letters into the HTML of a batch; what letters share is rendered once."""

    def __init__(self, common: LetterSources, extra_areas: dict[int, Any] | None = None) -> None:
        self.common = common
        self.areas: dict[int, Any] = {a.number: a for a in common.territory.areas} | (extra_areas or {})
        self.env = letters_environment()
        self.env.globals.update(common=common, window=common.config.window, margin=MARGIN)
        self._bodies: dict[tuple[str, int], Markup] = {}

    def body(self, kind: str, area: int) -> Markup:
        key = (kind, area if kind == "menage" else 0)
        if key not in self._bodies:
            if kind == "menage":
                html = self.env.get_template("household_body.html.j2").render(
                    area=self.areas[area], helpers=self.common.helpers_by_area.get(area, [])
                )
            else:
                html = self.env.get_template("landlord_body.html.j2").render()
            self._bodies[key] = Markup(html)
        return self._bodies[key]

    def letter(self, letter: Letter) -> Markup:
        template = "household.html.j2" if letter.kind == "menage" else "landlord.html.j2"
        return Markup(
            self.env.get_template(template).render(
                letter=letter,
                body=self.body(letter.kind, letter.area),
                case_text=lambda deadline: deadline_case_text(self.common, deadline),
            )
        )

    def document(self, title: str, letters: Iterable[Letter], band: str | None) -> str:
        """A batch's HTML; `band` is printed at the top of every page (proof, model)."""
        parts = [self.letter(letter) for letter in letters]
        html = self.env.get_template("batch.html.j2").render(title=title, letters=parts, band=band)
        return french_spacing(html)


@dataclass(frozen=True)
class Chunk:
    kind: str
    html: str
    references: list[str]
    folder: Path  # where each letter's own file goes
    title: str
    author: str


@dataclass(frozen=True)
class RenderedChunk:
    kind: str
    pdf: bytes
    pages: list[int]  # pages of each letter, in order


_FONTS: FontConfiguration | None = None


def render_chunk(chunk: Chunk) -> RenderedChunk:
    """One layout for the whole chunk, then one file per letter, cut at each letter's first page."""
    global _FONTS
    _FONTS = _FONTS or FontConfiguration()
    pdf, page_count, errors = render_pdf(chunk.html, _FONTS, print_shop=False)
    if errors:
        raise BuildFailed("la mise en page des courriers a échoué (WeasyPrint) :\n" + "\n".join(errors))
    reader = PdfReader(io.BytesIO(pdf))
    destinations = reader.named_destinations
    starts = [reader.get_destination_page_number(destinations[ref]) for ref in chunk.references]
    ends = [*starts[1:], page_count]
    for ref, start, end in zip(chunk.references, starts, ends, strict=True):
        writer = PdfWriter()
        for number in range(start, end):
            writer.add_page(reader.pages[number])
        _describe(writer, f"{chunk.title}, référence {ref}", chunk.author)
        buffer = io.BytesIO()
        writer.write(buffer)
        write_private(chunk.folder / f"{ref}.pdf", buffer.getvalue())
    return RenderedChunk(chunk.kind, pdf, [end - start for start, end in zip(starts, ends, strict=True)])


def _describe(writer: PdfWriter, title: str, author: str) -> None:
    """Title, author and language (fr) of a PDF made by pypdf, as WeasyPrint writes them."""
    writer.add_metadata({"/Title": title, "/Author": author})
    writer._root_object[NameObject("/Lang")] = TextStringObject("fr")


def write_private(path: Path, data: bytes) -> None:
    """Owner-only file: the letters and listings hold personal data."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def chunks(letters: list[Letter], html: LetterHtml, folder: Path, band: str | None, size: int) -> Iterator[Chunk]:
    for start in range(0, len(letters), size):
        part = letters[start : start + size]
        kind = part[0].kind
        yield Chunk(kind, html.document(TITLES[kind], part, band), [x.reference for x in part], folder, TITLES[kind], html.common.sender.name)


def render_letters(
    jobs: Iterable[Chunk], workers: int, progress: Callable[[int], None] | None = None
) -> list[RenderedChunk]:
    """Render every chunk, in order, on `workers` processes (in this process when 1)."""
    results = []
    if workers <= 1:
        for chunk in jobs:
            results.append(render_chunk(chunk))
            if progress:
                progress(len(chunk.references))
        return results
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending: deque = deque()
        for chunk in jobs:  # the HTML of the next chunks is made while the workers lay out the first ones
            pending.append((len(chunk.references), pool.submit(render_chunk, chunk)))
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


def merge_batch(rendered: list[RenderedChunk], title: str, author: str) -> bytes:
    """The print-ready batch of one kind: every chunk, in the order they were sorted."""
    writer = PdfWriter()
    for chunk in rendered:
        writer.append(PdfReader(io.BytesIO(chunk.pdf)))
    _describe(writer, title, author)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
