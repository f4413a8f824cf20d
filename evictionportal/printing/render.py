"""HTML to PDF with WeasyPrint: tagged (PDF/UA-1), fonts embedded, page budget checked, cached.

A PDF is rendered again only when what it shows changed. Its cache key is made
of its own HTML (built from the sources it takes and nothing else: a leaflet's
HTML does not change when an organisation it does not name changes), the
stylesheet, the fonts and the renderer. A document prints its edition as a date
(the day whose law it shows), never an identifier. The cache lives in
build/print-cache/, one PDF and one JSON note per key.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import math
import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import pydyf
import weasyprint
from markupsafe import Markup, escape
from weasyprint.text.fonts import FontConfiguration

from .. import schema
from ..errors import BuildFailed, SourceErrors, SourceProblem
from ..load import Sources
from ..relations import visible_sources
from ..text import french_date, markdown_for_print
from .context import PrintContext, build_context
from .layout import layout_findings, page_fill
from .plan import PrintedDocument, PrintReport, Variant, budget_is_binding, plan

PACKAGE = Path(__file__).resolve().parent.parent
TEMPLATES = PACKAGE / "templates" / "print"
STYLESHEET = TEMPLATES / "print.css"
STATE_MARK = TEMPLATES / "marque-etat.css"  # the State edition's bloc-marque (scripts/dsfr_vendor.py)
FONTS = PACKAGE / "assets" / "fonts"
CACHE_FOLDER = Path("build") / "print-cache"
RENDER_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True, "pdf_version": "1.7"}
BLEED_MM = 3  # what the print shop trims: artwork runs this far past the page edge
MARKS_AREA = "10mm"  # room outside the page for the bleed and the crop marks
MM = 72 / 25.4
TEMPLATE_OF = {
    "depliant": "leaflet.html.j2",
    "affiche": "poster.html.j2",
    "guide-bailleurs": "landlord_guide.html.j2",
    "referentiel": "referentiel.html.j2",
    "annuaire": "directory.html.j2",
}
LINK = re.compile(r'<a href="(https?://[^"]+)">(.*?)</a>')


# ------------------------------------------------------------------ templates


def _markdown(text: str | None, site_url: str | None) -> Markup:
    """Source Markdown as clean HTML (the site's safe path), with web addresses written out for paper."""
    html = str(markdown_for_print(text, site_url))

    def spell_out(match: re.Match[str]) -> str:
        href, label = match.group(1), match.group(2)
        bare = href.removeprefix("https://").removeprefix("http://").removeprefix("www.").rstrip("/")
        plain = re.sub(r"<[^>]+>", "", label).removeprefix("www.").rstrip("/")
        shown = "" if plain in bare.split("/")[0] or bare.startswith(plain) else f" ({bare})"
        return f'<a href="{href}">{label}</a>{escape(shown)}'

    return Markup(LINK.sub(spell_out, html))


def _inline_markdown(text: str | None, site_url: str | None) -> Markup:
    """One item of a list (what to do, a difference): Markdown without the paragraph around it."""
    html = str(_markdown(text, site_url)).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)


