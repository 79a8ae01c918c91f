"""JSON Schemas of the data files, generated from the models (descriptions included)."""

from __future__ import annotations

import json
from pathlib import Path

from .models import FILES, POSTMORTEM_MODEL

BASE_URL = "https://preparedness-handbook.example/schemas/"


def schemas() -> dict[str, dict]:
    out = {}
    items = [(name.removesuffix(".yaml"), model) for name, (model, _) in FILES.items()]
    items.append(("postmortem", POSTMORTEM_MODEL))
    for stem, model in items:
        schema = model.model_json_schema(mode="validation")
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"{BASE_URL}{stem}.schema.json"
        schema.setdefault("title", stem)
        out[f"{stem}.schema.json"] = schema
    return out


def write_schemas(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in schemas().items():
        path = out_dir / name
        text = json.dumps(schema, indent=2, sort_keys=False) + "\n"
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
        written.append(path)
    return written
