"""The pipeline: load and validate, render pages, build the site, swap it in.

Everything is gathered and checked before anything is written; the output is
built in a temporary folder and replaces the previous one only on success.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from pydantic import BaseModel

from . import schema
from .errors import PortalError
from .figures import write_figure_files
from .freshness import stale_contact_warnings
from .letters.config import load_letters_config
from .letters.models import has_letters, write_model_letters
from .load import Sources, load_sources
from .opendata import write_open_data
from .pages import navigation, render_pages
from .printing import PrintReport, print_documents
from .printing.plan import OUTPUT_FOLDER, PROOF_WARNING, held_back_warnings
from .printing.thumbnails import add_thumbnails
from .relations import require_home_page, visible_sources
from .search import write_search_index
from .site import (
    engine_config,
    require_writable_target,
    run_mkdocs,
    swap_in,
    target_lock,
    write_docs,
    write_engine_config,
)
from .text import french_date

PACKAGE = Path(__file__).parent
STAMP = ".build-stamp"
INPUT_FOLDERS = ("content", "referentiel", "directory", "flyers")


@dataclass
class BuildReport:
    site_dir: Path
    pages: int = 0
    skipped: bool = False
    seconds: float = 0.0
    printed: PrintReport = field(default_factory=PrintReport)
    warnings: list[str] = field(default_factory=list)


def input_files(root: Path) -> list[Path]:
    """Every file whose change must trigger a rebuild: sources, templates, code, config."""
    files = [root / "mkdocs.yml", root / "pyproject.toml"]
    for folder in INPUT_FOLDERS:
        # A symbolic link counts even when it is broken or loops: loading reports it, the build must not skip it.
        files += sorted(p for p in (root / folder).rglob("*") if p.is_file() or p.is_symlink())
    files += sorted(p for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return [f for f in files if f.exists() or f.is_symlink()]


def inputs_fingerprint(root: Path, as_of: dt.date, edition: schema.Edition | None = None) -> str:
    """Same inputs on the same day and edition give the same site; a new day may bring a rule into force."""
    digest = hashlib.sha256(f"as_of={as_of.isoformat()};edition={edition.value if edition else ''}".encode())
    for engine in ("mkdocs", "mkdocs-material", "weasyprint"):
        digest.update(f"{engine}={metadata.version(engine)}".encode())
    for path in input_files(root):
        base = root if path.is_relative_to(root) else PACKAGE.parent
        digest.update(path.relative_to(base).as_posix().encode())
        try:
            digest.update(path.read_bytes())
        except OSError as error:  # unreadable: never "up to date"; loading names the file and the reason
            digest.update(f"illisible:{error.errno}:{time.time_ns()}".encode())
    return digest.hexdigest()


def generate_docs(
    sources: Sources, docs_dir: Path, preview: bool = False, documents: list | None = None
) -> tuple[int, list]:
    """Write the Markdown tree for the site engine; return the page count and the menu."""
    shown = visible_sources(sources, include_drafts=preview)
    published = visible_sources(sources, include_drafts=False)
    data_files = write_open_data(published, docs_dir) + write_figure_files(published, docs_dir)
    pages = render_pages(shown, preview=preview, documents=documents or [], data_files=data_files)
    write_docs(pages, docs_dir, sources.edition)
    return len(pages), navigation(shown, [*(documents or []), *data_files])


def print_step(sources: Sources, docs_dir: Path, report: BuildReport, rehearsal: bool = False) -> None:
    """The PDFs go into the site (documents/); proofs only while the site has no public address."""
    report.printed = print_documents(sources, docs_dir / OUTPUT_FOLDER, rehearsal=rehearsal)
    report.warnings += report.printed.notes
    if has_letters(sources.root):  # the model letters, so partners see what is sent (charter, action 16)
        report.printed.documents += write_model_letters(sources, docs_dir / OUTPUT_FOLDER)
    report.printed.documents = add_thumbnails(report.printed.documents, docs_dir)
    if report.printed.proof and report.printed.documents:
        report.warnings.append(PROOF_WARNING)
    report.warnings += held_back_warnings(visible_sources(sources, include_drafts=False))


LEGAL_NOTICE_WARNING = (
    "content/territoire.yml : directeur de la publication (publication_director), adresse de l'éditeur "
    "(publisher_address) ou hébergeur (host : name, address, phone) non renseigné ; la page Mentions légales "
    "indique « à compléter » (LCEN, art. 6 III)"
)


def legal_notice_complete(territory: schema.Territory) -> bool:
    """What the LCEN (art. 6 III) requires the legal notice to name, all given."""
    host = territory.host
    return all((territory.publication_director, territory.publisher_address, host.name, host.address, host.phone))


def source_warnings(sources: Sources) -> list[str]:
    """What the build says without stopping: a year's figure missing, the legal notice incomplete."""
    missing_notice = not legal_notice_complete(sources.territory)
    return [*sources.warnings, *([LEGAL_NOTICE_WARNING] if missing_notice else [])]


