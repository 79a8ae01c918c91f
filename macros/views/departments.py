"""A page per department: what it does at each level, when systems are down, whom it calls.

The words are in macros/partials/departments/; this module gathers what they print.
"""

from __future__ import annotations

from types import SimpleNamespace

from preparedness_handbook.macros.context import BuildContext
from preparedness_handbook.macros.render.html import EMPTY, Html, e, tag
from preparedness_handbook.macros.render.partials import partial
from preparedness_handbook.macros.render.sections import Section
from preparedness_handbook.macros.site.blocks import block, item_view
from preparedness_handbook.macros.site.pages import Linker
from preparedness_handbook.macros.views.common import (
    dep_name,
    joined,
    level_badge,
    person_line,
    phone_html,
    role_name,
    withheld,
)
from preparedness_handbook.macros.views.communications import (
    audience_label,
    branch_list,
    call_tree_rules,
    dial,
    templates_section,
)
from preparedness_handbook.macros.views.drills import drill_sentences, title_text
from preparedness_handbook.macros.views.escalation import step_items
from preparedness_handbook.macros.views.forms import form_link
from preparedness_handbook.macros.views.home import right_now
from preparedness_handbook.macros.views.partners import clocks, partner_section
from preparedness_handbook.validators import queries


def action(ctx: BuildContext, step: object, link: Linker, did: str | None = None) -> SimpleNamespace:
    """One action of a playbook or workaround: its text, and beside it what it uses, each with
    what a reader needs to act (a number, who holds a role, where a template is)."""
    hb = ctx.hb
    if isinstance(step, str):
        return SimpleNamespace(do=step, uses=[])
    uses: list[Html] = []
    for pid in step.partners:
        p = hb.partner(pid)
        first = queries.partner_contact_for(p, step.do)
        uses.append(partial(ctx, "departments/uses.html", what="partner", label=link.a("partners", p.name, f"partner-{p.id}"),
                            phone=phone_html(first.phone) if first and first.phone else EMPTY, withheld=withheld(ctx)))
    uses += [person_line(ctx, pid, link) for pid in step.people]
    for rid in step.roles:
        role = hb.index["roles"][rid]
        uses.append(partial(ctx, "departments/uses.html", what="role", label=role_name(ctx, rid, link),
                            holder=person_line(ctx, role.first, link) if role.first else e(role.filled_by)))
    for cid in step.channels:
        uses.append(partial(ctx, "departments/uses.html", what="channel", label=hb.channel(cid).name, how=dial(ctx, cid)))
    for tid in step.templates:
        t = hb.index["templates"][tid]
        # The department's own page (and binder) prints the templates for its audiences: point
        # there, so a binder gives the page; else to the communications page.
        own = did is not None and t.audience in hb.department(did).audiences
        where = (f"department:{did}", f"templates-{t.audience}") if own else ("communications", f"templates-{t.audience}")
        uses.append(partial(ctx, "departments/uses.html", what="template", label=link.a(where[0], t.name, where[1])))
    for fid in step.forms:
        uses.append(partial(ctx, "departments/uses.html", what="form", label=form_link(ctx, fid, link)))
    return SimpleNamespace(do=step.do, uses=uses)


def enquiries(ctx: BuildContext, link: Linker) -> Html:
    """What anyone says when someone outside asks, and whom they pass them to, with the number."""
    hb = ctx.hb
    asks = []
    for q in hb.enquiries:
        role = hb.index["roles"].get(q.pass_to) if q.pass_to else None
        holder = (person_line(ctx, role.first, link) if role.first else e(role.filled_by)) if role else EMPTY
        asks.append(SimpleNamespace(
            who=audience_label(ctx, q.audience), say=q.say, take=q.take, never=q.never,
            pass_to=partial(ctx, "departments/uses.html", what="role", label=role_name(ctx, q.pass_to, link),
                            holder=holder) if role else EMPTY,
        ))
    return partial(ctx, "departments/enquiries.html", asks=asks)


