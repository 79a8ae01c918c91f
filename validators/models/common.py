"""Field types shared by every data file: ids, text, durations, phone numbers, e-mail addresses.

Every text field has one of the text types below (a test walks the models so no field is a bare
``str``):

- ``Line``: one line (names, titles, labels, numbers, addresses), at most 200 characters, no
  control characters, and none of the invisible characters that reorder or hide text (bidi
  overrides and isolates, zero-width characters).
- ``Text``: prose that may run over several lines (notes, instructions, message bodies), at most
  20,000 characters; line breaks and tabs only, no other control characters.
- ``Markdown``: ``Text`` that is rendered as Markdown, nested at most 20 levels (lists and
  quotes), whose ``tel:`` links dial the number they show.
- ``Private(reason)``: a marker, not a type. A field written ``Annotated[Line, Private(...)]``
  holds a value that is not for the public (a personal contact, a PIN, a contract number); the
  public profile drops it. Redaction and the privacy test walk the models for these marks.
- ``Slug`` and the references: ids, at most 64 characters. Ids that would name a file of the
  build (``handbook``, ``index``, …) are refused where they would (``DepartmentId``, ``DrillId``,
  ``PostmortemId``, ``FormId``).
"""

from __future__ import annotations

import functools

import re
import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any
from urllib.parse import unquote

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    ValidationInfo,
    WithJsonSchema,
)

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

MAX_LINE = 200
"""Most characters in a single-line text field."""
MAX_ID = 64
"""Most characters in an id (it becomes a file name: 255 octets is the usual limit)."""
MAX_TEXT = 20_000
"""Most characters in a prose or Markdown field."""
MAX_NESTING = 20
"""Most levels of lists and quotes in a Markdown field (the renderer recurses per level)."""


class Model(BaseModel):
    """Base of every data model: unknown keys are errors, values are immutable once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


@dataclass(frozen=True)
class TextRule:
    """Marks a text type: which kind of text it is and how long it may be."""

    kind: str  # "line", "text", "markdown" or "id"
    max_length: int


# --- characters ------------------------------------------------------------------------------

# C0 and C1 controls and DEL; the line and paragraph separators, which some readers break on.
_CONTROLS = r"\x00-\x1f\x7f-\x9f\u2028\u2029"
_BAD_IN_LINE = re.compile(f"[{_CONTROLS}]")
_BAD_IN_TEXT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
# Bidi embeddings, overrides and isolates reorder what is shown; zero-width characters hide in a
# name or a number, so two entries that look alike differ, or a number dials what it does not show.
_INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\u200b-\u200d\u2060\ufeff]")
_CONTROL_NAMES = {
    0x00: "NULL", 0x07: "BELL", 0x08: "BACKSPACE", 0x09: "CHARACTER TABULATION", 0x0A: "LINE FEED",
    0x0B: "LINE TABULATION", 0x0C: "FORM FEED", 0x0D: "CARRIAGE RETURN", 0x1B: "ESCAPE", 0x7F: "DELETE",
    0x85: "NEXT LINE",
}
_LINE_BREAKS = "\n\r\x0b\x0c\x85\u2028\u2029"


def char_name(ch: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``: a character by its code point and Unicode name."""
    name = _CONTROL_NAMES.get(ord(ch)) or unicodedata.name(ch, "") or "CONTROL CHARACTER"
    return f"U+{ord(ch):04X} {name}"


def shown(value: str, limit: int = 60) -> str:
    """A value quoted for a message: controls and invisible characters as ``<U+000D>``, so a
    finding never writes them to a terminal, and cut at ``limit`` characters."""
    text = value if len(value) <= limit else value[: limit - 1] + "…"
    text = _BAD_IN_LINE.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)
    return "'" + _INVISIBLE.sub(lambda m: f"<U+{ord(m.group()):04X}>", text) + "'"


