"""The letters command: read the register, check every row, write letters and listings, report.

Everything is written into a private temporary folder beside the output and renamed into place at
the end, so a failed run leaves the previous outputs as they were. Nothing printed names a person.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import tempfile
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import PortalError
from ..load import load_sources
from ..printing.plan import PROOF_WARNING
from .config import CONFIG_FILE, load_letters_config
from .context import Letter, household_letter, landlord_letter, letter_sources
from .listings import write_caf_listing, write_complex_cases, write_rejects
from .records import read_commandements
from .register import read_register
from .render import (
    CHUNK_SIZE,
    TITLES,
    LetterHtml,
    Templates,
    letter_jobs,
    letter_pages,
    prepare_templates,
    use_templates,
    write_batch,
    write_letters,
    write_private,
)

LETTER_PAGES = 2  # one sheet, front and back: what an envelope and the post office expect
HOUSEHOLD_FOLDER = "menages"
LANDLORD_FOLDER = "bailleurs"
HOUSEHOLD_BATCH = "courriers-menages.pdf"
LANDLORD_BATCH = "courriers-bailleurs.pdf"


@dataclass
class LettersReport:
    register: str
    letter_date: dt.date
    folder: Path
    rows_read: int = 0
    empty_rows: int = 0
    households: int = 0
    passed_delays: int = 0  # household letters whose delay was already over on the letters' date
    landlords: int = 0
    rejected_rows: int = 0
    duplicates: int = 0
    caf_rows: int = 0
    complex_cases: int | None = None  # None: no criterion configured
    ignored_columns: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        complex_line = (
            "aucun critère configuré (content/courriers.yml, complex_cases)"
            if self.complex_cases is None
            else str(self.complex_cases)
        )
        lines = [
            f"Registre : {self.register}",
            f"Date des courriers : {self.letter_date.isoformat()}",
            f"Lignes lues : {self.rows_read} (lignes vides ignorées : {self.empty_rows})",
            f"Courriers aux ménages : {self.households}",
            f"Courriers aux ménages dont le délai est déjà passé à la date des courriers : {self.passed_delays}",
            f"Courriers aux bailleurs (personnes physiques, SCI familiales) : {self.landlords}",
            f"Lignes rejetées : {self.rejected_rows}, dont doublons : {self.duplicates} (détail : rejets.csv)",
            f"Ménages dans la liste CAF : {self.caf_rows}",
            f"Situations complexes : {complex_line}",
        ]
        if self.ignored_columns:
            lines.append("Colonnes ignorées : " + ", ".join(f"« {c} »" for c in self.ignored_columns))
        lines.append(f"Durée : {self.seconds:.1f} s")
        lines.append(f"Dossier : {self.folder}")
        return lines


def batch_name(register_bytes: bytes, letter_date: dt.date) -> str:
    """AAAA-MM-JJ-xxxxxxxx: the same register on the same day always lands in the same folder."""
    return f"{letter_date.isoformat()}-{hashlib.sha256(register_bytes).hexdigest()[:8]}"


def sender_warning(missing: list[str]) -> str:
    fields = ", ".join(f"sender.{name}" for name in missing)
    return (
        f"Épreuves seulement : {CONFIG_FILE} ne dit pas encore {fields}. Les courriers portent « à compléter » "
        "à ces endroits et la mention « Épreuve » ; complétez ces champs (coordonnées confirmées) avant tout envoi."
    )


def make_letters(
    root: Path,
    register_path: Path,
    out_root: Path,
    letter_date: dt.date | None = None,
    workers: int | None = None,
    chunk_size: int = CHUNK_SIZE,
    progress: Callable[[int, int], None] | None = None,
) -> LettersReport:
    """Every letter, listing and the report for one register, in out_root/AAAA-MM-JJ-xxxxxxxx/."""
    start = time.perf_counter()
    letter_date = letter_date or dt.date.today()
    if out_root.resolve().is_relative_to((root / "site").resolve()):
        raise PortalError(
            f"{out_root} : les courriers contiennent des données personnelles ; attendu : un dossier hors de site/, "
            "par exemple courriers/"
        )
    sources = load_sources(root, as_of=letter_date)  # dated rules follow the letters' date
    config, mapping = load_letters_config(sources)
    register = read_register(register_path, mapping)
    batch = batch_name(register_path.read_bytes(), letter_date)
    result = read_commandements(
        register, mapping, sources.territory, letter_date, batch, config.landlord.owner_kinds, config.window.width_mm
    )
    common = letter_sources(sources, config)

    report = LettersReport(register.described, letter_date, out_root.resolve() / batch)
    report.rows_read, report.empty_rows = result.rows_read, result.empty_rows
    report.rejected_rows, report.duplicates = result.rejected_rows, result.duplicates
    report.ignored_columns = result.ignored_columns
    if common.missing:
        report.warnings.append(sender_warning(common.missing))
    if common.no_site_url:
        report.warnings.append(PROOF_WARNING)

    by_postcode = sorted(result.commandements, key=lambda c: (c.code_postal, c.reference))
    households = [household_letter(common, c, letter_date) for c in by_postcode]
    owners = sorted(
        (c for c in result.commandements if c.landlord_address), key=lambda c: (c.bailleur_code_postal, c.reference)
    )
    landlords = [landlord_letter(common, c, letter_date) for c in owners]

    out_root.mkdir(mode=0o700, parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{batch}-", dir=out_root))  # created owner-only
    try:
        _write_outputs(work, common, households, landlords, result, config, report, workers, chunk_size, progress)
        _swap_in(work, report.folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report.seconds = time.perf_counter() - start
    kept = [line for line in report.lines() if not line.startswith("Durée : ")]  # same register, same bytes
    write_private(report.folder / "rapport.txt", ("\n".join(kept + report.warnings) + "\n").encode("utf-8"))
    return report


def _write_outputs(
    work: Path,
    common,
    households: list[Letter],
    landlords: list[Letter],
    result,
    config,
    report: LettersReport,
    workers: int | None,
    chunk_size: int,
    progress,
) -> None:
    for folder in (HOUSEHOLD_FOLDER, LANDLORD_FOLDER):
        (work / folder).mkdir(mode=0o700)
    reasons = []
    if common.missing:
        reasons.append("expéditeur à compléter")
    if common.no_site_url:
        reasons.append("adresse du site à fixer")
    band = f"Épreuve, ne pas envoyer ({' ; '.join(reasons)})" if reasons else None
    html = LetterHtml(common, band)
    letters = households + landlords
    kinds = [
        (households, HOUSEHOLD_FOLDER, HOUSEHOLD_BATCH, "menage"),
        (landlords, LANDLORD_FOLDER, LANDLORD_BATCH, "bailleur"),
    ]
    workers = workers or min(os.cpu_count() or 1, max(1, -(-len(letters) // chunk_size)))
    with _pool(workers) as pool:
        templates = prepare_templates(letters, html, pool)
    long_letters = sum(letter_pages(templates, letter) > LETTER_PAGES for letter in letters)
    if long_letters:
        report.warnings.append(
            f"{long_letters} courrier(s) font plus de {LETTER_PAGES} pages (une feuille recto verso) : "
            "raccourcissez les textes qu'ils reprennent (étape, annuaire, guide des propriétaires) ou "
            "content/courriers.yml"
        )
    jobs = [
        job
        for of_kind, folder, _, kind in kinds
        for job in letter_jobs(of_kind, work / folder, chunk_size, TITLES[kind], common.sender.name)
    ]
    counted = [0]

    def advance(count: int) -> None:
        counted[0] += count
        if progress:
            progress(counted[0], len(letters))

    with _pool(workers, templates) as pool:
        pending: deque[Future] = deque(pool.submit(write_letters, job) for job in jobs) if pool else deque()

        def collect(wait: bool = False) -> None:
            """Count the letters whose own files are written, in order; `wait` for all of them."""
            while pending and (wait or pending[0].done()):
                advance(pending.popleft().result())

        if pool is None:
            use_templates(templates)
        for of_kind, _, batch, kind in kinds:  # while the workers write each letter's own file
            if of_kind:
                title = f"{TITLES[kind]} : lot du {report.letter_date.isoformat()}"
                write_batch(work / batch, templates, of_kind, title, common.sender.name, every_100=collect)
        if pool is None:
            for job in jobs:
                advance(write_letters(job))
        collect(wait=True)
    report.households, report.landlords = len(households), len(landlords)
    report.passed_delays = sum(letter.delay_passed for letter in households)
    write_rejects(work / "rejets.csv", result.rejects)
    write_caf_listing(work / "liste-caf.csv", result.commandements)
    report.caf_rows = len(result.commandements)
    count = write_complex_cases(work / "situations-complexes.csv", result.commandements, config.complex_cases)
    report.complex_cases = count if config.complex_cases.configured else None


def _pool(workers: int, templates: Templates | None = None) -> ProcessPoolExecutor | nullcontext:
    """Worker processes (each given the compiled templates once), or none when one core is asked for."""
    if workers <= 1:
        return nullcontext()
    if templates is None:
        return ProcessPoolExecutor(max_workers=workers)
    return ProcessPoolExecutor(max_workers=workers, initializer=use_templates, initargs=(templates,))


def _swap_in(work: Path, final: Path) -> None:
    """Replace a previous run of the same register and day only once the new one is complete."""
    old = final.with_name(final.name + ".ancien")
    if final.exists():
        shutil.rmtree(old, ignore_errors=True)
        final.rename(old)
    work.rename(final)
    shutil.rmtree(old, ignore_errors=True)
