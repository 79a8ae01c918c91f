"""validate(): load the data, and when it holds together, run every consistency rule."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

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


def validate(data_dir: Path, today: dt.date | None = None) -> Result:
    loaded = load_handbook(Path(data_dir), today)
    findings = list(loaded.findings)
    if loaded.handbook is None:
        return Result(None, findings, loaded.files, False)
    for r in RULES:
        findings.extend(r.run(loaded.handbook))
    return Result(loaded.handbook, sort_findings(findings), loaded.files, True)
