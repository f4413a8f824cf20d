"""JSON Schema export of the source model, for completion in YAML editors.

Editors (VS Code with the YAML extension, for example) read these files
through the `# yaml-language-server: $schema=` line or their settings.
"""

from __future__ import annotations

import json
from pathlib import Path

from .schema import SOURCE_KINDS


def write_json_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, (pattern, model) in SOURCE_KINDS.items():
        schema = model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["title"] = f"{model.__name__} ({pattern})"
        path = folder / f"{kind}.schema.json"
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written