def _too_long(value: str, limit: int, what: str) -> None:
    if len(value) > limit:
        raise ValueError(
            f"the {what} is {len(value):,} characters long, more than the {limit:,} allowed: "
            f"shorten it to {limit:,} characters or fewer"
        )


def _check_line(value: str, what: str = "text") -> str:
    """One line: no control character, no invisible character, at most MAX_LINE characters."""
    bad = _BAD_IN_LINE.search(value)
    if bad:
        ch, at = bad.group(), bad.start() + 1
        if ch in _LINE_BREAKS:
            raise ValueError(
                f"the {what} holds a line break ({char_name(ch)}) at character {at}, and this field is one line: "
                "write it on one line; in quotes, \\n and \\r are line breaks too"
            )
        raise ValueError(
            f"the {what} holds a control character ({char_name(ch)}) at character {at}: "
            "retype it without that character"
        )
    hidden = _INVISIBLE.search(value)
    if hidden:
        raise ValueError(
            f"the {what} holds an invisible character, {char_name(hidden.group())}, at character {hidden.start() + 1}, "
            f"which can change how it shows or what it matches: retype the {what} without it"
        )
    _too_long(value, MAX_LINE, what)
    return value


# How a message names a single-line field, by its field name ("the name holds …").
_FIELD_WORDS = {
    "name": "name", "title": "title", "handbook_title": "title", "label": "label", "value": "value",
    "number": "number", "phone": "number", "email": "address", "pin": "PIN", "address": "address",
    "location": "location", "subject": "subject",
}


def _line(value: str, info: ValidationInfo) -> str:
    if checked(info):
        return value
    return _check_line(value, _FIELD_WORDS.get(info.field_name or "", "text"))


def _check_text(value: str, limit: int = MAX_TEXT) -> str:
    """Prose: line breaks and tabs, no other control character, at most ``limit`` characters."""
    bad = _BAD_IN_TEXT.search(value)
    if bad:
        ch, at = bad.group(), bad.start() + 1
        what = "line break" if ch in _LINE_BREAKS else "control character"
        raise ValueError(
            f"the text holds a {what} ({char_name(ch)}) at character {at}: "
            "retype it without that character; only ordinary line breaks and tabs may appear here"
        )
    _too_long(value, limit, "text")
    return value


def _text(value: str) -> str:
    return _check_text(value)


_LINE_SCHEMA = {
    "type": "string",
    "maxLength": MAX_LINE,
    "pattern": "^[^\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069\\u200b-\\u200d\\u2060\\ufeff]*$",
}
_TEXT_SCHEMA = {
    "type": "string",
    "maxLength": MAX_TEXT,
    "pattern": "^[^\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u2028\\u2029]*$",
}

Line = Annotated[str, AfterValidator(_line), TextRule("line", MAX_LINE), WithJsonSchema(_LINE_SCHEMA)]
"""One line of text: a name, title, label, number or address (at most 200 characters)."""

Text = Annotated[str, AfterValidator(_text), TextRule("text", MAX_TEXT), WithJsonSchema(_TEXT_SCHEMA)]
"""Prose that may run over several lines (at most 20,000 characters); shown as typed."""


# --- ids -------------------------------------------------------------------------------------

def _slug(value: str) -> str:
    if len(value) > MAX_ID:
        short = re.sub(r"[^a-z0-9]+", "-", value.lower()[:MAX_ID]).strip("-") or "my-id"
        raise ValueError(
            f"the id is {len(value):,} characters long, more than the {MAX_ID} an id may have: "
            f"shorten it, e.g. '{short}'"
        )
    if not SLUG_RE.fullmatch(value):
        suggestion = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "my-id"
        raise ValueError(
            f"{shown(value)} is not an id: use lowercase letters, digits and hyphens, e.g. '{suggestion}'"
        )
    return value


_SLUG_SCHEMA = {"type": "string", "pattern": SLUG_RE.pattern, "maxLength": MAX_ID}

