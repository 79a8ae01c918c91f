"""Drills: the programme calendar, each drill's page, findings and open actions.

The words are in macros/partials/drills/; this module gathers what they print.
"""

from __future__ import annotations

from types import SimpleNamespace

from preparedness_handbook.macros.context import BuildContext
from preparedness_handbook.macros.render.html import EMPTY, Html, join, md, tag, ul
from preparedness_handbook.macros.render.partials import partial
from preparedness_handbook.macros.render.sections import Section
from preparedness_handbook.macros.site.blocks import block, item_view
from preparedness_handbook.macros.site.pages import Linker
from preparedness_handbook.macros.views.common import (
    date,
    dep_name,
    dept_name,
    dur,
    joined,
    level_badge,
    person_name,
    role_name,
)
from preparedness_handbook.validators.models.drills import Action, Drill, Run
from preparedness_handbook.validators.queries import (
    action_overdue,
    is_overdue,
    last_done,
    next_planned,
    open_actions,
    run_departments,
)


def title_text(ctx: BuildContext, name: str, which: str) -> str:
    """A heading from a titles partial (``drills/titles.html``), as the plain text a Section takes."""
    return partial(ctx, name, which=which).unescape()


def action_html(ctx: BuildContext, action: Action | None) -> Html:
    """One corrective action on a line: what, who, when, its state (or 'no action')."""
    a = SimpleNamespace(action=action, owner=EMPTY, due="", overdue=False)
    if action is not None:
        a.owner = person_name(ctx, action.owner) if action.owner else EMPTY
        a.due = date(action.due)
        a.overdue = action_overdue(action, ctx.today)
    return partial(ctx, "drills/action.html", a=a)


def drill_facts(ctx: BuildContext, d: Drill, link: Linker) -> SimpleNamespace:
    """What the partials print of one drill in a list: its name linked, dates written out."""
    last, nxt = last_done(d, ctx.today), next_planned(d, ctx.today)
    return SimpleNamespace(
        d=d,
        title=link.a(f"drill:{d.id}", d.title),
        strong_title=link.a(f"drill:{d.id}", tag("strong", d.title)),
        levels=joined(level_badge(ctx, lv) for lv in d.levels),
        last=date(last.date) if last else EMPTY,
        next=date(nxt.date) if nxt else EMPTY,
        overdue=is_overdue(d, ctx.today),
        cadence=dur(d.cadence) if d.cadence else EMPTY,
    )


def calendar(ctx: BuildContext, link: Linker, drills: list[Drill] | None = None) -> Html:
    """The programme: every drill (or ``drills``) in one table."""
    chosen = drills if drills is not None else ctx.hb.drills
    return partial(ctx, "drills/calendar.html", drills=[drill_facts(ctx, d, link) for d in chosen])


@block("drills.calendar")
def calendar_block(ctx: BuildContext, link: Linker) -> Html:
    return calendar(ctx, link)


@block("drills.open_actions")
def open_actions_block(ctx: BuildContext, link: Linker) -> Html:
    """Every drill's open actions in one table; empty when there are none."""
    rows = [
        SimpleNamespace(drill=link.a(f"drill:{d.id}", d.title), action=action_html(ctx, action))
        for d in ctx.hb.drills for _run, action in open_actions(d)
    ]
    return partial(ctx, "drills/open_actions.html", rows=rows)


def drill_sentences(ctx: BuildContext, link: Linker, drills: list[Drill]) -> Html:
    """Drills as short sentences, for pages read by non-engineers."""
    return partial(ctx, "drills/sentences.html", drills=[drill_facts(ctx, d, link) for d in drills])


def run_html(ctx: BuildContext, d: Drill, r: Run, link: Linker) -> Html:
    v = SimpleNamespace(
        r=r,
        date=date(r.date),
        departments=joined(dept_name(ctx, x, link) for x in run_departments(d, r)),
        reached=format(r.reached_percent, "g") if r.reached_percent is not None else None,
        findings=[SimpleNamespace(text=f.text, action=action_html(ctx, f.action)) for f in r.findings],
    )
    return partial(ctx, "drills/run.html", v=v)


@item_view("drill")
def drill_page(ctx: BuildContext, drill_id: str, link: Linker) -> list[Section]:
    d = ctx.hb.index["drills"][drill_id]

    def title(which: str) -> str:
        return title_text(ctx, "drills/titles.html", which)

    facts = SimpleNamespace(
        d=d,
        overdue=is_overdue(d, ctx.today),
        levels=joined(level_badge(ctx, lv) for lv in d.levels),
        departments=joined(dept_name(ctx, x, link) for x in d.departments),
        systems=joined(dep_name(ctx, x) for x in d.scenario.failed_dependencies),
        facilitator=person_name(ctx, d.facilitator) if d.facilitator else "",
        cadence=dur(d.cadence) if d.cadence else EMPTY,
        length=dur(d.length) if d.length else EMPTY,
    )
    sections = [
        Section(d.title, partial(ctx, "drills/facts.html", v=facts), f"drill-{d.id}"),
        Section(title("scenario"), md(d.scenario.narrative), "scenario"),
        Section(title("objectives"), ul(d.objectives), "objectives"),
    ]
    if d.injects:
        injects = [SimpleNamespace(i=i, at=dur(i.at), start=not i.at, role=role_name(ctx, i.role, link) if i.role else EMPTY) for i in d.injects]
        sections.append(Section(title("injects"), partial(ctx, "drills/injects.html", injects=injects), "injects"))
    acts = open_actions(d)
    if acts:
        sections.append(Section(title("open-actions"), ul(action_html(ctx, action) for _, action in acts), "open-actions"))
    runs = sorted(d.runs, key=lambda r: r.date, reverse=True)
    if runs:
        sections.append(Section(title("runs"), join(run_html(ctx, d, r, link) for r in runs), "runs"))
    return sections
