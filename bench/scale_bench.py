"""Scale benchmark: the real directory and one grown by N made-up organisations, measured in the same run.

Run: .venv/bin/python bench/scale_bench.py N [--no-browser] [--no-preview]

The project's sources are copied twice into a temporary folder: as they are (the baseline), and with N
made-up organisations added (bench/madeup_directory.py: valid, varied areas and contacts, never committed).
For each copy it prints: validate; cold build (empty PDF cache); unchanged build; the build after editing
one organisation, and how many PDFs it rendered again; the référentiel's pages and time, and the
directory's; the peak memory of a build; the home page's first-visit weight (compressed, Chromium) and
what the first search adds; and how long the live preview (`build.py serve`) takes to show a saved edit.
Every build runs in its own process, so no in-process cache helps it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.madeup_directory import PREFIX, write_madeup_organisations  # noqa: E402

SOURCES = ("content", "referentiel", "directory", "flyers", "mkdocs.yml", "pyproject.toml")
EDIT_MARK = "Modification {number} pour le banc."  # plain words: shown as written on the page
BUILD_AND_REPORT = """
import json, sys
from pathlib import Path
from evictionportal.build import build_site
report = build_site(Path(sys.argv[1]))
docs = [{"name": d.path.split("/")[-1], "flyer": d.flyer_id, "pages": d.pages, "kb": d.kilobytes,
         "seconds": d.seconds, "cached": d.cached, "print_shop": d.print_shop} for d in report.printed.documents]
print(json.dumps({"skipped": report.skipped, "pages": report.pages, "documents": docs}))
"""


@dataclass
class Run:
    """One build in its own process: its wall time, peak memory and what it reports."""

    seconds: float
    peak_mb: float
    report: dict[str, Any] = field(default_factory=dict)

    def rendered(self) -> list[dict[str, Any]]:
        return [d for d in self.report.get("documents", []) if not d["cached"]]


def copy_sources(target: Path) -> Path:
    target.mkdir(parents=True)
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        elif source.exists():
            shutil.copy2(source, target / name)
    return target


def timed_process(command: list[str]) -> tuple[float, float, str]:
    """Wall time, peak resident memory (MB, the largest process of its tree) and standard output."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(process.pid, 0)  # its own usage, MkDocs' included
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode != 0:
            raise SystemExit(f"échec de {' '.join(command)} :\n{err.read()}")
        return seconds, usage.ru_maxrss / 1024, out.read()


def build(root: Path) -> Run:
    seconds, peak, out = timed_process([sys.executable, "-c", BUILD_AND_REPORT, str(root)])
    return Run(seconds, peak, json.loads(out.strip().splitlines()[-1]))


def validate(root: Path) -> float:
    return timed_process([sys.executable, str(ROOT / "build.py"), "--root", str(root), "validate"])[0]


def organisation_to_edit(root: Path) -> Path:
    """A made-up organisation when there are some (a local office), else the first real one."""
    files = sorted((root / "directory").glob("*.yml"))
    return next((f for f in files if f.name.startswith(PREFIX)), files[0])


def edit_organisation(path: Path, number: int) -> str:
    """Add a sentence to the organisation's role, as an editor would; return its id."""
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["role"] = f"{data['role'].strip()} {EDIT_MARK.format(number=number)}"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")
    return str(data["id"])


def first_visit_and_search(site: Path) -> tuple[int, int] | None:
    """Compressed bytes of a first visit to the home page, and what the first search adds."""
    try:
        from playwright.sync_api import sync_playwright

        from evictionportal.checks.browser import launch_chromium, measure_search
        from evictionportal.checks.config import load_check_config

        config = load_check_config(ROOT / "checks.yml")
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            try:
                return measure_search(browser, site, "", "expulsion", config)
            finally:
                browser.close()
    except Exception as error:  # no Chromium on this machine: the other figures still count
        print(f"  (poids non mesuré : {error})", file=sys.stderr)
        return None


