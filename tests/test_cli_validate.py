"""`handbook validate`: exit codes, the three formats, --strict and the summary line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from preparedness_handbook.validators.findings import Finding, format_github
from tests.conftest import INVALID, REPO, TODAY, build_case, run_cli, run_validate

SUMMARY = re.compile(r"^\d+ errors?, \d+ warnings? in \d+ files?$")
PHONE = (
    "people[1].contacts[0].value: '+1 312 555' is not a valid phone number for its country "
    "(check the digits and the country code)"
)


@pytest.fixture
def bad_phone(tmp_path: Path) -> Path:
    build_case(INVALID / "schema-bad-phone", tmp_path)
    return tmp_path


@pytest.fixture
def unknown_file(tmp_path: Path) -> Path:
    """Only a warning: data/peple.yaml is not a file the handbook reads."""
    build_case(INVALID / "file-unknown-file-name", tmp_path)
    return tmp_path


# --- exit codes ------------------------------------------------------------------------------------

def test_valid_data_exits_0(minimal_data: Path) -> None:
    run = run_validate(minimal_data.parent)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout == "0 errors, 0 warnings in 11 files\n"
    assert run.stderr == ""


def test_errors_exit_1(bad_phone: Path) -> None:
    run = run_validate(bad_phone)
    assert run.returncode == 1
    assert run.stdout.splitlines() == [
        f"data/people.yaml:23:16: error HB104 {PHONE}",
        "1 error, 0 warnings in 11 files",
        "Consistency rules were not run: fix the errors above first.",
    ]
    assert run.stderr == ""


def test_missing_data_folder_exits_2(tmp_path: Path) -> None:
    run = run_cli("validate", "--data", "nope", "--today", TODAY, cwd=tmp_path)
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr.strip() == "handbook validate: data folder 'nope' does not exist (use --data DIR)"


def test_data_path_that_is_a_file_exits_2(tmp_path: Path) -> None:
    (tmp_path / "data").write_text("people: []\n")
    run = run_cli("validate", "--data", "data", "--today", TODAY, cwd=tmp_path)
    assert run.returncode == 2
    assert "does not exist" in run.stderr


def test_default_data_folder_is_data(minimal_data: Path) -> None:
    run = run_cli("validate", "--today", TODAY, cwd=minimal_data.parent)
    assert run.returncode == 0, run.stdout


def test_bad_today_exits_2(minimal_data: Path) -> None:
    run = run_cli("validate", "--data", "data", "--today", "27/11/2026", cwd=minimal_data.parent)
    assert run.returncode == 2
    assert run.stderr.strip() == "handbook validate: --today must be a date such as 2026-11-27, not '27/11/2026'"


@pytest.mark.parametrize("args", [["--format", "xml"], ["--no-such-option"], []])
def test_usage_errors_exit_2(minimal_data: Path, args: list[str]) -> None:
    run = run_cli(*(["validate", "--data", "data", *args] if args else []), cwd=minimal_data.parent)
    assert run.returncode == 2
    assert "usage: handbook" in run.stderr
    assert "Traceback" not in run.stderr


def test_today_from_environment(minimal_data: Path) -> None:
    run = run_cli("validate", "--data", "data", cwd=minimal_data.parent, env={"HANDBOOK_TODAY": "soon"})
    assert run.returncode == 2
    assert run.stderr.strip() == "handbook validate: --today must be a date such as 2026-11-27, not 'soon'"
    # Three years later contacts, contracts and drills are out of date: the rules saw the date.
    later = run_cli("validate", "--data", "data", "--format", "json", cwd=minimal_data.parent,
                    env={"HANDBOOK_TODAY": "2029-11-27"})
    assert json.loads(later.stdout)["findings"], later.stdout
    now = run_cli("validate", "--data", "data", cwd=minimal_data.parent, env={"HANDBOOK_TODAY": TODAY})
    assert now.returncode == 0, now.stdout


# --- --strict ----------------------------------------------------------------------------------------

def test_warnings_alone_exit_0(unknown_file: Path) -> None:
    run = run_validate(unknown_file)
    assert run.returncode == 0
    assert run.stdout.splitlines() == [
        "data/peple.yaml:1:1: warning HB009 this file is not read by the handbook (did you mean 'people.yaml'?)",
        "0 errors, 1 warning in 11 files",
    ]


def test_strict_turns_warnings_into_exit_1(unknown_file: Path) -> None:
    run = run_validate(unknown_file, "--strict")
    assert run.returncode == 1
    assert run.stdout.splitlines()[-1] == "0 errors, 1 warning in 11 files"


def test_strict_on_clean_data_exits_0(minimal_data: Path) -> None:
    assert run_validate(minimal_data.parent, "--strict").returncode == 0


# --- formats -------------------------------------------------------------------------------------------

def test_github_format(bad_phone: Path) -> None:
    run = run_validate(bad_phone, "--format", "github")
    assert run.returncode == 1
    assert run.stdout.splitlines() == [
        f"::error file=data/people.yaml,line=23,col=16,title=HB104::{PHONE}",
        "1 error, 0 warnings in 11 files",
    ]


def test_github_format_warning(unknown_file: Path) -> None:
    run = run_validate(unknown_file, "--format", "github")
    assert run.stdout.splitlines()[0] == (
        "::warning file=data/peple.yaml,line=1,col=1,title=HB009::"
        "this file is not read by the handbook (did you mean 'people.yaml'?)"
    )


def test_github_format_is_chosen_under_github_actions(bad_phone: Path) -> None:
    run = run_validate(bad_phone, env={"GITHUB_ACTIONS": "true"})
    assert run.stdout.startswith("::error file=data/people.yaml,line=23,col=16,title=HB104::")
    # An explicit --format wins.
    run = run_validate(bad_phone, "--format", "text", env={"GITHUB_ACTIONS": "true"})
    assert run.stdout.startswith("data/people.yaml:23:16: error HB104 ")
    # Only the value 'true' switches (GitHub sets exactly that).
    run = run_validate(bad_phone, env={"GITHUB_ACTIONS": "false"})
    assert run.stdout.startswith("data/people.yaml:23:16: error HB104 ")


def test_github_format_escapes_workflow_command_syntax() -> None:
    f = Finding("data/a,b:c.yaml", 3, 4, "HB104", "error", "x", "50% done\nnext line", "hint, with: colon")
    line = format_github([f], 1).splitlines()[0]
    assert line == "::error file=data/a%2Cb%3Ac.yaml,line=3,col=4,title=HB104::x: 50%25 done%0Anext line (hint, with: colon)"


def test_json_format(bad_phone: Path) -> None:
    run = run_validate(bad_phone, "--format", "json")
    assert run.returncode == 1
    report = json.loads(run.stdout)
    assert report == {
        "findings": [{
            "file": "data/people.yaml",
            "line": 23,
            "column": 16,
            "code": "HB104",
            "level": "error",
            "path": "people[1].contacts[0].value",
            "message": "'+1 312 555' is not a valid phone number for its country",
            "hint": "check the digits and the country code",
        }],
        "errors": 1,
        "warnings": 0,
        "files": 11,
    }


def test_json_format_on_clean_data(minimal_data: Path) -> None:
    run = run_validate(minimal_data.parent, "--format", "json")
    assert json.loads(run.stdout) == {"findings": [], "errors": 0, "warnings": 0, "files": 11}


# --- the summary line ------------------------------------------------------------------------------------

def test_summary_counts_errors_warnings_and_files(tmp_path: Path) -> None:
    build_case(INVALID / "multi-file-errors", tmp_path)
    (tmp_path / "data" / "peple.yaml").write_text("people: []\n")
    run = run_validate(tmp_path)
    lines = run.stdout.splitlines()
    assert lines[-2] == "3 errors, 1 warning in 11 files"
    assert all(SUMMARY.match(line) is None for line in lines[:-2])
    assert lines[-1] == "Consistency rules were not run: fix the errors above first."


def test_summary_counts_postmortem_files(minimal_data: Path) -> None:
    second = (minimal_data / "postmortems" / "one.yaml").read_text().replace("id: one", "id: two", 1)
    (minimal_data / "postmortems" / "two.yaml").write_text(second)
    run = run_validate(minimal_data.parent)
    assert run.stdout.splitlines()[-1].endswith(" in 12 files"), run.stdout


def test_version_names_the_installed_tool() -> None:
    from importlib.metadata import version

    run = run_cli("--version", cwd=REPO)
    assert run.returncode == 0
    assert run.stdout.strip() == f"handbook {version('preparedness-handbook')}"