def template_environment(site_url: str | None = None) -> jinja2.Environment:
    """Print templates; `site_url` turns links to pages of the site into full addresses on paper."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        md=lambda text: _markdown(text, site_url),
        md_inline=lambda text: _inline_markdown(text, site_url),
        date=french_date,
    )
    env.globals.update(bleed_mm=BLEED_MM, marks_area=MARKS_AREA)
    return env


def french_text(text: str) -> str:
    """French typography: typographic apostrophes, and no line break inside a number,
    before « € », « : », « ? », « ! », « ; », « » » or after « « »."""
    text = re.sub(r"(?<=\d) (?=\d)", "\u00a0", text)
    text = re.sub(r" (?=[€%:;?!»])", "\u00a0", text)
    text = re.sub(r"« ", "«\u00a0", text)
    return text.replace("'", "\u2019").replace("&#39;", "\u2019")


def french_spacing(html: str) -> str:
    """French typography in the text of an HTML document (not in its markup)."""
    head, body = html.split("<body>", 1)
    return head + "<body>" + re.sub(r">([^<]+)<", lambda m: ">" + french_text(m.group(1)) + "<", body)


def render_html(env: jinja2.Environment, context: PrintContext) -> str:
    return french_spacing(env.get_template(TEMPLATE_OF[context.layout]).render(doc=context))


# ------------------------------------------------------------------ inputs and cache


def static_print_inputs() -> bytes:
    """What every PDF depends on besides its HTML: stylesheet, fonts, renderer and options."""
    digest = hashlib.sha256()
    digest.update(f"weasyprint={weasyprint.__version__};{sorted(RENDER_OPTIONS.items())};{BLEED_MM}".encode())
    for path in [STYLESHEET, STATE_MARK, *sorted(FONTS.glob("*.woff"))]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.digest()


def cache_key(static: bytes, html: str, variant: Variant) -> str:
    """The inputs one PDF really uses: its HTML, the print-shop option, the static inputs."""
    return hashlib.sha256(static + html.encode("utf-8") + str(variant.print_shop).encode()).hexdigest()[:32]


# PDFs rendered by this process, by input hash: a second build in the same process (tests, the
# preview) reuses them even in another project folder. Small: a PDF here is tens of kilobytes.
_RECENT: dict[str, tuple[bytes, dict[str, Any]]] = {}
_RECENT_MAX = 64


@dataclass
class CacheEntry:
    key: str
    pdf: Path
    note: Path

    def load(self) -> dict[str, Any] | None:
        if self.pdf.exists() and self.note.exists():
            return json.loads(self.note.read_text(encoding="utf-8"))
        if self.key in _RECENT:
            pdf, note = _RECENT[self.key]
            self._write(pdf, note)
            return note
        return None

    def store(self, pdf: bytes, note: dict[str, Any]) -> None:
        self._write(pdf, note)
        if len(_RECENT) >= _RECENT_MAX:
            _RECENT.pop(next(iter(_RECENT)))
        _RECENT[self.key] = (pdf, note)

    def _write(self, pdf: bytes, note: dict[str, Any]) -> None:
        self.pdf.parent.mkdir(parents=True, exist_ok=True)
        self.pdf.write_bytes(pdf)
        self.note.write_text(json.dumps(note), encoding="utf-8")


def cache_entry(cache_dir: Path, key: str) -> CacheEntry:
    return CacheEntry(key, cache_dir / f"{key}.pdf", cache_dir / f"{key}.json")


# ------------------------------------------------------------------ WeasyPrint


class _Problems(logging.Handler):
    """Collects what WeasyPrint reports as an error (missing alt text, missing language, bad CSS)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


class _LocalOnly(weasyprint.URLFetcher):
    """Fetch fonts and images from the package only: a build never depends on the network."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"file", "data"})

    def fetch(self, url: str, headers: Any = None) -> Any:
        if url.startswith("file:") and not Path(url.removeprefix("file://")).resolve().is_relative_to(PACKAGE):
            raise ValueError(f"ressource hors du projet refusée : {url}")
        return super().fetch(url, headers)


def _exact_bleed_box(document: Any, pdf: pydyf.PDF) -> None:
    """Print shop: the bleed box is the page plus 3 mm; the marks sit outside it."""
    bleed = BLEED_MM * MM
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Page" and "TrimBox" in obj:
            left, top, right, bottom = obj["TrimBox"]
            obj["BleedBox"] = pydyf.Array([left - bleed, top - bleed, right + bleed, bottom + bleed])


@contextlib.contextmanager
def weasyprint_errors() -> Iterator[list[str]]:
    """Collects what WeasyPrint reports as an error while laying out or writing, for the caller to raise."""
    handler = _Problems()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)


def layout_html(html: str, fonts: FontConfiguration) -> Any:
    """WeasyPrint's layout of print HTML: print.css, the vendored fonts, PDF/UA settings, local files only."""
    # The HTML links print.css (templates/print/), which links the fonts (assets/fonts/).
    return weasyprint.HTML(string=html, base_url=str(TEMPLATES) + "/", url_fetcher=_LocalOnly()).render(
        font_config=fonts, **RENDER_OPTIONS
    )


BLANK_PAGE = '<div class="blank-page"></div>'
MAX_TYPE_SCALE = 1.3  # a short folded leaflet's type grows up to this much (11.5 pt -> 15 pt) to fill its pages
SCALE_STEPS = 6  # layouts tried to find the largest type that fits: the interval 1 to 1.3 halved down to 0.01
SMALLER_TRIES = 5  # smaller sizes tried, 0.02 apart, when the largest one breaks its pages badly


@dataclass
class Rendered:
    pdf: bytes
    pages: int
    errors: list[str]  # what WeasyPrint reported as an error
    findings: list[str]  # what a reader would see as a layout fault (layout.py)


def page_multiple(variant: Variant) -> int:
    """An A5 leaflet is printed on A4 sheets folded in two: its page count is a multiple of 4."""
    leaflet = variant.flyer.layout == schema.FlyerLayout.leaflet
    return 4 if leaflet and variant.size == "A5" else 1


def with_blank_pages(html: str, count: int) -> str:
    """The document with `count` empty pages at its end, where a folded leaflet has its blank back pages."""
    head, _, tail = html.rpartition("</body>")
    return head + BLANK_PAGE * count + "</body>" + tail


def with_type_scale(html: str, scale: float) -> str:
    """The document with its type `scale` times larger (print.css reads --type-scale)."""
    head, _, tail = html.partition("</head>")
    return f"{head}<style>html {{ --type-scale: {scale:.3f}; }}</style></head>{tail}"


