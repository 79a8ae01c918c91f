"""The data reference's blocks: every file and field from the model descriptions, and every check code.

The words ("required", "optional", "private", the names of types, the column headings) are in
docs/reference.md and macros/partials/reference/; this module reads the models and the registries.
"""

from __future__ import annotations

import json
import types
import typing
from types import SimpleNamespace

from pydantic import BaseModel

from preparedness_handbook.macros.context import BuildContext, field_type, markers_in
from preparedness_handbook.macros.render.html import Html, md
from preparedness_handbook.macros.render.partials import partial
from preparedness_handbook.macros.render.sections import Section
from preparedness_handbook.macros.site.blocks import block
from preparedness_handbook.macros.site.pages import Linker
from preparedness_handbook.validators.codes import DATA_CODES
from preparedness_handbook.validators.models import FILES, POSTMORTEM_DIR, POSTMORTEM_MODEL
from preparedness_handbook.validators.models.common import format_duration
from preparedness_handbook.validators.models.vocab import KINDS, builtin
from preparedness_handbook.validators.rules import RULES


def type_of(annotation: typing.Any) -> SimpleNamespace:
    """A field's type as a tree the partial writes out in words (partials/reference/_types.html):
    ``kind`` is "ref" (``ref``: the RefTo kind, ``noun``), "list" (``of``), "map" (``key``,
    ``value``), "choice" (``options``), "union" (``options``: types) or "name" (``name``: the
    Python type's name, which the partial says in words when it knows it, else shows as it is)."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        meta = [m for m in args[1:] if type(m).__name__ == "RefTo"]
        if meta and meta[0].kind in KINDS:  # a list the organization may extend (vocabulary:)
            return SimpleNamespace(kind="choice", options=list(builtin(meta[0].kind)), extend=KINDS[meta[0].kind])
        return SimpleNamespace(kind="ref", ref=meta[0].kind, noun=meta[0].noun) if meta else type_of(args[0])
    if origin is list:
        return SimpleNamespace(kind="list", of=type_of(args[0]))
    if origin is dict:
        return SimpleNamespace(kind="map", key=type_of(args[0]), value=type_of(args[1]))
    if origin is typing.Literal:
        return SimpleNamespace(kind="choice", options=[str(a) for a in args], extend="")
    if origin in (typing.Union, types.UnionType):
        return SimpleNamespace(kind="union", options=[type_of(a) for a in args if a is not type(None)])
    return SimpleNamespace(kind="name", name=getattr(annotation, "__name__", str(annotation)))


def default_text(info: typing.Any) -> str:
    """The value an optional field takes when it is left out, as it would be written ("" when
    that is nothing: empty text, an empty list, no value, or a section of its own defaults)."""
    if info.is_required():
        return ""
    value = info.get_default(call_default_factory=True)
    if value is None or value == "" or value == [] or value == {} or isinstance(value, BaseModel):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "total_seconds"):
        return format_duration(value)
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value)


def _models_in(annotation: typing.Any) -> list[type[BaseModel]]:
    out = []
    for arg in typing.get_args(annotation) or [annotation]:
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            out.append(arg)
        elif typing.get_args(arg):
            out.extend(_models_in(arg))
    return out


def _privacy(info: typing.Any) -> SimpleNamespace | None:
    """For a field marked Private: what makes it public (``unless``: field and value as JSON, or None)."""
    marks = markers_in(field_type(info))
    if not marks:
        return None
    unless = marks[0].unless
    return SimpleNamespace(unless=SimpleNamespace(field=unless[0], value=json.dumps(unless[1])) if unless else None)


def model_tables(model: type[BaseModel], prefix: str, seen: set) -> list[list[SimpleNamespace]]:
    """The model's fields as one table (rows: path, type, required, private, meaning), then the
    tables of the models it holds that no table above has shown."""
    rows, nested = [], []
    for name, info in model.model_fields.items():
        rows.append(SimpleNamespace(path=prefix + name, type=type_of(info.annotation), required=info.is_required(),
                                    private=_privacy(info), meaning=md(info.description or ""),
                                    default=default_text(info)))
        for sub in _models_in(info.annotation):
            if sub not in seen:
                seen.add(sub)
                nested.append((prefix + name, sub))
    out = [rows]
    for path, sub in nested:
        out += model_tables(sub, path + ".", seen)
    return out


def _anchor(name: str) -> str:
    return "file-" + name.replace("/", "-").replace("<", "").replace(">", "").replace(".", "-")


@block("reference.files", level=3)
def files(ctx: BuildContext, link: Linker) -> list[Section]:
    """One section per data file: its model's description and its fields, nested models after."""
    listed = [(name, model) for name, (model, _) in FILES.items()] + [(f"{POSTMORTEM_DIR}/<id>.yaml", POSTMORTEM_MODEL)]
    return [
        Section(name, partial(ctx, "reference/file.html", doc=(model.__doc__ or "").strip(),
                              tables=model_tables(model, "", {model})), _anchor(name))
        for name, model in listed
    ]


@block("reference.codes")
def codes(ctx: BuildContext, link: Linker) -> Html:
    """Every code a check reports: the data codes (errors), then the rules with their levels."""
    rows = [SimpleNamespace(code=code, level="error", text=text) for code, text in DATA_CODES.items()]
    rows += [SimpleNamespace(code=r.code, level=r.level, text=r.summary) for r in RULES]
    return partial(ctx, "reference/codes.html", codes=rows)
