"""One problem type for everything the data layer reports, and the formatters apart from it."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Literal

Level = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Finding:
    """A problem found in the data: where it is, what is wrong, and what to write instead."""

    file: str
    line: int
    column: int
    code: str
    level: Level
    path: str
    message: str
    hint: str = ""

    @property
    def text(self) -> str:
        hint = f" ({self.hint})" if self.hint else ""
        where = f" {self.path}:" if self.path else ""
        return f"{self.file}:{self.line}:{self.column}: {self.level} {self.code}{where} {self.message}{hint}"


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    seen: set[Finding] = set()
    unique = []
    for f in findings:
        if f not in seen:
            seen.add(f)
            unique.append(f)
    return sorted(unique, key=lambda f: (f.file, f.line, f.column, f.code, f.path, f.message))


def summary(findings: list[Finding], files: int) -> str:
    errors = sum(1 for f in findings if f.level == "error")
    warnings = len(findings) - errors
    e = f"{errors} error{'s' if errors != 1 else ''}"
    w = f"{warnings} warning{'s' if warnings != 1 else ''}"
    return f"{e}, {w} in {files} file{'s' if files != 1 else ''}"


def format_text(findings: list[Finding], files: int) -> str:
    lines = [f.text for f in findings]
    lines.append(summary(findings, files))
    return "\n".join(lines)


def _gh_escape(value: str, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def format_github(findings: list[Finding], files: int) -> str:
    """GitHub Actions workflow commands: each finding becomes an annotation on its line."""
    lines = []
    for f in findings:
        kind = "error" if f.level == "error" else "warning"
        hint = f" ({f.hint})" if f.hint else ""
        where = f"{f.path}: " if f.path else ""
        props = (
            f"file={_gh_escape(f.file, True)},line={f.line},col={f.column},"
            f"title={_gh_escape(f.code, True)}"
        )
        lines.append(f"::{kind} {props}::{_gh_escape(where + f.message + hint)}")
    lines.append(summary(findings, files))
    return "\n".join(lines)


def format_json(findings: list[Finding], files: int) -> str:
    errors = sum(1 for f in findings if f.level == "error")
    return json.dumps(
        {
            "findings": [asdict(f) for f in findings],
            "errors": errors,
            "warnings": len(findings) - errors,
            "files": files,
        },
        indent=2,
    )


FORMATTERS = {"text": format_text, "github": format_github, "json": format_json}
