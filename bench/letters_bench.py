"""Time the letters: our batched pipeline on N made-up household letters against the naive loop.

Run: .venv/bin/python bench/letters_bench.py N [SAMPLE]. Makes a register of N made-up rows (every
landlord a company, so only household letters: the goal is stated for them), runs `make_letters`
(per-letter files, batch PDF, listings) on every core, then, in the same run, the naive loop on a
sample (default 20): one HTML document per letter, laid out and written on its own, one process.
Prints letters per second for both, the ratio, CPU seconds (ours, all processes) and peak memory.
The machine may be shared: the load average before and after is printed; compare CPU time too.
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from weasyprint.text.fonts import FontConfiguration  # noqa: E402

from evictionportal.letters import make_letters  # noqa: E402
from evictionportal.letters.config import load_letters_config  # noqa: E402
from evictionportal.letters.context import household_letter, letter_sources  # noqa: E402
from evictionportal.letters.example import write_example  # noqa: E402
from evictionportal.letters.records import read_commandements  # noqa: E402
from evictionportal.letters.register import read_register  # noqa: E402
from evictionportal.letters.render import TITLES, LetterHtml, write_private  # noqa: E402
from evictionportal.load import load_sources  # noqa: E402
from evictionportal.printing.render import render_pdf  # noqa: E402

DAY = dt.date(2026, 11, 27)


def cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def progress_line(start: float):  # type: ignore[no-untyped-def]
    """Every tenth of the way: letters done and seconds since the start (a long run shows it is moving)."""
    shown = [0]

    def show(done: int, total: int) -> None:
        if done * 10 // total > shown[0]:
            shown[0] = done * 10 // total
            print(f"  {done}/{total} letters after {time.perf_counter() - start:.0f} s", flush=True)

    return show


def household_register(folder: Path, count: int) -> Path:
    """The made-up example register with every landlord a company: household letters only."""
    sources = load_sources(ROOT, as_of=DAY)
    path = folder / "registre.csv"
    write_example(path, count, sources.territory, DAY)
    text = path.read_text(encoding="utf-8-sig")
    for kind in ("personne physique", "SCI familiale"):
        text = text.replace(f";{kind};", ";personne morale;")
    path.write_text(text, encoding="utf-8-sig")
    return path


def naive_loop(register: Path, sample: int, out: Path) -> tuple[float, float]:
    """One document per letter, front and back laid out together, written on its own: (seconds, CPU seconds)."""
    sources = load_sources(ROOT, as_of=DAY)
    config, mapping = load_letters_config(sources)
    rows = read_commandements(
        read_register(register), mapping, sources.territory, DAY, "naif", config.landlord.owner_kinds
    )
    common = letter_sources(sources, config)
    html = LetterHtml(common, band=None)
    fonts = FontConfiguration()
    out.mkdir()
    start, cpu = time.perf_counter(), time.process_time()
    for cdp in rows.commandements[:sample]:
        letter = household_letter(common, cdp, DAY)
        document = html.wrap(TITLES["menage"], [html.front(letter), html.back_side(letter)])
        pdf, _, errors = render_pdf(document, fonts, print_shop=False)
        assert not errors, errors
        write_private(out / f"{letter.reference}.pdf", pdf)
    return time.perf_counter() - start, time.process_time() - cpu


def main(count: int, sample: int) -> None:
    print(f"machine: {os.cpu_count()} cores, load average before {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as folder:
        register = household_register(Path(folder), count)
        cpu_before, start = cpu_seconds(), time.perf_counter()
        report = make_letters(ROOT, register, Path(folder) / "sortie", DAY, progress=progress_line(start))
        ours, ours_cpu = time.perf_counter() - start, cpu_seconds() - cpu_before
        files = list((report.folder / "menages").glob("*.pdf"))
        batch_mb = (report.folder / "courriers-menages.pdf").stat().st_size / 1e6
        peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        peak_child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        assert report.households == count == len(files), (report.households, len(files))
        naive, naive_cpu = naive_loop(register, min(sample, count), Path(folder) / "naif")
    sample = min(sample, count)
    naive_rate = sample / naive
    ours_rate = count / ours
    print(
        f"ours:  {count} household letters + per-letter files in {ours:.1f} s = {ours_rate:.1f} letters/s "
        f"({ours_cpu:.1f} CPU s, {1000 * ours_cpu / count:.0f} CPU ms per letter); batch PDF {batch_mb:.1f} MB"
    )
    print(
        f"naive: {sample} letters in {naive:.1f} s = {naive_rate:.1f} letters/s, one process "
        f"({1000 * naive_cpu / sample:.0f} CPU ms per letter)"
    )
    print(
        f"ratio: {ours_rate / naive_rate:.1f}x in time, "
        f"{naive_cpu / sample / (ours_cpu / count):.1f}x in CPU per letter "
        "(goal: 12x, and 10,000 letters in 60 s)"
    )
    print(f"peak memory: main process {peak_self:.0f} MB, largest worker {peak_child:.0f} MB")
    print(f"load average after {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000, int(sys.argv[2]) if len(sys.argv) > 2 else 20)
