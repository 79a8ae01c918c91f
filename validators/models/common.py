"""Field types shared by every data file: ids, durations, dates, phone numbers, e-mail addresses."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Any

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationInfo,
    WithJsonSchema,
)

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class Model(BaseModel):
    """Base of every data model: unknown keys are errors, values are immutable once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _slug(value: str) -> str:
    if not SLUG_RE.match(value):
        suggestion = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "my-id"
        raise ValueError(
            f"'{value}' is not an id: use lowercase letters, digits and hyphens, e.g. '{suggestion}'"
        )
    return value


Slug = Annotated[
    str,
    AfterValidator(_slug),
    WithJsonSchema({"type": "string", "pattern": SLUG_RE.pattern, "examples": ["customer-service"]}),
]
"""A lowercase id such as ``customer-service``: letters, digits and hyphens."""

class RefTo:
    """Marks a field as the id of something defined elsewhere; the Handbook resolves it."""

    def __init__(self, kind: str, noun: str, allow: frozenset[str] = frozenset()) -> None:
        self.kind, self.noun, self.allow = kind, noun, allow

    def __repr__(self) -> str:
        return f"RefTo({self.kind!r})"


def _ref(kind: str, noun: str, allow: frozenset[str] = frozenset()) -> Any:
    marker = RefTo(kind, noun, allow)
    return Annotated[
        str,
        AfterValidator(_slug),
        marker,
        WithJsonSchema({"type": "string", "pattern": SLUG_RE.pattern, "description": f"id of a {noun}"}),
    ]


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
DeclarerRef = _ref("roles", "role", frozenset({"anyone"}))

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
    match = _DURATION_PLAIN.match(text)
    if match:
        number, unit = float(match.group(1)), match.group(2)[0].lower()
        return timedelta(seconds=number * _UNIT[unit])
    match = _DURATION_ISO.match(text)
    if match and any(match.groupdict().values()) and not text.upper().endswith("T"):
        parts = {k: int(v or 0) for k, v in match.groupdict().items()}
        return timedelta(weeks=parts["w"], days=parts["d"], hours=parts["h"], minutes=parts["m"], seconds=parts["s"])
    raise ValueError(f"'{text}' is not a duration: write e.g. '15m', '4h', '90d' or 'PT15M'")


def format_duration(value: timedelta) -> str:
    """Plain words for a reader: ``15 minutes``, ``4 hours``, ``90 days``."""
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


def _phone(value: str, info: ValidationInfo) -> str:
    region = (info.context or {}).get("region") if info.context else None
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        raise ValueError(
            f"'{value}' is not a phone number: write it in international form, e.g. '+1 312 555 0142'"
        ) from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError(
            f"'{value}' is not a valid phone number for its country: check the digits and the country code"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


Phone = Annotated[
    str,
    AfterValidator(_phone),
    WithJsonSchema({"type": "string", "pattern": r"^\+?[0-9 ().\-]{6,}$", "examples": ["+1 312 555 0142"]}),
]
"""A phone number, stored in E.164 form (``+13125550142``)."""


def _email(value: str) -> str:
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ValueError(f"'{value}' is not an e-mail address: {exc}") from None


Email = Annotated[
    str,
    AfterValidator(_email),
    WithJsonSchema({"type": "string", "format": "email", "examples": ["maria.lopez@example.com"]}),
]


def text(description: str, **kw: Any) -> Any:
    return Field(description=description, **kw)


Markdown = Annotated[str, WithJsonSchema({"type": "string", "description": "Markdown text (no HTML)"})]
"""Text that may hold Markdown (bold, lists, links). HTML in it is shown as text, never run."""


def format_phone(e164: str) -> str:
    """``+13125550142`` → ``+1 312-555-0142`` for people to read and dial."""
    try:
        return phonenumbers.format_number(phonenumbers.parse(e164), phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    except phonenumbers.NumberParseException:
        return e164
