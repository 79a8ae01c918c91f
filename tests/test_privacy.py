"""The public profile holds no value marked ``Private`` anywhere: no personal contact value, PIN,
contract or policy number.

What is private is read from the models, not listed here: every field whose annotation carries
a ``Private`` mark (validators/models/common.py) is walked in the sample data, and each value
the mark hides from the public (its ``unless`` condition does not hold) must appear in no file
of the public build — pages, search index, sitemap, PDFs (text, links and metadata), the offline
zip and the exports. The walk here is written apart from the redaction in macros/context.py, so
a mistake in one is not repeated in the other.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import typing
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import phonenumbers
import pytest
from pydantic import BaseModel
from pypdf import PdfReader

from preparedness_handbook.validators.engine import validate
from preparedness_handbook.validators.handbook import Handbook
from preparedness_handbook.validators.models.common import Private
from tests.conftest import REPO, TODAY, pdf_text

DATA = REPO / "data"


# --- the marks ---------------------------------------------------------------------------------

def marks_in(annotation: Any) -> list[Private]:
    """The Private marks written anywhere in a field's annotation, models it holds left out."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return []
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is typing.Annotated:
        return [m for m in args[1:] if isinstance(m, Private)] + marks_in(args[0])
    return [m for arg in args for m in marks_in(arg)]


def field_marks(model: type[BaseModel]) -> dict[str, list[Private]]:
    """field name → the Private marks on it (the field's own metadata included)."""
    out = {}
    for name, info in model.model_fields.items():
        marks = [m for m in info.metadata if isinstance(m, Private)] + marks_in(info.annotation)
        if marks:
            out[name] = marks
    return out


