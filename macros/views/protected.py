"""The "Protected edition" page's block: whether this build publishes one, and where.

The words, the threat model and its figures are in docs/protected-edition.md and
macros/partials/protected/; the edition itself is written by handbook/protect.py.
"""

from __future__ import annotations

from preparedness_handbook.macros.context import BuildContext
from preparedness_handbook.macros.render.html import Html
from preparedness_handbook.macros.render.partials import partial
from preparedness_handbook.macros.site.blocks import block
from preparedness_handbook.macros.site.pages import Linker


@block("protected.status")
def status(ctx: BuildContext, link: Linker) -> Html:
    """This build's protected edition: its address (from the public site), that this is it (in the
    edition itself), or that the build has none."""
    href = None
    if ctx.protected and ctx.public:
        href = link.asset("protected/") if link.mode == "site" and not link.offline_copy else ctx.protected_url
    return partial(ctx, "protected/status.html", protected=ctx.protected, inside=ctx.protected and not ctx.public,
                   href=href, url=ctx.protected_url)
