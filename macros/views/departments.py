"""A page per department: what it does at each level, when systems are down, whom it calls."""

from __future__ import annotations

from preparedness_handbook.macros.context import BuildContext
from preparedness_handbook.macros.render.html import EMPTY, Html, h, join, md, tag, ul
from preparedness_handbook.macros.render.sections import Section
from preparedness_handbook.macros.site.blocks import item_view, page_view
from preparedness_handbook.macros.site.pages import Linker
from preparedness_handbook.macros.views.common import dep_name, joined, level_badge, person_line
from preparedness_handbook.macros.views.communications import (
    AUDIENCE,
    branch_list,
    call_tree_rules,
    templates_section,
)
from preparedness_handbook.macros.views.drills import drill_sentences
from preparedness_handbook.macros.views.escalation import step_items
from preparedness_handbook.macros.views.partners import partner_section
from preparedness_handbook.validators import queries


@item_view("department")
def department_page(ctx: BuildContext, did: str, link: Linker) -> list[Section]:
    hb = ctx.hb
    d = hb.department(did)
    head = person_line(ctx, d.head, link)
    liaison = person_line(ctx, d.liaison, link)
    audiences = joined(AUDIENCE.get(a, a) for a in d.audiences)
    top = join([
        md(d.purpose),
        tag("p", h("<strong>Leads the department:</strong> {}", head)),
        tag("p", h("<strong>Speaks for it on the incident bridge:</strong> {}", liaison)),
        tag("p", h("<strong>Talks to:</strong> {}", audiences)) if d.audiences else EMPTY,
    ])
    sections = [Section(d.name, top, f"department-{d.id}")]

    levels = [
        Section(lv.name, tag("p", lv.summary, "hb-muted") + tag("ol", join(tag("li", a) for a in d.playbook.get(lv.id, []))), f"at-{lv.id}")
        for lv in hb.levels
    ]
    sections.append(Section("What we do at each level", Html("<p>Find the level the incident manager announced. Do these steps in order.</p>"), "at-each-level", levels))

    if d.degraded_mode:
        body = join(
            tag("h4", h("If {}{}", joined([dep_name(ctx, x) for x in m.when_down], ""), " is down" if len(m.when_down) == 1 else " are down"))
            + ul(m.instead)
            for m in d.degraded_mode
        )
        sections.append(Section("When systems are down", body, "when-systems-are-down"))

    branches = queries.department_call_heads(hb, ctx.tree, did)  # the tops of its part of the call tree
    tree_body = Html("<p>If chat and e-mail are down, you will get a phone call. Then call the people listed under you.</p>")
    for b in branches:
        caller = ctx.tree.caller.get(b)
        if caller:
            tree_body += tag("p", h("{} is called by {}.", hb.person(b).name, person_line(ctx, caller, None)))
        tree_body += branch_list(ctx, b, link, within=did)
    tree_body += call_tree_rules(ctx)
    sections.append(Section("Our call tree", tree_body, "call-tree"))

    steps = join(
        tag("p", h("<strong>{}</strong> ({})", c.name, joined(level_badge(ctx, lv) for lv in c.levels))) + step_items(ctx, c.id, link, did)
        for c in hb.chains if any(did in s.departments for s in c.steps)
    )
    if steps:
        sections.append(Section("When we are told", steps, "escalation"))

    partner_ids = queries.department_partners(hb, did)
    if partner_ids:
        sections.append(Section("Partners we call", "", "partners", [partner_section(ctx, hb.partner(p), link) for p in partner_ids]))

    tpl = templates_section(ctx, link, set(d.audiences))
    if tpl:
        sections.append(tpl)

    drills = [x for x in hb.drills if did in x.departments]
    if drills:
        sections.append(Section("Our drills", drill_sentences(ctx, link, drills), "drills"))
    return sections


@page_view("departments")
def departments_index(ctx: BuildContext, link: Linker) -> list[Section]:
    cards = join(
        tag("li", link.a(f"department:{d.id}", tag("strong", d.name)) + h("<br><small>{}.</small>", d.purpose.split('.')[0]))
        for d in ctx.hb.departments
    )
    return [Section("Departments", Html("<p>Find your department: what you do at each level, and whom you call.</p>") + tag("ul", cards, "hb-cards"))]
