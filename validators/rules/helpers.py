"""Small wording and look-up helpers shared by the rule modules (no rules live here)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..models.common import format_duration

if TYPE_CHECKING:
    from ..handbook import Handbook
    from ..models.people import Person

LABEL_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}
SERIOUS_LABELS = ("critical", "high")


def who(person: Person) -> str:
    """``Maria Lopez (maria-lopez)``: how messages name a person."""
    return f"{person.name} ({person.id})"


def who_id(hb: Handbook, pid: str | None) -> str:
    person = hb.index["people"].get(pid) if pid else None
    return who(person) if person else str(pid)


def named(obj: Any) -> str:
    """``Scribe (scribe)`` for anything with a name and an id."""
    return f"{obj.name} ({obj.id})"


def span(value: dt.timedelta) -> str:
    return format_duration(value)


def quote(text: str, limit: int = 60) -> str:
    """A short quotation of free text for a message."""
    text = " ".join(text.split())
    return f"'{text if len(text) <= limit else text[: limit - 1].rstrip() + '…'}'"


def listing(items: Iterable[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]

