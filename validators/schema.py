"""JSON Schemas of the data files, generated from the models (descriptions included)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from .models import FILES, POSTMORTEM_MODEL

BASE_URL = "https://preparedness-handbook.example/schemas/"
# The version of exports/handbook.json's shape: raised when a field is renamed or removed, or a
# value may take a new shape, so a tool reading the export can tell (adding a field keeps it).
# 2: a playbook or workaround action may be an object ({do, partners, …}), not only text.
# 3: deadlines may be words ("5 business days", "as soon as practicable"); the call tree and many
#    level and role fields may be null or missing; extensible lists (audiences, categories …).
EXPORT_SCHEMA_VERSION = 3
EXPORT_SCHEMA = "handbook-export.schema.json"


@lru_cache(maxsize=1)
def export_model() -> type:
    """The shape of exports/handbook.json: the data files' own models, one key per list."""
    from datetime import date
    from typing import Literal

    from pydantic import ConfigDict, Field, create_model

    def field(file: str, name: str) -> object:
        model = FILES[file][0]
        info = model.model_fields[name]
        return (info.annotation, Field(description=info.description))

    return create_model(
        "HandbookExport",
        __config__=ConfigDict(extra="forbid"),
        schema_version=(Literal[EXPORT_SCHEMA_VERSION], Field(description="Version of this file's shape.")),
        profile=(Literal["internal", "public"], Field(description="public: every private value left out.")),
        version=(str, Field(description="Version of the data (git commit) the file was built from.")),
        as_of=(date, Field(description="The day dates were checked against.")),
        organization=field("organization.yaml", "organization"),
        people=field("people.yaml", "people"),
        departments=field("departments.yaml", "departments"),
        roles=field("roles.yaml", "roles"),
        levels=field("severity.yaml", "levels"),
        chains=field("escalation.yaml", "chains"),
        channels=field("communications.yaml", "channels"),
        hotline=(str, Field(description="Channel id of the hotline.")),
        bridge=(str, Field(description="Channel id of the incident bridge.")),
        call_tree=field("communications.yaml", "call_tree"),
        without_call_tree=field("communications.yaml", "without_call_tree"),
        templates=field("communications.yaml", "templates"),
        enquiries=field("communications.yaml", "enquiries"),
        partners=field("partners.yaml", "partners"),
        notifications=field("partners.yaml", "notifications"),
        drills=field("drills.yaml", "drills"),
        incidents=field("incidents.yaml", "incidents"),
        forms=field("forms.yaml", "forms"),
        postmortems=(list[POSTMORTEM_MODEL], Field(description="Every postmortem.")),  # type: ignore[valid-type]
    )


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
    export = export_model().model_json_schema(mode="serialization")
    export["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    export["$id"] = f"{BASE_URL}{EXPORT_SCHEMA}"
    export["title"] = "handbook.json"
    export["description"] = "The export `handbook build` writes to exports/handbook.json."
    out[EXPORT_SCHEMA] = export
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
