"""How long the sample organization's PDFs take, and pages per second against raw WeasyPrint.

Rerun from the project root (about three to five minutes on two cores):

    python benchmarks/pdf_bench.py                  # data/, A4, 2 workers
    python benchmarks/pdf_bench.py --paper letter --workers 2 --data data

Three ways of rendering the same HTML strings (the ones ``handbook build`` renders), in one run:

- raw:      ``HTML(string=html).write_pdf(stylesheets=[CSS(string=css)])`` per document, one process,
            no tricks: the stylesheet is parsed and the fonts are set up again for every document;
- serial:   the build's renderer in one process (one parsed stylesheet, one FontConfiguration and
            the locked-down URL fetcher, reused for every document);
- parallel: the build's renderer over a pool of worker processes (the ``handbook build`` default).

It prints a table with wall and CPU seconds, pages per second and per CPU second, and the ratios
to raw. Wall times depend on how busy the machine is: the CPU columns do not, so compare those
across runs, and wall times only between rows of the same run on an otherwise idle machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT / "data"))
    parser.add_argument("--today", default="2026-11-27")
    parser.add_argument("--paper", default="a4", choices=("a4", "letter"))
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)

    from weasyprint import CSS, HTML

    from preparedness_handbook.macros.context import make_context
    from preparedness_handbook.macros.printing.binders import fetch_roots, print_jobs
    from preparedness_handbook.macros.printing.document import stylesheet
    from preparedness_handbook.macros.printing.renderers import Job, render_all
    from preparedness_handbook.validators.engine import validate

    result = validate(Path(args.data), dt.date.fromisoformat(args.today))
    if result.handbook is None or result.errors:
        print("the data has errors; run `handbook validate`", file=sys.stderr)
        return 1
    ctx = make_context(result.handbook)
    started = time.perf_counter()
    docs = print_jobs(ctx)
    html_seconds = time.perf_counter() - started
    css = stylesheet(args.paper)

    load_before = os.getloadavg()
    rows: list[tuple[str, float, float, int, float, float]] = []  # label, wall, CPU, pages, longest doc, busy
    with tempfile.TemporaryDirectory(prefix="pdf-bench-") as tmp:
        out = Path(tmp)
        base = out.as_uri() + "/"

        started, cpu = time.perf_counter(), time.process_time()
        raw_pages, each = 0, []
        for d in docs:
            one = time.perf_counter()
            doc = HTML(string=d.html).render(stylesheets=[CSS(string=css)])
            doc.write_pdf(out / f"raw-{d.name}")
            raw_pages += len(doc.pages)
            each.append(time.perf_counter() - one)
        rows.append(("raw WeasyPrint, 1 process", time.perf_counter() - started, time.process_time() - cpu, raw_pages,
                     max(each), sum(each)))

        for label, workers in (("build renderer, 1 process", 1), (f"build renderer, {args.workers} workers", args.workers)):
            folder = out / f"w{workers}"
            folder.mkdir()
            jobs = [Job(d.name, d.html, str(folder / d.name)) for d in docs]
            started = time.perf_counter()
            results = render_all(jobs, css, base, fetch_roots(folder, None), workers)
            rows.append((label, time.perf_counter() - started, sum(r.cpu for r in results),
                         sum(r.pages for r in results), max(r.seconds for r in results), sum(r.seconds for r in results)))
    load_after = os.getloadavg()

    raw_wall, raw_cpu = rows[0][1], rows[0][2]
    print(f"{len(docs)} PDFs of the sample organization ({args.paper}), {os.cpu_count()} CPUs, "
          f"load average {load_before[0]:.1f} before and {load_after[0]:.1f} after; "
          f"HTML from the views took {html_seconds:.2f} s")
    print(f"{'renderer':<28} {'wall s':>7} {'CPU s':>7} {'pages':>6} {'pages/s':>8} {'pages/CPU s':>12} "
          f"{'wall vs raw':>12} {'CPU vs raw':>11} {'longest doc s':>14} {'overlap':>8}")
    for label, wall, cpu, pages, longest, busy in rows:
        print(f"{label:<28} {wall:7.1f} {cpu:7.1f} {pages:6d} {pages / wall:8.2f} {pages / cpu:12.2f} "
              f"{raw_wall / wall:11.2f}x {raw_cpu / cpu:10.2f}x {longest:14.1f} {busy / wall:7.2f}x")
    print("wall vs raw > 1 means faster than raw WeasyPrint. overlap: documents in progress at once, on average "
          "(the sum of their wall times over the row's wall time). The parallel row can only beat the serial one "
          "by the cores that are idle (see the load average), and never by more than the longest document allows.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
