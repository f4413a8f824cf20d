"""The days ahead: on which day what is published changes, and whether the sources still build that day.

A rule starts or ends, its « À partir du … » box opens, a contact grows too old to be published, a yearly
figure has no amount for the new year: each is a day on which a build may fail that does not fail today.
`check_days_ahead` lists those days (from every dated block the loader finds, in any file, see
`dated.dated_boundaries`) and runs the build's own steps as of each of them (`build.build_in`: the PDFs,
the model letters, every page and the site engine), in a temporary folder, then reports every problem
with its day. Nothing is published; the print cache is shared with the build, and not pruned.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .build import BuildReport, build_in, checked_sources
from .dated import Boundary, dated_boundaries, figure_boundaries
from .errors import PortalError, SourceErrors
from .freshness import contact_changes
from .load import Sources

DEFAULT_DAYS = 400


@dataclass
class Day:
    """One day checked: what changes on it, and what stops a build that day."""

    day: dt.date
    changes: list[Boundary] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class Calendar:
    start: dt.date
    end: dt.date
    days: list[Day] = field(default_factory=list)  # the start day first, then each day something changes
    seconds: float = 0.0

    @property
    def failed(self) -> list[Day]:
        return [d for d in self.days if d.problems]


def changes_between(sources: Sources, start: dt.date, end: dt.date) -> list[Day]:
    """Every day after `start` and up to `end` on which something published changes, with what changes."""
    boundaries = [
        *dated_boundaries(sources),
        *figure_boundaries(sources, start, end),
        *(Boundary(day, file, line, what) for day, file, line, what in contact_changes(sources)),
    ]
    by_day: dict[dt.date, list[Boundary]] = {}
    for boundary in sorted(set(boundaries)):
        if start < boundary.day <= end:
            by_day.setdefault(boundary.day, []).append(boundary)
    return [Day(day, changes) for day, changes in sorted(by_day.items())]


def check_days_ahead(
    root: Path, start: dt.date, length: int = DEFAULT_DAYS, progress: Callable[[Day], None] | None = None
) -> Calendar:
    """Build as of `start` and as of each day within `length` days on which something changes."""
    begin = time.perf_counter()
    root = root.resolve()
    calendar = Calendar(start, start + dt.timedelta(days=length))
    first = Day(start)
    calendar.days.append(first)
    work = root / "build"
    work.mkdir(exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="calendrier-", dir=work))
    try:
        sources = _build_day(root, first, scratch)
        if sources is not None:
            calendar.days += changes_between(sources, start, calendar.end)
        if progress:
            progress(first)
        for day in calendar.days[1:]:
            _build_day(root, day, scratch)
            if progress:
                progress(day)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    calendar.seconds = time.perf_counter() - begin
    return calendar


def _build_day(root: Path, day: Day, scratch: Path) -> Sources | None:
    """The build's checks and outputs as of one day, into a folder of its own; its problems kept on `day`."""
    begin = time.perf_counter()
    folder = scratch / day.day.isoformat()
    sources = None
    try:
        sources, _ = checked_sources(root, day.day)
        build_in(root, sources, folder, BuildReport(folder / "site"), rehearsal=True)
    except SourceErrors as error:
        day.problems += [str(problem) for problem in error.problems]
    except PortalError as error:
        day.problems.append(str(error))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        day.seconds = time.perf_counter() - begin
    return sources
