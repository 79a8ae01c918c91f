"""The "Printed binders" page: every PDF of this build, what it is for, and when it was built."""

from __future__ import annotations

from .context import BuildContext
from .html import e, table, tag, ul
from .pages import Linker
from .sections import Section

PAPER_NOTE = "Print double-sided. Keep one binder at home and one at your desk. Replace it by the review date."


def binder_list(ctx: BuildContext) -> list[tuple[str, str, str]]:
    """(file name, title, who it is for) for every PDF the build writes, volumes included.

    Comes from the binder step's own plan (macros/binders.py), so the page lists what is built.
    """
    from .binders import print_plan

    return [(f.name, f.title, f.who) for f in print_plan(ctx)]


def volumes_note(ctx: BuildContext) -> str:
    """A sentence on why some documents come in volumes, when they do."""
    from .binders import volume_counts
    from .volumes import max_pages

    counts = volume_counts(ctx)
    books, trees = counts.get("handbook", 0), counts.get("call-tree", 0)
    if not books and trees < 2:
        return ""
    parts = []
    if books:
        parts.append(f"The whole handbook leaves out what is printed elsewhere (each department's page is in its "
                     f"department binder, the call tree branch by branch on the call-tree sheets) and comes in "
                     f"{books} volumes.")
    if trees > 1:
        parts.append(f"The call-tree sheets come in {trees} volumes.")
    return tag("p", f"Each printed document is kept to about {max_pages()} pages, so that it fits in one binder. "
               "Documents with dense pages, such as the call-tree sheets, are kept shorter, so that the computer "
               "that prints them does not run out of memory. "
               + " ".join(parts))


def printed_page(ctx: BuildContext, link: Linker) -> list[Section]:
    intro = tag("p", "When laptops, sign-in, chat and e-mail are all down, paper still works.") + tag(
        "p",
        f"Built on <strong>{e(ctx.built.strftime('%-d %b %Y at %H:%M %Z'))}</strong> from version "
        f"<code>{e(ctx.version)}</code> of the handbook data. Review by <strong>{e(ctx.review_by.strftime('%-d %b %Y'))}</strong>. "
        + e(PAPER_NOTE),
    )
    if ctx.pdf:
        rows = [[f'<a href="{e(link.asset("pdf/" + name))}">{e(title)}</a>', f"<code>{e(name)}</code>", e(who)]
                for name, title, who in binder_list(ctx)]
        files = table(["File", "Name", "For"], rows, "hb-binders")
        files = volumes_note(ctx) + files
    else:
        files = tag("p", "This build skipped the PDFs (it was run with --no-pdf).", "hb-muted")
    extras = [
        f'<a href="{e(link.asset("exports/drills.ics"))}">Drill calendar</a>: add it to your calendar to see every planned drill.',
    ]
    if not ctx.public:
        extras.append(f'<a href="{e(link.asset("exports/contacts/all.vcf"))}">Contacts for your phone</a>: '
                      "everyone in the call tree, the bridge line and partner hotlines. Each department also has its own file.")
    extras += [
        f'<a href="{e(link.asset("exports/handbook.json"))}">The handbook as data</a>, for other tools.',
        f'<a href="{e(link.asset("offline/handbook-offline.zip"))}">Offline copy of this site</a>: '
        "unzip it on a laptop or USB stick and open <code>handbook/index.html</code>. Search works without a network.",
    ]
    return [
        Section("Printed binders", intro + files),
        Section("For your phone and calendar", ul(extras), "phone-and-calendar"),
    ]