Slug = Annotated[
    str,
    AfterValidator(_slug),
    TextRule("id", MAX_ID),
    WithJsonSchema({**_SLUG_SCHEMA, "examples": ["customer-service"]}),
]
"""A lowercase id such as ``customer-service``: letters, digits and hyphens, at most 64."""


# Names the build gives its own files, where an id would name a file beside them. Each is
# (pattern, what the file is); macros/printing/binders.py, macros/exports/ and macros/site/pages.py make them,
# and tests/test_reserved_ids.py checks the list against the print plan.
DEPARTMENT_RESERVED: tuple[tuple[str, str], ...] = (
    ("handbook", "the whole handbook's PDF is handbook.pdf"),
    (r"handbook-\d+", "the whole handbook's volumes are handbook-1.pdf, handbook-2.pdf, …"),
    ("wallet-card", "the wallet card's PDF is wallet-card.pdf"),
    ("wallet-cards-sheet", "the wallet cards to cut out are wallet-cards-sheet.pdf"),
    ("call-tree", "the call-tree sheets' PDF is call-tree.pdf"),
    (r"call-tree-\d+", "the call-tree sheets' volumes are call-tree-1.pdf, call-tree-2.pdf, …"),
    ("postmortem-template", "the blank postmortem form is postmortem-template.pdf"),
    ("all", "the contacts of everyone are exports/contacts/all.vcf"),
    ("index", "the page that lists the departments is departments/index.md"),
)
DRILL_RESERVED: tuple[tuple[str, str], ...] = (
    ("index", "the page that lists the drills is drills/index.md"),
)
POSTMORTEM_RESERVED: tuple[tuple[str, str], ...] = (
    ("index", "the page that lists the postmortems is rca/index.md"),
)
FORM_RESERVED: tuple[tuple[str, str], ...] = (
    ("index", "the page that lists the forms is forms/index.md"),
    ("postmortem", "the blank postmortem form is built in, and forms: [postmortem] names it"),
)


def reserved_reason(value: str, reserved: tuple[tuple[str, str], ...]) -> str | None:
    """What the build already calls ``value``, if an id may not be ``value``."""
    return next((why for pattern, why in reserved if re.fullmatch(pattern, value)), None)


def _not_reserved(reserved: tuple[tuple[str, str], ...], example: str) -> Any:
    def check(value: str) -> str:
        why = reserved_reason(value, reserved)
        if why:
            raise ValueError(f"'{value}' is reserved: {why}; choose another id, e.g. '{value}-{example}'")
        return value

    return check


def _id_type(reserved: tuple[tuple[str, str], ...], example: str, examples: list[str]) -> Any:
    alternatives = [{"enum": [p]} if re.fullmatch(r"[a-z0-9-]+", p) else {"pattern": f"^{p}$"} for p, _ in reserved]
    return Annotated[
        str,
        AfterValidator(_slug),
        AfterValidator(_not_reserved(reserved, example)),
        TextRule("id", MAX_ID),
        WithJsonSchema({**_SLUG_SCHEMA, "not": {"anyOf": alternatives}, "examples": examples}),
    ]


DepartmentId = _id_type(DEPARTMENT_RESERVED, "team", ["customer-service"])
"""A department's id: it names its page, its binder (``<id>.pdf``) and its contacts file."""
DrillId = _id_type(DRILL_RESERVED, "drill", ["ransomware-tabletop"])
"""A drill's id: it names its page, ``drills/<id>``."""
PostmortemId = _id_type(POSTMORTEM_RESERVED, "postmortem", ["2026-03-checkout-outage"])
"""A postmortem's id: it names its page, ``rca/<id>``."""
FormId = _id_type(FORM_RESERVED, "form", ["paper-call-log"])
"""A form's id: it names its page, ``forms/<id>``."""

