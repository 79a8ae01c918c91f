"""The roles page's blocks: each role's duties, authorities, and who holds it in what order.

The words are in docs/roles.md and macros/partials/roles/; this module gathers what they print.
"""

from __future__ import annotations

from preparedness_handbook.macros.context import BuildContext
from preparedness_handbook.macros.render.html import Html
from preparedness_handbook.macros.render.partials import partial
from preparedness_handbook.macros.render.sections import Section
from preparedness_handbook.macros.site.blocks import block
from preparedness_handbook.macros.site.pages import Linker
from preparedness_handbook.macros.views.common import joined, level_badge, person_line


def role_holders(ctx: BuildContext, rid: str, link: Linker) -> Html:
    """The primary and the backups, each with the number to dial."""
    r = ctx.hb.role(rid)
    return partial(ctx, "roles/holders.html", primary=person_line(ctx, r.primary, link) if r.primary else "",
                   holders=[person_line(ctx, p, link) for p in r.holders if p != r.primary],
                   filled_by=r.filled_by, reach=_dial(ctx, r.reach) if r.reach else "",
                   backups=[person_line(ctx, b, link) for b in r.backups])


def role_section(ctx: BuildContext, rid: str, link: Linker) -> Section:
    r = ctx.hb.role(rid)
    body = partial(ctx, "roles/role.html", r=r, engaged=joined(level_badge(ctx, lv) for lv in r.activated_at) if r.activated_at else "",
                   leads=joined(level_badge(ctx, lv) for lv in r.leads) if r.leads else "",
                   holders=role_holders(ctx, rid, link))
    return Section(r.name, body, f"role-{r.id}")


@block("roles.role")
def role(ctx: BuildContext, link: Linker, rid: str) -> list[Section]:
    """One role's section: ``{{ block("roles.role", "scribe") }}``."""
    return [role_section(ctx, rid, link)]


@block("roles.all")
def all_roles(ctx: BuildContext, link: Linker) -> list[Section]:
    """Every role's section, the incident manager first."""
    hb = ctx.hb
    im = hb.incident_manager
    return [role_section(ctx, r.id, link) for r in ([im] if im else []) + [r for r in hb.roles if not r.incident_manager]]


def _dial(ctx: BuildContext, cid: str) -> Html:
    from preparedness_handbook.macros.views.communications import (
        dial,  # the communications views import this module
    )

    return dial(ctx, cid)
