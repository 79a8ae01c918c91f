"""Root cause analysis: the Correction-of-Errors process, the blank template, and each postmortem."""

from __future__ import annotations

from preparedness_handbook.macros.context import BuildContext
from preparedness_handbook.macros.render.html import EMPTY, Html, h, join, md, table, tag, ul
from preparedness_handbook.macros.render.sections import Section
from preparedness_handbook.macros.site.blocks import item_view, page_view
from preparedness_handbook.macros.site.pages import Linker
from preparedness_handbook.macros.views.common import (
    badge,
    date,
    definition_list,
    dur,
    level_badge,
    person_name,
)
from preparedness_handbook.macros.views.drills import action_html
from preparedness_handbook.validators.models.postmortems import Postmortem
from preparedness_handbook.validators.queries import open_items

PROCESS = [
    "Within a day of resolving the incident, the incident manager names an owner for the postmortem.",
    "The owner writes the timeline from notes, chat logs and call logs while memories are fresh.",
    "Hold the review meeting within the time set for the level. Everyone involved is invited, from every department.",
    "Ask “why?” until you reach a cause you can fix. Look for conditions, not culprits: no blame.",
    "Agree actions. Each has one owner and a due date, and goes into the tracker.",
    "Share the result with the whole organization, and check the actions at each monthly review.",
]

TEMPLATE_FIELDS = [
    ("Title", 1), ("Incident date and severity level", 1), ("Owner", 1), ("Summary: what happened, in three sentences", 4),
    ("Impact: who was affected, how much, for how long", 4), ("Timeline: key moments with times", 8),
    ("How we found out (detection)", 2), ("What set it off (trigger)", 2), ("What made it worse (contributing factors)", 4),
    ("Five whys: ask why until the root cause", 6), ("Root cause, in one sentence", 2), ("How it was resolved", 3),
    ("What went well", 3), ("What went wrong", 3), ("Where we got lucky", 2),
    ("Actions: what, type, owner, due date, ticket", 6),
]


def template_html(lines_per_row: float = 1.0) -> Html:
    """The blank form: each field with ruled space to write by hand."""
    rows = []
    for label, n in TEMPLATE_FIELDS:
        space = Html('<div class="hb-rule"></div>' * max(1, int(n * lines_per_row)))
        rows.append(h('<div class="hb-field"><div class="hb-field-label">{}</div>{}</div>', label, space))
    return tag("div", join(rows), "hb-form")


def status_badge(pm: Postmortem) -> Html:
    return badge({"draft": "draft", "in-review": "in review", "closed": "closed"}[pm.status], "ok" if pm.status == "closed" else "info")


@item_view("postmortem")
def postmortem_page(ctx: BuildContext, pm_id: str, link: Linker) -> list[Section]:
    pm = ctx.hb.index["postmortems"][pm_id]
    lv = ctx.hb.index["levels"].get(pm.level)
    facts = definition_list([
        ("Incident date", date(pm.incident_date)),
        ("Level", level_badge(ctx, pm.level)),
        ("Status", status_badge(pm)),
        ("Owner", person_name(ctx, pm.owner)),
        ("Review meeting", date(pm.review_meeting) if pm.review_meeting else "not yet held"),
        ("Meeting due within", dur(lv.postmortem.meeting_within) if lv and lv.postmortem.meeting_within else ""),
    ])
    sections = [
        Section(pm.title, facts + md(pm.summary), f"postmortem-{pm.id}"),
        Section("Impact", md(pm.impact), "impact"),
    ]
    if pm.timeline:
        rows = [[t.at.strftime("%-d %b %H:%M") if hasattr(t.at, "hour") else date(t.at), t.text] for t in pm.timeline]
        sections.append(Section("Timeline", table(["When", "What happened"], rows, "hb-timeline"), "timeline"))
    cause = definition_list([
        ("How we found out", pm.detection), ("What set it off", pm.trigger), ("Root cause", pm.root_cause),
        ("How it was resolved", pm.resolution),
    ])
    cause += (tag("h4", "What made it worse") + ul(pm.contributing_factors)) if pm.contributing_factors else EMPTY
    cause += (tag("h4", "Five whys") + tag("ol", join(tag("li", w) for w in pm.five_whys))) if pm.five_whys else EMPTY
    sections.append(Section("Causes", cause, "causes"))
    lessons = join(
        tag("h4", title) + ul(items)
        for title, items in (("Went well", pm.lessons.went_well), ("Went wrong", pm.lessons.went_wrong), ("Got lucky", pm.lessons.got_lucky))
        if items
    )
    if lessons:
        sections.append(Section("Lessons", lessons, "lessons"))
    if pm.action_items:
        rows = [[a.type, action_html(ctx, a)] for a in pm.action_items]
        sections.append(Section("Corrections of error (actions)", table(["Type", "Action"], rows, "hb-actions"), "actions"))
    return sections


@page_view("rca")
def rca_page(ctx: BuildContext, link: Linker) -> list[Section]:
    intro = Html(
        "<p>After every incident at a level that requires it, we write a <strong>Correction of Errors</strong> "
        "document (also called a postmortem or root cause analysis). It explains what happened and what we "
        "will change so it does not happen again. It never names a person as the cause.</p>"
    )
    rows = [
        [link.a(f"postmortem:{pm.id}", pm.title), date(pm.incident_date), level_badge(ctx, pm.level), status_badge(pm),
         str(len(open_items(pm)))]
        for pm in sorted(ctx.hb.postmortems, key=lambda p: p.incident_date, reverse=True)
    ]
    return [
        Section("Root cause analysis", intro),
        Section("The process", tag("ol", join(tag("li", s) for s in PROCESS)), "process"),
        Section("Postmortems", table(["Title", "Date", "Level", "Status", "Open actions"], rows, "hb-postmortems") if rows else Html("<p>None yet.</p>"), "postmortems"),
        Section("The template", Html("<p>Copy these headings, or print the blank form from the printed binders page.</p>") + template_html(0.5), "template"),
    ]