class RefTo:
    """Marks a field as the id of something defined elsewhere; the Handbook resolves it."""

    def __init__(self, kind: str, noun: str, allow: frozenset[str] = frozenset()) -> None:
        self.kind, self.noun, self.allow = kind, noun, allow

    def __repr__(self) -> str:
        return f"RefTo({self.kind!r})"


def _ref(kind: str, noun: str, allow: frozenset[str] = frozenset()) -> Any:
    from .vocab import KINDS, builtin

    marker = RefTo(kind, noun, allow)
    schema: dict[str, Any] = {**_SLUG_SCHEMA, "description": f"id of a {noun}"}
    if kind in KINDS:
        schema = {**_SLUG_SCHEMA, "description": f"a {noun}: one of {', '.join(builtin(kind))}, "
                  f"or one organization.yaml declares under vocabulary.{KINDS[kind]}",
                  "examples": list(builtin(kind))}
    return Annotated[str, AfterValidator(_slug), marker, TextRule("id", MAX_ID), WithJsonSchema(schema)]


@dataclass(frozen=True)
class Private:
    """Marks a value as not for the public: the public profile never receives it.

    Written where the field is declared, ``pin: Annotated[Line | None, Private("conference PIN")]``,
    like ``RefTo`` for references. The public profile's redaction (``macros.context.redact``) and
    the privacy test find the marked fields by walking the model annotations; there is no other
    list of them, so a new field is private by writing the marker on it.

    ``unless`` is ``(field, value)`` of the object that holds the field: the value is public when
    that field (or property) of the object equals ``value``, e.g. ``("public", True)`` for a
    channel whose number may be shown. What a hidden value becomes: the field's default (``None``
    or ``""``) when it has one, else ``None`` when it may be empty; a required value takes the
    object that holds it out of its list (a person's contact without its value means nothing).
    """

    reason: str
    unless: tuple[str, Any] | None = None

    def applies(self, owner: Any) -> bool:
        """True if the value held by ``owner`` (a model object) is to be hidden from the public."""
        if self.unless is None:
            return True
        name, value = self.unless
        return getattr(owner, name) != value

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: Any) -> dict[str, Any]:
        schema = dict(handler(core_schema))
        schema["x-private"] = True
        schema["x-private-reason"] = self.reason
        if self.unless is not None:
            schema["x-public-when"] = {self.unless[0]: self.unless[1]}
        return schema

    def __repr__(self) -> str:
        return f"Private({self.reason!r}" + (f", unless={self.unless!r})" if self.unless else ")")


Ref = Slug
PersonRef = _ref("people", "person")
DepartmentRef = _ref("departments", "department")
RoleRef = _ref("roles", "role")
LevelRef = _ref("levels", "severity level")
ChainRef = _ref("chains", "escalation chain")
ChannelRef = _ref("channels", "channel")
PartnerRef = _ref("partners", "partner")
DependencyRef = _ref("dependencies", "dependency")
PostmortemRef = _ref("postmortems", "postmortem")
TemplateRef = _ref("templates", "message template")
# `postmortem` is the blank postmortem form every binder prints (macros/partials/rca/form.html).
FormRef = _ref("forms", "form", frozenset({"postmortem"}))
DeclarerRef = _ref("roles", "role", frozenset({"anyone"}))
# Values from a list the organization may extend (models/vocab.py): checked like references,
# against the built-in values and those organization.yaml declares under `vocabulary:`.
LevelClassRef = _ref("level-classes", "level class")
AudienceRef = _ref("audiences", "audience")
ChannelKindRef = _ref("channel-kinds", "channel kind")
PartnerCategoryRef = _ref("partner-categories", "partner category")
PostmortemStatusRef = _ref("postmortem-statuses", "postmortem status")
ActionTypeRef = _ref("action-types", "action type")
DrillTypeRef = _ref("drill-types", "drill type")

