"""The home page's blocks: what to do right now, the department cards, the practices.

The words are in docs/index.md and macros/partials/home/; this module gathers what they print.
"""

from __future__ import annotations

from preparedness_handbook.macros.context import BuildContext
from preparedness_handbook.macros.render.html import EMPTY, Html, e
from preparedness_handbook.macros.render.partials import partial
from preparedness_handbook.macros.site.blocks import block
from preparedness_handbook.macros.site.pages import Linker
from preparedness_handbook.macros.views.common import dept_name, dur, person_line
from preparedness_handbook.macros.views.communications import dial, is_phone_line


@block("home.right_now")
def right_now(ctx: BuildContext, link: Linker) -> Html:
    """The first steps: the hotline, the incident manager, the bridge, the levels, the phone."""
    hb = ctx.hb
    im = hb.incident_manager
    return partial(
        ctx, "home/right_now.html", link=link,
        hotline=dial(ctx, hb.hotline_id),
        bridge=dial(ctx, hb.bridge_id),
        incident_manager=(person_line(ctx, im.first, link) if im.first else Html(e(im.filled_by))) if im else EMPTY,
        backups=[person_line(ctx, b, link) for b in im.backups] if im else [],
        no_call_within=dur(hb.call_tree.no_call_within) if hb.call_tree and hb.call_tree.no_call_within else "",
        hotline_is_phone=is_phone_line(hb, hb.hotline), has_tree=hb.call_tree is not None,
        without=hb.without_call_tree,
        protected=link.asset("protected/") if ctx.public and ctx.protected and link.mode == "site"
        and not link.offline_copy else (ctx.protected_url if ctx.public and ctx.protected else None),
    )


@block("home.departments")
def departments(ctx: BuildContext, link: Linker) -> Html:
    """One card per department, linked to its page."""
    return partial(ctx, "home/departments.html", departments=[dept_name(ctx, d.id, link) for d in ctx.hb.departments])


def partner_kinds(ctx: BuildContext) -> list[str]:
    """The partner categories the practices card names: those the organization must have
    (organization.yaml) and has, in that order; when it requires none, every one it has."""
    present = list(dict.fromkeys(p.category for p in ctx.hb.partners))
    required = [c for c in ctx.hb.organization.required_partner_categories or () if c in present]
    return required or present


@block("home.practices")
def practices(ctx: BuildContext, link: Linker) -> Html:
    """The cards of the practices, each linked to its page."""
    hb = ctx.hb
    return partial(
        ctx, "home/practices.html", link=link,
        levels=len(hb.levels),
        partner_kinds=partner_kinds(ctx),
        departments=[d.name for d in hb.departments],
    )
