"""The printed binders: what goes into each PDF, and rendering them all with WeasyPrint.

Every binder is made from the site's own pages (printing/pages.py: the same Markdown source and
blocks, run with a print ``Linker``), so paper and screen say the same thing. The documents are independent, so they are
rendered in parallel (macros/printing/renderers.py); the WeasyPrint fetcher serves only files of the build.

    handbook.pdf              the whole handbook (not the data reference)
    <department-id>.pdf       what one department needs, with the forms its actions use, ≤ 20 A4 pages for the sample
    wallet-card.pdf           85.6 × 54 mm, front and back
    wallet-cards-sheet.pdf    the card 8 times on the binders' paper, fronts then backs, to cut out
    call-tree.pdf             one sheet per branch of the call tree
    postmortem-template.pdf   the blank Correction-of-Errors form, ruled for handwriting

No document is longer than ``volumes.max_pages()`` (150 pages by default): WeasyPrint holds a
whole document in memory while it lays it out, and a binder that will not close is no use either.
Page counts are estimated from the HTML before anything is rendered (macros/printing/volumes.py). When
the whole handbook would be longer, it is printed without the chapters that are printed elsewhere
(each department's page is its department binder; every branch of the call tree is on the
call-tree sheets), and, if that is still too long, as volumes cut between chapters:
``handbook-1.pdf``, ``handbook-2.pdf``, … Long call trees become ``call-tree-1.pdf``, … in the
same way, cut between branches. Every volume has its own cover ("Volume 2 of 5"), contents and
page numbers.

Every word a reader sees on them is in macros/partials/printing/: titles, what each file is for
and volume labels in ``_phrases.html`` (``phrase()``), fragments in their own partials.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import SimpleNamespace

from preparedness_handbook.macros.context import BuildContext
from preparedness_handbook.macros.printing.callsheets import (
    callsheets_html,
    plan_sheets,
    sheet_html,
    sheet_units,
)
from preparedness_handbook.macros.printing.document import (
    Chapter,
    Document,
    document_html,
    figure_note,
    phrase,
    printed_page,
    running_strings,
    stylesheet,
)
from preparedness_handbook.macros.printing.pages import page_sections
from preparedness_handbook.macros.printing.volumes import (
    FRONT_CHARS,
    TOC_CHARS_PER_ENTRY,
    estimate_height,
    html_chars,
    max_chars,
    max_pages,
    pack,
    planned_chars,
    planning_room,
    toc_pages,
    whole_pages,
)
from preparedness_handbook.macros.printing.wallet import (
    bridge_line,
    number_html,
    wallet_html,
    wallet_sheet_html,
)
from preparedness_handbook.macros.render.html import EMPTY, Html, join, tag
from preparedness_handbook.macros.render.partials import partial
from preparedness_handbook.macros.render.sections import Section, to_html
from preparedness_handbook.macros.site.blocks import item_ids
from preparedness_handbook.macros.site.pages import PAGE, PAGES, Linker, print_anchor
from preparedness_handbook.macros.views.forms import form_page
from preparedness_handbook.macros.views.home import right_now
from preparedness_handbook.macros.views.rca import form_html, process_html
from preparedness_handbook.macros.views.roles import role_section
from preparedness_handbook.validators import queries

# Volumes are planned on the paper with the shorter text block, so that the same files (and the
# same list on the "Printed binders" page) come out on A4 and on US Letter.
PLAN_PAPER = "letter"


@dataclass(frozen=True)
class PrintJob:
    name: str       # file name in pdf/
    html: str
    pages: int = 0  # estimated pages (macros/printing/volumes.py)


@dataclass(frozen=True)
class PrintFile:
    """One PDF of the build, as the "Printed binders" page lists it, and how to make its HTML."""

    name: str                      # file name in pdf/
    title: str                     # "The whole handbook, volume 2 of 5"
    who: str                       # who it is for, or what this volume holds
    pages: int                     # estimated pages
    make: Callable[[], Html] = dataclasses.field(repr=False, compare=False, default=lambda: EMPTY)
    series: str = ""               # for a volume, the document it is part of: "handbook", "call-tree"


def _link(keys: set[str]) -> Linker:
    return Linker(mode="print", included=keys)


def cover_now(ctx: BuildContext) -> Html:
    """The two numbers everyone needs, on the cover of every binder."""
    return partial(ctx, "printing/cover_now.html", hotline=number_html(ctx, ctx.hb.hotline.number, ctx.hb.hotline), bridge=bridge_line(ctx))


def _chapter(ctx: BuildContext, key: str, sections: list[Section], level: int = 1) -> Chapter:
    # A form's page is kept whole with its title (print.css), in a binder and in the handbook.
    cls = "hb-formchapter" if key.startswith("form:") else ""
    return Chapter(key, sections, level=level, cls=cls, figure_note=figure_note(ctx))


def handbook_chapters(ctx: BuildContext, calltree_files: list[str] | None = None) -> list[Chapter]:
    """The whole handbook's chapters, in order.

    With ``calltree_files`` (the call-tree sheets' file names), the compact form for a handbook
    too long for one binder: without the department pages, which the department binders print,
    and without the call tree's branches, which the call-tree sheets print; pointers say where.
    """
    compact = calltree_files is not None
    printed = [p for p in PAGES if p.printed]
    items = {p.key: item_ids(ctx, p.items) for p in printed if p.items}
    if compact:
        items.pop("departments", None)  # the department binders print them
    keys = {p.key for p in printed} | {f"{PAGE[k].items}:{i}" for k, ids in items.items() for i in ids}
    link = _link(keys)
    chapters = []
    for page in printed:
        sections = page_sections(ctx, page.key, link)
        if compact and page.key == "communications":
            sections = [_calltree_pointer(ctx, s, calltree_files) if s.anchor == "call-tree" else s for s in sections]
        if compact and page.key == "departments" and sections:
            sections = [_departments_pointer(ctx, sections[0]), *sections[1:]]
        chapters.append(_chapter(ctx, page.key, sections))
        for ident in items.get(page.key, []):
            key = f"{page.items}:{ident}"
            chapters.append(_chapter(ctx, key, page_sections(ctx, key, link), level=2))
    return chapters


def handbook_document(ctx: BuildContext, calltree_files: list[str] | None = None) -> Document:
    """The whole handbook as one document; compact with ``calltree_files`` (see handbook_chapters)."""
    whole = phrase(ctx, "handbook")
    return Document(ctx.hb.organization.handbook_title, whole, "home",
                    handbook_chapters(ctx, calltree_files), running=whole, toc_depth=2,
                    cover_note=cover_now(ctx))


def _chapter_key_title(ctx: BuildContext, ch: Chapter) -> str:
    if ch.key == "home":
        return phrase(ctx, "right_now")
    return ch.sections[0].title if ch.sections else ch.key


def split_chapter(ctx: BuildContext, ch: Chapter, limit: int, chars: float = math.inf) -> list[Chapter]:
    """A chapter longer than ``limit`` pages, or ``chars`` of HTML, cut between its top-level
    sections, as parts 1, 2, …

    The first part keeps the chapter's title and introduction; the others open with
    "<title> (continued)". A single section longer than the limit stays whole.
    """
    if (ch.pages(PLAN_PAPER) <= limit and ch.chars <= chars) or len(ch.sections) < 3:
        return [ch]
    title, rest = ch.sections[0], ch.sections[1:]
    html = [to_html([s], ch.level + 1) for s in rest]
    first = to_html([title], ch.level)
    parts = [(whole_pages(estimate_height(h), PLAN_PAPER, new_page=False) or 1, 0) for h in html]
    parts[0] = (parts[0][0] + whole_pages(estimate_height(first), PLAN_PAPER, new_page=False), 0)
    sizes = [planned_chars(h) for h in html]
    sizes[0] += planned_chars(first)
    groups = pack(parts, limit, cover=0, sizes=sizes, size_cap=chars)
    if len(groups) < 2:
        return [ch]
    out = []
    for n, group in enumerate(groups, start=1):
        head = title if n == 1 else Section(phrase(ctx, "continued", title=title.title))
        out.append(dataclasses.replace(ch, sections=[head, *(rest[i] for i in group)], part=n))
    return out


def _calltree_pointer(ctx: BuildContext, section: Section, files: list[str]) -> Section:
    """The call tree section of the handbook without its branches, which the call-tree sheets print."""
    note = partial(ctx, "printing/calltree_pointer.html", files=files)
    return dataclasses.replace(section, body=section.body + note, children=[])


def _departments_pointer(ctx: BuildContext, section: Section) -> Section:
    note = partial(ctx, "printing/departments_pointer.html")
    return dataclasses.replace(section, body=section.body + note)


ITEM_KINDS = ("drill", "postmortem", "department")  # item pages a volume counts by kind; others are "page"


def volume_summary(ctx: BuildContext, chapters: list[Chapter]) -> str:
    """What a volume holds, in words: its chapters, and runs of drills or postmortems by count."""
    out: list[str | SimpleNamespace] = []
    run: list[Chapter] = []

    def flush() -> None:
        if not run:
            return
        kind = run[0].key.split(":", 1)[0]
        out.append(SimpleNamespace(kind=kind if kind in ITEM_KINDS else "page", n=len(run),
                                   first=_chapter_key_title(ctx, run[0]), last=_chapter_key_title(ctx, run[-1])))
        run.clear()

    for ch in chapters:
        if ":" in ch.key:
            if run and run[0].key.split(":")[0] != ch.key.split(":")[0]:
                flush()
            run.append(ch)
            continue
        flush()
        out.append(_chapter_key_title(ctx, ch))  # a chapter's later parts open with "<title> (continued)" already
    flush()
    return phrase(ctx, "volume_summary", entries=out)


def handbook_documents(ctx: BuildContext, cap: int, calltree_files: list[str],
                       chars: float = math.inf) -> list[tuple[str, Document]]:
    """handbook.pdf, or for a long handbook its volumes: (file name, document)."""
    whole = handbook_document(ctx)
    if whole.pages(PLAN_PAPER) <= cap and whole.chars <= chars:
        return [("handbook.pdf", whole)]
    del whole
    compact = handbook_document(ctx, calltree_files)
    elsewhere = phrase(ctx, "handbook_elsewhere", trees=calltree_files)
    return split_document(ctx, compact, cap, "handbook", phrase(ctx, "handbook"), elsewhere, chars)


def split_document(ctx: BuildContext, doc: Document, cap: int, stem: str, label: str,
                   note: Html | str = "", chars: float = math.inf) -> list[tuple[str, Document]]:
    """``stem.pdf``, or volumes ``stem-1.pdf``, … cut between chapters, each under ``cap`` pages
    and ``chars`` characters of HTML (which bound the memory to render it).

    Every volume has the document's cover with "Volume 2 of 5" and what it holds, and its own
    contents, which list all the volumes (and ``note``). Links to a chapter in another volume
    print as their text and "(in volume 3)".
    """
    if doc.pages(PLAN_PAPER) <= cap and doc.chars <= chars and not note:
        return [(f"{stem}.pdf", doc)]
    chapters = [part for ch in doc.chapters for part in split_chapter(ctx, ch, cap - 4, chars)]
    groups = pack([(ch.pages(PLAN_PAPER), ch.toc_entries) for ch in chapters], cap,
                  sizes=[ch.chars for ch in chapters], size_cap=chars - FRONT_CHARS)
    total = len(groups)
    names = [f"{stem}.pdf"] if total == 1 else [f"{stem}-{n}.pdf" for n in range(1, total + 1)]
    volume_of: dict[str, int] = {}   # chapter and section anchors → volume, for links between volumes
    for n, group in enumerate(groups, start=1):
        for i in group:
            ch = chapters[i]
            if ch.part <= 1:
                volume_of[print_anchor(ch.key)] = n
            volume_of.update((print_anchor(ch.key, a), n) for a in _anchors(ch.sections))
    summaries = [volume_summary(ctx, [chapters[i] for i in g]) for g in groups]
    volumes = [SimpleNamespace(name=name, holds=_short(summary)) for name, summary in zip(names, summaries, strict=True)]
    in_volume = [phrase(ctx, "in_volume", n=n) for n in range(1, total + 1)]
    docs = []
    for n, group in enumerate(groups, start=1):
        several = total > 1
        docs.append((names[n - 1], dataclasses.replace(
            doc, chapters=[chapters[i] for i in group],
            running=phrase(ctx, "with_volume", title=doc.running, n=n, total=total) if several else doc.running,
            volume=phrase(ctx, "volume", n=n, total=total) if several else "",
            volume_note=partial(ctx, "printing/volume_holds.html", summary=_short(summaries[n - 1], 260)) if several else EMPTY,
            toc_note=partial(ctx, "printing/volume_contents.html", label=label, n=n, volumes=volumes, note=note)
            if several or note else EMPTY,
            elsewhere={k: in_volume[v - 1] for k, v in volume_of.items() if v != n},
        )))
    return docs


def _anchors(sections: list[Section]) -> list[str]:
    return [a for s in sections for a in ([s.anchor] if s.anchor else []) + _anchors(s.children)]


def _short(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"


def department_document(ctx: BuildContext, did: str) -> Document:
    """A department's binder: how to declare, the levels, its own page, the incident manager, the
    forms its actions use and the postmortem form."""
    hb = ctx.hb
    d = hb.department(did)
    forms = queries.department_forms(hb, did)
    keys = {"home", "severity", f"department:{did}", "roles", "rca", *(f"form:{fid}" for fid in forms)}
    link = _link(keys)
    severity = page_sections(ctx, "severity", link)
    declare = [
        Section(phrase(ctx, "declare"),
                partial(ctx, "printing/declare.html", right_now=right_now(ctx, link), matrix=severity[0].body), "right-now"),
    ]
    levels = [Section(phrase(ctx, "levels_in_detail"), partial(ctx, "printing/levels_intro.html")), *severity[1:]]
    chapters = [
        _chapter(ctx, "home", declare),
        _chapter(ctx, f"department:{did}", page_sections(ctx, f"department:{did}", link)),
        _chapter(ctx, "severity", levels),
    ]
    # The incident manager, then every role one of its people holds or stands in for: a role
    # holder finds their duties and backups in their own binder.
    members = {p.id for p in hb.people if p.department == did}
    im = hb.incident_manager
    held = [r.id for r in hb.roles if (im is None or r.id != im.id)
            and (any(p in members for p in r.people) or any(b in members for b in r.backups))]
    roles = ([im.id] if im else []) + held
    if roles:
        chapters.append(_chapter(ctx, "roles", [role_section(ctx, rid, link) for rid in roles]))
    # The forms and signs its actions name, each on its own page to copy; then the postmortem form.
    chapters += [_chapter(ctx, f"form:{fid}", form_page(ctx, fid, link)) for fid in forms]
    chapters.append(_chapter(ctx, "rca", rca_form_sections(ctx, 0.6)))
    return Document(d.name, phrase(ctx, "binder_subtitle"), f"department:{did}", chapters,
                    running=phrase(ctx, "binder", name=d.name), toc_depth=2, cover_note=cover_now(ctx))


def rca_form_sections(ctx: BuildContext, lines_per_row: float) -> list[Section]:
    steps = process_html(ctx)
    return [
        Section(phrase(ctx, "rca_chapter"), tag("h2", phrase(ctx, "rca_process")) + steps),
        Section(phrase(ctx, "rca_form"), partial(ctx, "printing/rca_form_intro.html")
                + form_html(ctx, lines_per_row), "template"),
    ]


def postmortem_form_html(ctx: BuildContext) -> Html:
    title = phrase(ctx, "form")
    form = form_html(ctx, 1.0)
    return printed_page(ctx, title, running_strings(ctx, title) + partial(ctx, "printing/form_head.html") + form, "hb-formdoc")


# A sheet is one page, but one of long names and titles can run onto a second (1 in 30 on the
# 5,000-person benchmark organization).
SHEET_OVERRUN = 1.04


def _sheet_pages(sheets: int) -> int:
    return math.ceil(sheets * SHEET_OVERRUN)


def _span(ctx: BuildContext, indices: list[int], total: int | None = None) -> str:
    """"sheet 4", "sheets 1 to 3"; with ``total``, "Sheets 1 to 3 of 12"."""
    return phrase(ctx, "sheet_span", first=indices[0] + 1, last=indices[-1] + 1, total=total)


def calltree_files(ctx: BuildContext, cap: int, chars: float = math.inf) -> list[PrintFile]:
    """call-tree.pdf, or for a long call tree its volumes, cut between branches."""
    sheets = plan_sheets(ctx)
    title, who = phrase(ctx, "sheets", cap=True), phrase(ctx, "sheets_who")
    # Sheets are dense (a page takes 2 to 3 MB to lay out), so their size counts as well as their number.
    sizes = [html_chars(sheet_html(ctx, sheets, i)) + TOC_CHARS_PER_ENTRY for i in range(len(sheets))]  # a contents line each
    if len(sheets) <= cap and FRONT_CHARS + sum(sizes) <= chars:
        return [PrintFile("call-tree.pdf", title, who, max(1, len(sheets)), lambda: callsheets_html(ctx)[0])]
    # Branches of up to half a volume stay whole; bigger ones are cut where they fork, so the
    # volumes come out about even.
    per_sheet = max(sizes, default=1)
    units = sheet_units(sheets, int(min(cap // 2, max(1, chars / 2 / per_sheet))))
    fit = int(cap / SHEET_OVERRUN)
    unit_sizes = [sum(sizes[i] for i in u) for u in units]
    groups = [[i for u in g for i in units[u]]
              for g in pack([(len(u), len(u)) for u in units], fit, sizes=unit_sizes, size_cap=chars - FRONT_CHARS)]
    total = len(groups)
    volume_of = {i: n for n, g in enumerate(groups) for i in g}
    parent = {j: i for i, sheet in enumerate(sheets) for j in sheet.elsewhere.values()}
    names = [f"call-tree-{n}.pdf" for n in range(1, total + 1)]

    volumes = [SimpleNamespace(name=name, first=g[0] + 1, last=g[-1] + 1) for name, g in zip(names, groups, strict=True)]

    def make(n: int) -> Html:
        g = groups[n - 1]
        # The branches that start in this volume: heads called by the first caller, or whose
        # caller's sheet is in another volume.
        tops = [ctx.hb.person(sheets[i].head).name for i in g if i and (parent[i] == 0 or volume_of[parent[i]] != n - 1)]
        holds = partial(ctx, "printing/sheets_holds.html", first=g[0] + 1, last=g[-1] + 1, total=len(sheets),
                        start=0 in g, heads=_short(", ".join(tops), 200) if tops else "", branches=len(tops))
        note = partial(ctx, "printing/sheets_contents.html", n=n, volumes=volumes)
        doc = Document(title, phrase(ctx, "sheets_subtitle"), "communications",
                       running=phrase(ctx, "with_volume", title=title, n=n, total=total), toc_depth=1,
                       body_class="hb-sheets", cover_note=cover_now(ctx), volume=phrase(ctx, "volume", n=n, total=total),
                       volume_note=holds, toc_note=note, extra_html=join(sheet_html(ctx, sheets, i, volume_of) for i in g))
        return document_html(ctx, doc)

    return [PrintFile(names[n - 1], phrase(ctx, "with_volume", title=title, n=n, total=total),
                      _span(ctx, g, len(sheets)), 1 + toc_pages(len(g)) + _sheet_pages(len(g)),
                      lambda n=n: make(n), "call-tree")
            for n, g in enumerate(groups, start=1)]


def data_bytes(ctx: BuildContext) -> int:
    """The size of the data files, which the build process's memory grows with."""
    paths = (ctx.hb.data_dir / name for name in ctx.hb.files)
    return sum(path.stat().st_size for path in paths if path.is_file())


def print_plan(ctx: BuildContext, cap: int | None = None, memory_mb: int | None = None) -> list[PrintFile]:
    """Every PDF of the build, in order, with its estimated pages; made once per build, cap and
    memory limit.

    The "Printed binders" page lists these, and the binder step renders them, so the two agree.
    No document is planned longer than ``cap`` pages (volumes.max_pages), or bigger than renders
    within the memory limit beside the build process (volumes.max_chars).
    """
    cap = max_pages(cap)
    chars = max_chars(memory_mb, data_bytes(ctx))
    key = ("print_plan", cap, chars)
    if key in ctx.cache:
        return ctx.cache[key]
    hb = ctx.hb
    room = planning_room(cap)
    trees = calltree_files(ctx, room, chars)
    tree_files = [t.name for t in trees]
    files = []
    # A document's running title is its title in the list: "The whole handbook, volume 2 of 5".
    for name, doc in handbook_documents(ctx, room, tree_files, chars):
        who = volume_summary(ctx, doc.chapters) if doc.volume else phrase(ctx, "handbook_who")
        files.append(PrintFile(name, doc.running, who, doc.pages(PLAN_PAPER), lambda doc=doc: document_html(ctx, doc),
                               "handbook" if doc.volume else ""))
    for d in hb.departments:
        binder = split_document(ctx, department_document(ctx, d.id), room, d.id,
                                phrase(ctx, "binder_label", name=d.name), chars=chars)
        for name, doc in binder:
            files.append(PrintFile(name, doc.running, phrase(ctx, "binder_who", name=d.name), doc.pages(PLAN_PAPER),
                                   lambda doc=doc: document_html(ctx, doc), d.id if doc.volume else ""))
    files.append(PrintFile("wallet-card.pdf", phrase(ctx, "wallet"), phrase(ctx, "wallet_who"), 2,
                           lambda: wallet_html(ctx)))
    files.append(PrintFile("wallet-cards-sheet.pdf", phrase(ctx, "wallet_sheet"), phrase(ctx, "wallet_sheet_who"), 2,
                           lambda: wallet_sheet_html(ctx)))
    files += trees
    files.append(PrintFile("postmortem-template.pdf", phrase(ctx, "form"), phrase(ctx, "form_who"),
                           3, lambda: postmortem_form_html(ctx)))
    ctx.cache[key] = files
    return files


def print_jobs(ctx: BuildContext, cap: int | None = None, memory_mb: int | None = None) -> list[PrintJob]:
    """Every PDF of the build as (file name, HTML, estimated pages): the picklable input of the renderer."""
    return [PrintJob(f.name, str(f.make()), f.pages) for f in print_plan(ctx, cap, memory_mb)]


def volume_counts(ctx: BuildContext, cap: int | None = None) -> dict[str, int]:
    """How many volumes each document printed in volumes has: {"handbook": 10, "call-tree": 6}."""
    series: dict[str, int] = {}
    for f in print_plan(ctx, cap):
        if f.series:
            series[f.series] = series.get(f.series, 0) + 1
    return series


def binders_summary(ctx: BuildContext, pages: dict[str, int], cap: int | None = None) -> str:
    """One line for the build's output: how many PDFs and pages, and which came in volumes."""
    series = volume_counts(ctx, cap)
    longest = max(pages, key=lambda n: pages[n]) if pages else ""
    line = f"Printed {len(pages)} PDFs, {sum(pages.values()):,} pages (longest: {longest}, {pages.get(longest, 0)} pages)"
    if series:
        line += "; in volumes: " + ", ".join(f"{stem} ({n})" for stem, n in series.items())
    return line + "."


def fetch_roots(out_dir: Path, site_dir: Path | None) -> tuple[str, ...]:
    """The only folders WeasyPrint may read from: the build output, the print templates and fonts."""
    from preparedness_handbook.macros.printing.document import font_folders

    roots = [out_dir, Path(str(resources.files("preparedness_handbook.macros.printing").joinpath("style"))),
             *font_folders()]
    if site_dir is not None:
        roots.append(site_dir)
    return tuple(str(Path(r).resolve()) for r in roots)


def build_binders(ctx: BuildContext, out_dir: Path, paper: str = "a4", site_dir: Path | None = None,
                  workers: int | None = None, max_pages: int | None = None,
                  memory_mb: int | None = None, messages: list[str] | None = None,
                  progress: Callable[[int, int, str], None] | None = None,
                  only: set[str] | None = None, skip: set[str] | None = None) -> dict[str, int]:
    """Write every PDF into out_dir; return pages per file name. ``progress(done, total, name)``
    is called as each one is written. With ``only``, just the files of those names; with
    ``skip``, all but those.

    WeasyPrint's warnings and errors (a resource it was refused, CSS it ignored) are added to
    ``messages`` as "<message> (in a.pdf, b.pdf)", each once.

    ``max_pages`` caps the length of any one document (volumes beyond it); ``memory_mb`` is the
    renderer's memory budget (macros/printing/renderers.py), which also bounds each document's size. Both
    default to their environment settings, as on the "Printed binders" page.
    """
    from preparedness_handbook.macros.printing.renderers import Job, render_all

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    css = stylesheet(paper)
    jobs = [Job(j.name, j.html, str(out_dir / j.name)) for j in print_jobs(ctx, max_pages, memory_mb)
            if (only is None or j.name in only) and (skip is None or j.name not in skip)]
    base = (site_dir or out_dir).resolve().as_uri() + "/"
    results = render_all(jobs, css, base, fetch_roots(out_dir, site_dir), workers, memory_mb, progress)
    if messages is not None:
        where: dict[str, list[str]] = {}
        for r in results:
            for line in r.messages:
                where.setdefault(line, []).append(r.name)
        messages += [f"{line} (in {', '.join(names)})" for line, names in where.items()]
    return {r.name: r.pages for r in results}