@item_view("department")
def department_page(ctx: BuildContext, did: str, link: Linker) -> list[Section]:
    hb = ctx.hb
    d = hb.department(did)

    def title(which: str) -> str:
        return title_text(ctx, "departments/titles.html", which)

    top = SimpleNamespace(
        d=d,
        head=person_line(ctx, d.head, link) if d.head else e(d.head_title),
        liaison=person_line(ctx, d.liaison, link) if d.liaison else EMPTY,
        audiences=joined(audience_label(ctx, a) for a in d.audiences),
        # The internal site's contact cards: one tap adds the department's people to a phone.
        contacts=link.asset(f"exports/contacts/{d.id}.vcf") if not ctx.public and link.mode == "site"
        and not link.offline_copy else None,
    )
    sections = [Section(d.name, partial(ctx, "departments/top.html", v=top), f"department-{d.id}")]
    if link.mode == "site":  # a binder opens with its own "right now" chapter
        sections.append(Section(title("right-now"), right_now(ctx, link), "right-now"))

    if hb.enquiries:
        sections.append(Section(title("enquiries"), enquiries(ctx, link), "enquiries"))

    levels = [
        Section(lv.name, partial(ctx, "departments/level.html", lv=lv,
                                 steps=[action(ctx, s, link, did) for s in d.actions_at(lv.id)]), f"at-{lv.id}")
        for lv in hb.levels
    ]
    sections.append(Section(title("at-each-level"), partial(ctx, "departments/at_each_level.html"), "at-each-level", levels))

    if d.degraded_mode:
        modes = [SimpleNamespace(systems=[dep_name(ctx, x) for x in m.when_down], instead=[action(ctx, s, link, did) for s in m.instead])
                 for m in d.degraded_mode]
        sections.append(Section(title("when-systems-are-down"), partial(ctx, "departments/when_down.html", modes=modes),
                                "when-systems-are-down"))

    branches = [  # the tops of its part of the call tree
        SimpleNamespace(
            head=hb.person(b).name,
            caller=person_line(ctx, ctx.tree.caller[b], None) if ctx.tree.caller.get(b) else EMPTY,
            tree=branch_list(ctx, b, link, within=did),
        )
        for b in queries.department_call_heads(hb, ctx.tree, did)
    ]
    members = {p.id for p in hb.people if p.department == did}
    standins = [
        SimpleNamespace(alternate=hb.person(alt).name, person=person_line(ctx, pid, link),
                        caller=hb.person(ctx.tree.caller[pid]).name if ctx.tree.caller.get(pid) else "",
                        calls=len(ctx.tree.subtree(pid)) - 1)
        for pid, alt in ctx.tree.alternate.items()
        if alt in members and pid not in members and pid in hb.index["people"]
    ]
    tree = partial(ctx, "departments/call_tree.html", branches=branches, rules=call_tree_rules(ctx), standins=standins)
    sections.append(Section(title("call-tree"), tree, "call-tree"))

    chains = [
        SimpleNamespace(c=c, levels=joined(level_badge(ctx, lv) for lv in c.levels), steps=step_items(ctx, c.id, link, did))
        for c in hb.chains if any(did in s.departments for s in c.steps)
    ]
    if chains:
        sections.append(Section(title("escalation"), partial(ctx, "departments/escalation.html", chains=chains), "escalation"))

    # The notification deadlines, in the binder of each department that tells a partner with one,
    # and of the department that leads the organization (its head reports to no one).
    timed = [p.engaged_by for p in hb.partners if p.notification_deadline]
    timed += [n.by or (hb.partner(n.partner).engaged_by if n.partner else None) for n in hb.notifications]
    roles = hb.index["roles"]
    tells = any(rid in roles and any(pid in members for pid in roles[rid].people) for rid in timed if rid)
    leads = hb.person(d.head).reports_to is None if d.head and d.head in hb.index["people"] else False
    if timed and (tells or leads):
        sections.append(Section(title("deadlines"), clocks(ctx, link), "deadlines"))

    partner_ids = queries.department_partners(hb, did)
    if partner_ids:
        sections.append(Section(title("partners"), "", "partners", [partner_section(ctx, hb.partner(p), link) for p in partner_ids]))

    tpl = templates_section(ctx, link, set(d.audiences))
    if tpl:
        sections.append(tpl)

    drills = [x for x in hb.drills if did in x.departments]
    if drills:
        sections.append(Section(title("drills"), drill_sentences(ctx, link, drills), "drills"))
    return sections


@block("departments.cards")
def cards(ctx: BuildContext, link: Linker) -> Html:
    """One card per department: its name, linked, and the first sentence of its purpose."""
    departments = [
        SimpleNamespace(name=link.a(f"department:{d.id}", tag("strong", d.name)), summary=d.purpose.split(".")[0])
        for d in ctx.hb.departments
    ]
    return partial(ctx, "departments/cards.html", departments=departments)