def used_pages(document: Any) -> float:
    """How many pages the text fills: the full pages, plus the part of the last one down to its last line."""
    return len(document.pages) - 1 + page_fill(document.pages[-1])


def with_helpers_inside(html: str) -> str:
    """A folded leaflet with « Qui peut vous aider ? » on its inside pages rather than on its back cover."""
    return html.replace('<html lang="fr" class="', '<html lang="fr" class="helpers-inside-shown ', 1)


def booklet_layout(html: str, fonts: FontConfiguration, multiple: int) -> tuple[Any, int]:
    """A folded leaflet on whole sheets: its type enlarged as much as its pages allow (up to MAX_TYPE_SCALE), so
    that the text fills its pages rather than leaving one half empty, then blank back pages if some are still
    missing. If the pages still break badly (a page a third empty, a heading alone), who can help moves from the
    back cover to the inside pages. Returns the layout and the number of blank pages added."""
    document, chosen, faults = _largest_type(html, fonts, multiple)
    if faults and 'class="helpers-inside"' in html:
        inside = _largest_type(with_helpers_inside(html), fonts, multiple)
        if not inside[2]:
            document, chosen, faults = inside
    missing = _missing(document, multiple)
    if missing:
        document = layout_html(with_blank_pages(chosen, missing), fonts)
    return document, missing


def _missing(document: Any, multiple: int) -> int:
    return math.ceil(len(document.pages) / multiple) * multiple - len(document.pages)


def _largest_type(html: str, fonts: FontConfiguration, multiple: int) -> tuple[Any, str, bool]:
    """The layout with the largest type that keeps the leaflet on its sheets (the interval 1 to MAX_TYPE_SCALE
    halved), or a slightly smaller one whose pages do not break badly; its HTML; whether faults remain."""
    document = layout_html(html, fonts)
    sheets = math.ceil(len(document.pages) / multiple) * multiple
    fitting: dict[float, Any] = {1.0: document}
    low, high = 1.0, MAX_TYPE_SCALE  # the type fits at `low`; the largest scale that fits lies in between
    for step in range(SCALE_STEPS):
        scale = high if step == 0 else (low + high) / 2
        trial = layout_html(with_type_scale(html, scale), fonts)
        if len(trial.pages) <= sheets:
            fitting[scale], low = trial, scale
            if scale == MAX_TYPE_SCALE:
                break
        else:
            high = scale
        if high - low < 0.01:
            break

    def faulty(layout: Any) -> bool:
        return len(layout.pages) == sheets and bool(layout_findings(layout.pages, back_cover=True))

    scale = low
    for _ in range(SMALLER_TRIES):
        smaller = round(scale - 0.02, 3)
        if not faulty(fitting[scale]) or smaller < 1.0:
            break
        trial = layout_html(with_type_scale(html, smaller), fonts)
        if len(trial.pages) > sheets:
            break
        fitting[smaller] = trial
        scale = smaller
    best = max(fitting, key=lambda s: (not faulty(fitting[s]), s))
    return fitting[best], (with_type_scale(html, best) if best != 1.0 else html), faulty(fitting[best])


def render_document(html: str, fonts: FontConfiguration, print_shop: bool, multiple: int = 1) -> Rendered:
    """The PDF, its page count (a multiple of `multiple`), WeasyPrint's errors and the layout's faults."""
    with weasyprint_errors() as errors:
        if multiple > 1:
            document, blank = booklet_layout(html, fonts, multiple)
        else:
            document, blank = layout_html(html, fonts), 0
        findings = layout_findings(document.pages[: len(document.pages) - blank], back_cover=multiple > 1 and not blank)
        finisher = _exact_bleed_box if print_shop else None
        pdf = document.write_pdf(finisher=finisher, **RENDER_OPTIONS)
    return Rendered(pdf, len(document.pages), errors, findings)


def render_pdf(html: str, fonts: FontConfiguration, print_shop: bool) -> tuple[bytes, int, list[str]]:
    """The PDF of a one-off document (campaign packet), its page count and WeasyPrint's error messages."""
    rendered = render_document(html, fonts, print_shop)
    return rendered.pdf, rendered.pages, rendered.errors


# ------------------------------------------------------------------ the print step


def _overflow(sources: Sources, variant: Variant, pages: int) -> SourceProblem:
    """A leaflet, poster or booklet longer than its paper allows: the build stops and names it."""
    flyer = variant.flyer
    located = sources.origin(flyer)
    index = flyer.formats.index(variant.format)
    budget = variant.format.pages
    return SourceProblem(
        located.file,
        located.line_of(("formats", index, "pages")),
        f"formats[{index}].pages",
        f"le document « {flyer.title} » ({variant.filename}) fait {pages} pages pour {budget} prévue(s) : "
        "raccourcissez les textes qu'il reprend, retirez un bloc de flyers/ ou augmentez « pages »",
    )


