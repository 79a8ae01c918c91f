"""Measure how long each printed chapter really is, to calibrate macros/printing/volumes.py's estimate.

    python benchmarks/calibrate_pages.py measure --data DIR [--departments N] --out chapters.json
    python benchmarks/calibrate_pages.py fit chapters.json [more.json …]

`measure` renders the whole handbook (every chapter, as a small organization's handbook.pdf has
them) and the first N department binders with the build's stylesheet, and writes one record per
chapter: its features (macros.printing.volumes.features) and its printed height in pages (whole pages
plus how far down its last page the text reaches), with the peak memory of each render.
`fit` finds non-negative weights for the features by least squares and prints them with the
error of the resulting page estimate per chapter and per document.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _rss_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def _fill(page) -> float:
    """How far down its text area a page is filled, 0–1."""
    from weasyprint.formatting_structure import boxes

    root = page._page_box.children[0]
    top, bottom = root.position_y, root.position_y
    for b in root.descendants():
        if isinstance(b, boxes.LineBox | boxes.ReplacedBox) or (isinstance(b, boxes.BlockBox) and not b.children):
            bottom = max(bottom, b.position_y + b.margin_height())
    return min(1.0, (bottom - top) / page._page_box.height)


def measure(data: str, today: str, departments: int, out: str, paper: str) -> None:
    from weasyprint import CSS, HTML

    from preparedness_handbook.macros.context import make_context
    from preparedness_handbook.macros.printing.binders import department_document, handbook_document
    from preparedness_handbook.macros.printing.document import document_html, stylesheet
    from preparedness_handbook.macros.printing.volumes import features
    from preparedness_handbook.macros.site.pages import print_anchor
    from preparedness_handbook.validators.engine import validate

    result = validate(Path(data), dt.date.fromisoformat(today))
    assert result.handbook is not None
    ctx = make_context(result.handbook, "internal")
    ctx.pdf = True
    css = CSS(string=stylesheet(paper))
    docs = [("handbook", handbook_document(ctx))]
    docs += [(d.id, department_document(ctx, d.id)) for d in ctx.hb.departments[:departments]]
    records, documents = [], []
    for name, doc in docs:
        html = document_html(ctx, doc)
        with open("/proc/self/clear_refs", "w") as f:  # reset the peak (VmHWM)
            f.write("5")
        before = _rss_mb("VmRSS")
        started = time.process_time()
        rendered = HTML(string=html).render(stylesheets=[css])
        pages = rendered.pages
        peak = _rss_mb("VmHWM")
        starts = {}
        for i, page in enumerate(pages):
            for ch in doc.chapters:
                if print_anchor(ch.key) in page.anchors and ch.key not in starts:
                    starts[ch.key] = i
        keys = [ch.key for ch in doc.chapters]
        for n, ch in enumerate(doc.chapters):
            first = starts[ch.key]
            last = (starts[keys[n + 1]] - 1) if n + 1 < len(keys) else len(pages) - 1
            height = (last - first) + _fill(pages[last])
            records.append({"doc": f"{Path(data).name}/{name}", "key": ch.key, "pages": last - first + 1,
                            "height": round(height, 3), "features": features(ch.html())})
        documents.append({"doc": f"{Path(data).name}/{name}", "pages": len(pages), "front": starts[keys[0]],
                          "cpu": round(time.process_time() - started, 2), "rss_before_mb": round(before),
                          "peak_mb": round(peak), "html_chars": len(html)})
        print(json.dumps(documents[-1]), file=sys.stderr)
        del rendered, pages
    Path(out).write_text(json.dumps({"chapters": records, "documents": documents}, indent=1), encoding="utf-8")


def fit(files: list[str]) -> None:
    import numpy as np
    from scipy.optimize import nnls

    from preparedness_handbook.macros.printing import volumes

    chapters = [c for f in files for c in json.loads(Path(f).read_text())["chapters"]]
    names = list(chapters[0]["features"])
    x = np.array([[c["features"][n] for n in names] + [1.0] for c in chapters])
    y = np.array([c["height"] for c in chapters])
    w, _ = nnls(x, y)
    print("weights (pages per unit):")
    for n, v in zip([*names, "per chapter"], w):
        print(f"    {n!r}: {v:.6g},")
    est = x @ w
    err = est - y
    print(f"{len(chapters)} chapters: height error mean {err.mean():+.3f}, abs mean {abs(err).mean():.3f}, "
          f"max {err.max():+.2f} / {err.min():+.2f} pages")
    # Whole pages as the module counts them, with its current weights.
    by_doc: dict[str, list[int]] = {}
    for c in chapters:
        got = volumes.chapter_pages_from_features(c["features"])
        by_doc.setdefault(c["doc"], [0, 0])
        by_doc[c["doc"]][0] += got
        by_doc[c["doc"]][1] += c["pages"]
    print("chapter pages per document with the module's weights, estimated / printed:")
    for d, (e_, p) in by_doc.items():
        print(f"    {d}: {e_} / {p} ({(e_ - p) / p:+.1%})")
    if len(files) > 1:
        # Held out: weights fitted on the other files, tried on this one's documents.
        print("held out (fitted on the other files):")
        for f in files:
            own = json.loads(Path(f).read_text())["chapters"]
            keys = {(c["doc"], c["key"]) for c in own}
            rest = [c for c in chapters if (c["doc"], c["key"]) not in keys]
            xr = np.array([[c["features"][n] for n in names] + [1.0] for c in rest])
            wr, _ = nnls(xr, np.array([c["height"] for c in rest]))
            docs: dict[str, list[float]] = {}
            for c in own:
                h = float(np.array([c["features"][n] for n in names] + [1.0]) @ wr)
                docs.setdefault(c["doc"], [0, 0])
                docs[c["doc"]][0] += max(1, math.ceil(h - 0.02))
                docs[c["doc"]][1] += c["pages"]
            for d, (e_, p) in docs.items():
                print(f"    {d}: {e_} / {p} ({(e_ - p) / p:+.1%})")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("measure")
    m.add_argument("--data", required=True)
    m.add_argument("--today", default="2026-11-27")
    m.add_argument("--departments", type=int, default=3)
    m.add_argument("--paper", default="a4")
    m.add_argument("--out", required=True)
    f = sub.add_parser("fit")
    f.add_argument("files", nargs="+")
    args = p.parse_args(argv)
    if args.cmd == "measure":
        measure(args.data, args.today, args.departments, args.out, args.paper)
    else:
        fit(args.files)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
