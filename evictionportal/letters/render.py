"""Letters to PDF, fast: each template laid out once by WeasyPrint, each letter assembled from it.

A letter is a front side (the letterhead, its window, its dates box) and a back side shared by every
letter of an arrondissement (households) or of the run (landlords). Each front variant and each back
side is laid out once, as tagged PDF/UA-1, with placeholders where the personal values go; stamp.py
then writes every letter's own file and the batch by joining the compiled templates with the letter's
values. The letters' own files are written on every core; the batch at the same time, in this process.
WeasyPrint, the house stylesheet, the fonts and the PDF/UA settings are the print step's.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup
from weasyprint.text.fonts import FontConfiguration

from ..errors import BuildFailed
from ..printing.render import (
    RENDER_OPTIONS,
    french_spacing,
    french_text,
    layout_html,
    template_environment,
    weasyprint_errors,
)
from .context import AreaHelpers, Letter, LetterSources
from .glyphs import EmbeddedFont
from .stamp import PLACEHOLDER, TITLE_MARK, Assembly, Part, Template, compile_template, letter_fonts, write_letter

LETTER_TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "letters"
CHUNK_SIZE = 200  # letters per job sent to a worker: keeps every core busy, bounds what waits in memory
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

    def front(self, letter: Letter) -> Markup:
        if letter.kind not in self._front_ends:
            self._front_ends[letter.kind] = Markup(self.env.get_template(FRONT_END[letter.kind]).render())
        return Markup(
            self.env.get_template(FRONT[letter.kind]).render(
                letter=letter,
                body=self._front_ends[letter.kind],
            )
        )

    def back_side(self, letter: Letter) -> Markup:
        """The back side of a letter, as a part of an HTML document."""
        helpers = self.common.helpers_by_area.get(letter.area, AreaHelpers([], []))
        return Markup(
            self.env.get_template(BACK[letter.kind]).render(area=self.areas.get(letter.area), helpers=helpers)
        )

    def back(self, letter: Letter) -> str:
        """The back side as an HTML document of its own (one per arrondissement for households, one for landlords)."""
        return self.wrap(TITLES[letter.kind], [self.back_side(letter)])

    def wrap(self, title: str, parts: list[Markup]) -> str:
        html = self.env.get_template("batch.html.j2").render(title=title, letters=parts, band=self.band)
        return french_spacing(html)


# ------------------------------------------------------------------ templates


@dataclass
class Templates:
    """Every template a run needs, laid out and compiled, by key; and the fonts of the personal fields."""

    compiled: dict[tuple, Template]
    pages: dict[tuple, int]
    fonts: list[EmbeddedFont]


def front_key(letter: Letter) -> tuple:
    return ("front", *letter.variant())


def back_key(letter: Letter) -> tuple:
    return ("back", letter.kind, letter.area if letter.kind == "menage" else 0)


def template_html(letters: Iterable[Letter], html: LetterHtml) -> dict[tuple, str]:
    """The HTML of each template these letters use: a front side per variant, a back side per arrondissement."""
    documents: dict[tuple, str] = {}
    for letter in letters:
        key = front_key(letter)
        if key not in documents:
            slots = letter.with_placeholders(PLACEHOLDER)
            documents[key] = html.wrap(TITLE_MARK, [html.front(slots)])
        key = back_key(letter)
        if key not in documents:
            documents[key] = html.back(letter)
    return documents


def lay_out_template(document: str) -> tuple[Template, int]:
    """WeasyPrint's tagged PDF of one template, compiled; and its page count."""
    global _FONTS
    _FONTS = _FONTS or FontConfiguration()
    # fontTools stamps each font subset with the time it was made, unless told a fixed one: the same register
    # must give the same bytes (reproducible-builds.org/specs/source-date-epoch).
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
    with weasyprint_errors() as errors:
        laid_out = layout_html(document, _FONTS)
        pdf = laid_out.write_pdf(**RENDER_OPTIONS)
    if errors:
        raise BuildFailed("la mise en page des courriers a échoué (WeasyPrint) :\n" + "\n".join(errors))
    return compile_template(pdf), len(laid_out.pages)


def prepare_templates(letters: list[Letter], html: LetterHtml, pool: Executor | None) -> Templates:
    """Lay out every template once (on every core), and subset the fonts the personal fields need."""
    documents = template_html(letters, html)
    keys = list(documents)
    laid_out = list(
        pool.map(lay_out_template, documents.values()) if pool else map(lay_out_template, documents.values())
    )
    compiled = {key: template for key, (template, _) in zip(keys, laid_out, strict=True)}
    variants = {front_key(letter): letter for letter in letters}
    for key, letter in variants.items():
        if {slot.number for slot in compiled[key].slots} != set(range(1, len(letter.fields()) + 1)):
            raise BuildFailed(
                "le recto d'un courrier déborde de sa page ou perd un champ (adresse, référence, date) : "
                "raccourcissez les textes de content/courriers.yml ou de l'étape qu'il reprend"
            )
    fonts = letter_fonts(french_text(value) for letter in letters for value in letter.fields())
    return Templates(compiled, {key: pages for key, (_, pages) in zip(keys, laid_out, strict=True)}, fonts)


def letter_parts(templates: Templates, letter: Letter) -> list[Part]:
    """The letter's front side with its values, then its back side."""
    fills = {number: french_text(value) for number, value in enumerate(letter.fields(), start=1)}
    return [Part(templates.compiled[front_key(letter)], fills), Part(templates.compiled[back_key(letter)])]


def letter_pages(templates: Templates, letter: Letter) -> int:
    return templates.pages[front_key(letter)] + templates.pages[back_key(letter)]


# ------------------------------------------------------------------ letters


@dataclass(frozen=True)
class LetterJob:
    letters: list[Letter]
    files: list[Path]
    titles: list[str]
    author: str


_FONTS: FontConfiguration | None = None
_TEMPLATES: Templates | None = None


def use_templates(templates: Templates) -> None:
    """Each worker process receives the compiled templates once."""
    global _TEMPLATES
    _TEMPLATES = templates


def write_letters(job: LetterJob) -> int:
    """Each letter's own tagged PDF, owner-only; the number written."""
    assert _TEMPLATES is not None
    for letter, path, title in zip(job.letters, job.files, job.titles, strict=True):
        write_private(path, write_letter(letter_parts(_TEMPLATES, letter), _TEMPLATES.fonts, title, job.author))
    return len(job.letters)


def letter_jobs(letters: list[Letter], folder: Path, size: int, title: str, author: str) -> Iterator[LetterJob]:
    for start in range(0, len(letters), size):
        part = letters[start : start + size]
        yield LetterJob(
            part,
            [folder / f"{letter.reference}.pdf" for letter in part],
            [f"{title}, référence {letter.reference}" for letter in part],
            author,
        )


def write_batch(
    path: Path,
    templates: Templates,
    letters: list[Letter],
    title: str,
    author: str,
    every_100: Callable[[], None] | None = None,
) -> None:
    """The print-ready batch of one kind: every letter in order, one tagged file, fonts and drawings once.
    `every_100` is called every hundred letters (the progress of the workers is shown meanwhile)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        assembly = Assembly(io.BufferedWriter(handle, 1 << 20), templates.fonts, title, author, sections=True)
        for index, letter in enumerate(letters, start=1):
            assembly.add_letter(letter_parts(templates, letter), label=f"Courrier {letter.reference}")
            if every_100 and index % 100 == 0:
                every_100()
        assembly.finish()
        assembly.pdf.out.flush()


def write_private(path: Path, data: bytes) -> None:
    """Owner-only file: the letters and listings hold personal data."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