def _past_indicative_budget(sources: Sources, doc: PrintedDocument) -> str:
    """A growing document past its indicative page count: said, and published all the same."""
    flyer = next(f for f in sources.flyers if f.id == doc.flyer_id)
    return (
        f"« {doc.title} » ({doc.path.split('/')[-1]}) fait {doc.pages} pages et {doc.kilobytes} Ko, "
        f"pour {doc.budget} prévue(s) dans {sources.origin(flyer).file} : il est publié quand même, "
        "car un document de référence grandit avec les sources ; ajustez « pages » si ce volume vous convient"
    )


def _layout_faults(variant: Variant, findings: list[str]) -> list[str]:
    """A layout fault is said, not fatal: the texts that cause it are the editors' to shorten or complete."""
    if not findings or variant.print_shop:  # the print-shop copy has the same pages: said once
        return []
    return [f"« {variant.title} » ({variant.filename}) : {' ; '.join(findings)}"]


def print_documents(
    sources: Sources, out_dir: Path, cache_dir: Path | None = None, rehearsal: bool = False
) -> PrintReport:
    """Write every PDF of `flyers/` into `out_dir`; raise if a leaflet, poster or booklet overflows its budget.

    `rehearsal` (the calendar of the days ahead, whose PDFs are thrown away): the cache is not pruned, and a
    document whose page count binds nothing (référentiel, directory) is looked up without its edition date,
    which is all that changes from one day to the next there and can fail nothing."""
    start = time.perf_counter()
    report = PrintReport()
    if not sources.flyers:
        return report
    url = str(sources.territory.site_url) if sources.territory.site_url else None
    report.proof = url is None
    shown = visible_sources(sources, include_drafts=False)
    # One cache per edition: a build of one edition does not prune the other's PDFs.
    cache_dir = cache_dir or sources.root / CACHE_FOLDER / sources.edition.value
    out_dir.mkdir(parents=True, exist_ok=True)
    env = template_environment(url)
    fonts = FontConfiguration()
    static = static_print_inputs()
    problems: list[SourceProblem] = []
    failures: list[str] = []
    used: set[Path] = set()

    for variant in plan(shown):
        begin = time.perf_counter()
        context = build_context(shown, variant, url)
        html = render_html(env, context)
        if rehearsal and not budget_is_binding(variant.flyer.layout):
            html = html.replace(french_date(sources.as_of), "[date d'édition]")
        entry = cache_entry(cache_dir, cache_key(static, html, variant))
        used |= {entry.pdf, entry.note}
        note = entry.load()
        cached = note is not None
        if note is None:
            rendered = render_document(html, fonts, variant.print_shop, page_multiple(variant))
            if rendered.errors:
                failures += [f"{variant.filename} : {message}" for message in rendered.errors]
                continue
            seconds = round(time.perf_counter() - begin, 3)
            note = {"pages": rendered.pages, "seconds": seconds, "layout": rendered.findings}
            entry.store(rendered.pdf, note)
        report.layout_faults += _layout_faults(variant, note.get("layout", []))
        if note["pages"] > variant.format.pages and budget_is_binding(variant.flyer.layout):
            problems.append(_overflow(sources, variant, note["pages"]))
            continue
        target = out_dir / variant.filename
        shutil.copyfile(entry.pdf, target)
        report.documents.append(
            PrintedDocument(
                flyer_id=variant.flyer.id,
                title=variant.title,
                layout=variant.flyer.layout.value,
                audience=variant.flyer.audience.value,
                ground=variant.flyer.ground,
                size=variant.size,
                print_shop=variant.print_shop,
                path=variant.path,
                url=context.qr.url if context.qr else None,
                pages=note["pages"],
                bytes=target.stat().st_size,
                verified=context.verified,
                seconds=time.perf_counter() - begin,
                cached=cached,
                budget=variant.format.pages,
                bound=budget_is_binding(variant.flyer.layout),
            )
        )
    if failures:
        raise BuildFailed("la mise en page d'un document a échoué (WeasyPrint) :\n" + "\n".join(failures))
    if problems:
        raise SourceErrors(problems)
    report.notes = [_past_indicative_budget(sources, doc) for doc in report.documents if doc.past_budget]
    if not rehearsal:
        _prune(cache_dir, used)
    report.seconds = time.perf_counter() - start
    return report


def _prune(cache_dir: Path, used: set[Path]) -> None:
    """Forget PDFs no current input produces any more, so the cache does not grow forever."""
    for path in cache_dir.glob("*"):
        if path.suffix in (".pdf", ".json") and path not in used:
            path.unlink(missing_ok=True)
