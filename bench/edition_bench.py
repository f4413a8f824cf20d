"""Editor benchmark: opening a form, a save with validation, and the delay until the live preview shows it.

Run: .venv/bin/python bench/edition_bench.py [N]   (default N = 1000)

The project's sources are copied twice into a temporary folder: as they are, and with N made-up organisations
(bench/madeup_directory.py). For each copy the editor's server runs in this process and the live preview
(`build.py serve`) beside it, as `build.py edition` runs them. Measured over HTTP, as a browser would: opening
a stage's form and an organisation's form; saving a changed summary (every check of the build, then the write);
and the seconds from pressing « Vérifier et enregistrer » to the preview's page showing the new words.
Goal (issue 19): saved and shown in ≤ 2 s with the real sources, ≤ 5 s with 1,000 organisations.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.madeup_directory import write_madeup_organisations  # noqa: E402
from bench.scale_bench import copy_sources, free_port, organisation_to_edit, wait_for  # noqa: E402
from evictionportal.editor.server import Editor, make_server, stop_group  # noqa: E402
from tests.test_editor import changed, form_fields  # noqa: E402

STAGE = "referentiel/etapes/02-commandement-de-payer.yml"


def timed(call: object, repeat: int = 3) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = call()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def fetch(url: str, fields: list[tuple[str, str]] | None = None) -> str:
    data = urllib.parse.urlencode(fields).encode() if fields is not None else None
    with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=120) as answer:
        return answer.read().decode()


def tree_cpu(pid: int) -> float:
    """Processor seconds used so far by a process and its children (the preview and its MkDocs server)."""
    total = 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                total += tree_cpu(int(child))
    except (OSError, IndexError, ValueError):
        pass
    return total


def measure(root: Path) -> dict[str, str]:
    port = free_port()
    preview = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "--root", str(root), "serve", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # stopped with its MkDocs server (stop_group)
    )
    editor = Editor(root, 0, preview_url=f"http://127.0.0.1:{port}/")
    server = make_server(editor)
    editor.warm_up()  # as `build.py edition` does before it prints its address
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{editor.port}"
    figures: dict[str, str] = {"organisations": str(len(list((root / "directory").glob("*.yml"))))}
    try:
        wait_for(f"http://127.0.0.1:{port}/", lambda text: True, timeout=600)
        time.sleep(2)  # the preview watches the sources once a second
        org = organisation_to_edit(root).relative_to(root).as_posix()
        for label, rel, field, page in (
            ("stage", STAGE, "summary", "etapes/commandement-de-payer/"),
            ("organisation", org, "role", f"professionnels/annuaire/{Path(org).stem}/"),
        ):
            seconds, text = timed(lambda rel=rel: fetch(f"{base}/fichier?chemin={urllib.parse.quote(rel)}"))
            figures[f"open the {label} form"] = f"{seconds:.2f} s"
            fields = form_fields(str(text))
            mark = f"Modifié pour le banc ({label})."
            value = dict(fields)[field].strip() + " " + mark
            start, cpu, preview_cpu = time.perf_counter(), time.process_time(), tree_cpu(preview.pid)
            answer = fetch(base + "/fichier", [*changed(fields, **{field: value}), ("op", "enregistrer")])
            saved, cpu = time.perf_counter() - start, time.process_time() - cpu
            if "Enregistré" not in answer:
                raise SystemExit(f"{rel} : l'enregistrement a été refusé")
            figures[f"save the {label} (every check, then write)"] = f"{saved:.2f} s"
            figures[f"  of which processor time in the editor ({label})"] = f"{cpu:.2f} s"
            wait_for(f"http://127.0.0.1:{port}/{page}", lambda text, mark=mark: mark in text, timeout=120)
            figures[f"saved and shown in the preview ({label})"] = f"{time.perf_counter() - start:.2f} s"
            used = tree_cpu(preview.pid) - preview_cpu
            figures[f"  of which processor time in the preview ({label})"] = f"{used:.2f} s"
            time.sleep(1.5)
    finally:
        server.shutdown()
        server.server_close()
        editor.close()
        stop_group(preview)
    return figures


def main() -> None:
    cli = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    cli.add_argument("count", nargs="?", type=int, default=1000, help="made-up organisations (default: 1000)")
    args = cli.parse_args()
    columns: dict[str, dict[str, str]] = {}
    before = f"{os.getloadavg()[0]:.1f}"  # other work on the machine stretches every wall time
    with tempfile.TemporaryDirectory(prefix="edition-bench-") as scratch:
        real = copy_sources(Path(scratch) / "real")
        columns["real sources"] = measure(real)
        grown = copy_sources(Path(scratch) / "grown")
        write_madeup_organisations(grown, args.count)
        columns[f"+{args.count} organisations"] = measure(grown)
    print(f"load average before / after: {before} / {os.getloadavg()[0]:.1f} ({os.cpu_count()} processors)")
    names = list(next(iter(columns.values())))
    width = max(len(n) for n in names)
    print(f"{'':{width}}  " + "  ".join(f"{c:>20}" for c in columns))
    for name in names:
        print(f"{name:{width}}  " + "  ".join(f"{columns[c].get(name, '-'):>20}" for c in columns))


if __name__ == "__main__":
    main()
