"""``handbook.json``: the profile's data as JSON."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from preparedness_handbook.macros.context import BuildContext
from preparedness_handbook.validators.schema import EXPORT_SCHEMA_VERSION, export_model

# Fields of the export that are not a Handbook attribute of the same name.
_FROM = {"hotline": "hotline_id", "bridge": "bridge_id"}


def _jsonable(value: Any) -> Any:
    if isinstance(value, list):
        return [v.model_dump(mode="json") for v in value]
    return value.model_dump(mode="json") if isinstance(value, BaseModel) else value


def handbook_json(ctx: BuildContext) -> str:
    """The profile's data, one key per field of the export's model (validators/schema.py), so
    the file and its JSON Schema cannot drift apart."""
    hb = ctx.hb
    data: dict[str, Any] = {
        "schema_version": EXPORT_SCHEMA_VERSION,  # schemas/handbook-export.schema.json
        "profile": ctx.profile,
        "version": ctx.version,
        "as_of": ctx.today.isoformat(),
    }
    for name in export_model().model_fields:
        if name not in data:
            data[name] = _jsonable(getattr(hb, _FROM.get(name, name)))
    return json.dumps(data, indent=2, ensure_ascii=False)
