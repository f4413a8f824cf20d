"""What `python build.py check` prints and leaves in build/artefacts for a person to read."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .findings import Finding


@dataclass
class CheckReport:
    site_dir: Path
    pages: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    weights: dict[str, int] = field(default_factory=dict)  # page -> compressed bytes of a first visit
    search_bytes: int = 0  # compressed bytes the first search adds (its page and the query's index files)
    external_links: dict[str, list[str]] = field(default_factory=dict)  # url -> pages carrying it
    external_checked: bool = False  # whether external links were fetched (--external) or only listed
    html_allowlisted: int = 0  # theme errors skipped by the allowlist in checks.yml
    seconds: dict[str, float] = field(default_factory=dict)


LABELS = {
    "statique": "titres, langue, ancres, ressources",
    "liens": "liens (LinkChecker)",
    "html": "HTML (vnu)",
    "navigateur": "navigateur",
    "navigateur/axe": "  axe-core et vie privée",
    "navigateur/sans-javascript": "  sans JavaScript",
    "navigateur/poids": "  poids des premières visites",
}


def summary(report: CheckReport, budget_kb: int) -> str:
    """A short, readable account: pages, time per check, weights, external links."""
    lines = [f"{len(report.pages)} pages vérifiées dans {report.site_dir} en {report.seconds.get('total', 0):.0f} s :"]
    for key, label in LABELS.items():
        if key in report.seconds:
            lines.append(f"  {label:38} {report.seconds[key]:6.1f} s")
    lines.append(f"Poids d'une première visite (compressé, cache vide, budget {budget_kb} ko) :")
    for page, weight in report.weights.items():
        lines.append(f"  /{page:40} {weight / 1000:6.0f} ko")
    if report.search_bytes:
        lines.append(f"  {'première recherche (page et index de la requête)':41} {report.search_bytes / 1000:6.0f} ko")
    pages_with_links = len({p for where in report.external_links.values() for p in where})
    lines.append(
        f"Liens externes : {len(report.external_links)} adresses sur {pages_with_links} pages"
        + ("" if report.external_checked else " (non vérifiées ; --external pour les vérifier)")
    )
    if report.html_allowlisted:
        lines.append(f"Erreurs HTML du thème acceptées (liste dans checks.yml) : {report.html_allowlisted}")
    lines.append(f"{len(report.findings)} problème(s)." if report.findings else "Aucun problème.")
    return "\n".join(lines)


def failure(findings: list[Finding]) -> str:
    """Every finding, one a line, then the count: what the caller prints before exiting 1."""
    count = len(findings)
    noun = "problème" if count == 1 else "problèmes"
    return "\n".join([*(str(f) for f in findings), f"{count} {noun} sur le site : corrigez-les avant de publier."])


def write_reports(report: CheckReport, folder: Path) -> list[Path]:
    """checks.json (everything, for tools) and liens-externes.txt (for a person checking links by hand)."""
    folder.mkdir(parents=True, exist_ok=True)
    data = {
        "site_dir": str(report.site_dir),
        "pages": report.pages,
        "findings": [f.as_dict() for f in report.findings],
        "weights": report.weights,
        "search_bytes": report.search_bytes,
        "external_links": report.external_links,
        "html_allowlisted": report.html_allowlisted,
        "seconds": {k: round(v, 2) for k, v in report.seconds.items()},
    }
    as_json = folder / "checks.json"
    as_json.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    links = folder / "liens-externes.txt"
    listing = [f"{url}\n" + "".join(f"    /{page}\n" for page in pages) for url, pages in report.external_links.items()]
    links.write_text("".join(listing), encoding="utf-8")
    return [as_json, links]