_DURATION_PLAIN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(m|min|mins|minutes?|h|hr|hrs|hours?|d|days?|w|weeks?)\s*$", re.I)
_DURATION_ISO = re.compile(
    r"^P(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+)S)?)?$", re.I
)
_UNIT = {"m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(value: Any) -> timedelta:
    """``PT15M``, ``P90D``, ``15m``, ``4h``, ``90d``, ``2w`` → timedelta."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError("a duration is text such as '15m', '4h', '90d' or 'PT15M'")
    text = str(value).strip()
    if isinstance(value, int) or text.isdigit():
        raise ValueError(f"'{text}' has no unit: write '{text}m' for minutes, '{text}h' for hours or '{text}d' for days")
    match = _DURATION_PLAIN.fullmatch(text)
    if match:
        number, unit = float(match.group(1)), match.group(2)[0].lower()
        # Whole seconds, as the ISO form (and the JSON written from it) can say.
        return timedelta(seconds=round(number * _UNIT[unit]))
    match = _DURATION_ISO.fullmatch(text)
    if match and any(match.groupdict().values()) and not text.upper().endswith("T"):
        parts = {k: int(v or 0) for k, v in match.groupdict().items()}
        return timedelta(weeks=parts["w"], days=parts["d"], hours=parts["h"], minutes=parts["m"], seconds=parts["s"])
    raise ValueError(f"'{text}' is not a duration: write e.g. '15m', '4h', '90d' or 'PT15M'")


def format_duration(value: timedelta) -> str:
    """Plain words for a reader: ``15 minutes``, ``4 hours``, ``90 days``, ``5 business days``."""
    if isinstance(value, Deadline) and value.words:
        return value.words
    seconds = int(value.total_seconds())
    for size, name in ((604800, "week"), (86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size and seconds % size == 0:
            n = seconds // size
            if name == "week" and n < 2:
                continue
            return f"{n} {name}{'s' if n != 1 else ''}"
    if seconds == 0:
        return "immediately"
    return f"{seconds // 60} minutes"


def _iso(value: timedelta) -> str:
    seconds = int(value.total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    out = "P" + (f"{days}D" if days else "")
    time = (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "") + (f"{secs}S" if secs else "")
    return out + ("T" + time if time else ("" if days else "T0M"))


class Deadline(timedelta):
    """A deadline as a policy states it: a length of time (``72h``), business days
    (``5 business days``, ``10bd``), ``immediately``, or words with no number (``as soon as
    practicable``, ``without unreasonable delay``).

    It is a timedelta, so it sorts and compares with other lengths of time: business days count
    as the calendar days they can take at most (a weekend in every five), and a deadline in words
    as the longest time there is. ``exact`` is False for both: a rule that checks a step against
    a deadline does so only where the deadline is exact. ``words`` is how the pages say it.
    """

    words: str = ""
    business_days: int | None = None
    exact: bool = True

    @classmethod
    def of(cls, value: timedelta, words: str = "", business_days: int | None = None, exact: bool = True) -> Deadline:
        made = cls(seconds=value.total_seconds())
        made.words, made.business_days, made.exact = words, business_days, exact
        return made


_BUSINESS = re.compile(r"^\s*(\d+)\s*(?:bd|business[ -]days?|working[ -]days?)\s*$", re.I)
_IMMEDIATE = re.compile(r"^\s*(?:immediately|at once|right away|now)\s*$", re.I)
_WORDS = re.compile(
    r"^\s*(?:as soon as (?:practicable|possible|reasonably practicable)|without (?:undue|unreasonable) delay|"
    r"promptly|annually|in the annual (?:log|report))\s*$", re.I)
NO_FIXED_TIME = timedelta(days=999_999)  # sorts after every real deadline, and a date plus it still exists
DEADLINE_WORDS = ("immediately", "as soon as practicable", "as soon as possible", "without undue delay",
                  "without unreasonable delay", "promptly", "annually")


def parse_deadline(value: Any) -> Deadline:
    """``72h``, ``5 business days``, ``10bd``, ``immediately``, ``as soon as practicable`` → Deadline."""
    if isinstance(value, Deadline):
        return value
    if isinstance(value, str):
        text = " ".join(value.split())
        if _IMMEDIATE.match(text):
            return Deadline.of(timedelta(0), "immediately")
        match = _BUSINESS.match(text)
        if match:
            n = int(match.group(1))
            return Deadline.of(timedelta(days=n + 2 * -(-n // 5)), f"{n} business day{'s' if n != 1 else ''}", n, False)
        if _WORDS.match(text):
            return Deadline.of(NO_FIXED_TIME, text[:1].lower() + text[1:], exact=False)
    try:
        return Deadline.of(parse_duration(value))
    except ValueError:
        raise ValueError(
            f"{shown(str(value))} is not a deadline: write a time such as '72h' or '30d', business days such as "
            "'5 business days', or one of: " + ", ".join(f"'{w}'" for w in DEADLINE_WORDS)
        ) from None


def _deadline_text(value: timedelta) -> str:
    if isinstance(value, Deadline) and value.words:
        return value.words
    return _iso(value)


DeadlineType = Annotated[
    Deadline,
    PlainValidator(parse_deadline),
    PlainSerializer(_deadline_text, return_type=str, when_used="json"),
    WithJsonSchema({
        "type": "string",
        "maxLength": MAX_LINE,
        "examples": ["72h", "30d", "5 business days", "immediately", "as soon as practicable"],
    }),
]
"""A deadline: a length of time, business days, ``immediately`` or words such as ``as soon as practicable``."""


Duration = Annotated[
    timedelta,
    BeforeValidator(parse_duration),
    PlainSerializer(_iso, return_type=str, when_used="json"),
    WithJsonSchema({
        "type": "string",
        "pattern": r"^(\d+(\.\d+)?\s*[mhdwMHDW][a-zA-Z]*|P.+)$",
        "examples": ["15m", "4h", "90d", "PT15M"],
    }),
]
"""A length of time: ``15m``, ``4h``, ``90d``, ``2w`` or ISO 8601 ``PT15M`` / ``P90D``."""


# Values checked in this process, so that the same text is parsed once: a number written the
# same way in two files, an address checked again when `handbook serve` reloads. Each maps the
# value to its normal form, or to the reason it is refused.
_PHONES: dict[tuple[str, str | None], tuple[bool, str]] = {}
_EMAILS: dict[str, tuple[bool, str]] = {}
# The kind of each number checked (mobile, premium rate, …), by its E.164 form.
_TYPES: dict[str, int] = {}


def checked(info: ValidationInfo | None) -> bool:
    """Whether the values are this tool's own checked output read back (validators/cache.py).

    Such a phone number is already E.164 and an address already normal, and every check that
    only refuses has passed, with the same code (the cache's key holds a digest of it).
    """
    return bool(info is not None and info.context and info.context.get("checked"))


def _check_phone(value: str, region: str | None) -> tuple[bool, str]:
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return False, f"{shown(value)} is not a phone number: write it in international form, e.g. '+1 312 555 0142'"
    # number_type() is UNKNOWN exactly when is_valid_number() is false (both match the number
    # against its region's patterns); asking for the kind gives both for the price of one, and
    # HB307 wants the kind anyway.
    kind = phonenumbers.number_type(number)
    if kind == phonenumbers.PhoneNumberType.UNKNOWN:
        return False, f"{shown(value)} is not a valid phone number for its country: check the digits and the country code"
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    _TYPES.setdefault(e164, kind)
    return True, e164


def _phone(value: str, info: ValidationInfo) -> str:
    if checked(info):
        return value
    region = (info.context or {}).get("region") if info.context else None
    known = _PHONES.get((value, region))
    if known is None:
        known = _PHONES[(value, region)] = _check_phone(value, region)
    ok, text = known
    if not ok:
        raise ValueError(text)
    phones = info.context.get("phones") if info.context else None
    if phones is not None:
        phones.add(text)  # the cache keeps each file's numbers with their kinds
    return text


def number_type(e164: str) -> int:
    """phonenumbers' kind of a number in E.164 form (mobile, premium rate, …), worked out once."""
    kind = _TYPES.get(e164)
    if kind is None:
        try:
            kind = phonenumbers.number_type(phonenumbers.parse(e164))
        except phonenumbers.NumberParseException:
            kind = phonenumbers.PhoneNumberType.UNKNOWN
        _TYPES[e164] = kind
    return kind


def known_number_types(types: dict[str, int]) -> None:
    """Kinds of numbers worked out in an earlier run (the cache keeps them with each file)."""
    _TYPES.update(types)


Phone = Annotated[
    str,
    AfterValidator(_line),
    AfterValidator(_phone),
    TextRule("line", MAX_LINE),
    WithJsonSchema({"type": "string", "pattern": r"^\+?[0-9 ().\-]{6,}$", "examples": ["+1 312 555 0142"]}),
]
"""A phone number, stored in E.164 form (``+13125550142``)."""


def _email(value: str, info: ValidationInfo | None = None) -> str:
    if checked(info):
        return value
    known = _EMAILS.get(value)
    if known is None:
        try:
            known = (True, validate_email(value, check_deliverability=False).normalized)
        except EmailNotValidError as exc:
            known = (False, f"{shown(value)} is not an e-mail address: {exc}")
        _EMAILS[value] = known
    ok, text = known
    if not ok:
        raise ValueError(text)
    return text


Email = Annotated[
    str,
    AfterValidator(_line),
    AfterValidator(_email),
    TextRule("line", MAX_LINE),
    WithJsonSchema({"type": "string", "format": "email", "examples": ["maria.lopez@example.com"]}),
]


def _web_address(value: str) -> str:
    if value and not re.fullmatch(r"https?://[^\s]+\.[^\s]+", value):
        raise ValueError(f"'{value}' is not a web address: write a full address such as https://portal.example.gov/report")
    return value


WebAddress = Annotated[
    str,
    AfterValidator(_line),
    AfterValidator(_web_address),
    TextRule("line", MAX_LINE),
    WithJsonSchema({**_LINE_SCHEMA, "examples": ["https://portal.example.gov/report"]}),
]
"""A web address (https://…) of a portal or form, or empty."""


def text(description: str, **kw: Any) -> Any:
    return Field(description=description, **kw)


# --- Markdown --------------------------------------------------------------------------------

# What opens a level on a line: a quote marker, or a list marker followed by a space.
_QUOTE_MARK = re.compile(r"[ \t]{0,3}>[ \t]?")
_ITEM_MARK = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")
_INDENT = re.compile(r" *")


def nesting(text: str) -> int:
    """The deepest nesting of lists and quotes in Markdown, counted generously.

    Every '>' and every list marker at the start of a line (after its quote markers) opens a
    level, and a line indented under an open list item is one level deeper than that item,
    whatever the indentation step. Python-Markdown wants four spaces a level, so this never
    counts fewer levels than the renderer would make.
    """
    deepest, items = 0, []  # items: the indentation of each open list item, outermost first
    for raw in text.split("\n"):
        line = raw.expandtabs(4)
        if not line.strip():
            continue
        quotes = 0
        while m := _QUOTE_MARK.match(line):
            quotes, line = quotes + 1, line[m.end():]
        indent = len(_INDENT.match(line).group())
        rest, marks, is_item = line[indent:], 0, bool(_ITEM_MARK.match(line[indent:]))
        while m := (_ITEM_MARK.match(rest) or _QUOTE_MARK.match(rest)):
            marks, rest = marks + 1, rest[m.end():]
        if is_item:
            while items and items[-1] >= indent:
                items.pop()
            outer = len(items)
            items.append(indent)
        else:
            outer = sum(1 for at in items if at < indent)
        deepest = max(deepest, quotes + outer + marks)
    return deepest


_LINK_TEXT = r"\[(?P<text>[^\[\]\n]{1,500})\]"
_TEL_INLINE = re.compile(_LINK_TEXT + r"\(\s*<?(?P<href>tel:[^\s()<>]{1,200})>?(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?\s*\)", re.I)
_TEL_DEF = re.compile(r"^[ ]{0,3}\[(?P<label>[^\[\]\n]{1,500})\]:[ \t]*<?(?P<href>tel:[^\s<>]{1,200})>?", re.I | re.M)
_REF_USE = re.compile(_LINK_TEXT + r"(?:\[(?P<label>[^\[\]\n]{0,500})\])?(?![(:])")
_PHONE_LIKE = re.compile(r"^\+?[\d\s().\-/]+$")


def _dialled(number: str, region: str | None) -> str:
    """The number as E.164 when phonenumbers can read it, else its digits."""
    try:
        return phonenumbers.format_number(phonenumbers.parse(number, region), phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        return ("+" if number.lstrip().startswith("+") else "") + re.sub(r"\D", "", number)


def _spoken(number: str, region: str | None) -> str:
    """``+1 900 555 0199``: a number as a person reads it."""
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return number
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL).replace("-", " ")


def tel_links(text: str) -> list[tuple[str, str]]:
    """(link text, number dialled) of each ``tel:`` link in Markdown, inline or by reference."""
    links = [(m.group("text"), m.group("href")) for m in _TEL_INLINE.finditer(text)]
    defs = {" ".join(m.group("label").lower().split()): m.group("href") for m in _TEL_DEF.finditer(text)}
    if defs:
        for m in _REF_USE.finditer(text):
            label = " ".join((m.group("label") or m.group("text")).lower().split())
            if label in defs:
                links.append((m.group("text"), defs[label]))
    return [(shown_text, unquote(href[4:]).split(";", 1)[0]) for shown_text, href in links]


def mismatched_tel_link(text: str, region: str | None) -> tuple[str, str] | None:
    """The first ``tel:`` link whose text is a phone number other than the one it dials."""
    for label, number in tel_links(text):
        bare = re.sub(r"[*_`~]", "", label).strip()
        if not _PHONE_LIKE.match(bare) or len(re.sub(r"\D", "", bare)) < 3:
            continue  # the text is words ("call the hotline"), not a number
        if _dialled(bare, region) != _dialled(number, region) and re.sub(r"\D", "", bare) != re.sub(r"\D", "", number):
            return bare, number
    return None


def _markdown(value: str, info: ValidationInfo) -> str:
    if checked(info):
        return value
    _check_text(value)
    depth = nesting(value)
    if depth > MAX_NESTING:
        raise ValueError(
            f"the text nests lists and quotes {depth} levels deep, more than the {MAX_NESTING} allowed: "
            f"use at most {MAX_NESTING} levels of indented lists and '>' quotes"
        )
    region = (info.context or {}).get("region") if info.context else None
    wrong = mismatched_tel_link(value, region)
    if wrong:
        label, number = wrong
        raise ValueError(
            f"the link text shows {label} but dials {_spoken(number, region)}: make them the same number"
        )
    return value


Markdown = Annotated[
    str,
    AfterValidator(_markdown),
    TextRule("markdown", MAX_TEXT),
    WithJsonSchema({**_TEXT_SCHEMA, "description": "Markdown text (no HTML)"}),
]
"""Text that may hold Markdown (bold, lists, links). HTML in it is shown as text, never run."""


@functools.lru_cache(maxsize=65536)  # the pages print the same numbers again and again, and serve on every rebuild
def format_phone(e164: str) -> str:
    """``+13125550142`` → ``+1 312-555-0142`` for people to read and dial."""
    try:
        return phonenumbers.format_number(phonenumbers.parse(e164), phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    except phonenumbers.NumberParseException:
        return e164
