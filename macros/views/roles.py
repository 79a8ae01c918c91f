"""Incident manager and roles: duties, authorities, who holds each role and who backs them up."""

from __future__ import annotations

from preparedness_handbook.macros.context import BuildContext
from preparedness_handbook.macros.render.html import EMPTY, Html, h, join, tag, ul
from preparedness_handbook.macros.render.sections import Section
from preparedness_handbook.macros.site.blocks import page_view
from preparedness_handbook.macros.site.pages import Linker
from preparedness_handbook.macros.views.common import (
    definition_list,
    joined,
    level_badge,
    person_line,
)


def role_holders(ctx: BuildContext, rid: str, link: Linker) -> Html:
    r = ctx.hb.role(rid)
    items = [h("<strong>Primary:</strong> {}", person_line(ctx, r.primary, link))]
    for n, b in enumerate(r.backups, start=1):
        items.append(h("<strong>Backup {}:</strong> {}", n, person_line(ctx, b, link)))
    return tag("ol", join(tag("li", i) for i in items), "hb-holders")


def role_section(ctx: BuildContext, rid: str, link: Linker) -> Section:
    r = ctx.hb.role(rid)
    body = join([
        tag("p", r.summary, "hb-lead"),
        definition_list([
            ("Engaged at", joined(level_badge(ctx, lv) for lv in r.activated_at)),
        ]),
        tag("h4", "Who holds it (try them in this order)"),
        role_holders(ctx, rid, link),
        tag("h4", "Duties"),
        ul(r.responsibilities),
        (tag("h4", "May decide alone") + ul(r.authorities)) if r.authorities else EMPTY,
    ])
    return Section(r.name, body, f"role-{r.id}")


@page_view("roles")
def roles_page(ctx: BuildContext, link: Linker) -> list[Section]:
    hb = ctx.hb
    im = hb.incident_manager
    intro = Html(
        "<p>Every incident has one <strong>incident manager</strong>. They run the response, decide the "
        "severity level, and speak for the response team. If the primary does not answer within the "
        "acknowledgement time, call the first backup, then the next.</p>"
    )
    sections = [Section("Incident manager and roles", intro)]
    if im:
        sections.append(role_section(ctx, im.id, link))
    sections += [role_section(ctx, r.id, link) for r in hb.roles if not r.incident_manager]
    return sections
