"""Small pieces every view uses: names, contacts, dates, durations, badges."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from validators.models.common import format_duration, format_phone
from validators.models.people import Contact, Person

from ..context import BuildContext
from ..html import e, tag
from ..pages import Linker

KIND_LABEL = {
    "mobile": "Mobile", "sms": "Text (SMS)", "landline": "Landline", "work-phone": "Work phone",
    "work-email": "Work e-mail", "personal-email": "Personal e-mail",
    "secure-messenger": "Messenger", "radio": "Radio",
}
WITHHELD = "in the internal edition"


def date(value: dt.date | None) -> str:
    """27 Nov 2026 — unambiguous in every country."""
    return value.strftime("%-d %b %Y") if value else "—"


def dur(value: dt.timedelta | None) -> str:
    return format_duration(value) if value is not None else "—"


def phone_html(number: str | None) -> str:
    if not number:
        return ""
    shown = format_phone(number)
    return f'<a class="hb-tel" href="tel:{e(number)}">{e(shown)}</a>'


def contact_html(c: Contact) -> str:
    label = KIND_LABEL.get(c.kind, c.kind)
    if c.kind in ("mobile", "sms", "landline", "work-phone"):
        value = phone_html(c.value)
    elif c.kind in ("work-email", "personal-email"):
        value = f'<a href="mailto:{e(c.value)}">{e(c.value)}</a>'
    else:
        value = e(c.value)
    note = f" ({e(c.label)})" if c.label else ""
    deps = f' <span class="hb-dep">needs {e(", ".join(c.depends_on))}</span>' if c.depends_on else ""
    return f"{e(label)}{note}: {value}{deps}"


def best_phone(p: Person) -> Contact | None:
    """The voice contact that depends on the fewest systems (what to dial when all is down)."""
    voice = [c for c in p.contacts if c.is_voice]
    return min(voice, key=lambda c: len(c.depends_on)) if voice else None


def person_name(ctx: BuildContext, pid: str, link: Linker | None = None) -> str:
    p = ctx.hb.index["people"].get(pid)
    if p is None:
        return e(pid)
    dept = ctx.hb.index["departments"].get(p.department)
    name = f"<strong>{e(p.name)}</strong>, {e(p.title)}"
    if dept and link:
        name += " · " + link.a(f"department:{dept.id}", e(dept.name))
    return name


def person_line(ctx: BuildContext, pid: str, link: Linker | None = None, all_contacts: bool = False) -> str:
    """Name, title, and the number to dial (or every contact)."""
    p = ctx.hb.index["people"].get(pid)
    if p is None:
        return e(pid)
    text = person_name(ctx, pid, link)
    if not p.contacts:
        return text + f' <span class="hb-muted">(contacts {WITHHELD})</span>' if ctx.public else text
    if all_contacts:
        return text + tag("ul", "".join(f"<li>{contact_html(c)}</li>" for c in p.contacts), "hb-contacts")
    best = best_phone(p)
    return text + (f" — {contact_html(best)}" if best else "")


def badge(text: str, kind: str) -> str:
    return f'<span class="hb-badge hb-badge--{e(kind)}">{e(text)}</span>'


def level_badge(ctx: BuildContext, lid: str) -> str:
    lv = ctx.hb.index["levels"].get(lid)
    if lv is None:
        return e(lid)
    return f'<span class="hb-level hb-level--{e(lv.label)}">{e(lv.name)}</span>'


def joined(items: Iterable[str], empty: str = "—") -> str:
    items = [i for i in items if i]
    return ", ".join(items) if items else empty


# kind → (page key, anchor) of the place that describes an item of that kind
_TARGETS = {
    "roles": lambda x: ("roles", f"role-{x.id}"),
    "departments": lambda x: (f"department:{x.id}", ""),
    "partners": lambda x: ("partners", f"partner-{x.id}"),
    "channels": lambda x: ("communications", f"channel-{x.id}"),
}


def linked_name(ctx: BuildContext, kind: str, ident: str, link: Linker | None = None) -> str:
    """An item's name, linked to where it is described when a Linker is given."""
    item = ctx.hb.index[kind].get(ident)
    if item is None:
        return e(ident)
    if link is None:
        return e(item.name)
    key, anchor = _TARGETS[kind](item)
    return link.a(key, e(item.name), anchor)


def role_name(ctx: BuildContext, rid: str, link: Linker | None = None) -> str:
    return linked_name(ctx, "roles", rid, link)


def dept_name(ctx: BuildContext, did: str, link: Linker | None = None) -> str:
    return linked_name(ctx, "departments", did, link)


def partner_name(ctx: BuildContext, pid: str, link: Linker | None = None) -> str:
    return linked_name(ctx, "partners", pid, link)


def channel_name(ctx: BuildContext, cid: str, link: Linker | None = None) -> str:
    return linked_name(ctx, "channels", cid, link)


def dep_name(ctx: BuildContext, did: str) -> str:
    d = ctx.hb.index["dependencies"].get(did)
    return e(d.name) if d else e(did)


def definition_list(rows: list[tuple[str, str]], cls: str = "hb-facts") -> str:
    """Label/value pairs; labels are plain text, values safe HTML; empty values are skipped."""
    body = "".join(f"<dt>{e(k)}</dt><dd>{v}</dd>" for k, v in rows if v)
    return f'<dl class="{e(cls)}">{body}</dl>' if body else ""


def either(items: list[str]) -> str:
    """'a', 'a or b', 'a, b or c' — for choices read aloud."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return items[0] if items else "any channel"
    return ", ".join(items[:-1]) + " or " + items[-1]
