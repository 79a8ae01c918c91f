"""The printed binders: what goes into each PDF, and rendering them all with WeasyPrint.

Every binder is made from the site's own views (``PAGE_VIEWS``/``ITEM_VIEWS`` with a print
``Linker``), so paper and screen say the same thing. The documents are independent, so they are
rendered in parallel (macros/pdfrender.py); the WeasyPrint fetcher serves only files of the build.

    handbook.pdf              the whole handbook (not the data reference)
    <department-id>.pdf       what one department needs, ≤ 20 A4 pages for the sample organization
    wallet-card.pdf           85.6 × 54 mm, front and back
    call-tree.pdf             one sheet per branch of the call tree
    postmortem-template.pdf   the blank Correction-of-Errors form, ruled for handwriting
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from . import ITEM_VIEWS, PAGE_VIEWS
from .callsheets import callsheets_html
from .context import BuildContext
from .html import e, tag
from .pages import Linker
from .printdoc import Chapter, Document, document_html, running_strings, stylesheet
from .sections import Section
from .views.home import right_now
from .views.rca import PROCESS, template_html
from .views.roles import role_section
from .views.severity import severity_page
from .wallet import bridge_line, number_html, wallet_html

WHOLE_HANDBOOK = ["home", "roles", "severity", "escalation", "communications", "partners"]


@dataclass(frozen=True)
class PrintJob:
    name: str   # file name in pdf/
    html: str


def _link(keys: set[str]) -> Linker:
    return Linker(mode="print", included=keys)


def cover_now(ctx: BuildContext) -> str:
    """The two numbers everyone needs, on the cover of every binder."""
    return (
        '<div class="hb-cover-now">'
        f'<p>Report an incident, day or night:<br><span class="hb-big">{number_html(ctx, ctx.hb.hotline.number)}</span></p>'
        f"<p>Incident bridge: <strong>{bridge_line(ctx)}</strong></p>"
        "</div>"
    )


def handbook_document(ctx: BuildContext) -> Document:
    hb = ctx.hb
    keys = set(WHOLE_HANDBOOK) | {"departments", "drills", "rca"}
    keys |= {f"department:{d.id}" for d in hb.departments}
    keys |= {f"drill:{d.id}" for d in hb.drills}
    keys |= {f"postmortem:{p.id}" for p in hb.postmortems}
    link = _link(keys)
    chapters = [Chapter(k, PAGE_VIEWS[k](ctx, link)) for k in WHOLE_HANDBOOK]
    chapters.append(Chapter("departments", PAGE_VIEWS["departments"](ctx, link)))
    chapters += [Chapter(f"department:{d.id}", ITEM_VIEWS["department"](ctx, d.id, link), level=2) for d in hb.departments]
    chapters.append(Chapter("drills", PAGE_VIEWS["drills"](ctx, link)))
    chapters += [Chapter(f"drill:{d.id}", ITEM_VIEWS["drill"](ctx, d.id, link), level=2) for d in hb.drills]
    chapters.append(Chapter("rca", PAGE_VIEWS["rca"](ctx, link)))
    postmortems = sorted(hb.postmortems, key=lambda p: p.incident_date, reverse=True)
    chapters += [Chapter(f"postmortem:{p.id}", ITEM_VIEWS["postmortem"](ctx, p.id, link), level=2) for p in postmortems]
    return Document(hb.organization.handbook_title, "The whole handbook", "home", chapters,
                    running="The whole handbook", toc_depth=2, cover_note=cover_now(ctx))


def department_document(ctx: BuildContext, did: str) -> Document:
    """A department's binder: how to declare, the levels, its own page, the incident manager, the form."""
    hb = ctx.hb
    d = hb.department(did)
    keys = {"home", "severity", f"department:{did}", "roles", "rca"}
    link = _link(keys)
    severity = severity_page(ctx, link)
    declare = [
        Section("Recognise and declare an incident",
                tag("h2", "What to do right now") + right_now(ctx, link)
                + tag("h2", "How bad is it?") + severity[0].body, "right-now"),
    ]
    levels = [Section("Severity levels in detail", "<p>What each level means, who is told, and how fast.</p>"), *severity[1:]]
    chapters = [
        Chapter("home", declare),
        Chapter(f"department:{did}", ITEM_VIEWS["department"](ctx, did, link)),
        Chapter("severity", levels),
    ]
    im = hb.incident_manager
    if im:
        chapters.append(Chapter("roles", [role_section(ctx, im.id, link)]))
    chapters.append(Chapter("rca", rca_form_sections(0.6)))
    return Document(d.name, "Incident binder: what we do when things go wrong", f"department:{did}", chapters,
                    running=f"{d.name} binder", toc_depth=2, cover_note=cover_now(ctx))


def rca_form_sections(lines_per_row: float) -> list[Section]:
    steps = tag("ol", "".join(f"<li>{e(s)}</li>" for s in PROCESS))
    return [
        Section("After the incident: Correction of Errors", tag("h2", "The process") + steps),
        Section("The form", "<p>Fill this in by hand if systems are down; type it up later.</p>"
                + template_html(lines_per_row), "template"),
    ]


def postmortem_form_html(ctx: BuildContext) -> str:
    head = (
        '<section class="hb-form-head">'
        f"<h1>Correction of Errors (postmortem)</h1>"
        f"<p>{e(ctx.hb.organization.name)}. Write clearly. Describe conditions, not culprits: no blame. "
        "Type it into the handbook's postmortems when systems are back.</p>"
        "</section>"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>Postmortem form — {e(ctx.hb.organization.name)}</title>"
        f'<meta name="author" content="{e(ctx.hb.organization.name)}">'
        f'<meta name="dcterms.created" content="{e(ctx.built.isoformat())}">'
        f'</head><body class="hb-formdoc">{running_strings(ctx, "Postmortem form")}{head}'
        f"{template_html(1.0)}</body></html>"
    )


def print_jobs(ctx: BuildContext) -> list[PrintJob]:
    """Every PDF of the build as (file name, HTML): the picklable input of the renderer."""
    jobs = [PrintJob("handbook.pdf", document_html(ctx, handbook_document(ctx)))]
    jobs += [PrintJob(f"{d.id}.pdf", document_html(ctx, department_document(ctx, d.id))) for d in ctx.hb.departments]
    jobs.append(PrintJob("wallet-card.pdf", wallet_html(ctx)))
    jobs.append(PrintJob("call-tree.pdf", callsheets_html(ctx)[0]))
    jobs.append(PrintJob("postmortem-template.pdf", postmortem_form_html(ctx)))
    return jobs


def fetch_roots(out_dir: Path, site_dir: Path | None) -> tuple[str, ...]:
    """The only folders WeasyPrint may read from: the build output and the print templates."""
    roots = [out_dir, Path(str(resources.files("macros").joinpath("templates")))]
    if site_dir is not None:
        roots.append(site_dir)
    return tuple(str(Path(r).resolve()) for r in roots)


def build_binders(ctx: BuildContext, out_dir: Path, paper: str = "a4", site_dir: Path | None = None,
                  workers: int | None = None) -> dict[str, int]:
    """Write every PDF into out_dir; return pages per file name."""
    from .pdfrender import Job, render_all

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    css = stylesheet(paper)
    jobs = [Job(j.name, j.html, str(out_dir / j.name)) for j in print_jobs(ctx)]
    base = (site_dir or out_dir).resolve().as_uri() + "/"
    results = render_all(jobs, css, base, fetch_roots(out_dir, site_dir), workers)
    return {r.name: r.pages for r in results}

