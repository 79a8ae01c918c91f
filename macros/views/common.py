"""Small pieces every view uses: names, contacts, dates, durations, badges."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from preparedness_handbook.macros.context import BuildContext
from preparedness_handbook.macros.render.html import EMPTY, Html, e, h, join, tag
from preparedness_handbook.macros.site.pages import Linker
from preparedness_handbook.validators.models.common import format_duration, format_phone
from preparedness_handbook.validators.models.people import Contact
from preparedness_handbook.validators.queries import best_phone

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


def phone_html(number: str | None) -> Html:
    if not number:
        return EMPTY
    shown = format_phone(number)
    return h('<a class="hb-tel" href="tel:{}">{}</a>', number, shown)


def contact_html(c: Contact) -> Html:
    label = KIND_LABEL.get(c.kind, c.kind)
    if c.kind in ("mobile", "sms", "landline", "work-phone"):
        value = phone_html(c.value)
    elif c.kind in ("work-email", "personal-email"):
        value = h('<a href="mailto:{}">{}</a>', c.value, c.value)
    else:
        value = e(c.value)
    note = h(" ({})", c.label) if c.label else EMPTY
    deps = h(' <span class="hb-dep">needs {}</span>', ", ".join(c.depends_on)) if c.depends_on else EMPTY
    return h("{}{}: {}{}", label, note, value, deps)


def person_name(ctx: BuildContext, pid: str, link: Linker | None = None) -> Html:
    p = ctx.hb.index["people"].get(pid)
    if p is None:
        return e(pid)
    dept = ctx.hb.index["departments"].get(p.department)
    name = h("<strong>{}</strong>, {}", p.name, p.title)
    if dept and link:
        name += h(" · {}", link.a(f"department:{dept.id}", dept.name))
    return name


def person_line(ctx: BuildContext, pid: str, link: Linker | None = None, all_contacts: bool = False) -> Html:
    """Name, title, and the number to dial (or every contact)."""
    p = ctx.hb.index["people"].get(pid)
    if p is None:
        return e(pid)
    text = person_name(ctx, pid, link)
    if not p.contacts:
        return text + h(' <span class="hb-muted">(contacts {})</span>', WITHHELD) if ctx.public else text
    if all_contacts:
        return text + tag("ul", join(tag("li", contact_html(c)) for c in p.contacts), "hb-contacts")
    best = best_phone(p)
    return text + (h(" — {}", contact_html(best)) if best else EMPTY)


def badge(text: str, kind: str) -> Html:
    return h('<span class="hb-badge hb-badge--{}">{}</span>', kind, text)


def level_badge(ctx: BuildContext, lid: str) -> Html:
    lv = ctx.hb.index["levels"].get(lid)
    if lv is None:
        return e(lid)
    return h('<span class="hb-level hb-level--{}">{}</span>', lv.label, lv.name)


def joined(items: Iterable[Html | str], empty: Html | str = "—") -> Html:
    """Items separated by commas; plain items are escaped."""
    items = [i for i in items if i]
    return join(items, ", ") if items else e(empty)


# kind → (page key, anchor) of the place that describes an item of that kind
_TARGETS = {
    "roles": lambda x: ("roles", f"role-{x.id}"),
    "departments": lambda x: (f"department:{x.id}", ""),
    "partners": lambda x: ("partners", f"partner-{x.id}"),
    "channels": lambda x: ("communications", f"channel-{x.id}"),
}


def linked_name(ctx: BuildContext, kind: str, ident: str, link: Linker | None = None) -> Html:
    """An item's name, linked to where it is described when a Linker is given."""
    item = ctx.hb.index[kind].get(ident)
    if item is None:
        return e(ident)
    if link is None:
        return e(item.name)
    key, anchor = _TARGETS[kind](item)
    return link.a(key, item.name, anchor)


def role_name(ctx: BuildContext, rid: str, link: Linker | None = None) -> Html:
    return linked_name(ctx, "roles", rid, link)


def dept_name(ctx: BuildContext, did: str, link: Linker | None = None) -> Html:
    return linked_name(ctx, "departments", did, link)


def partner_name(ctx: BuildContext, pid: str, link: Linker | None = None) -> Html:
    return linked_name(ctx, "partners", pid, link)


def channel_name(ctx: BuildContext, cid: str, link: Linker | None = None) -> Html:
    return linked_name(ctx, "channels", cid, link)


def dep_name(ctx: BuildContext, did: str) -> Html:
    d = ctx.hb.index["dependencies"].get(did)
    return e(d.name) if d else e(did)


def definition_list(rows: list[tuple[str, Html | str]], cls: str = "hb-facts") -> Html:
    """Label/value pairs (both escaped unless Html); empty values are skipped."""
    body = join(h("<dt>{}</dt><dd>{}</dd>", k, v) for k, v in rows if v)
    return tag("dl", body, cls) if body else EMPTY


def either(items: list[Html | str]) -> Html:
    """'a', 'a or b', 'a, b or c' — for choices read aloud."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return e(items[0] if items else "any channel")
    return h("{} or {}", join(items[:-1], ", "), items[-1])