def build_in(root: Path, sources: Sources, scratch: Path, report: BuildReport, rehearsal: bool = False) -> Path:
    """Every output of one day into `scratch`: the PDFs and model letters, the pages, the site engine's run.
    The build and the calendar of the days ahead (timeline.py) both go through here."""
    docs_dir = scratch / "docs"
    print_step(sources, docs_dir, report, rehearsal=rehearsal)
    report.pages, nav = generate_docs(sources, docs_dir, documents=report.printed.documents)
    config_file = write_engine_config(engine_config(root, sources, nav, docs_dir), scratch / "mkdocs.yml")
    new_site = scratch / "site"
    run_mkdocs(config_file, new_site)
    return new_site


def checked_sources(
    root: Path, as_of: dt.date, edition: schema.Edition | None = None, today: dt.date | None = None
) -> tuple[Sources, list[str]]:
    """The sources as of `as_of`, with every check a build makes before writing (so `validate` refuses what
    `build` would): sources, cross-references, a home page, the letters' settings; and the warnings.
    `edition` replaces the territory's own for this build (`build --edition`); `today` is the real day, against
    which a build date is judged plausible."""
    sources = load_sources(root, as_of)  # raises SourceErrors before anything is written
    if edition is not None:
        sources = dataclasses.replace(sources, edition=edition)
    shown = visible_sources(sources, include_drafts=False)
    require_home_page(sources, shown)
    require_plausible_date(shown, as_of, today or dt.date.today())
    if has_letters(root):
        load_letters_config(sources)  # content/courriers.yml against the sources of that day
    return sources, [*stale_contact_warnings(sources), *source_warnings(sources)]


YEARS_AHEAD = 2


def latest_verification(shown: Sources) -> tuple[dt.date, str] | None:
    """The most recent `verified` date of what would be published, and the file that says it."""
    latest: tuple[dt.date, str] | None = None

    def walk(value: object, file: str) -> None:
        nonlocal latest
        if isinstance(value, schema.Verified):
            if latest is None or value.date > latest[0]:
                latest = (value.date, file)
        elif isinstance(value, BaseModel):
            for name in type(value).model_fields:
                walk(getattr(value, name), file)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item, file)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item, file)

    by_id = {(type(o.model).__name__, getattr(o.model, "id", None)): o.file for o in shown.origins.values()}
    for part in dataclasses.fields(shown):
        value = getattr(shown, part.name)
        items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, BaseModel):
                located = shown.origins.get(id(item))  # the sources as of a day may hold copies: found by id then
                file = located.file if located else by_id.get((type(item).__name__, getattr(item, "id", None)))
                walk(item, file or part.name)
    return latest


def require_plausible_date(shown: Sources, as_of: dt.date, today: dt.date) -> None:
    """A build shows the law of its day and says when each text was verified: a day before the latest
    verification would print « Vérifié le » a day still to come; more than two years ahead is a typing error."""
    try:
        limit = today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:  # 29 February
        limit = today.replace(year=today.year + YEARS_AHEAD, day=28)
    if as_of > limit:
        raise PortalError(
            f"--date {as_of.isoformat()} : plus de {YEARS_AHEAD} ans après aujourd'hui ({french_date(today)}) ; "
            f"attendu : une date jusqu'au {french_date(limit)} (les règles à venir s'écrivent avec « from: »)"
        )
    latest = latest_verification(shown)
    if latest is not None and as_of < latest[0]:
        when = french_date(latest[0])
        raise PortalError(
            f"--date {as_of.isoformat()} : avant la dernière vérification de ce qui serait publié ({latest[1]} : "
            f"vérifié le {when}) ; une édition du {french_date(as_of)} dirait « Vérifié le {when} » ; "
            f"attendu : une date à partir du {when}"
        )


def build_site(
    root: Path,
    site_dir: Path | None = None,
    force: bool = False,
    as_of: dt.date | None = None,
    edition: schema.Edition | None = None,
) -> BuildReport:
    """Build the site as of one day (default: today) into `site_dir` (default: root/site), intact on error;
    `edition` (default: the territory's) decides the look."""
    start = time.perf_counter()
    root = root.resolve()
    site_dir = (site_dir or root / "site").resolve()
    as_of = as_of or dt.date.today()
    report = BuildReport(site_dir)
    fingerprint = inputs_fingerprint(root, as_of, edition)
    stamp = site_dir / STAMP
    if not force and stamp.exists() and stamp.read_text() == fingerprint:
        report.skipped = True
        report.seconds = time.perf_counter() - start
        return report

    sources, warnings = checked_sources(root, as_of, edition)  # raises SourceErrors before anything is written
    report.warnings += warnings

    work = root / "build"
    work.mkdir(exist_ok=True)
    require_writable_target(site_dir)  # refusals first, before the long work
    with target_lock(site_dir):
        scratch = Path(tempfile.mkdtemp(prefix="site-", dir=work))
        try:
            new_site = build_in(root, sources, scratch, report)
            words = sources.search_words
            write_search_index(new_site, words.synonyms if words else None, words.first if words else None)
            (new_site / STAMP).write_text(fingerprint)
            site_dir.parent.mkdir(parents=True, exist_ok=True)
            swap_in(new_site, site_dir)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    report.seconds = time.perf_counter() - start
    return report
