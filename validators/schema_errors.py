"""Turn pydantic's validation errors into findings at the YAML node, with a fix a person can act on."""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from .findings import Finding
from .loader import Loc, Source, render_loc

_TYPE_WORDS = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list (lines starting with '- ')",
    "dict_type": "a mapping (lines of 'key: value')",
    "model_type": "a mapping (lines of 'key: value')",
    "model_attributes_type": "a mapping (lines of 'key: value')",
    "date_type": "a date (YYYY-MM-DD)",
    "datetime_type": "a date and time (YYYY-MM-DDTHH:MM)",
}
_DATE_ERRORS = {"date_from_datetime_parsing", "date_parsing", "date_from_datetime_inexact", "datetime_parsing", "datetime_from_date_parsing"}


def _found(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    text = str(value)
    return f"'{text[:60]}{'…' if len(text) > 60 else ''}'"


def _unwrap(annotation: Any) -> list[Any]:
    """The concrete types an annotation may hold (Optional, Annotated and unions opened)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        out: list[Any] = []
        for arg in typing.get_args(annotation):
            if arg is not type(None):
                out.extend(_unwrap(arg))
        return out
    return [annotation]


def field_at(model: type[BaseModel], loc: Loc) -> tuple[type[BaseModel] | None, FieldInfo | None]:
    """The model that holds the last element of ``loc`` and that field's info, if any."""
    current: list[Any] = [model]
    parent: type[BaseModel] | None = None
    info: FieldInfo | None = None
    for part in loc:
        nxt: list[Any] = []
        for candidate in current:
            if isinstance(candidate, type) and issubclass(candidate, BaseModel) and isinstance(part, str):
                f = candidate.model_fields.get(part)
                if f is not None:
                    parent, info = candidate, f
                    nxt.extend(_unwrap(f.annotation))
            else:
                origin = typing.get_origin(candidate)
                args = typing.get_args(candidate)
                if origin is list and isinstance(part, int):
                    nxt.extend(_unwrap(args[0]))
                elif origin is dict:
                    nxt.extend(_unwrap(args[1]))
        if not nxt:
            return parent, info if part == loc[-1] else None
        current = nxt
    return parent, info


# The tags of the unions whose form is chosen by what is written (models/departments.Action).
UNION_TAGS = frozenset({"text-action", "step-action"})


def _data_path(data: Any, loc: tuple) -> tuple:
    """Keep only the parts of pydantic's loc that exist in the data (drops union member tags)."""
    out: list = []
    node = data
    for part in loc:
        if part in UNION_TAGS:
            continue
        if isinstance(node, dict) and part in node or isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            out.append(part)
        elif isinstance(part, str) and part not in ("function-after", "function-before") and node is not None and not isinstance(node, (str, int, float)):
            out.append(part)  # a missing key: keep it so the path names what to add
            break
    return tuple(out)


def _top_key_hint(model: type[BaseModel]) -> str:
    keys = list(model.model_fields)
    first = keys[0]
    return f"start the file with '{first}:' and put the entries under it"


def findings_from(error: ValidationError, model: type[BaseModel], source: Source) -> Iterator[Finding]:
    seen: set[tuple[str, str]] = set()
    for err in error.errors(include_url=False):
        loc = tuple(err["loc"])
        kind = err["type"]
        path = _data_path(source.data, loc)
        code, message, hint = _explain(err, kind, loc, path, model, source)
        key = (render_loc(path), code)
        if key in seen:
            continue
        seen.add(key)
        if kind == "missing":
            line, col = source.pos(path[:-1])
        elif kind == "extra_forbidden":
            line, col = source.pos(path, key=True)
        else:
            line, col = source.pos(path)
        yield Finding(source.display, line, col, code, "error", render_loc(path), message, hint)


def _explain(err: dict, kind: str, loc: tuple, path: tuple, model: type[BaseModel], source: Source) -> tuple[str, str, str]:
    value = err.get("input")
    if not path and kind in ("model_type", "dict_type", "model_attributes_type"):
        return "HB103", f"the file must be a mapping, not {_found(value)}", _top_key_hint(model)
    if kind == "extra_forbidden":
        name = str(path[-1])
        parent, _ = field_at(model, path[:-1]) if len(path) > 1 else (None, None)
        holder = _holder(model, path[:-1])
        allowed = list(holder.model_fields) if holder else []
        close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else (f"allowed here: {', '.join(allowed)}" if allowed else "remove it")
        if " " in name.strip() and not close:
            # "- Use the table: who must be told": YAML reads a sentence with ": " in it as a field.
            hint = (f"a sentence with ': ' in it reads as a field name: put the whole sentence in quotes, "
                    f"e.g. - \"{name}: …\"")
        return "HB101", f"unknown field '{name}'", hint
    if kind == "missing":
        name = str(path[-1]) if path else str(loc[-1])
        _, info = field_at(model, loc)
        desc = (info.description or "").rstrip(".") if info else ""
        under = _required_under(info)
        return "HB102", f"required field '{name}' is missing", f"add '{name}:'" + (f" — {desc}" if desc else "") + (
            f"; under it write {', '.join(repr(f + ':') for f in under)}" if under else "")
    if kind in _DATE_ERRORS:
        return "HB104", f"{_found(value)} is not a valid date", "write YYYY-MM-DD with a day that exists in that month, e.g. 2026-02-28"
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        choices = [c.strip().strip("'") for c in expected.replace(" or ", ", ").split(",") if c.strip()]
        close = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.5)
        ordered = sorted(choices, key=lambda c: difflib.SequenceMatcher(None, str(value).lower(), c.lower()).ratio(),
                         reverse=True)
        hint = (f"did you mean '{close[0]}'? " if close else "") + f"write one of: {', '.join(ordered)}"
        return "HB105", f"{_found(value)} is not one of the allowed values", hint
    if kind in ("value_error", "assertion_error"):
        text = str(err.get("ctx", {}).get("error", err["msg"]))
        message, _, hint = text.partition(": ")
        return "HB104", message, hint or "see the data reference for this field"
    if kind in _TYPE_WORDS:
        return "HB103", f"expected {_TYPE_WORDS[kind]}, found {_found(value)}", _type_hint(kind, value)
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return "HB104", f"{_found(value)} is out of range: {err['msg'].lower()}", "change the number"
    if kind in ("url_parsing", "url_scheme", "url_type"):
        return "HB104", f"{_found(value)} is not a web address", "write a full URL such as https://handbook.example.com/"
    return "HB104", f"{_found(value)} is not valid: {err['msg']}", "see the data reference for this field"


