"""A finding: one problem on one page, named precisely enough to fix it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True, order=True)
class Finding:
    page: str  # URL path under the site root: "" is the home page, "etapes/jugement/", "404.html"
    element: str  # the element at fault (tag, CSS selector or URL), "" when it is the page as a whole
    rule: str  # which check: "lien", "ancre", "titres", "langue", "html", "axe:color-contrast", "vie-privee", …
    message: str

    def __str__(self) -> str:
        element = f" {self.element} :" if self.element else ""
        return f"/{self.page} :{element} [{self.rule}] {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
