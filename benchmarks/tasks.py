"""Work that benchmarks/run.py runs in fresh interpreters, one task per process.

    python benchmarks/tasks.py TASK JSON-ARGS

Each task prints one JSON object on stdout. Keeping them in their own processes means every
measurement starts from the same state (no warm caches or memory left over from another step).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _since(start: tuple[float, float]) -> dict[str, float]:
    wall, cpu = _clock()
    return {"wall": wall - start[0], "cpu": cpu - start[1]}


def _context(data: str, today: str, pdf: bool):
    from preparedness_handbook.macros.context import make_context
    from preparedness_handbook.validators.engine import validate

    result = validate(Path(data), dt.date.fromisoformat(today))
    if result.handbook is None or result.errors:
        raise SystemExit(f"{data}: the data has errors")
    result.handbook.forget_positions()  # as `handbook build` does
    ctx = make_context(result.handbook, "internal")
    ctx.pdf = pdf
    return ctx


def validate_inproc(data: str, today: str, repeat: int) -> dict[str, Any]:
    """`validate()` called in one warm process: imports paid once, not timed."""
    from preparedness_handbook.validators.engine import validate

    day = dt.date.fromisoformat(today)
    validate(Path(data), day, cache=False)  # warm-up: imports inside functions, regex compilation
    runs = []
    for _ in range(repeat):
        start = _clock()
        result = validate(Path(data), day, cache=False)
        runs.append(_since(start))
        errors = len(result.errors)
    return {"runs": runs, "errors": errors}


class _Env:
    """Just enough of mkdocs-macros' env for macros.define_env()."""

    def __init__(self, conf: dict) -> None:
        self.conf = conf
        self.macros: dict[str, Any] = {}
        self.filters: dict[str, Any] = {}
        self.page: Any = None

    def macro(self, fn, name: str = ""):
        self.macros[name or fn.__name__] = fn
        return fn

    def filter(self, fn, name: str = ""):
        self.filters[name or fn.__name__] = fn
        return fn