def _holder(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    if not loc:
        return model
    _, info = field_at(model, loc)
    if info is None:
        return None
    for t in _unwrap(info.annotation):
        if isinstance(t, type) and issubclass(t, BaseModel):
            return t
        for inner in typing.get_args(t):
            for u in _unwrap(inner):
                if isinstance(u, type) and issubclass(u, BaseModel):
                    return u
    return None


def _required_under(info: Any) -> list[str]:
    """The required fields of the model a missing field holds ('postmortem:' → required), if any."""
    if info is None:
        return []
    for t in _unwrap(info.annotation):
        if isinstance(t, type) and issubclass(t, BaseModel):
            return [n for n, f in t.model_fields.items() if f.is_required()]
    return []


def _type_hint(kind: str, value: Any) -> str:
    if kind in ("list_type",) and isinstance(value, str):
        return f"write it as a list: '- {value}' on its own line, or [{value}]"
    if kind in ("string_type",) and isinstance(value, bool):
        return "put it in quotes, e.g. \"no\", if you mean the text"
    if kind in ("string_type",) and isinstance(value, (int, float)):
        return f"put it in quotes: \"{value}\""
    if kind in ("string_type",) and isinstance(value, dict) and len(value) == 1:
        # `text: Call the bank: ask for the fraud desk` reads as a mapping: the ': ' in the sentence.
        key, inner = next(iter(value.items()))
        if isinstance(key, str) and isinstance(inner, (str, int, float)) and not isinstance(inner, bool):
            return (f"a sentence with ': ' in it reads as a key and a value: put the whole sentence in quotes, "
                    f"e.g. \"{key}: {inner}\"")
    if kind in ("model_type", "dict_type"):
        return "indent the fields under this key, each as 'key: value'"
    if kind.startswith("bool"):
        return "write true or false"
    return "see the data reference for this field"
