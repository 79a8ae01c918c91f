"""The severity matrix and one detail section per level."""

from __future__ import annotations

from preparedness_handbook.macros.context import BuildContext
from preparedness_handbook.macros.render.html import EMPTY, Html, e, h, join, table, tag, ul
from preparedness_handbook.macros.render.sections import Section
from preparedness_handbook.macros.site.pages import Linker
from preparedness_handbook.macros.views.common import (
    channel_name,
    definition_list,
    dept_name,
    dur,
    joined,
    level_badge,
    role_name,
)


def declare_text(ctx: BuildContext, lid: str) -> Html:
    lv = ctx.hb.level(lid)
    who = ["anyone" if w == "anyone" else ctx.hb.index["roles"][w].name for w in lv.who_may_declare if w == "anyone" or w in ctx.hb.index["roles"]]
    return e("Anyone on staff") if "anyone" in who else joined(who)


def matrix(ctx: BuildContext, link: Linker) -> Html:
    rows = []
    for lv in ctx.hb.levels:
        rows.append([
            link.a("severity", level_badge(ctx, lv.id), f"level-{lv.id}"),
            e(lv.summary) + ul(lv.criteria[:3], "hb-compact"),
            h("{}<br><small>{}</small>", dur(lv.response.acknowledge_within), 'day and night' if lv.response.coverage == '24x7' else 'business hours'),
            f"every {dur(lv.update_every)}",
            declare_text(ctx, lv.id),
            "Yes" if lv.postmortem.required else "If useful",
        ])
    return table(
        ["Level", "What it looks like", "Answer within", "Updates", "Who may declare", "Postmortem"],
        rows, "hb-matrix", "Severity levels, most severe first",
    )


def level_section(ctx: BuildContext, lid: str, link: Linker) -> Section:
    hb = ctx.hb
    lv = hb.level(lid)
    examples = []
    for ex in lv.examples:
        who = h("<strong>{}:</strong> ", dept_name(ctx, ex.department, link)) if ex.department else EMPTY
        examples.append(who + ex.text)
    pm = lv.postmortem
    pm_text = (
        f"Required. Review meeting within {dur(pm.meeting_within)}; actions due within {dur(pm.actions_due_within)}."
        if pm.required else "Not required; write one if there is something to learn."
    )
    body = join([
        tag("p", lv.summary, "hb-lead"),
        tag("h4", "You are here if") + ul(lv.criteria),
        tag("h4", "Examples") + ul(examples),
        definition_list([
            ("Answer within", f"{dur(lv.response.acknowledge_within)} ({'day and night, every day' if lv.response.coverage == '24x7' else 'business hours'})"),
            ("Who may declare", declare_text(ctx, lid)),
            ("When unsure", "Choose this level rather than the one below." if lv.when_unsure_choose_higher else ""),
            ("Roles engaged", joined(role_name(ctx, r, link) for r in lv.roles_engaged)),
            ("Departments told", joined(dept_name(ctx, d, link) for d in lv.departments_notified)),
            ("Status updates", f"every {dur(lv.update_every)}"),
            ("Channels", joined(channel_name(ctx, c, link) for c in lv.channels)),
            ("Public notice", "Yes — customers and the public are told" if lv.public_notice else "No"),
            ("Escalation", link.a("escalation", hb.chain(lv.escalation).name, f"chain-{lv.escalation}") if lv.escalation in hb.index["chains"] else ""),
            ("Postmortem", pm_text),
        ]),
    ])
    return Section(lv.name, body, f"level-{lv.id}")


def severity_page(ctx: BuildContext, link: Linker) -> list[Section]:
    intro = Html(
        "<p>Pick the level that matches what you see <strong>now</strong>. If you are not sure, pick the "
        "higher one: it is easy to step down later, and costly to start too low.</p>"
    )
    return [
        Section("Severity levels", intro + matrix(ctx, link)),
        *[level_section(ctx, lv.id, link) for lv in ctx.hb.levels],
    ]
