"""CPU seconds to make the HTML of every printed document (no PDF rendering), per organization.

    python benchmarks/generate.py --size medium --out /tmp/medium/data --today 2026-12-02
    python benchmarks/print_html.py /tmp/medium/data [more data folders …]

To compare two versions, run it once with each installed, in the same session. The pages
are rendered from the current folder's docs/ when it has mkdocs.yml (as `handbook build`).
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

from preparedness_handbook.macros.context import make_context
from preparedness_handbook.macros.printing.binders import print_jobs
from preparedness_handbook.validators.engine import validate


def main(folders: list[str]) -> None:
    print("| data | documents | HTML (MB) | CPU s |")
    print("|---|---|---|---|")
    for folder in folders:
        result = validate(Path(folder), dt.date(2026, 12, 2))
        ctx = make_context(result.handbook, "internal", version="bench")
        start = time.process_time()
        jobs = print_jobs(ctx)
        took = time.process_time() - start
        print(f"| {folder} | {len(jobs)} | {sum(len(j.html) for j in jobs) / 1e6:.1f} | {took:.2f} |")


if __name__ == "__main__":
    main(sys.argv[1:] or ["data"])
