"""The severity page's blocks: the matrix of levels and one section per level.

The words are in macros/partials/severity/; this module gathers what they print.
"""

from __future__ import annotations

from types import SimpleNamespace

from preparedness_handbook.macros.context import BuildContext
from preparedness_handbook.macros.render.html import Html
from preparedness_handbook.macros.render.partials import partial
from preparedness_handbook.macros.render.sections import Section
from preparedness_handbook.macros.site.blocks import block
from preparedness_handbook.macros.site.pages import Linker
from preparedness_handbook.macros.views.common import (
    channel_name,
    dept_name,
    dur,
    level_badge,
    role_name,
)
from preparedness_handbook.validators.queries import postmortem_required


def level_facts(ctx: BuildContext, lid: str, link: Linker) -> SimpleNamespace:
    """What the partials print of one level: names linked, durations written out."""
    hb = ctx.hb
    lv = hb.level(lid)
    roles = hb.index["roles"]
    pm = lv.postmortem
    return SimpleNamespace(
        lv=lv,
        badge=link.a("severity", level_badge(ctx, lv.id), f"level-{lv.id}"),
        anyone="anyone" in lv.who_may_declare,
        declarers=[roles[w].name for w in lv.who_may_declare if w in roles],
        acknowledge=dur(lv.response.acknowledge_within) if lv.response.acknowledge_within else "",
        mitigate=dur(lv.response.mitigate_within) if lv.response.mitigate_within else "",
        resolve=dur(lv.response.resolve_within) if lv.response.resolve_within else "",
        update_every=dur(lv.update_every) if lv.update_every else "",
        updates=[SimpleNamespace(every=dur(c.every), state=c.state, first=dur(c.first) if c.first else "",
                                 audience=c.audience) for c in lv.updates],
        examples=[SimpleNamespace(department=dept_name(ctx, ex.department, link) if ex.department else None, text=ex.text)
                  for ex in lv.examples],
        roles=[role_name(ctx, r, link) for r in lv.roles_engaged],
        departments=[dept_name(ctx, d, link) for d in lv.departments_notified],
        channels=[channel_name(ctx, c, link) for c in lv.channels],
        led_by=[role_name(ctx, r.id, link) for r in hb.roles if lv.id in r.leads],
        chain=link.a("escalation", hb.chain(lv.escalation).name, f"chain-{lv.escalation}") if lv.escalation in hb.index["chains"] else None,
        pm=SimpleNamespace(
            required=postmortem_required(lv),
            due_within=dur(pm.due_within) if pm and pm.due_within else "",
            meeting_within=dur(pm.meeting_within) if pm and pm.meeting_within else "",
            actions_due_within=dur(pm.actions_due_within) if pm and pm.actions_due_within else "",
            approvers=[role_name(ctx, r, link) for r in pm.approvers] if pm else [],
        ),
    )


@block("severity.matrix")
def matrix(ctx: BuildContext, link: Linker) -> Html:
    """Every level in one table, most severe first."""
    return partial(ctx, "severity/matrix.html", levels=[level_facts(ctx, lv.id, link) for lv in ctx.hb.levels])


def level_section(ctx: BuildContext, lid: str, link: Linker) -> Section:
    lv = ctx.hb.level(lid)
    return Section(lv.name, partial(ctx, "severity/level.html", v=level_facts(ctx, lid, link)), f"level-{lv.id}")


@block("severity.levels")
def levels(ctx: BuildContext, link: Linker) -> list[Section]:
    """One section per level: what it looks like, who is told, how fast."""
    return [level_section(ctx, lv.id, link) for lv in ctx.hb.levels]
