"""`python build.py courriers …`: letters for a register, a made-up register, or the purge of old batches.

What it prints names no person: counts, file names and row numbers only.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from ..errors import PortalError

USAGE = (
    "attendu : « courriers REGISTRE --sortie DOSSIER », « courriers --exemple N FICHIER.csv » "
    "ou « courriers purge --avant AAAA-MM-JJ --sortie DOSSIER »"
)


def add_arguments(sub: argparse.ArgumentParser) -> None:
    from ..cli import build_date

    sub.add_argument(
        "registre",
        nargs="?",
        metavar="REGISTRE",
        help="registre des commandements de payer (.csv, .xlsx, .ods), ou « purge »",
    )
    sub.add_argument(
        "--sortie",
        type=Path,
        default=None,
        metavar="DOSSIER",
        help="dossier des courriers (hors de site/ : données personnelles)",
    )
    sub.add_argument(
        "--exemple",
        type=int,
        default=None,
        metavar="N",
        help="écrit un registre inventé de N lignes dans REGISTRE (.csv)",
    )
    sub.add_argument(
        "--avant",
        type=build_date,
        default=None,
        metavar="AAAA-MM-JJ",
        help="avec « purge » : supprime les lots datés d'avant ce jour",
    )
    sub.add_argument(
        "--processus", type=int, default=None, metavar="N", help="processus de mise en page (par défaut : un par cœur)"
    )


def run(args: argparse.Namespace) -> None:
    if args.exemple is not None:
        return _example(args)
    if args.registre == "purge":
        return _purge(args)
    if not args.registre or args.sortie is None:
        raise PortalError(f"courriers : il manque le registre ou --sortie ; {USAGE}")
    from . import make_letters

    with _progress() as advance:
        report = make_letters(
            args.root, Path(args.registre), args.sortie, args.date, workers=args.processus, progress=advance
        )
    for line in report.lines():
        print(line)
    for warning in report.warnings:
        print(warning, file=sys.stderr)


def _example(args: argparse.Namespace) -> None:
    from ..load import load_sources
    from .example import write_example

    if not args.registre:
        raise PortalError(f"courriers --exemple : il manque le nom du fichier ; {USAGE}")
    day = args.date or dt.date.today()
    path = Path(args.registre)
    write_example(path, args.exemple, load_sources(args.root, as_of=day).territory, day)
    print(f"Registre inventé de {args.exemple} lignes écrit dans {path}")


def _purge(args: argparse.Namespace) -> None:
    from .purge import purge_batches

    if args.avant is None or args.sortie is None:
        raise PortalError(f"courriers purge : il manque --avant ou --sortie ; {USAGE}")
    removed = purge_batches(args.sortie, args.avant)
    print(f"{len(removed)} lot(s) supprimé(s) dans {args.sortie} (datés d'avant le {args.avant.isoformat()})")
    for name in removed:
        print(f"  supprimé : {name}")


@contextlib.contextmanager
def _progress() -> Iterator[Callable[[int, int], None]]:
    """A progress bar on a terminal; plain lines (every tenth) in a log or a pipe."""
    if sys.stderr.isatty():
        from rich.progress import Progress

        with Progress(transient=True) as bar:
            task = bar.add_task("Courriers", total=None)

            def advance(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            yield advance
        return
    shown = {"step": 0}

    def advance_plain(done: int, total: int) -> None:
        step = done * 10 // max(total, 1)
        if step > shown["step"] or done == total:
            shown["step"] = step
            print(f"courriers : {done}/{total}", file=sys.stderr)

    yield advance_plain
