"""What axe does not check: one h1 per page, no skipped heading level, the page in French.

A screen reader user moves through a page by its headings: a missing h1 or a
jump from h2 to h4 makes the outline lie. `lang="fr"` makes the text read with
French pronunciation (RGAA 8.3).
"""

from __future__ import annotations

from .findings import Finding
from .parse import ParsedPage


def check_headings(page: ParsedPage) -> list[Finding]:
    findings = []
    h1s = [element for level, element in page.headings if level == 1]
    if len(h1s) != 1:
        shown = ", ".join(str(e) for e in h1s) or "aucun"
        findings.append(Finding(page.path, "", "titres", f"la page doit avoir exactement un h1 ; trouvé : {shown}"))
    previous = 0
    for level, element in page.headings:
        if level > previous + 1:
            after = f"un h{previous}" if previous else "le début de la page"
            findings.append(
                Finding(page.path, str(element), "titres", f"niveau de titre sauté : h{level} après {after}")
            )
        previous = level
    return findings


def check_language(page: ParsedPage) -> list[Finding]:
    if page.lang == "fr" or (page.lang or "").startswith("fr-"):
        return []
    return [Finding(page.path, "<html>", "langue", f'lang="fr" attendu, trouvé : {page.lang!r}')]
