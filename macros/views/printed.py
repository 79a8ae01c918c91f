"""The "Printed binders" page's blocks: every PDF of this build, what it is for, and when it was built.

The words are in docs/printed.md and macros/partials/printed/; this module gathers what they print.
"""

from __future__ import annotations

from types import SimpleNamespace

from preparedness_handbook.macros.context import BuildContext
from preparedness_handbook.macros.render.html import Html
from preparedness_handbook.macros.render.partials import partial
from preparedness_handbook.macros.site.blocks import block
from preparedness_handbook.macros.site.pages import Linker


def binder_list(ctx: BuildContext) -> list[tuple[str, str, str]]:
    """(file name, title, who it is for) for every PDF the build writes, volumes included.

    Comes from the binder step's own plan (macros/printing/binders.py), so the page lists what is built.
    """
    from preparedness_handbook.macros.printing.binders import print_plan

    return [(f.name, f.title, f.who) for f in print_plan(ctx)]


def _hosted(ctx: BuildContext, path: str) -> str | None:
    """The page's address on the hosted site, when the organization gives one."""
    url = ctx.hb.organization.site_url
    return str(url).rstrip("/") + "/" + path if url else None


@block("printed.built")
def built(ctx: BuildContext, link: Linker) -> Html:
    """When and from which version this build was made, and when to replace a binder."""
    return partial(ctx, "printed/built.html", built=ctx.built, version=ctx.version, review_by=ctx.review_by)


@block("printed.files")
def files(ctx: BuildContext, link: Linker) -> Html:
    """Every PDF of the build (or why there are none), with a note when some come in volumes."""
    from preparedness_handbook.macros.printing.binders import volume_counts
    from preparedness_handbook.macros.printing.volumes import max_pages

    if not ctx.pdf:
        return partial(ctx, "printed/files.html", pdf=False)
    counts = volume_counts(ctx)
    # The offline copy holds the pages only: it names the files without linking them.
    rows = [SimpleNamespace(href=None if link.offline_copy else link.asset("pdf/" + name), name=name, title=title, who=who)
            for name, title, who in binder_list(ctx)]
    return partial(ctx, "printed/files.html", pdf=True, files=rows, max_pages=max_pages(),
                   books=counts.get("handbook", 0), trees=counts.get("call-tree", 0),
                   offline_copy=link.offline_copy, hosted=_hosted(ctx, "printed/"))


@block("printed.extras")
def extras(ctx: BuildContext, link: Linker) -> Html:
    """The calendar, the contacts (internal edition), the data and the offline copy."""
    if link.offline_copy:
        return partial(ctx, "printed/extras.html", offline_copy=True, hosted=_hosted(ctx, "printed/"))
    return partial(ctx, "printed/extras.html", public=ctx.public, offline_copy=False,
                   calendar=link.asset("exports/drills.ics"), contacts=link.asset("exports/contacts/all.vcf"),
                   data=link.asset("exports/handbook.json"),
                   offline=link.asset("offline/handbook-offline.zip") if ctx.offline else None)
