"""The text types of validators/models/common.py: every text field has one, and each refuses
what it should (control and invisible characters, too much text, deep nesting, tel: links that
dial another number than they show) with a message that names the character and its place."""

from __future__ import annotations

import re
import typing

import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError

from preparedness_handbook.validators.models import all_models
from preparedness_handbook.validators.models.common import (
    MAX_ID,
    MAX_LINE,
    MAX_NESTING,
    MAX_TEXT,
    Line,
    Markdown,
    Slug,
    Text,
    TextRule,
    mismatched_tel_link,
    nesting,
    shown,
)
from preparedness_handbook.validators.schema import EXPORT_SCHEMA, schemas

# --- every field ---------------------------------------------------------------------------------


def _models() -> list[type[BaseModel]]:
    return all_models()


def _leaves(annotation: typing.Any) -> list[typing.Any]:
    """The types an annotation is built of, with an Annotated kept whole."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return [annotation]
    if origin is typing.Literal:
        return []
    args = typing.get_args(annotation)
    if args:
        return [leaf for arg in args for leaf in _leaves(arg)]
    return [annotation]


def _fields() -> list[tuple[str, typing.Any]]:
    """(model.field, annotation) of every field; pydantic keeps a plain field's Annotated
    metadata apart (``info.metadata``), so it is put back around the type here."""
    out = []
    for model in _models():
        for name, info in model.model_fields.items():
            annotation = info.annotation
            if info.metadata:
                annotation = typing.Annotated[(annotation, *info.metadata)]
            out.append((f"{model.__name__}.{name}", annotation))
    return out


def test_no_text_field_is_a_bare_str() -> None:
    bare, unmarked, text_fields = [], [], 0
    for where, annotation in _fields():
        for leaf in _leaves(annotation):
            if leaf is str:
                bare.append(where)
            elif typing.get_origin(leaf) is typing.Annotated and typing.get_args(leaf)[0] is str:
                text_fields += 1
                if not any(isinstance(m, TextRule) for m in typing.get_args(leaf)[1:]):
                    unmarked.append(where)
    assert not bare, f"use Line, Text, Markdown or an id type for: {bare}"
    assert not unmarked, f"text types without a TextRule: {unmarked}"
    assert text_fields > 100  # the walk reached every file's models, dict keys included


def test_the_schemas_bound_every_text_field() -> None:
    def walk(node: typing.Any, path: str) -> typing.Iterator[str]:
        if isinstance(node, dict):
            if node.get("type") == "string" and "enum" not in node and "format" not in node and "maxLength" not in node:
                yield path
            for key, value in node.items():
                yield from walk(value, f"{path}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                yield from walk(value, f"{path}/{i}")

    # The data files' schemas (the export's schema describes output, not what an editor may type).
    unbounded = [p for name, schema in schemas().items() if name != EXPORT_SCHEMA for p in walk(schema, name)]
    # Durations, dates and the like are bounded by their pattern; text is bounded by maxLength.
    assert all(re.search(r"(cadence|length|at|after|within|timeout|reverify|review|window|valid_for|warning|deadline|"
                         r"meeting_within|actions_due_within|acknowledge_within|update_every|every|first)", p) for p in unbounded), unbounded


# --- Line ----------------------------------------------------------------------------------------

LINE = TypeAdapter(Line)
TEXT = TypeAdapter(Text)
MARKDOWN = TypeAdapter(Markdown)
SLUG = TypeAdapter(Slug)


def refusal(adapter: TypeAdapter, value: str, context: dict | None = None) -> str:
    with pytest.raises(ValidationError) as info:
        adapter.validate_python(value, context=context)
    [error] = info.value.errors()
    assert error["type"] == "value_error"
    return str(error["ctx"]["error"])


@pytest.mark.parametrize(("ch", "name"), [
    ("\r", "U+000D CARRIAGE RETURN"), ("\n", "U+000A LINE FEED"), ("\t", "U+0009 CHARACTER TABULATION"),
    ("\x1b", "U+001B ESCAPE"), ("\x7f", "U+007F DELETE"), ("\x85", "U+0085 NEXT LINE"), ("\x9b", "U+009B"),
    ("\u2028", "U+2028 LINE SEPARATOR"), ("\x0b", "U+000B LINE TABULATION"),
])
def test_line_refuses_control_characters_by_name_and_place(ch: str, name: str) -> None:
    text = refusal(LINE, f"Maria{ch}Lopez")
    assert name in text and "at character 6" in text
    assert ch not in text  # the message never carries the character itself


@pytest.mark.parametrize(("ch", "name"), [
    ("\u202e", "RIGHT-TO-LEFT OVERRIDE"), ("\u202a", "LEFT-TO-RIGHT EMBEDDING"), ("\u2066", "LEFT-TO-RIGHT ISOLATE"),
    ("\u2069", "POP DIRECTIONAL ISOLATE"), ("\u200b", "ZERO WIDTH SPACE"), ("\u200d", "ZERO WIDTH JOINER"),
    ("\u2060", "WORD JOINER"), ("\ufeff", "ZERO WIDTH NO-BREAK SPACE"),
])
def test_line_refuses_invisible_characters_by_name_and_place(ch: str, name: str) -> None:
    text = refusal(LINE, f"Ana{ch}Ruiz")
    assert f"U+{ord(ch):04X} {name}" in text and "at character 4" in text
    assert text.endswith("retype the text without it")


def test_line_length() -> None:
    assert LINE.validate_python("x" * MAX_LINE) == "x" * MAX_LINE
    assert "201 characters long, more than the 200 allowed" in refusal(LINE, "x" * (MAX_LINE + 1))
    assert LINE.validate_python("Ærøskøbing — 東京 — O'Neil, Jr.; Ph.D.") == "Ærøskøbing — 東京 — O'Neil, Jr.; Ph.D."


def test_id_length() -> None:
    assert SLUG.validate_python("a" * MAX_ID) == "a" * MAX_ID
    text = refusal(SLUG, "a" * 301)
    assert "301 characters long, more than the 64" in text
    assert "<U+000D>" in refusal(SLUG, "bad\rid")  # shown, not written


# --- Text and Markdown ----------------------------------------------------------------------------

def test_text_keeps_line_breaks_and_tabs_only() -> None:
    assert TEXT.validate_python("one\n\ttwo") == "one\n\ttwo"
    assert "U+000D CARRIAGE RETURN" in refusal(TEXT, "one\rtwo")
    assert "U+001B ESCAPE" in refusal(TEXT, "one\x1b[2Jtwo")
    assert TEXT.validate_python("x" * MAX_TEXT)
    assert "20,001 characters long, more than the 20,000 allowed" in refusal(TEXT, "x" * (MAX_TEXT + 1))
    assert "\u202e" in TEXT.validate_python("prose may quote \u202e")  # only names and numbers refuse it


def test_markdown_nesting_counts_lists_and_quotes() -> None:
    assert nesting("Plain text.\n\nMore.") == 0
    assert nesting("- a\n  - b\n    - c") == 3
    assert nesting("- a\n    - b\n        - c\n- d") == 3
    assert nesting("> > > quoted") == 3
    assert nesting("> - a\n>     - b") == 3
    assert nesting("- > - > x") == 4
    assert nesting("1. one\n2. two\n   - sub") == 2
    assert nesting("- " * 300 + "x") == 300
    assert nesting("\n".join("  " * i + "- x" for i in range(300))) == 300
    assert nesting("\n".join("\t" * i + "- x" for i in range(30))) == 30


def test_markdown_refuses_more_than_twenty_levels() -> None:
    ok = "\n".join("  " * i + f"- level {i + 1}" for i in range(MAX_NESTING))
    assert MARKDOWN.validate_python(ok) == ok
    text = refusal(MARKDOWN, ok + "\n" + "  " * MAX_NESTING + "- one more")
    assert "21 levels deep, more than the 20 allowed" in text
    assert "300 levels deep" in refusal(MARKDOWN, "> " * 300 + "deep")


US = {"region": "US"}


@pytest.mark.parametrize("markdown", [
    "Call [+1 312 555 0142](tel:+13125550142).",
    "Call [(312) 555-0142](tel:+1-312-555-0142).",
    "Call [312 555 0142](<tel:+13125550142> \"the desk\").",
    "Call [the hotline](tel:+19005550199).",  # words, not a number: nothing to compare
    "Call [**+1 312 555 0142**](tel:+13125550142).",
    "Call [911](tel:911).",
])
def test_tel_links_that_dial_what_they_show(markdown: str) -> None:
    assert mismatched_tel_link(markdown, "US") is None
    assert MARKDOWN.validate_python(markdown, context=US) == markdown


@pytest.mark.parametrize(("markdown", "shows", "dials"), [
    ("Call [+1 555 0100](tel:+19005550199) first.", "+1 555 0100", "+1 900 555 0199"),
    ("Call [312 555 0142](tel:+19005550199).", "312 555 0142", "+1 900 555 0199"),
    ("Call [+1 312 555 0142][desk].\n\n[desk]: tel:+19005550199", "+1 312 555 0142", "+1 900 555 0199"),
    ("Call [+44 20 7946 0000](TEL:+442079460001).", "+44 20 7946 0000", "+44 20 7946 0001"),
])
def test_tel_links_that_dial_another_number(markdown: str, shows: str, dials: str) -> None:
    text = refusal(MARKDOWN, markdown, US)
    assert text == f"the link text shows {shows} but dials {dials}: make them the same number"


def test_shown_never_writes_a_control_character() -> None:
    assert shown("a\rb\x1b[31mc\u202ed") == "'a<U+000D>b<U+001B>[31mc<U+202E>d'"
    assert len(shown("x" * 500)) <= 62
