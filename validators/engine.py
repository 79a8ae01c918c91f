"""validate(): load the data, and when it holds together, run every consistency rule."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .cache import Cache, open_cache
from .findings import Finding, sort_findings
from .handbook import Handbook, load_handbook
from .rules import RULES


@dataclass
class Result:
    handbook: Handbook | None
    findings: list[Finding]
    files: int
    rules_ran: bool

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "warning"]

    def ok(self, strict: bool = False) -> bool:
        return not self.errors and not (strict and self.warnings)


@contextmanager
def gc_paused(resume: bool = True) -> Iterator[None]:
    """Hold off the cyclic garbage collector while the data is loaded and checked.

    Loading builds hundreds of thousands of small objects that all stay alive, and every
    generation-2 collection walks all of them again: on a 5,000-person organization that was
    40% of validate()'s time. Nothing made here is garbage in a cycle, so one collection at the
    end (when the collector comes back on) costs the same as it would have anyway. A caller that
    exits right after (``handbook validate``) passes ``resume=False`` and skips that collection.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled and resume:
            gc.enable()


def validate(data_dir: Path, today: dt.date | None = None, *, cache: bool | Cache | None = None,
             exiting: bool = False) -> Result:
    """Check the data folder. ``cache``: None uses the per-user cache unless HANDBOOK_NO_CACHE
    is set, False none, or a given Cache. ``exiting``: the process ends right after, so the
    garbage collector is left off."""
    with gc_paused(resume=not exiting):
        return _validate(data_dir, today, open_cache(cache))


def _validate(data_dir: Path, today: dt.date | None, cache: Cache | None) -> Result:
    loaded = load_handbook(Path(data_dir), today, cache)
    findings = list(loaded.findings)
    if loaded.handbook is not None:
        for r in RULES:
            findings.extend(r.run(loaded.handbook))
        findings = sort_findings(findings)
    if cache is not None:
        cache.keep_positions()  # for the files in the cache whose positions a finding needed
    if loaded.handbook is None:
        return Result(None, findings, loaded.files, False)
    return Result(loaded.handbook, findings, loaded.files, True)
