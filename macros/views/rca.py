"""Root cause analysis: the Correction-of-Errors process, the blank template, and each postmortem.

The words are in macros/partials/rca/; this module gathers what they print.
"""

from __future__ import annotations

from types import SimpleNamespace

from preparedness_handbook.macros.context import BuildContext
from preparedness_handbook.macros.render.html import EMPTY, Html, md
from preparedness_handbook.macros.render.partials import partial
from preparedness_handbook.macros.render.sections import Section
from preparedness_handbook.macros.site.blocks import block, item_view
from preparedness_handbook.macros.site.pages import Linker
from preparedness_handbook.macros.views.common import date, dur, level_badge, person_name
from preparedness_handbook.macros.views.drills import action_html, title_text
from preparedness_handbook.validators.queries import open_items


def process_html(ctx: BuildContext) -> Html:
    """The steps from incident to shared lessons, as an ordered list."""
    return partial(ctx, "rca/process.html")


def form_html(ctx: BuildContext, lines_per_row: float = 1.0) -> Html:
    """The blank form: each field with ruled space to write by hand."""
    return partial(ctx, "rca/form.html", lines_per_row=lines_per_row)


@block("rca.process")
def process(ctx: BuildContext, link: Linker) -> Html:
    return process_html(ctx)


@block("rca.form")
def form(ctx: BuildContext, link: Linker, lines_per_row: float = 1.0) -> Html:
    return form_html(ctx, lines_per_row)


@block("rca.postmortems")
def postmortems(ctx: BuildContext, link: Linker) -> Html:
    """Every postmortem, newest first, with its open actions counted."""
    rows = [
        SimpleNamespace(pm=pm, title=link.a(f"postmortem:{pm.id}", pm.title), date=date(pm.incident_date),
                        level=level_badge(ctx, pm.level), open=len(open_items(pm)))
        for pm in sorted(ctx.hb.postmortems, key=lambda p: p.incident_date, reverse=True)
    ]
    return partial(ctx, "rca/postmortems.html", postmortems=rows)


@item_view("postmortem")
def postmortem_page(ctx: BuildContext, pm_id: str, link: Linker) -> list[Section]:
    pm = ctx.hb.index["postmortems"][pm_id]
    lv = ctx.hb.index["levels"].get(pm.level)

    def title(which: str) -> str:
        return title_text(ctx, "rca/titles.html", which)

    facts = SimpleNamespace(
        pm=pm,
        date=date(pm.incident_date),
        level=level_badge(ctx, pm.level),
        owner=person_name(ctx, pm.owner),
        review=date(pm.review_meeting) if pm.review_meeting else EMPTY,
        meeting_within=dur(lv.postmortem.meeting_within) if lv and lv.postmortem and lv.postmortem.meeting_within else EMPTY,
    )
    sections = [
        Section(pm.title, partial(ctx, "rca/facts.html", v=facts), f"postmortem-{pm.id}"),
        Section(title("impact"), md(pm.impact), "impact"),
    ]
    if pm.timeline:
        entries = [SimpleNamespace(at=t.at.strftime("%-d %b %H:%M") if hasattr(t.at, "hour") else date(t.at), text=t.text)
                   for t in pm.timeline]
        sections.append(Section(title("timeline"), partial(ctx, "rca/timeline.html", entries=entries), "timeline"))
    sections.append(Section(title("causes"), partial(ctx, "rca/causes.html", pm=pm), "causes"))
    lessons = partial(ctx, "rca/lessons.html", lessons=pm.lessons)
    if lessons:
        sections.append(Section(title("lessons"), lessons, "lessons"))
    if pm.action_items:
        actions = [SimpleNamespace(a=a, line=action_html(ctx, a)) for a in pm.action_items]
        sections.append(Section(title("actions"), partial(ctx, "rca/actions.html", actions=actions), "actions"))
    return sections
