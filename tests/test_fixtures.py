"""Good and bad examples as folders: one parametrized test each, no new test code per case.

tests/fixtures/valid/<case>/data/ must validate with no errors.

tests/fixtures/invalid/<case>/ is laid over a copy of the minimal organization (see
tests/fixtures/invalid/README.md) and ``handbook validate`` runs on it through the command's own
entry point, ``handbook.cli.main``, in this process: the same code a user runs, without paying an
interpreter start per case (tests/test_cli_validate.py and the text-format cases below run the
command in a subprocess).
Each line of <case>/expected.txt names one finding:

    HB302 data/people.yaml:12            any column
    HB302 data/people.yaml:12:7 words    the column, and words found in the message or the hint

A line holding only ``...`` lets other findings appear too; without it, every finding the command
prints must be named by some line.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from preparedness_handbook.handbook.cli import main
from tests.conftest import INVALID, TODAY, VALID, Run, build_case, run_validate

SECONDS_PER_CASE = 2.0
_LINE = re.compile(r"^(?P<code>HB\d{3})\s+(?P<file>[^\s:]+):(?P<line>\d+)(?::(?P<col>\d+))?(?:\s+(?P<text>.*))?$")
# Findings about a whole file may have no field path.
_FILE_LEVEL = {"HB001", "HB002", "HB003", "HB004", "HB005", "HB006", "HB008", "HB009", "HB010"}


@dataclass(frozen=True)
class Expected:
    code: str
    file: str
    line: int
    col: int | None
    text: str
    source: str

    def matches(self, f: dict) -> bool:
        return (
            f["code"] == self.code
            and f["file"] == self.file
            and f["line"] == self.line
            and (self.col is None or f["column"] == self.col)
            and (not self.text or self.text in f["message"] or self.text in f["hint"])
        )


def read_expected(case: Path) -> tuple[list[Expected], bool]:
    path = case / "expected.txt"
    expected, others_allowed = [], False
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line == "...":
            others_allowed = True
            continue
        m = _LINE.match(line)
        assert m, f"{path}: cannot read '{raw}' (want 'HB302 data/people.yaml:12[:7] [words]')"
        expected.append(Expected(
            m["code"], m["file"], int(m["line"]), int(m["col"]) if m["col"] else None,
            (m["text"] or "").strip(), line,
        ))
    assert expected, f"{path} names no finding"
    return expected, others_allowed


def _cases(root: Path) -> list[Path]:
    return sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []


def _show(findings: list[dict]) -> str:
    return "\n".join(
        f"  {f['code']} {f['file']}:{f['line']}:{f['column']} [{f['level']}] {f['path']}: {f['message']} ({f['hint']})"
        for f in findings
    ) or "  (none)"


@pytest.mark.parametrize("case", _cases(VALID), ids=lambda p: p.name)
def test_valid_case(case: Path) -> None:
    run = run_validate(case, "--format", "json")
    assert "Traceback" not in run.stderr, run.stderr
    report = run.json
    errors = [f for f in report["findings"] if f["level"] == "error"]
    assert not errors, "expected no errors:\n" + _show(errors)
    assert run.returncode == 0, run.stderr
    if case.name == "minimal":
        # Every bad-input case is laid over it and names all it expects: the base must be silent.
        assert not report["findings"], "the minimal organization must have no warnings either:\n" + _show(report["findings"])


def validate_here(cwd: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> Run:
    """``handbook validate --format json`` through the command's entry point, timed."""
    monkeypatch.chdir(cwd)
    for name in ("GITHUB_ACTIONS", "HANDBOOK_TODAY", "HANDBOOK_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    capsys.readouterr()
    start = time.perf_counter()
    code = main(["validate", "--data", "data", "--today", TODAY, "--format", "json"])
    seconds = time.perf_counter() - start
    out = capsys.readouterr()
    return Run(code, out.out, out.err, seconds)


@pytest.mark.parametrize("case", _cases(INVALID), ids=lambda p: p.name)
def test_invalid_case(case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    expected, others_allowed = read_expected(case)
    build_case(case, tmp_path)

    run = validate_here(tmp_path, monkeypatch, capsys)

    assert "Traceback" not in run.stderr, run.stderr
    assert run.stderr.strip() == "", run.stderr
    findings = run.json["findings"]
    shown = _show(findings)
    for exp in expected:
        assert any(exp.matches(f) for f in findings), f"{case.name}: no finding for '{exp.source}'; found:\n{shown}"
    if not others_allowed:
        unnamed = [f for f in findings if not any(exp.matches(f) for exp in expected)]
        assert not unnamed, f"{case.name}: findings that expected.txt does not name:\n{_show(unnamed)}"

    expects_error = any(f["level"] == "error" for f in findings if any(exp.matches(f) for exp in expected))
    assert run.returncode == (1 if expects_error else 0), f"exit {run.returncode}\n{shown}\n{run.stderr}"
    keys = [(f["file"], f["line"], f["column"]) for f in findings]
    assert keys == sorted(keys), f"findings are not sorted by file and line:\n{shown}"

    for f in findings:
        assert f["line"] >= 1 and f["column"] >= 1, f
        assert f["path"] or f["code"] in _FILE_LEVEL or f["message"].startswith("the file "), (
            f"finding without a field path: {f}"
        )
        assert f["hint"].strip(), f"finding without a hint: {f}"
        assert f["message"].strip(), f

    assert run.seconds < SECONDS_PER_CASE, f"validate took {run.seconds:.2f} s"


def test_every_invalid_case_has_expected_txt() -> None:
    for case in _cases(INVALID):
        assert (case / "expected.txt").is_file(), f"{case} has no expected.txt"
        assert (case / "data").is_dir() or (case / "delete.txt").is_file(), f"{case} changes nothing"


# --- error text is interface: whole lines as a user reads them ---------------------------------

TEXT_LINES = {
    "load-duplicate-key": "data/people.yaml:19:5: error HB007 people[1].title: duplicate key 'title' "
    "(first at line 18) (keep one of them: YAML would silently use only the last)",
    "schema-unknown-key-typo": "data/people.yaml:20:5: error HB101 people[1].report_to: unknown field "
    "'report_to' (did you mean 'reports_to'?)",
    "ref-unknown-person": "data/roles.yaml:14:14: error HB202 roles[0].primary: unknown person "
    "'ben-coel' (did you mean 'ben-cole'?)",
    "schema-bad-phone": "data/people.yaml:23:16: error HB104 people[1].contacts[0].value: '+1 312 555' "
    "is not a valid phone number for its country (check the digits and the country code)",
    "file-missing-people": "data/people.yaml:1:1: error HB010 required data file is missing "
    "(create people.yaml; the data reference lists its fields)",
}


@pytest.mark.parametrize("case", sorted(TEXT_LINES), ids=str)
def test_text_format_lines(case: str, tmp_path: Path) -> None:
    build_case(INVALID / case, tmp_path)
    run = run_validate(tmp_path, "--format", "text")
    assert run.returncode == 1
    lines = run.stdout.splitlines()
    assert TEXT_LINES[case] in lines, run.stdout
    assert re.fullmatch(r"\d+ errors?, \d+ warnings? in \d+ files?", lines[-2] if lines[-1].startswith("Consistency") else lines[-1])
