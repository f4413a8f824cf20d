"""The settings of `python build.py check`, read from `checks.yml` (section `checks:`).

Budgets and allowlists live in a file, not in code, so that raising a budget or
accepting a theme message is a visible, reviewed change with its reason beside it.
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

from pydantic import BaseModel, ConfigDict, Field

from ..errors import PortalError
from ..load import read_yaml, validate_file


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PageWeight(_Strict):
    budget_kb: int = Field(
        gt=0, description="Most kilobytes (1 kB = 1000 bytes, compressed) a first visit to each page may transfer."
    )
    pages: list[str] = Field(
        min_length=1,
        description="Pages whose first visit is weighed, as paths under the site root: '' is the home page, "
        "'etapes/commandement-de-payer/' a stage page.",
    )
    state_budget_kb: int = Field(
        150,
        gt=0,
        description="The same budget for the State edition (the DSFR's stylesheet and script, Marianne regular "
        "and bold): the edition is read from the built site (assets/dsfr/).",
    )
    search_budget_kb: int = Field(
        60,
        gt=0,
        description="Most kilobytes (compressed) the first search may add to that visit: the search page, its "
        "script and the index files of the query.",
    )


class AllowedHtmlMessage(_Strict):
    message: str = Field(description="The Nu HTML Checker's message, exactly as it prints it.")
    reason: str = Field(description="Why it cannot be fixed in our templates (usually: the theme's own markup).")


class CheckConfig(_Strict):
    viewport_width: int = Field(390, gt=0, description="Width of the browser window in CSS pixels: a phone's.")
    axe_tags: list[str] = Field(
        default=["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"],
        description="axe-core rule tags to run: WCAG 2.1 levels A and AA, what RGAA 4 builds on.",
    )
    page_weight: PageWeight
    sample_pages: list[str] = Field(
        default=[""],
        description="The pages `check --echantillon` sends to the browser, the HTML validator and the link "
        "checker (the second edition's check in make test): one page of each kind.",
    )
    html_allowlist: list[AllowedHtmlMessage] = Field(
        default=[], description="HTML validity errors that come from the theme and are accepted, each with its reason."
    )
    drafting_phrases: list[str] = Field(
        default=[],
        description="Drafting notes that must never be read by the public: any of them in a page or in a PDF's text "
        "is a finding (case, spaces and apostrophes do not matter).",
    )


class ChecksFile(_Strict):
    model_config = ConfigDict(extra="allow")  # the file may hold other tools' sections later
    checks: CheckConfig


class ConfigError(PortalError):
    """checks.yml is missing or wrong."""


def load_check_config(path: Path) -> CheckConfig:
    """Read and validate the `checks:` section; every problem is reported with its line."""
    if not path.is_file():
        raise ConfigError(f"{path} : fichier introuvable ; indiquez les réglages des vérifications avec --config")
    data, lines, problems = read_yaml(path, path.parent)
    if data is not None and not problems:
        model, problems = validate_file(ChecksFile, data, path.name, lines)
        if model is not None:
            return cast(ChecksFile, model).checks
    raise ConfigError("\n".join(str(p) for p in problems))
