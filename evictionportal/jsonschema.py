"""JSON Schema export of the source model, for completion in YAML editors.

`python build.py schema` writes one schema per kind of source into `schemas/`
and maps each source folder to its schema in `.vscode/settings.json` (read by
the YAML extension of VS Code and compatible editors).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .schema import ALL_SOURCE_KINDS


def json_schemas() -> dict[str, dict[str, Any]]:
    """One JSON Schema per kind of source, keyed by file name."""
    schemas = {}
    for kind, (pattern, model) in ALL_SOURCE_KINDS.items():
        schema = model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["title"] = f"{model.__name__} ({pattern})"
        schemas[f"{kind}.schema.json"] = schema
    return schemas


def editor_settings() -> dict[str, Any]:
    return {
        "yaml.schemas": {f"./schemas/{kind}.schema.json": [pattern] for kind, (pattern, _) in ALL_SOURCE_KINDS.items()}
    }


def as_text(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def write_json_schemas(root: Path) -> list[Path]:
    folder = root / "schemas"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in json_schemas().items():
        path = folder / name
        path.write_text(as_text(schema), encoding="utf-8")
        written.append(path)
    settings = root / ".vscode" / "settings.json"
    settings.parent.mkdir(exist_ok=True)
    settings.write_text(as_text(editor_settings()), encoding="utf-8")
    return written
