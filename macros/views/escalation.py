"""Escalation chains: a timed diagram and the same steps as a list for screen readers."""

from __future__ import annotations

from preparedness_handbook.macros.context import BuildContext
from preparedness_handbook.macros.render.html import EMPTY, Html, h, join, tag
from preparedness_handbook.macros.render.sections import Section
from preparedness_handbook.macros.render.svg import escalation_svg
from preparedness_handbook.macros.site.blocks import page_view
from preparedness_handbook.macros.site.pages import Linker
from preparedness_handbook.macros.views.common import (
    channel_name,
    dept_name,
    dur,
    either,
    joined,
    level_badge,
    partner_name,
    person_name,
    role_name,
)


def step_items(ctx: BuildContext, chain_id: str, link: Linker, only_department: str | None = None) -> Html:
    chain = ctx.hb.chain(chain_id)
    items = []
    for step in chain.steps:
        if only_department and only_department not in step.departments:
            continue
        who = (
            [role_name(ctx, r, link) for r in step.roles]
            + [person_name(ctx, p) for p in step.people]
            + [dept_name(ctx, d, link) for d in step.departments]
            + [partner_name(ctx, p, link) for p in step.partners]
        )
        when = "At once" if step.after.total_seconds() == 0 else f"After {dur(step.after)}"
        note = h(" {}", step.note) if step.note else EMPTY
        items.append(h(
            "<li><strong>{}.</strong> Tell {}. Use {}.{}</li>",
            when, joined(who), either([channel_name(ctx, c, link) for c in step.via]), note,
        ))
    return tag("ol", join(items), "hb-steps") if items else EMPTY


def chain_section(ctx: BuildContext, chain_id: str, link: Linker) -> Section:
    chain = ctx.hb.chain(chain_id)
    body = join([
        # Kept with its diagram in print, so a chain's heading never ends a page alone.
        tag("p", h("Used for: {}", joined(level_badge(ctx, lv) for lv in chain.levels)), "hb-keep-next"),
        tag("div", escalation_svg(ctx, chain), "hb-figure", aria_hidden="true"),
        tag("h4", "Steps"),
        step_items(ctx, chain_id, link),
        tag("p", f"If nobody acknowledges within {dur(chain.ack_timeout)}, go to the next person or backup.", "hb-note"),
    ])
    return Section(chain.name, body, f"chain-{chain.id}")


@page_view("escalation")
def escalation_page(ctx: BuildContext, link: Linker) -> list[Section]:
    intro = Html(
        "<p>Each severity level follows one escalation chain. The clock starts when the incident is "
        "declared. Each step says who is told and how. If the first channel fails, use the next one.</p>"
    )
    return [Section("Escalation", intro), *[chain_section(ctx, c.id, link) for c in ctx.hb.chains]]
