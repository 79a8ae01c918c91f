"""The data reference: every file and field from the model descriptions, and every check code."""

from __future__ import annotations

import json
import typing

from pydantic import BaseModel

from preparedness_handbook.macros.context import BuildContext, field_type, markers_in
from preparedness_handbook.macros.render.html import Html, md, table, tag
from preparedness_handbook.macros.render.sections import Section
from preparedness_handbook.macros.site.blocks import page_view
from preparedness_handbook.macros.site.pages import Linker
from preparedness_handbook.validators.codes import DATA_CODES
from preparedness_handbook.validators.models import FILES, POSTMORTEM_DIR, POSTMORTEM_MODEL
from preparedness_handbook.validators.rules import RULES


def _type_name(annotation: typing.Any) -> str:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        meta = [m for m in args[1:] if type(m).__name__ == "RefTo"]
        return f"id of a {meta[0].noun}" if meta else _type_name(args[0])
    if origin is list:
        return f"list of {_type_name(args[0])}"
    if origin is dict:
        return f"mapping of {_type_name(args[0])} to {_type_name(args[1])}"
    if origin is typing.Literal:
        return "one of: " + ", ".join(str(a) for a in args)
    if origin in (typing.Union, __import__("types").UnionType):
        return " or ".join(_type_name(a) for a in args if a is not type(None))
    name = getattr(annotation, "__name__", str(annotation))
    return {"str": "text", "int": "whole number", "float": "number", "bool": "true or false", "date": "date (YYYY-MM-DD)",
            "timedelta": "duration (15m, 4h, 90d)", "datetime": "date and time"}.get(name, name)


def _models_in(annotation: typing.Any) -> list[type[BaseModel]]:
    out = []
    for arg in typing.get_args(annotation) or [annotation]:
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            out.append(arg)
        elif typing.get_args(arg):
            out.extend(_models_in(arg))
    return out


def _privacy(info: typing.Any) -> str:
    """The note ", private" for a field marked Private, with what makes it public, if anything."""
    marks = markers_in(field_type(info))
    if not marks:
        return ""
    unless = marks[0].unless
    return ", private" + (f" unless {unless[0]}: {json.dumps(unless[1])}" if unless else "")


def model_tables(model: type[BaseModel], prefix: str, seen: set) -> Html:
    rows, nested = [], []
    for name, info in model.model_fields.items():
        required = ("required" if info.is_required() else "optional") + _privacy(info)
        rows.append([tag("code", prefix + name), _type_name(info.annotation), required, md(info.description or "")])
        for sub in _models_in(info.annotation):
            if sub not in seen:
                seen.add(sub)
                nested.append((prefix + name, sub))
    out = table(["Field", "Type", "", "Meaning"], rows, "hb-reference")
    for path, sub in nested:
        out += model_tables(sub, path + ".", seen)
    return out


@page_view("reference")
def reference_page(ctx: BuildContext, link: Linker) -> list[Section]:
    files = [(name, model) for name, (model, _) in FILES.items()] + [(f"{POSTMORTEM_DIR}/<id>.yaml", POSTMORTEM_MODEL)]
    file_sections = [
        Section(name, tag("p", (model.__doc__ or "").strip()) + model_tables(model, "", {model}), "file-" + name.replace("/", "-").replace("<", "").replace(">", "").replace(".", "-"))
        for name, model in files
    ]
    code_rows = [[tag("code", code), "error", text] for code, text in DATA_CODES.items()]
    code_rows += [[tag("code", r.code), r.level, r.summary] for r in RULES]
    return [
        Section("Data reference", Html("<p>Every data file and field, generated from the same definitions the checks use.</p>")),
        Section("Files and fields", "", "files", file_sections),
        Section("Check codes", table(["Code", "Level", "What it means"], code_rows, "hb-codes"), "codes"),
    ]
