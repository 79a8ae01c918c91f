"""The escalation page's blocks: each chain as a timed diagram and the same steps as a list.

The words are in docs/escalation.md and macros/partials/escalation/ (the diagram's labels are
in render/svg.py); this module gathers what they print.
"""

from __future__ import annotations

from types import SimpleNamespace

from preparedness_handbook.macros.context import BuildContext
from preparedness_handbook.macros.render.html import EMPTY, Html
from preparedness_handbook.macros.render.partials import partial
from preparedness_handbook.macros.render.sections import Section
from preparedness_handbook.macros.render.svg import escalation_svg
from preparedness_handbook.macros.site.blocks import block
from preparedness_handbook.macros.site.pages import Linker
from preparedness_handbook.macros.views.common import (
    channel_name,
    dept_name,
    dur,
    joined,
    level_badge,
    partner_name,
    person_name,
    role_name,
)


def step_items(ctx: BuildContext, chain_id: str, link: Linker, only_department: str | None = None) -> Html:
    """A chain's steps as a list (only those that tell ``only_department``, when given)."""
    chain = ctx.hb.chain(chain_id)
    steps = []
    for step in chain.steps:
        if only_department and only_department not in step.departments:
            continue
        who = (
            [role_name(ctx, r, link) for r in step.roles]
            + [person_name(ctx, p) for p in step.people]
            + [dept_name(ctx, d, link) for d in step.departments]
            + [partner_name(ctx, p, link) for p in step.partners]
        )
        steps.append(SimpleNamespace(
            after=dur(step.after) if step.after.total_seconds() else EMPTY,
            who=joined(who),
            via=[channel_name(ctx, c, link) for c in step.via],
            note=step.note,
            only_when=list(step.only_when),
        ))
    return partial(ctx, "escalation/steps.html", steps=steps)


def chain_section(ctx: BuildContext, chain_id: str, link: Linker) -> Section:
    chain = ctx.hb.chain(chain_id)
    body = partial(
        ctx, "escalation/chain.html", chain=chain,
        levels=joined(level_badge(ctx, lv) for lv in chain.levels),
        diagram=escalation_svg(ctx, chain),
        steps=step_items(ctx, chain_id, link),
        ack_timeout=dur(chain.ack_timeout) if chain.ack_timeout else "",
    )
    return Section(chain.name, body, f"chain-{chain.id}")


@block("escalation.chain")
def chain(ctx: BuildContext, link: Linker, chain_id: str) -> list[Section]:
    """One chain's section: ``{{ block("escalation.chain", "critical") }}``."""
    return [chain_section(ctx, chain_id, link)]


@block("escalation.chains")
def chains(ctx: BuildContext, link: Linker) -> list[Section]:
    """Every chain's section, in the order of escalation.yaml."""
    return [chain_section(ctx, c.id, link) for c in ctx.hb.chains]
