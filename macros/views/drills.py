"""Drills: the programme calendar, each drill's page, findings and open actions."""

from __future__ import annotations

from preparedness_handbook.macros.context import BuildContext
from preparedness_handbook.macros.render.html import EMPTY, Html, e, h, join, md, table, tag, ul
from preparedness_handbook.macros.render.sections import Section
from preparedness_handbook.macros.site.blocks import item_view, page_view
from preparedness_handbook.macros.site.pages import Linker
from preparedness_handbook.macros.views.common import (
    badge,
    date,
    definition_list,
    dep_name,
    dept_name,
    dur,
    joined,
    level_badge,
    person_name,
    role_name,
)
from preparedness_handbook.validators.models.drills import Drill, Run
from preparedness_handbook.validators.queries import (
    action_overdue,
    is_overdue,
    last_done,
    next_planned,
    open_actions,
    run_departments,
)

TYPE = {
    "tabletop": "Tabletop (talk-through)", "game-day": "Game day (hands-on)", "call-tree-test": "Call-tree test",
    "failover": "Failover test", "comms-outage": "Communications outage", "functional": "Functional exercise",
    "full-scale": "Full-scale exercise",
}


def action_html(ctx: BuildContext, action) -> Html:
    if action is None:
        return badge("no action", "bad")
    overdue = action_overdue(action, ctx.today)
    state = badge("overdue", "bad") if overdue else badge(action.status, "ok" if action.status == "done" else "info")
    owner = person_name(ctx, action.owner) if action.owner else "no owner"
    ticket = h(" · {}", action.ticket) if action.ticket else EMPTY
    return h("{} — {}, due {} {}{}", action.text, owner, date(action.due), state, ticket)


def calendar(ctx: BuildContext, link: Linker, drills: list[Drill] | None = None) -> Html:
    rows = []
    for d in drills if drills is not None else ctx.hb.drills:
        last, nxt = last_done(d, ctx.today), next_planned(d, ctx.today)
        flag = badge("overdue", "bad") if is_overdue(d, ctx.today) else EMPTY
        rows.append([
            link.a(f"drill:{d.id}", d.title),
            TYPE.get(d.type, d.type),
            joined(level_badge(ctx, lv) for lv in d.levels),
            date(last.date) if last else "never",
            h("{} {}", date(nxt.date) if nxt else "not planned", flag),
            f"every {dur(d.cadence)}" if d.cadence else "once",
        ])
    return table(["Drill", "Type", "Levels", "Last run", "Next run", "Cadence"], rows, "hb-calendar")


def drill_sentences(ctx: BuildContext, link: Linker, drills: list[Drill]) -> Html:
    """Drills as short sentences, for pages read by non-engineers."""
    items = []
    for d in drills:
        last, nxt = last_done(d, ctx.today), next_planned(d, ctx.today)
        text = h("{}. {}.", link.a(f"drill:{d.id}", tag("strong", d.title)), TYPE.get(d.type, d.type))
        text += f" Last held on {date(last.date)}." if last else " Not held yet."
        text += f" Next on {date(nxt.date)}." if nxt else " No date set yet."
        if is_overdue(d, ctx.today):
            text += h(" {}", badge("overdue", "bad"))
        items.append(text)
    return ul(items, "hb-drill-list")


def run_html(ctx: BuildContext, d: Drill, r: Run, link: Linker) -> Html:
    facts = [
        ("Status", e(r.status)),
        ("Departments", joined(dept_name(ctx, x, link) for x in run_departments(d, r))),
        ("People", e(r.people_count) if r.people_count is not None else ""),
        ("Reached", f"{r.reached_percent:g}% of people" if r.reached_percent is not None else ""),
        ("Time to reach everyone", f"{r.minutes_to_reach} minutes" if r.minutes_to_reach is not None else ""),
        ("Notes", e(r.notes)),
    ]
    findings = ul(h("{}<br><small>Action: {}</small>", f.text, action_html(ctx, f.action)) for f in r.findings)
    return tag("h4", f"{date(r.date)}{' ' + str(r.start) if r.start else ''}") + definition_list(facts) + (
        tag("p", Html("<strong>What we learnt</strong>")) + findings if r.findings else EMPTY
    )


@item_view("drill")
def drill_page(ctx: BuildContext, drill_id: str, link: Linker) -> list[Section]:
    d = ctx.hb.index["drills"][drill_id]
    overdue = badge("overdue", "bad") if is_overdue(d, ctx.today) else EMPTY
    facts = definition_list([
        ("Type", h("{} {}", TYPE.get(d.type, d.type), overdue)),
        ("Levels exercised", joined(level_badge(ctx, lv) for lv in d.levels)),
        ("Departments", joined(dept_name(ctx, x, link) for x in d.departments)),
        ("Systems down in the scenario", joined(dep_name(ctx, x) for x in d.scenario.failed_dependencies)),
        ("Facilitator", person_name(ctx, d.facilitator)),
        ("How often", f"every {dur(d.cadence)}" if d.cadence else "once"),
        ("Length", dur(d.length) if d.length else ""),
    ])
    sections = [
        Section(d.title, facts, f"drill-{d.id}"),
        Section("Scenario", md(d.scenario.narrative), "scenario"),
        Section("Objectives", ul(d.objectives), "objectives"),
    ]
    if d.injects:
        rows = [[f"+{dur(i.at)}", i.message, i.expected_action, role_name(ctx, i.role, link) if i.role else "—"] for i in d.injects]
        sections.append(Section("Injects", table(["When", "What happens", "Expected response", "Who acts"], rows, "hb-injects"), "injects"))
    acts = open_actions(d)
    if acts:
        sections.append(Section("Open actions", ul(action_html(ctx, action) for _, action in acts), "open-actions"))
    runs = sorted(d.runs, key=lambda r: r.date, reverse=True)
    if runs:
        sections.append(Section("Runs", join(run_html(ctx, d, r, link) for r in runs), "runs"))
    return sections


@page_view("drills")
def drills_page(ctx: BuildContext, link: Linker) -> list[Section]:
    intro = Html(
        "<p>We practise so that the real thing feels familiar. Tabletops talk a scenario through; "
        "game days switch things off for real. Every department takes part at least once a year.</p>"
    )
    open_rows = []
    for d in ctx.hb.drills:
        for _run, action in open_actions(d):
            open_rows.append([link.a(f"drill:{d.id}", d.title), action_html(ctx, action)])
    sections = [Section("Drills and exercises", intro), Section("Programme", calendar(ctx, link), "programme")]
    if open_rows:
        sections.append(Section("Open actions from drills", table(["Drill", "Action"], open_rows, "hb-actions"), "open-actions"))
    return sections
