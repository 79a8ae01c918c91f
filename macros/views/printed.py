"""The "Printed binders" page: every PDF of this build, what it is for, and when it was built."""

from __future__ import annotations

from preparedness_handbook.macros.context import BuildContext
from preparedness_handbook.macros.render.html import EMPTY, Html, e, h, join, table, tag, ul
from preparedness_handbook.macros.render.sections import Section
from preparedness_handbook.macros.site.blocks import page_view
from preparedness_handbook.macros.site.pages import Linker

PAPER_NOTE = "Print double-sided. Keep one binder at home and one at your desk. Replace it by the review date."


def binder_list(ctx: BuildContext) -> list[tuple[str, str, str]]:
    """(file name, title, who it is for) for every PDF the build writes, volumes included.

    Comes from the binder step's own plan (macros/printing/binders.py), so the page lists what is built.
    """
    from preparedness_handbook.macros.printing.binders import print_plan

    return [(f.name, f.title, f.who) for f in print_plan(ctx)]


def volumes_note(ctx: BuildContext) -> Html:
    """A sentence on why some documents come in volumes, when they do."""
    from preparedness_handbook.macros.printing.binders import volume_counts
    from preparedness_handbook.macros.printing.volumes import max_pages

    counts = volume_counts(ctx)
    books, trees = counts.get("handbook", 0), counts.get("call-tree", 0)
    if not books and trees < 2:
        return EMPTY
    parts = []
    if books:
        parts.append(h("The whole handbook leaves out what is printed elsewhere (each department's page is in its "
                       "department binder, the call tree branch by branch on the call-tree sheets) and comes in "
                       "{} volumes.", books))
    if trees > 1:
        parts.append(h("The call-tree sheets come in {} volumes.", trees))
    return tag("p", h("Each printed document is kept to about {} pages, so that it fits in one binder. "
                      "Documents with dense pages, such as the call-tree sheets, are kept shorter, so that the computer "
                      "that prints them does not run out of memory. {}", max_pages(), join(parts, " ")))


@page_view("printed")
def printed_page(ctx: BuildContext, link: Linker) -> list[Section]:
    intro = tag("p", "When laptops, sign-in, chat and e-mail are all down, paper still works.") + tag(
        "p",
        h("Built on <strong>{}</strong> from version <code>{}</code> of the handbook data. "
          "Review by <strong>{}</strong>. {}",
          ctx.built.strftime("%-d %b %Y at %H:%M %Z"), ctx.version, ctx.review_by.strftime("%-d %b %Y"), PAPER_NOTE),
    )
    if ctx.pdf:
        rows = [[h('<a href="{}">{}</a>', link.asset("pdf/" + name), title), h("<code>{}</code>", name), e(who)]
                for name, title, who in binder_list(ctx)]
        files = table(["File", "Name", "For"], rows, "hb-binders")
        files = volumes_note(ctx) + files
    else:
        files = tag("p", "This build skipped the PDFs (it was run with --no-pdf).", "hb-muted")
    extras = [
        h('<a href="{}">Drill calendar</a>: add it to your calendar to see every planned drill.',
          link.asset("exports/drills.ics")),
    ]
    if not ctx.public:
        extras.append(h('<a href="{}">Contacts for your phone</a>: everyone in the call tree, the bridge line and '
                        "partner hotlines. Each department also has its own file.", link.asset("exports/contacts/all.vcf")))
    extras += [
        h('<a href="{}">The handbook as data</a>, for other tools.', link.asset("exports/handbook.json")),
        h('<a href="{}">Offline copy of this site</a>: unzip it on a laptop or USB stick and open '
          "<code>handbook/index.html</code>. Search works without a network.", link.asset("offline/handbook-offline.zip")),
    ]
    return [
        Section("Printed binders", intro + files),
        Section("For your phone and calendar", ul(extras), "phone-and-calendar"),
    ]
