"""The partners page's block: the partner directory, grouped by category, with expiring contracts
marked. The department pages print one partner with ``partner_section``.

The words are in macros/partials/partners/; this module gathers what they print.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import get_args

from preparedness_handbook.macros.context import BuildContext
from preparedness_handbook.macros.render.html import Html
from preparedness_handbook.macros.render.partials import partial
from preparedness_handbook.macros.render.sections import Section
from preparedness_handbook.macros.site.blocks import block
from preparedness_handbook.macros.site.pages import Linker
from preparedness_handbook.macros.views.common import (
    date,
    dur,
    level_badge,
    person_line,
    person_name,
    phone_html,
    role_name,
    withheld,
)
from preparedness_handbook.validators.models.partners import Category, Partner
from preparedness_handbook.validators.queries import contract_expired, contract_expiring

ORDER = get_args(Category)  # categories in the schema's order: insurer first, managed services last


def category_label(ctx: BuildContext, category: str) -> str:
    """A category's heading ('Breach counsel (lawyers)')."""
    return partial(ctx, "partners/category.html", category=category,
                   declared=ctx.hb.term_name("partner-categories", category)).unescape()


def partner_facts(ctx: BuildContext, p: Partner, link: Linker) -> SimpleNamespace:
    """What the partial prints of one partner: names linked, dates and durations written out."""
    c = p.contract
    return SimpleNamespace(
        p=p,
        expired=contract_expired(p, ctx.today),
        expiring=contract_expiring(p, ctx.today, ctx.hb.organization.review.contract_warning),
        end=date(c.end),
        contacts=[SimpleNamespace(c=x, phone=phone_html(x.phone)) for x in p.contacts],
        withheld=withheld(ctx),
        levels=[level_badge(ctx, lv) for lv in p.engage_when.levels],
        engaged_by=role_name(ctx, p.engaged_by, link),
        deadline=hours(p.notification_deadline) if p.notification_deadline else "",
        owner=person_name(ctx, p.owner) if p.owner else "",
        last_verified=date(p.last_verified),
    )


def partner_section(ctx: BuildContext, p: Partner, link: Linker) -> Section:
    """One partner: what they do, their numbers, when to call them, the contract."""
    return Section(p.name, partial(ctx, "partners/partner.html", v=partner_facts(ctx, p, link)), f"partner-{p.id}")


def hours(value) -> str:
    """A deadline in exact hours, as a clock runs: '72 hours', never '3 days' (which a reader on a
    Saturday may take as business days); whole days are added after it. A deadline in business
    days or in words reads as the policy wrote it."""
    if getattr(value, "words", ""):
        return value.words
    total = int(value.total_seconds())
    if total % 3600:
        return dur(value)
    n = total // 3600
    text = f"{n} hour" + ("" if n == 1 else "s")
    if n >= 48 and n % 24 == 0:
        text += f" ({n // 24} calendar days, weekends included)"
    return text


def clock_rows(ctx: BuildContext, link: Linker) -> list[SimpleNamespace]:
    """Every partner that must be told within a deadline, soonest first: who, within how long,
    from when, who tells them (the role and its holder's number) and the number to call."""
    hb = ctx.hb
    duties = [(p.notification_deadline, p, None) for p in hb.partners if p.notification_deadline]
    duties += [(n.within, hb.partner(n.partner) if n.partner else None, n) for n in hb.notifications]
    rows = []
    for within, p, n in sorted(duties, key=lambda d: d[0]):
        by = n.by if n and n.by else (p.engaged_by if p else None)
        role = hb.index["roles"].get(by) if by else None
        first = next((c for c in p.contacts if c.hotline), p.contacts[0] if p.contacts else None) if p else None
        rows.append(SimpleNamespace(
            name=p.name if p else n.who, anchor=f"partner-{p.id}" if p else "",
            category=category_label(ctx, p.category) if p else "", within=hours(within),
            starts=n.starts if n else "discovery", threshold=n.threshold if n else "",
            when=list(n.when) if n else [], how=n.how if n else "", url=n.url if n else "",
            basis=n.basis if n else "",
            role=role_name(ctx, by, link) if by else "",
            holder=person_line(ctx, role.first, link) if role and role.first else (role.filled_by if role else ""),
            phone=phone_html(first.phone) if first and first.phone else "", withheld=withheld(ctx) if p else "",
        ))
    return rows


@block("partners.clocks")
def clocks(ctx: BuildContext, link: Linker) -> Html:
    """One table of every notification deadline: the clocks that start when an incident is found."""
    return partial(ctx, "partners/clocks.html", rows=clock_rows(ctx, link), link=link)


@block("partners.directory")
def directory(ctx: BuildContext, link: Linker) -> list[Section]:
    """One section per category the organization has partners in, each partner under it."""
    groups: dict[str, list[Partner]] = {}
    for p in ctx.hb.partners:
        groups.setdefault(p.category, []).append(p)
    return [
        Section(category_label(ctx, cat), "", f"category-{cat}", [partner_section(ctx, p, link) for p in groups[cat]])
        for cat in sorted(groups, key=lambda c: ORDER.index(c) if c in ORDER else len(ORDER))
    ]