def render_plain(data: str, today: str, out: str, pdf_output: str = "") -> dict[str, Any]:
    """The Markdown the handbook's macros produce, written as a plain MkDocs project (no macros).

    Pages are rendered once, here, through the same define_env() and Jinja call that
    mkdocs-macros makes; the result is a docs/ folder of ordinary Markdown and two configs:
    mkdocs.yml (the project's theme, extensions and nav, macros plugin removed) and
    mkdocs-to-pdf.yml (the same plus the to-pdf plugin).
    """
    import types

    import jinja2
    import yaml

    from preparedness_handbook import macros
    from preparedness_handbook.macros.context import context_for
    from preparedness_handbook.macros.site.plugin import generated_pages, navigation
    from preparedness_handbook.macros.site.sources import defaults

    out_dir = Path(out)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    data_dir = Path(data).resolve()
    ctx = context_for(data_dir, "internal", dt.date.fromisoformat(today))
    ctx.pdf = False  # as in `handbook build --no-pdf`
    docs = out_dir / "docs"
    shutil.copytree(ROOT / "docs", docs)  # what the handbook plugin gives MkDocs: the pages, one per item
    for rel, text in generated_pages(ctx).items():
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text(text, encoding="utf-8")

    written = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    base = {**defaults(), **written, "theme": {**defaults()["theme"], **written["theme"]}}  # as the plugin completes it
    conf = dict(base)
    conf["config_file_path"] = str(ROOT / "mkdocs.yml")
    conf["extra"] = {"handbook_settings": {"data": str(data_dir), "profile": "internal", "today": today}}
    env = _Env(conf)
    macros.define_env(env)
    jenv = jinja2.Environment(undefined=jinja2.StrictUndefined)
    jenv.filters.update(env.filters)
    start = _clock()
    pages = 0
    for path in sorted(docs.rglob("*.md")):
        rel = path.relative_to(docs).as_posix()
        env.page = types.SimpleNamespace(file=types.SimpleNamespace(src_uri=rel))
        text = path.read_text(encoding="utf-8")
        path.write_text(jenv.from_string(text).render(**env.macros), encoding="utf-8")
        pages += 1
    took = _since(start)

    plugins = [p for p in base.get("plugins", [])
               if (next(iter(p)) if isinstance(p, dict) else p) not in ("macros", "handbook")]
    plain = {k: v for k, v in base.items() if k not in ("plugins", "extra", "nav", "docs_dir")}
    plain.update({
        "site_name": ctx.hb.organization.handbook_title,
        "docs_dir": "docs",
        "strict": True,
        "plugins": plugins,
        "nav": navigation(base.get("nav") or [], ctx),
    })
    if ctx.hb.organization.site_url:
        plain["site_url"] = str(ctx.hb.organization.site_url)
    (out_dir / "mkdocs.yml").write_text(yaml.safe_dump(plain, sort_keys=False, allow_unicode=True), encoding="utf-8")
    with_pdf = dict(plain)
    with_pdf["plugins"] = plugins + [{"to-pdf": {"output_path": pdf_output or "pdf/document.pdf", "cover": True,
                                                 "toc_level": 2, "cover_title": ctx.hb.organization.handbook_title}}]
    (out_dir / "mkdocs-to-pdf.yml").write_text(yaml.safe_dump(with_pdf, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return {"pages": pages, "render": took}


def mkdocs_to_pdf(config: str, site: str) -> dict[str, Any]:
    """`mkdocs build` with the to-pdf plugin, timing the plugin's PDF step separately."""
    import os

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs_to_pdf.plugin import WithPdfPlugin

    timing: dict[str, Any] = {}
    original = WithPdfPlugin.on_post_build

    def timed(self, config):  # type: ignore[no-untyped-def]
        start = _clock()
        try:
            return original(self, config)
        finally:
            timing["pdf"] = _since(start)

    WithPdfPlugin.on_post_build = timed  # type: ignore[method-assign]
    start = _clock()
    cfg = load_config(config_file=config, site_dir=site, strict=False)
    build(cfg)
    timing["total"] = _since(start)
    pdf = Path(site) / "pdf" / "document.pdf"
    timing["pages"] = _pdf_pages(pdf)
    timing["bytes"] = pdf.stat().st_size if pdf.exists() else 0
    return timing


def _pdf_pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages) if path.exists() else 0


def binders(data: str, today: str, out: str, workers: int | None, html_dir: str = "") -> dict[str, Any]:
    """The handbook's binder step: HTML of every document from the views, then WeasyPrint.

    Does what macros.printing.binders.build_binders() does (stylesheet, print_jobs, render_all) so that
    each document's CPU time is known: in the parallel case the work happens in the pool's
    worker processes. Validation and the context come first and are not timed. With html_dir,
    each document's HTML and the print stylesheet are also written there for the raw baseline.
    """
    from preparedness_handbook.macros.printing.binders import fetch_roots, print_jobs
    from preparedness_handbook.macros.printing.document import stylesheet
    from preparedness_handbook.macros.printing.renderers import Job, render_all

    ctx = _context(data, today, pdf=True)
    out_dir = Path(out)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    start = _clock()
    css = stylesheet("a4")
    docs = print_jobs(ctx)
    html_time = _since(start)
    jobs = [Job(d.name, d.html, str(out_dir / d.name)) for d in docs]
    results = render_all(jobs, css, out_dir.resolve().as_uri() + "/", fetch_roots(out_dir, None), workers)
    took = _since(start)
    render_cpu = sum(r.cpu for r in results)
    result: dict[str, Any] = {
        "wall": took["wall"],
        # this process (HTML, pool) plus, for a pool, the workers' own CPU per document
        "cpu": took["cpu"] + (render_cpu if workers != 1 else 0.0),
        "html": html_time,
        "render_cpu": render_cpu,
        "longest_cpu": max(r.cpu for r in results),
        "longest_name": max(results, key=lambda r: r.cpu).name,
        "pages": sum(r.pages for r in results),
        "documents": len(results),
        "per_file": {r.name: [r.pages, round(r.cpu, 2)] for r in results},
    }
    if html_dir:
        hd = Path(html_dir)
        if hd.exists():
            shutil.rmtree(hd)
        hd.mkdir(parents=True)
        for doc in docs:
            (hd / (doc.name[:-4] + ".html")).write_text(doc.html, encoding="utf-8")
        (hd / "print.css").write_text(css, encoding="utf-8")
    return result


def raw_weasyprint(html_dir: str, out: str) -> dict[str, Any]:
    """The same documents with plain WeasyPrint, one after another: HTML(string=...).write_pdf(),
    tagged as the handbook's are (``pdf_tags=True``: a structure tree for screen readers)."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    hd, out_dir = Path(html_dir), Path(out)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    css_text = (hd / "print.css").read_text(encoding="utf-8")
    files = sorted(p for p in hd.glob("*.html"))
    start = _clock()
    pages, longest = 0, 0.0
    for f in files:
        one = time.process_time()
        # @font-face works only with a font configuration given to both (WeasyPrint's docs); without
        # one, the baseline set every document in a fallback face, with about 2% more pages.
        fonts = FontConfiguration()
        doc = HTML(string=f.read_text(encoding="utf-8"), base_url=str(hd) + "/").render(
            stylesheets=[CSS(string=css_text, font_config=fonts)], font_config=fonts)
        doc.write_pdf(out_dir / (f.stem + ".pdf"), pdf_tags=True)
        pages += len(doc.pages)
        longest = max(longest, time.process_time() - one)
    took = _since(start)
    return {"wall": took["wall"], "cpu": took["cpu"], "pages": pages, "documents": len(files), "longest_cpu": longest}


def build_phases(data: str, today: str, site: str) -> dict[str, Any]:
    """CPU seconds of each step of `handbook build --no-pdf --no-offline`, in one process.

    The build's own functions are wrapped (not changed): validate, the context, preparing docs/,
    the MkDocs run (and within it the macros' views), and the exports.
    """
    import preparedness_handbook.handbook.build as hb_build
    import preparedness_handbook.macros.exports as exports
    import preparedness_handbook.macros.render.sections as macros_sections
    import preparedness_handbook.macros.site.blocks as macros_blocks

    spent: dict[str, float] = {}
    depth = {"n": 0}

    def timed(label: str, fn):  # type: ignore[no-untyped-def]
        def wrapper(*a, **k):  # type: ignore[no-untyped-def]
            depth["n"] += 1
            start = time.process_time()
            try:
                return fn(*a, **k)
            finally:
                depth["n"] -= 1
                spent[label] = spent.get(label, 0.0) + time.process_time() - start
        return wrapper

    hb_build.validate = timed("validate", hb_build.validate)
    hb_build.make_context = timed("context (call tree)", hb_build.make_context)
    hb_build.mkdocs_build = timed("mkdocs build (all)", hb_build.mkdocs_build)
    macros_blocks.render_sections = timed("macros: views", macros_blocks.render_sections)
    macros_blocks.render_block = timed("macros: blocks", macros_blocks.render_block)
    macros_sections.page_markdown = timed("macros: sections to Markdown", macros_sections.page_markdown)
    exports.write_exports = timed("exports (json, ics, vcf)", exports.write_exports)
    start = _clock()
    rc = hb_build.build(Path(data), Path(site), pdf=False, offline=False, today=dt.date.fromisoformat(today))
    total = _since(start)
    inner = spent.get("macros: views", 0) + spent.get("macros: blocks", 0) + spent.get("macros: sections to Markdown", 0)
    spent["mkdocs itself (build minus macros)"] = spent.get("mkdocs build (all)", 0) - inner
    return {"rc": rc, "total": total, "phases": spent}


TASKS = {f.__name__: f for f in (validate_inproc, render_plain, mkdocs_to_pdf, binders, raw_weasyprint, build_phases)}

if __name__ == "__main__":
    sys.path.append(str(ROOT))  # after PYTHONPATH: a scratch copy can be measured with PYTHONPATH=copy
    name, args = sys.argv[1], json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
    print(json.dumps(TASKS[name](**args)))