def leaves(value: Any) -> Iterator[str]:
    """Every scalar under a value, as text (a private model or list is private throughout)."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from leaves(getattr(value, name))
    elif isinstance(value, (list, tuple, set, frozenset)):
        for v in value:
            yield from leaves(v)
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from leaves(k)
            yield from leaves(v)
    elif value is not None and value != "" and not isinstance(value, bool):
        yield str(value)


def marked_values(value: Any, where: str = "") -> Iterator[tuple[str, Private, bool, str]]:
    """(value, mark, hidden from the public, where) for every marked value inside ``value``."""
    if isinstance(value, BaseModel):
        marks = field_marks(type(value))
        for name in type(value).model_fields:
            field_value, at = getattr(value, name), f"{where}.{name}"
            if name in marks:
                for mark in marks[name]:
                    hidden = mark.applies(value)
                    for leaf in leaves(field_value):
                        yield leaf, mark, hidden, at
            else:
                yield from marked_values(field_value, at)
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            yield from marked_values(v, f"{where}[{i}]")
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from marked_values(v, f"{where}[{k}]")


@functools.cache
def sample() -> Handbook:
    result = validate(DATA, dt.date.fromisoformat(TODAY))
    assert result.handbook is not None and not result.errors
    return result.handbook


def handbook_values(hb: Handbook) -> Iterator[tuple[str, Private, bool, str]]:
    for f in hb.__dataclass_fields__.values():
        if f.repr:
            yield from marked_values(getattr(hb, f.name), f.name)


# --- the forms a value may be written in -------------------------------------------------------

def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def forms(value: str, region: str) -> set[str]:
    """The value, and each phone number in it as a person or a tel: link may write it; the bare
    digits of a number or a PIN, matched in text whose digit groups are joined."""
    out = {value}
    for match in phonenumbers.PhoneNumberMatcher(value, region):
        number = match.number
        out.add(match.raw_string)
        for fmt in (phonenumbers.PhoneNumberFormat.E164, phonenumbers.PhoneNumberFormat.INTERNATIONAL,
                    phonenumbers.PhoneNumberFormat.NATIONAL, phonenumbers.PhoneNumberFormat.RFC3966):
            out.add(phonenumbers.format_number(number, fmt))
        out.add(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL).replace("-", " "))
        out.add(str(number.national_number))
    if re.fullmatch(r"[\d\s#*.\-]+", value) and len(_digits(value)) >= 4:
        out.add(_digits(value))  # a PIN or access code, however it is spaced
    return out


def secrets(hb: Handbook | None = None) -> dict[str, str]:
    """Every form of every value that must not appear publicly → where it comes from."""
    hb = hb or sample()
    region = hb.organization.phone_region
    out: dict[str, str] = {}
    shown: set[str] = set()
    for value, mark, hidden, where in handbook_values(hb):
        if hidden:
            for form in forms(value, region):
                out.setdefault(form, f"{where} ({mark.reason})")
        else:
            shown |= forms(value, region)
    # A value marked but public here (a customer hotline) may be shown, whatever else holds it.
    for form in shown:
        out.pop(form, None)
    return out


# --- the files of the public build -------------------------------------------------------------

def _pdf_texts(name: str, blob: bytes) -> Iterator[tuple[str, str]]:
    reader = PdfReader(io.BytesIO(blob))
    yield name, pdf_text(blob)
    links = []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is not None and "/URI" in action:
                links.append(str(action["/URI"]))
    yield f"{name} (links)", "\n".join(links)
    yield f"{name} (metadata)", "\n".join(str(v) for v in (reader.metadata or {}).values())


def texts(site: Path) -> Iterator[tuple[str, str]]:
    """(name, text) for every file a visitor could fetch, PDFs and zip members included."""
    def decode(name: str, blob: bytes) -> Iterator[tuple[str, str]]:
        if name.endswith(".pdf"):
            yield from _pdf_texts(name, blob)
        elif name.endswith(".zip"):
            with zipfile.ZipFile(io.BytesIO(blob)) as zf:
                for member in zf.namelist():
                    yield from decode(f"{name}!{member}", zf.read(member))
        elif name.endswith(".gz"):
            import gzip

            yield name, gzip.decompress(blob).decode("utf-8", "replace")
        elif not name.endswith((".png", ".jpg", ".ico", ".woff", ".woff2")):
            yield name, blob.decode("utf-8", "replace")

    for path in sorted(site.rglob("*")):
        if path.is_file():
            yield from decode(str(path.relative_to(site)), path.read_bytes())


def _digits_joined(text: str) -> str:
    return re.sub(r"(?<=\d)[\s\-().\u00a0]+(?=\d)", "", text)


def leaks(files: list[tuple[str, str]], values: dict[str, str]) -> list[str]:
    hits = []
    for name, text in files:
        joined = _digits_joined(text)
        for value, origin in values.items():
            haystack = joined if value.isdigit() else text
            if value in haystack:
                hits.append(f"{name}: {value!r} ({origin})")
    return hits


# --- tests -------------------------------------------------------------------------------------

def test_secrets_cover_the_sample_data() -> None:
    """The marks reach every kind of private value the sample holds."""
    found = secrets()
    reasons = {origin.rsplit("(", 1)[1].rstrip(")") for origin in found.values()}
    assert {"personal contact", "conference PIN or access code", "contract or policy number",
            "partner contact", "channel number"} <= reasons
    people = {origin.split(" ")[0] for origin in found.values() if origin.startswith("people[")}
    assert len(people) > 100  # contact values of more than 100 contacts
    assert "740 291 6#" in found  # the bridge PIN


def test_public_lines_are_not_secrets() -> None:
    """A channel marked public (the customer hotline) is not a secret; its number may be shown."""
    hb = sample()
    public = [c for c in hb.channels if c.public and c.number]
    assert public
    found = secrets()
    for c in public:
        assert c.number not in found


def test_public_profile_leaks_no_marked_value(public_site: Path) -> None:
    values = secrets()
    files = list(texts(public_site))
    names = [n for n, _ in files]
    assert any(n.endswith("search_index.json") for n in names)
    assert any(n.endswith("sitemap.xml") for n in names)
    assert any(n.startswith("exports/") for n in names)
    assert "exports/handbook.json" in names
    assert any(n.endswith(".pdf (links)") for n in names)
    assert any("!" in n for n in names)  # the offline zip's members
    hits = leaks(files, values)
    assert not hits, "\n".join(hits[:30])


def test_the_check_finds_what_the_internal_edition_shows() -> None:
    """The same check on the internal edition's pages and handbook.json finds every kind of
    marked value, so the forms it looks for are the forms the views write."""
    from preparedness_handbook.macros.context import make_context
    from preparedness_handbook.macros.exports import data as exports_data
    from preparedness_handbook.macros.site.blocks import render_page
    from preparedness_handbook.macros.site.pages import STATIC_PAGES, Linker

    ctx = make_context(sample(), "internal", version="test")
    files = [(key, render_page(ctx, key, Linker("site", STATIC_PAGES[key], True)))
             for key in ("communications", "partners", "home")]
    files.append(("exports/handbook.json", exports_data.handbook_json(ctx)))
    reasons = {hit.rsplit("(", 1)[1].rstrip(")") for hit in leaks(files, secrets())}
    assert {"personal contact", "conference PIN or access code", "contract or policy number",
            "partner contact", "channel number"} <= reasons


def test_public_profile_has_no_contact_cards(public_site: Path) -> None:
    assert not (public_site / "exports" / "contacts").exists()


@pytest.mark.parametrize("rel", ["index.html", "communications/index.html"])
def test_public_pages_say_where_numbers_are(public_site: Path, rel: str) -> None:
    text = (public_site / rel).read_text(encoding="utf-8")
    assert "in the internal edition" in text
