"""Small pieces every view uses: names, contacts, dates, durations, badges.

Their words (what each kind of contact is called, what the public edition says instead of a
private value, "needs …", "any channel") are in macros/partials/common/_words.html.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from preparedness_handbook.macros.context import BuildContext
from preparedness_handbook.macros.render.html import EMPTY, Html, e, h, join, tag
from preparedness_handbook.macros.render.partials import environment
from preparedness_handbook.macros.site.pages import Linker
from preparedness_handbook.validators.models.common import format_duration, format_phone
from preparedness_handbook.validators.models.people import Contact
from preparedness_handbook.validators.queries import best_phone

WORDS = "common/_words.html"


def words(ctx: BuildContext | None = None) -> Any:
    """The words and snippets of partials/common/_words.html, as a module: ``kind_labels``,
    ``withheld``, and the macros ``contact``, ``contacts_withheld`` and ``either``. The
    organization's copy of the file when it has one (``ctx``), else the default."""
    overrides = ctx.partials if ctx is not None else None
    return environment(str(overrides) if overrides else None).get_template(WORDS).module


def kind_label(ctx: BuildContext | None, kind: str) -> str:
    """What a kind of contact is called: 'Mobile', 'Text (SMS)' …"""
    return str(words(ctx).kind_labels.get(kind, kind))


def withheld(ctx: BuildContext | None = None) -> str:
    """What the public edition says where a private value would be: 'in the internal edition'."""
    return str(words(ctx).withheld)


# The default words, for callers that have no context at hand; with one, prefer
# kind_label(ctx, kind) and withheld(ctx), which follow the organization's partials.
KIND_LABEL: dict[str, str] = dict(words().kind_labels)
WITHHELD: str = withheld()


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


def contact_html(c: Contact, ctx: BuildContext | None = None) -> Html:
    """'Mobile (evenings): +1 312-555-0100 needs voip', in the words of ``ctx``'s partials."""
    if c.kind in ("mobile", "sms", "landline", "work-phone"):
        value = phone_html(c.value)
    elif c.kind in ("work-email", "personal-email"):
        value = h('<a href="mailto:{}">{}</a>', c.value, c.value)
    else:
        value = e(c.value)
    return Html(words(ctx).contact(kind_label(ctx, c.kind), c.label, value, c.depends_on))


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
        return text + Html(words(ctx).contacts_withheld()) if ctx.public else text
    if all_contacts:
        return text + tag("ul", join(tag("li", contact_html(c, ctx)) for c in p.contacts), "hb-contacts")
    best = best_phone(p)
    return text + (h(" — {}", contact_html(best, ctx)) if best else EMPTY)


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


def either(items: list[Html | str], ctx: BuildContext | None = None) -> Html:
    """'a', 'a or b', 'a, b or c' — for choices read aloud; 'any channel' when there are none."""
    return Html(words(ctx).either(items))
