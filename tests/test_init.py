"""`handbook init`: a new organization's repository, whose placeholders are errors until filled."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import TODAY, run_cli

PLACEHOLDER = re.compile(r'"TODO: ([^"]*)"')


def _fill(text: str, counter: list[int]) -> str:
    """Replace each placeholder with a value of the kind it asks for."""

    def value(m: re.Match[str]) -> str:
        counter[0] += 1
        n = counter[0]
        what = m.group(1)
        if "number, e.g. +1" in what:
            return f'"+1 312 555 {n:04d}"'
        if "e-mail" in what:
            return f'"person{n}@acme.example"'
        if "time zone" in what:
            return '"America/Chicago"'
        return f'"Filled value {n}"'

    return PLACEHOLDER.sub(value, text)


@pytest.fixture()
def acme(tmp_path: Path) -> Path:
    run = run_cli("init", str(tmp_path / "acme"), cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "Next: replace every TODO: value" in run.stderr
    return tmp_path / "acme"


def test_init_writes_a_whole_repository(acme: Path) -> None:
    for rel in ("data/organization.yaml", "data/people.yaml", "data/severity.yaml", "data/postmortems/one.yaml",
                "schemas/people.schema.json", "schemas/handbook-export.schema.json", "README.md",
                "mkdocs.yml", "docs/README.md",
                ".github/workflows/handbook.yml", ".github/dependabot.yml", ".pre-commit-config.yaml", ".gitignore"):
        assert (acme / rel).is_file(), rel
    people = (acme / "data" / "people.yaml").read_text(encoding="utf-8")
    assert people.startswith("# yaml-language-server: $schema=../schemas/people.schema.json\n")
    assert "# How to edit:" in people  # the sample's how-to comments
    assert "verbose: true" in (acme / ".pre-commit-config.yaml").read_text(encoding="utf-8")


def test_every_placeholder_is_an_error_at_its_line(acme: Path) -> None:
    run = run_cli("validate", "--data", "data", "--today", TODAY, "--format", "json", cwd=acme)
    assert run.returncode == 1
    findings = json.loads(run.stdout)["findings"]
    placeholders = sum(len(PLACEHOLDER.findall(p.read_text(encoding="utf-8"))) for p in (acme / "data").rglob("*.yaml"))
    assert placeholders > 40
    assert [f["code"] for f in findings] == ["HB106"] * placeholders  # nothing else: the shape is right
    org = next(f for f in findings if f["file"] == "data/organization.yaml" and f["path"] == "organization.name")
    lines = (acme / "data" / "organization.yaml").read_text(encoding="utf-8").splitlines()
    assert "TODO: your organization's name" in lines[org["line"] - 1]
    assert org["hint"] == "write your organization's name"


def test_init_never_overwrites_a_file(acme: Path) -> None:
    people = acme / "data" / "people.yaml"
    people.write_text("people: []\n", encoding="utf-8")
    (acme / "README.md").write_text("ours\n", encoding="utf-8")
    run = run_cli("init", str(acme), cwd=acme)
    assert run.returncode == 0
    assert people.read_text(encoding="utf-8") == "people: []\n"
    assert (acme / "README.md").read_text(encoding="utf-8") == "ours\n"
    assert f"kept {people} (it exists; handbook init never overwrites a file)" in run.stderr
    assert "Wrote 0 files" in run.stderr


@pytest.mark.build
def test_with_the_placeholders_filled_it_validates_and_builds(acme: Path) -> None:
    counter = [0]
    for path in (acme / "data").rglob("*.yaml"):
        path.write_text(_fill(path.read_text(encoding="utf-8"), counter), encoding="utf-8")
    run = run_cli("validate", "--data", "data", "--today", TODAY, cwd=acme)
    assert run.returncode == 0, run.stdout + run.stderr
    run = run_cli("build", "--data", "data", "--today", TODAY, "--no-pdf", "--no-offline", cwd=acme, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stderr.splitlines()[:2] == ["Building the site …", "Writing the exports (handbook.json, drills.ics, contacts) …"]
    assert run.stderr.splitlines()[-1].startswith(f"Built the internal handbook into {acme / 'site'} in ")
    quiet = run_cli("build", "--quiet", "--data", "data", "--today", TODAY, "--no-pdf", "--no-offline", cwd=acme, timeout=300)
    assert quiet.returncode == 0 and quiet.stderr == "" and quiet.stdout == ""
    home = (acme / "site" / "index.html").read_text(encoding="utf-8")
    assert "Filled value" in home  # the organization's name, from its data
    assert "Harbor" not in home and "Minimal Example" not in home
