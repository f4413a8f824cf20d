"""Writing the repository's YAML in place, keeping its comments and layout (ruamel.yaml round trip).

Used for the directory records a return changes, the campaign's record of
sendings (directory/campagnes/ANNEE.yml) and the partners' figures
(referentiel/chiffres/ANNEE.yml). Each file is written to a temporary name,
then renamed over the old one.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..load import Sources

CAMPAIGN_FOLDER = Path("directory") / "campagnes"


def round_trip() -> YAML:
    yaml = YAML()  # round-trip mode: comments, key order, quotes and flow style are kept
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a line we did not change
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.ignore_aliases = lambda *_: True  # the same date twice is written twice, never as &id001
    return yaml


def read_yaml_in_place(path: Path) -> Any:
    return round_trip().load(path.read_text(encoding="utf-8"))


def dump_yaml(data: Any) -> str:
    buffer = io.StringIO()
    round_trip().dump(data, buffer)
    return buffer.getvalue()


def write_files(texts: dict[Path, str]) -> None:
    """Write every file to a temporary name first, then rename each: no half-written YAML is ever left."""
    temporary = {}
    for path, text in texts.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch = path.with_name(f".{path.name}.tmp")
        scratch.write_text(text, encoding="utf-8")
        temporary[path] = scratch
    for path, scratch in temporary.items():
        os.replace(scratch, path)


def flow_map(**values: Any) -> CommentedMap:
    """A mapping written on one line, like the `verified: {date: …, by: …, source: …}` of the sources."""
    mapping = CommentedMap(values)
    mapping.fa.set_flow_style()
    return mapping


def save_campaign(sources: Sources, year: int, sent: dict[str, list[str]]) -> Path:
    """Record who was sent what today; a second run the same year keeps the start date and updates the rest."""
    path = sources.root / CAMPAIGN_FOLDER / f"{year}.yml"
    if path.exists():
        data = read_yaml_in_place(path)
    else:
        data = CommentedMap(year=year, started=sources.as_of)
        data.yaml_set_start_comment(
            f"Campagne {year} de mise à jour de l'annuaire (action 6 de la charte).\n"
            "Écrit par « python build.py annuaire campagne » ; une fiche confirmée depuis « started » a répondu."
        )
    sendings = CommentedSeq()
    for org_id, files in sent.items():
        sendings.append(CommentedMap(organisation=org_id, sent=sources.as_of, files=files))
    data["sendings"] = sendings
    write_files({path: dump_yaml(data)})
    return path