def preview_delay(root: Path, port: int) -> tuple[float, float]:
    """Seconds until the preview is up, then seconds from saving one organisation to its page showing it."""
    command = [sys.executable, str(ROOT / "build.py"), "--root", str(root), "serve", "--port", str(port)]
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        start = time.perf_counter()
        wait_for(f"http://127.0.0.1:{port}/", lambda text: True, timeout=300)
        started = time.perf_counter() - start
        time.sleep(2)  # the preview watches the sources once a second
        path = organisation_to_edit(root)
        saved = time.perf_counter()
        org_id = edit_organisation(path, 2)
        page = f"http://127.0.0.1:{port}/professionnels/annuaire/{org_id}/"
        wait_for(page, lambda text: EDIT_MARK.format(number=2) in text, timeout=120)
        return started, time.perf_counter() - saved
    finally:
        server.send_signal(signal.SIGINT)  # the preview stops its MkDocs server on Ctrl+C
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def free_port() -> int:
    """A port nobody listens on now (other people's servers may run on this machine)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(url: str, ready: Any, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                if ready(answer.read().decode("utf-8", "replace")):
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} : pas de réponse attendue en {timeout:.0f} s")


def measure(root: Path, browser: bool, preview: bool, port: int) -> dict[str, str]:
    """Every figure for one copy of the sources, in the order an editor meets them."""
    figures: dict[str, str] = {}
    organisations = len(list((root / "directory").glob("*.yml")))
    figures["organisations"] = str(organisations)
    figures["validate"] = f"{validate(root):.1f} s"
    cold = build(root)
    figures["cold build (empty PDF cache)"] = f"{cold.seconds:.1f} s"
    figures["site pages"] = str(cold.report["pages"])
    unchanged = build(root)
    figures["unchanged build"] = f"{unchanged.seconds:.1f} s"
    edit_organisation(organisation_to_edit(root), 1)
    edited = build(root)
    redone = [d["name"] for d in edited.rendered()]
    figures["one-organisation edit build"] = f"{edited.seconds:.1f} s"
    figures["  PDFs rendered again"] = f"{len(redone)} of {len(edited.report['documents'])}: " + (
        ", ".join(redone[:4]) + ("…" if len(redone) > 4 else "")
    )
    documents = [d for d in cold.report["documents"] if not d["print_shop"]]
    referentiel = [d for d in documents if d["flyer"] == "referentiel"]
    for doc in referentiel:
        figures["référentiel"] = f"{doc['pages']} p., {doc['kb']} Ko, {doc['seconds']:.1f} s"
    directory = [d for d in documents if d["flyer"] == "annuaire"]
    if directory:
        longest = max(directory, key=lambda d: d["pages"])
        pages, seconds = sum(d["pages"] for d in directory), sum(d["seconds"] for d in directory)
        figures["directory (all volumes)"] = f"{len(directory)} PDF, {pages} p., {seconds:.1f} s"
        figures["  longest volume"] = f"{longest['name']}, {longest['pages']} p., {longest['seconds']:.1f} s"
    figures["peak memory, cold build"] = f"{cold.peak_mb:.0f} MB"
    if browser:
        weighed = first_visit_and_search(root / "site")
        if weighed:
            figures["home page, first visit (compressed)"] = f"{weighed[0] / 1000:.0f} kB"
            figures["  first search adds"] = f"{weighed[1] / 1000:.0f} kB"
    if preview:
        try:
            started, delay = preview_delay(root, port)
            figures["preview start"] = f"{started:.1f} s"
            figures["preview shows a saved edit"] = f"{delay:.1f} s"
        except TimeoutError as error:
            figures["preview shows a saved edit"] = "not within the time allowed"
            print(error, file=sys.stderr)
    return figures


def main() -> None:
    cli = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    cli.add_argument("count", type=int, help="made-up organisations added to the real directory")
    cli.add_argument("--no-browser", action="store_true", help="skip the page weights (no Chromium)")
    cli.add_argument("--no-preview", action="store_true", help="skip the live preview timing")
    cli.add_argument("--port", type=int, default=0, help="local port for the preview timing (default: a free one)")
    args = cli.parse_args()
    args.port = args.port or free_port()
    with tempfile.TemporaryDirectory(prefix="scale-bench-") as folder:
        real = copy_sources(Path(folder) / "reel")
        grown = copy_sources(Path(folder) / f"plus-{args.count}")
        write_madeup_organisations(grown, args.count)
        columns = {}
        for label, root in (("real directory", real), (f"+{args.count} made-up", grown)):
            print(f"measuring: {label}…", file=sys.stderr, flush=True)
            columns[label] = measure(root, not args.no_browser, not args.no_preview, args.port)
    rows = list(dict.fromkeys(key for figures in columns.values() for key in figures))
    width = max(len(row) for row in rows)
    print(f"{'':{width}}  " + "  ".join(f"{label:>34}" for label in columns))
    for row in rows:
        print(f"{row:{width}}  " + "  ".join(f"{figures.get(row, '-'):>34}" for figures in columns.values()))
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end of the run")


if __name__ == "__main__":
    main()
