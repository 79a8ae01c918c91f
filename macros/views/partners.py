"""The partner directory, grouped by category, with expiring contracts marked."""

from __future__ import annotations

from preparedness_handbook.macros.context import BuildContext
from preparedness_handbook.macros.render.html import EMPTY, Html, e, h, join, tag, ul
from preparedness_handbook.macros.render.sections import Section
from preparedness_handbook.macros.site.blocks import page_view
from preparedness_handbook.macros.site.pages import Linker
from preparedness_handbook.macros.views.common import (
    WITHHELD,
    badge,
    date,
    definition_list,
    dur,
    joined,
    level_badge,
    person_name,
    phone_html,
    role_name,
)
from preparedness_handbook.validators.models.partners import Partner
from preparedness_handbook.validators.queries import contract_expired, contract_expiring

CATEGORY = {
    "insurer": "Insurance", "broker": "Insurance broker", "breach-counsel": "Breach counsel (lawyers)",
    "forensics": "Forensics and incident response", "pr": "Public relations", "law-enforcement": "Law enforcement",
    "regulator": "Regulators", "isac": "Information-sharing groups", "vendor": "Key vendors",
    "cloud": "Cloud providers", "msp": "Managed service providers",
}


def contract_status(ctx: BuildContext, p: Partner) -> Html:
    end = p.contract.end
    if contract_expired(p, ctx.today):
        return badge(f"contract expired {date(end)}", "bad")
    if contract_expiring(p, ctx.today, ctx.hb.organization.review.contract_warning):
        return badge(f"contract ends {date(end)}", "warn")
    return EMPTY


def partner_contacts(ctx: BuildContext, p: Partner) -> Html:
    items = []
    for c in p.contacts:
        values = [v for v in (phone_html(c.phone), h('<a href="mailto:{}">{}</a>', c.email, c.email) if c.email else EMPTY) if v]
        if not values and ctx.public:
            values = [h('<span class="hb-muted">{}</span>', WITHHELD)]
        hours = "24/7" if c.hours == "24x7" else "business hours"
        name = h(" — {}", c.name) if c.name else EMPTY
        star = Html("<strong>Call first:</strong> ") if c.hotline else EMPTY
        items.append(h("{}{}{} ({}): {}", star, c.label, name, hours, join(values, " · ")))
    return ul(items, "hb-contacts")


def partner_section(ctx: BuildContext, p: Partner, link: Linker) -> Section:
    c = p.contract
    contract = joined([
        e(c.kind.replace("-", " ")) if c.kind != "none" else "no contract",
        f"no. {c.number}" if c.number else "",
        f"until {date(c.end)}" if c.end else "",
    ])
    body = join([
        tag("p", contract_status(ctx, p)) if contract_status(ctx, p) else EMPTY,
        ul(p.services),
        partner_contacts(ctx, p),
        definition_list([
            ("Call them at", joined(level_badge(ctx, lv) for lv in p.engage_when.levels) if p.engage_when.levels else ""),
            ("Call them when", ul(p.engage_when.scenarios)),
            ("Who calls", role_name(ctx, p.engaged_by, link)),
            ("Tell them within", h("<strong>{}</strong> of finding the incident", dur(p.notification_deadline)) if p.notification_deadline else ""),
            ("Contract", contract),
            ("Service promise", c.sla),
            ("Pre-approved", "Yes — on the insurer's panel" if p.pre_approved else ""),
            ("Relationship owner", person_name(ctx, p.owner)),
            ("Last checked", date(p.last_verified)),
            ("Note", p.notes),
        ]),
    ])
    return Section(p.name, body, f"partner-{p.id}")


@page_view("partners")
def partners_page(ctx: BuildContext, link: Linker, only: set[str] | None = None) -> list[Section]:
    groups: dict[str, list[Partner]] = {}
    for p in ctx.hb.partners:
        if only is None or p.id in only:
            groups.setdefault(p.category, []).append(p)
    intro = Html(
        "<p>Call these partners early: most must be told within a deadline, and some (like the insurer) "
        "only pay for help they approved. The role named under each partner makes the call.</p>"
    )
    order = list(CATEGORY)
    children = [
        Section(CATEGORY.get(cat, cat), "", f"category-{cat}", [partner_section(ctx, p, link) for p in groups[cat]])
        for cat in sorted(groups, key=lambda c: order.index(c) if c in order else 99)
    ]
    return [Section("Partners", intro), *children]
