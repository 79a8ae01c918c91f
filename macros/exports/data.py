"""``handbook.json``: the profile's data as JSON."""

from __future__ import annotations

import json

from preparedness_handbook.macros.context import BuildContext
from preparedness_handbook.validators.schema import EXPORT_SCHEMA_VERSION


def handbook_json(ctx: BuildContext) -> str:
    hb = ctx.hb
    data = {
        "schema_version": EXPORT_SCHEMA_VERSION,  # schemas/handbook-export.schema.json
        "profile": ctx.profile,
        "version": ctx.version,
        "as_of": ctx.today.isoformat(),
        "organization": hb.organization.model_dump(mode="json"),
        "people": [p.model_dump(mode="json") for p in hb.people],
        "departments": [d.model_dump(mode="json") for d in hb.departments],
        "roles": [r.model_dump(mode="json") for r in hb.roles],
        "levels": [lv.model_dump(mode="json") for lv in hb.levels],
        "chains": [c.model_dump(mode="json") for c in hb.chains],
        "channels": [c.model_dump(mode="json") for c in hb.channels],
        "hotline": hb.hotline_id,
        "bridge": hb.bridge_id,
        "call_tree": hb.call_tree.model_dump(mode="json"),
        "templates": [t.model_dump(mode="json") for t in hb.templates],
        "partners": [p.model_dump(mode="json") for p in hb.partners],
        "drills": [d.model_dump(mode="json") for d in hb.drills],
        "incidents": [i.model_dump(mode="json") for i in hb.incidents],
        "postmortems": [p.model_dump(mode="json") for p in hb.postmortems],
    }
    return json.dumps(data, indent=2, ensure_ascii=False)
