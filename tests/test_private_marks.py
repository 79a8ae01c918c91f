"""Privacy is declared where a field is: ``Annotated[..., Private(reason)]``.

The public profile's redaction (macros/context.py) finds the marks by walking the models, so a
field becomes private by writing the mark on it, with no edit to the redaction. These tests add
marked fields to models on the fly and watch them disappear from the public profile; check the
marks' ``unless`` conditions and the JSON Schemas; and compare the redacted sample with the
original, value by value: only what a mark hides differs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
from typing import Annotated, Any

import pytest
from pydantic import BaseModel, Field, create_model

from preparedness_handbook.macros.context import make_context, redact
from preparedness_handbook.macros.exports import calendar, data
from preparedness_handbook.macros.site.blocks import render_page
from preparedness_handbook.macros.site.pages import STATIC_PAGES, Linker, doc_path
from preparedness_handbook.validators.engine import validate
from preparedness_handbook.validators.handbook import Handbook
from preparedness_handbook.validators.models import all_models
from preparedness_handbook.validators.models.common import Line, Model, Private
from preparedness_handbook.validators.models.communications import Channel
from preparedness_handbook.validators.models.partners import Partner
from preparedness_handbook.validators.models.people import Contact, Person
from preparedness_handbook.validators.schema import schemas
from tests.conftest import REPO, TODAY
from tests.test_privacy import field_marks, leaks, secrets

BUILT = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)


@functools.cache
def sample() -> Handbook:
    result = validate(REPO / "data", dt.date.fromisoformat(TODAY))
    assert result.handbook is not None and not result.errors
    return result.handbook


def models() -> list[type[BaseModel]]:
    """Every model a data file is made of."""
    return all_models()


def _types(annotation: Any) -> list[Any]:
    import typing

    args = typing.get_args(annotation)
    return [annotation] + [t for a in args for t in _types(a)] if args else [annotation]


def marked_fields() -> dict[str, list[Private]]:
    return {f"{m.__name__}.{name}": marks for m in models() for name, marks in field_marks(m).items()}


def public_outputs(ctx) -> dict[str, str]:
    """Every page of the site, as the public profile renders it, and the text exports."""
    out = {}
    for key in STATIC_PAGES:
        out[key] = render_page(ctx, key, Linker("site", STATIC_PAGES[key], True))
    items = ([("department", d.id) for d in ctx.hb.departments] + [("drill", d.id) for d in ctx.hb.drills]
             + [("postmortem", p.id) for p in ctx.hb.postmortems])
    for kind, ident in items:
        key = f"{kind}:{ident}"
        out[key] = render_page(ctx, key, Linker("site", doc_path(key), True))
    out["handbook.json"] = data.handbook_json(ctx)
    out["drills.ics"] = calendar.drills_ics(ctx)
    return out


# --- the marks -------------------------------------------------------------------------------

def test_the_private_fields_are_marked_where_they_are_declared() -> None:
    """The marks the sample needs are found by walking the models (a floor, not the definition:
    a new mark anywhere is picked up by redaction and the privacy test alike)."""
    found = marked_fields()
    assert {"Contact.value", "Channel.number", "Channel.pin", "PartnerContact.phone", "PartnerContact.email",
            "Contract.number"} <= set(found)
    assert all(mark.reason for marks in found.values() for mark in marks)


def test_unless_names_a_field_of_the_model() -> None:
    for model in models():
        for name, marks in field_marks(model).items():
            for mark in marks:
                if mark.unless is not None:
                    attr = mark.unless[0]
                    assert attr in model.model_fields or hasattr(model, attr), f"{model.__name__}.{name}: {mark!r}"


def test_json_schema_says_which_fields_are_private() -> None:
    generated = schemas()
    defs = {name: d for schema in generated.values() for name, d in schema.get("$defs", {}).items()}
    for where, marks in marked_fields().items():
        model, name = where.split(".")
        prop = defs[model]["properties"][name]
        assert prop["x-private"] is True, where
        assert prop["x-private-reason"] == marks[0].reason
        if marks[0].unless:
            assert prop["x-public-when"] == {marks[0].unless[0]: marks[0].unless[1]}
    unmarked = defs["Person"]["properties"]["name"]
    assert "x-private" not in unmarked


def test_a_contact_is_private_unless_it_says_private_false() -> None:
    base = {"kind": "work-email", "value": "ana@example.com"}
    assert Private("x", unless=("private", False)).applies(Contact(**base))
    assert Private("x", unless=("private", False)).applies(Contact(**base, private=True))
    assert not Private("x", unless=("private", False)).applies(Contact(**base, private=False))
    hb = sample()
    person = hb.people[0]
    shown = Contact(kind="work-email", value="shown@example.com", private=False)
    hidden = Contact(kind="work-email", value="hidden@example.com")
    changed = dataclasses.replace(hb, people=[person.model_copy(update={"contacts": [hidden, shown]}), *hb.people[1:]])
    public = redact(changed)
    assert public.people[0].contacts == [shown]


# --- redaction follows the marks ---------------------------------------------------------------

def _strip(internal: Any, public: Any, where: str = "") -> None:
    """``public`` is ``internal`` with exactly the values its marks hide taken out."""
    if isinstance(internal, BaseModel):
        assert type(public) is type(internal), where
        marks = field_marks(type(internal))
        for name, info in type(internal).model_fields.items():
            a, b, at = getattr(internal, name), getattr(public, name), f"{where}.{name}"
            hide = [m for m in marks.get(name, []) if m.applies(internal)]
            if hide:
                assert b == info.get_default(call_default_factory=True), at
            else:
                _strip(a, b, at)
    elif isinstance(internal, list):
        kept = [v for v in internal if not _dropped(v)]
        assert len(public) == len(kept), where
        for i, (a, b) in enumerate(zip(kept, public)):
            _strip(a, b, f"{where}[{i}]")
    elif isinstance(internal, dict):
        assert internal.keys() == public.keys(), where
        for k in internal:
            _strip(internal[k], public[k], f"{where}[{k}]")
    else:
        assert internal == public, where


def _dropped(value: Any) -> bool:
    """An object whose required value is hidden leaves its list."""
    if not isinstance(value, BaseModel):
        return False
    marks = field_marks(type(value))
    return any(info.is_required() and any(m.applies(value) for m in marks.get(name, []))
               for name, info in type(value).model_fields.items())


def test_redaction_takes_out_exactly_the_marked_values() -> None:
    hb = sample()
    public = redact(hb)
    for f in dataclasses.fields(hb):
        if f.repr:
            _strip(getattr(hb, f.name), getattr(public, f.name), f.name)
    assert all(not p.contacts for p in public.people)  # no contact in the sample says private: false
    assert public.roles is hb.roles and public.drills is hb.drills  # nothing marked: not copied
    assert all(a is b for a, b in zip(public.levels, hb.levels))


def test_public_export_holds_no_marked_value() -> None:
    hb = sample()
    public = make_context(hb, "public", built=BUILT, version="test")
    internal = make_context(hb, "internal", built=BUILT, version="test")
    values = secrets(hb)
    assert not leaks([("handbook.json", data.handbook_json(public))], values)
    assert leaks([("handbook.json", data.handbook_json(internal))], values)  # the control


def test_the_internal_profile_is_not_redacted() -> None:
    hb = sample()
    assert make_context(hb, "internal", built=BUILT, version="test").hb is hb


# --- a new marked field needs no edit to the redaction ------------------------------------------

BadgePin = Annotated[Line, Private("door badge PIN")]


class Locker(Model):
    """A test-only model: a required private value takes its object out of its list."""

    room: Line = Field(description="Where it is.")
    code: Annotated[Line, Private("locker code")] = Field(description="The code.")


def _with_new_fields(hb: Handbook) -> Handbook:
    badged = create_model(
        "BadgedPerson",
        __base__=Person,
        badge_pin=(BadgePin, Field("", description="Door badge PIN.")),
        lockers=(list[Locker], Field(default_factory=list, description="Lockers.")),
        spare_key=(Annotated[Line | None, Private("where the spare key is", unless=("share_key", True))],
                   Field(None, description="Where the spare key is.")),
        share_key=(bool, Field(False, description="The spare key's place may be shown.")),
    )
    people = []
    for i, p in enumerate(hb.people):
        fields = {name: getattr(p, name) for name in Person.model_fields}
        people.append(badged(
            **fields,
            badge_pin=f"BADGE-{i:04d}",
            lockers=[Locker(room=f"Room {i}", code=f"LOCK-{i:04d}")],
            spare_key=f"KEY-{i:04d}",
            share_key=i == 0,
        ))
    channel_type = create_model(
        "ChannelWithCode", __base__=Channel,
        door_code=(Annotated[Line, Private("door code")], Field("", description="Door code.")),
    )
    channels = [channel_type(**{n: getattr(c, n) for n in Channel.model_fields}, door_code=f"DOOR-{c.id}")
                for c in hb.channels]
    partner_type = create_model(
        "PartnerWithPortal", __base__=Partner,
        portal_password=(Annotated[Line | None, Private("portal password")], Field(None, description="Password.")),
    )
    partners = [partner_type(**{n: getattr(p, n) for n in Partner.model_fields}, portal_password=f"PW-{p.id}")
                for p in hb.partners]
    return dataclasses.replace(hb, people=people, channels=channels, partners=partners)


def test_a_new_marked_field_is_hidden_in_the_public_profile() -> None:
    hb = _with_new_fields(sample())
    internal = make_context(hb, "internal", built=BUILT, version="test")
    public = make_context(hb, "public", built=BUILT, version="test")

    people = public.hb.people
    assert all(p.badge_pin == "" and p.lockers == [] for p in people)
    assert people[0].spare_key == "KEY-0000"  # share_key: true makes it public
    assert all(p.spare_key is None for p in people[1:])
    assert all(c.door_code == "" for c in public.hb.channels)
    assert all(p.portal_password is None for p in public.hb.partners)

    private = [f"BADGE-{i:04d}" for i in range(len(people))] + [f"LOCK-{i:04d}" for i in range(len(people))]
    private += [f"KEY-{i:04d}" for i in range(1, len(people))]
    private += [f"DOOR-{c.id}" for c in hb.channels] + [f"PW-{p.id}" for p in hb.partners]
    shown = data.handbook_json(internal)
    assert all(v in shown for v in private)  # the control: the internal export holds them all
    for name, text in public_outputs(public).items():
        found = [v for v in private if v in text]
        assert not found, f"{name}: {found[:5]}"
    assert "KEY-0000" in data.handbook_json(public)

    # The privacy test's walk finds the new marks too.
    values = secrets(hb)
    assert "BADGE-0001" in values and "LOCK-0002" in values and "DOOR-bridge" in values
    assert "KEY-0000" not in values and "KEY-0001" in values


def test_the_public_profile_of_the_sample_is_unchanged_by_unused_marks() -> None:
    """Models with new marks but no values for them redact to the same outputs as the sample."""
    hb = sample()
    plain = public_outputs(make_context(hb, "public", built=BUILT, version="test"))
    extended = _with_new_fields(hb)
    blank = dataclasses.replace(
        extended,
        people=[p.model_copy(update={"badge_pin": "", "lockers": [], "spare_key": None}) for p in extended.people],
        channels=[c.model_copy(update={"door_code": ""}) for c in extended.channels],
        partners=[p.model_copy(update={"portal_password": None}) for p in extended.partners],
    )
    again = public_outputs(make_context(blank, "public", built=BUILT, version="test"))
    assert again.keys() == plain.keys()
    # handbook.json lists every field, the new ones included; everything else is the same.
    assert {k for k in plain if plain[k] != again[k]} == {"handbook.json"}
    a, b = json.loads(plain["handbook.json"]), json.loads(again["handbook.json"])
    for p in b["people"]:
        assert (p.pop("badge_pin"), p.pop("lockers"), p.pop("spare_key")) == ("", [], None)
        p.pop("share_key")
    for c in b["channels"]:
        assert c.pop("door_code") == ""
    for p in b["partners"]:
        assert p.pop("portal_password") is None
    assert a == b


# --- what the marks cannot say -----------------------------------------------------------------

def test_a_mark_that_names_a_missing_field_is_refused() -> None:
    wrong = create_model("Wrong", __base__=Model,
                         secret=(Annotated[Line, Private("x", unless=("shared", True))], Field("", description="x")))
    with pytest.raises(TypeError, match="shared"):
        redact(dataclasses.replace(sample(), call_tree=wrong(secret="s")))


def test_a_private_key_is_refused() -> None:
    keyed = create_model("Keyed", __base__=Model,
                         codes=(dict[Annotated[Line, Private("x")], Line], Field(default_factory=dict, description="x")))
    with pytest.raises(TypeError, match="key"):
        redact(dataclasses.replace(sample(), call_tree=keyed(codes={"a": "b"})))


def test_a_model_that_holds_itself_is_refused() -> None:
    class Node(Model):
        secret: Annotated[Line, Private("x")] = Field("", description="x")
        children: list[Node] = Field(default_factory=list, description="x")

    Node.model_rebuild()
    with pytest.raises(TypeError, match="holds itself"):
        redact(dataclasses.replace(sample(), call_tree=Node(secret="s")))


def test_the_data_reference_says_which_fields_are_private() -> None:
    ctx = make_context(sample(), "internal", built=BUILT, version="test")
    page = render_page(ctx, "reference", Linker("site", STATIC_PAGES["reference"], True))
    rows = {}
    for row in page.split("<tr>")[1:]:
        cells = row.split("</td>")
        if len(cells) > 2 and "<code>" in cells[0]:
            name = cells[0].split("<code>")[1].split("</code>")[0]
            rows.setdefault(name, []).append(cells[2])
    assert any("required, private unless private: false" in c for c in rows["people.contacts.value"])
    assert any("optional, private unless public: true" in c for c in rows["channels.number"])
    assert any(c.endswith("optional, private") for c in rows["channels.pin"])
    assert any(c.endswith("optional, private") for c in rows["partners.contract.number"])
    assert all("private" not in c for c in rows["people.name"])
    assert page.count(", private") == sum(len(marks) for marks in marked_fields().values())
