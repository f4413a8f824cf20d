"""User-facing errors: what went wrong, where, and what was expected.

Library code raises these; `cli.py` turns them into messages and exit codes.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


def did_you_mean(value: str, known: Iterable[str], otherwise: str = "") -> str:
    """« ; vouliez-vous dire « x » ? » for the closest known value, else `otherwise`: the one way messages guess."""
    guess = difflib.get_close_matches(value, list(known), n=1)
    return f" ; vouliez-vous dire « {guess[0]} » ?" if guess else otherwise


@dataclass(frozen=True, order=True)
class SourceProblem:
    """One problem in one source file, located as precisely as we can."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


class PortalError(Exception):
    """An error the person running the build can fix; never a traceback."""


class SourceErrors(PortalError):
    """Every problem found in the sources, reported together."""

    def __init__(self, problems: list[SourceProblem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__(self.summary())

    def summary(self) -> str:
        count = len(self.problems)
        noun = "problème" if count == 1 else "problèmes"
        lines = [str(p) for p in self.problems]
        lines.append(f"{count} {noun} dans les sources : rien n'a été publié, le site précédent est intact.")
        return "\n".join(lines)


class BuildFailed(PortalError):
    """A step after loading failed (site engine, PDF); the previous output stays."""
