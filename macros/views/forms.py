"""Forms and signs: the paper pages to copy for when systems are down (forms.yaml), one page
each, listed on the forms page and printed in the binders whose actions name them.

The words are in macros/partials/forms/; this module gathers what they print.
"""

from __future__ import annotations

from types import SimpleNamespace

from preparedness_handbook.macros.context import BuildContext
from preparedness_handbook.macros.render.html import Html
from preparedness_handbook.macros.render.partials import partial
from preparedness_handbook.macros.render.sections import Section
from preparedness_handbook.macros.site.blocks import block, item_view
from preparedness_handbook.macros.site.pages import Linker
from preparedness_handbook.validators.queries import form_users

POSTMORTEM_FORM = "postmortem"  # the built-in form (FormRef allows it): the blank postmortem form


def form_html(ctx: BuildContext, fid: str) -> Html:
    """A form as a page to fill in by hand, or a sign as large text."""
    return partial(ctx, "forms/form.html", f=ctx.hb.form(fid))


def form_link(ctx: BuildContext, fid: str, link: Linker) -> Html:
    """The form's name, linked to its page (in print: to its page in this binder, whose number
    the print style adds)."""
    if fid == POSTMORTEM_FORM:
        return link.a("rca", partial(ctx, "forms/postmortem_name.html"), "template")
    return link.a(f"form:{fid}", ctx.hb.form(fid).name)


@block("forms.list")
def forms_list(ctx: BuildContext, link: Linker) -> Html:
    """Every form and sign, linked, with what it is for and the departments whose actions use it."""
    hb = ctx.hb
    forms = [
        SimpleNamespace(f=f, name=link.a(f"form:{f.id}", f.name),
                        users=[link.a(f"department:{d}", hb.department(d).name) for d in form_users(hb, f.id)])
        for f in hb.forms
    ]
    return partial(ctx, "forms/list.html", forms=forms)


@item_view("form")
def form_page(ctx: BuildContext, fid: str, link: Linker) -> list[Section]:
    return [Section(ctx.hb.form(fid).name, form_html(ctx, fid), f"form-{fid}")]
