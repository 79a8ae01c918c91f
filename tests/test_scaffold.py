"""`handbook new`: a commented entry added without disturbing the file around it, whose
placeholders are errors at their lines until they are written."""

from __future__ import annotations

import datetime as dt
import difflib
import shutil
from pathlib import Path

import pytest
import yaml

from preparedness_handbook.handbook.scaffold import align_comments, insert_into_list, new_entry
from preparedness_handbook.validators.engine import validate
from tests.conftest import REPO, TODAY, run_cli

CASES = [
    ("person", "jane-doe", "people.yaml", "people"),
    ("drill", "phones-only-tabletop", "drills.yaml", "drills"),
    ("partner", "acme-forensics", "partners.yaml", "partners"),
]


@pytest.fixture
def sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(REPO / "data", tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def new(capsys: pytest.CaptureFixture[str], kind: str, ident: str) -> tuple[int, str, str]:
    """`handbook new` in this process (a subprocess costs a second of imports each time)."""
    code = new_entry(kind, Path("data"), ident, dt.date.fromisoformat(TODAY))
    out = capsys.readouterr()
    return code, out.out, out.err


def validates() -> bool:
    result = validate(Path("data"), dt.date.fromisoformat(TODAY))
    return result.ok() and result.files > 0


def only_placeholders(expected: int | None = None) -> list:
    """The findings now, which must all be HB106 placeholders (``expected`` of them), each on a
    line that holds its "TODO:" value."""
    result = validate(Path("data"), dt.date.fromisoformat(TODAY))
    errors = result.errors
    assert errors and {f.code for f in errors} == {"HB106"}, [f.text for f in errors]
    for f in errors:
        assert '"TODO: ' in Path(f.file).read_text(encoding="utf-8").splitlines()[f.line - 1], f.text
    if expected is not None:
        assert len(errors) == expected, [f.text for f in errors]
    return errors


def fill_placeholders() -> int:
    """Write a value of the kind each placeholder asks for, as a contributor would."""
    from tests.test_init import _fill

    counter = [0]
    for path in Path("data").rglob("*.yaml"):
        path.write_text(_fill(path.read_text(encoding="utf-8"), counter), encoding="utf-8")
    return counter[0]


def comments(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.lstrip().startswith("#")]


@pytest.mark.parametrize(("kind", "ident", "fname", "key"), CASES, ids=[c[0] for c in CASES])
def test_new_entry_is_appended_its_placeholders_are_errors_and_filled_it_validates(
        sample: Path, capsys: pytest.CaptureFixture[str], kind: str, ident: str, fname: str, key: str) -> None:
    path = sample / "data" / fname
    before = path.read_text(encoding="utf-8")
    code, out, err = new(capsys, kind, ident)
    assert code == 0, out + err
    assert f"Added {kind} '{ident}' to data/{fname}. Write the values marked TODO:" in out
    assert f"data/{fname}:" in out and "error HB106" in out
    after = path.read_text(encoding="utf-8")
    # Everything that was there is still there, byte for byte: comments, order, quoting.
    assert after.startswith(before)
    assert comments(before) == comments(after)[: len(comments(before))]
    assert after.splitlines()[0].startswith("# yaml-language-server: $schema=")
    added = after[len(before):]
    assert "TODO" in added and f"- id: {ident}" in added
    items = yaml.safe_load(after)[key]
    assert items[-1]["id"] == ident
    assert [i["id"] for i in items[:-1]] == [i["id"] for i in yaml.safe_load(before)[key]]
    errors = only_placeholders()
    first = len(before.splitlines())
    assert all(f.line > first for f in errors), "the placeholders are in the new entry"
    assert fill_placeholders() == len(errors)
    assert validates()


def _fields(*models: type) -> list[str]:
    return [name for model in models for name in model.model_fields]


def test_every_field_is_in_the_templates() -> None:
    import datetime as dt

    from preparedness_handbook.handbook.scaffold import (
        Facts,
        drill_entry,
        partner_entry,
        person_entry,
        postmortem_file,
    )
    from preparedness_handbook.validators.models.drills import Action as DrillAction
    from preparedness_handbook.validators.models.drills import (
        Drill,
        DrillFinding,
        Inject,
        Run,
        Scenario,
    )
    from preparedness_handbook.validators.models.partners import (
        Contract,
        EngageWhen,
        Partner,
        PartnerContact,
    )
    from preparedness_handbook.validators.models.people import Contact, Person
    from preparedness_handbook.validators.models.postmortems import (
        ActionItem,
        Lessons,
        Postmortem,
        TimelineEntry,
    )

    f = Facts("sales", "ann", "sev1", "sev4", "incident-manager", "tom", "laptops", "example.com",
              "+1 201-555-0123", "US", "America/Chicago")
    today = dt.date(2026, 11, 27)
    for text, models in [
        (person_entry("jane-doe", f, today), (Person, Contact)),
        (drill_entry("d", f, today), (Drill, Scenario, Inject, Run, DrillFinding, DrillAction)),
        (partner_entry("p", f, today), (Partner, PartnerContact, EngageWhen, Contract)),
        (postmortem_file("pm", f, today), (Postmortem, TimelineEntry, Lessons, ActionItem)),
    ]:
        missing = [name for name in _fields(*models) if f"{name}:" not in text]
        assert not missing, f"not in the template: {missing}"


def test_person_placeholders(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert new(capsys, "person", "jane-doe")[0] == 0
    person = yaml.safe_load((sample / "data" / "people.yaml").read_text(encoding="utf-8"))["people"][-1]
    assert person["last_verified"].isoformat() == TODAY
    assert person["name"] == "Jane Doe"
    # No made-up number: the example is inside the placeholder, which is an error until replaced.
    assert person["contacts"][0] == {"kind": "mobile", "value": "TODO: their mobile number, e.g. +1 201-555-0123"}
    assert person["title"] == "TODO: their job title"
    errors = only_placeholders(3)
    assert [f.path for f in errors] == ["people[52].title", "people[52].contacts[0].value", "people[52].contacts[1].value"]
    assert errors[1].hint == "write their mobile number, e.g. +1 201-555-0123"


def test_new_postmortem_is_its_own_file(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Through the real command once, as a contributor runs it.
    run = run_cli("new", "postmortem", "2026-12-payroll-delay", "--data", "data", "--today", TODAY, cwd=sample)
    assert run.returncode == 0, run.stdout + run.stderr
    path = sample / "data" / "postmortems" / "2026-12-payroll-delay.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schemas/postmortem.schema.json\n")
    assert (REPO / "schemas" / "postmortem.schema.json").is_file()
    data = yaml.safe_load(text)
    assert data["id"] == "2026-12-payroll-delay" and data["status"] == "draft"
    assert data["title"] == "Payroll Delay"
    files = len(list((sample / "data").rglob("*.yaml")))  # the sample's files and the new one
    assert f"{files} files" in run.stdout and "error HB106" in run.stdout
    assert run.returncode == 0  # the entry was added; its placeholders are for the contributor
    assert validate_exit(sample) == 1
    monkeypatch.chdir(sample)
    only_placeholders(3)
    fill_placeholders()
    assert validate_exit(sample) == 0


def test_one_entry_at_a_time_each_filled_before_the_next(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    snapshot = None
    for kind, ident, placeholders in [("person", "ann-lee", 3), ("person", "bo-kim", 3), ("drill", "d-one", 4),
                                      ("partner", "p-one", 3), ("postmortem", "pm-one", 3)]:
        code, out, err = new(capsys, kind, ident)
        assert code == 0, out + err
        only_placeholders(placeholders)
        snapshot = {p: p.read_bytes() for p in (sample / "data").rglob("*.yaml")}
        code, out, err = new(capsys, "person", "too-soon")  # the next one waits for these to be written
        assert code == 1
        assert "write the TODO: values above first (the entry added last), then add the next one" in err
        assert {p: p.read_bytes() for p in (sample / "data").rglob("*.yaml")} == snapshot
        fill_placeholders()
        assert validates(), kind


@pytest.mark.parametrize(("kind", "ident", "where"), [
    ("person", "tyler-johnson", "people.yaml already has an entry with the id 'tyler-johnson'"),
    ("drill", "ransomware-tabletop", "drills.yaml already has an entry with the id 'ransomware-tabletop'"),
    ("partner", "lakeshore-cyber", "partners.yaml already has an entry with the id 'lakeshore-cyber'"),
    ("postmortem", "2026-03-checkout-outage", "a postmortem with the id '2026-03-checkout-outage' already exists"),
])
def test_existing_id_is_refused(sample: Path, capsys: pytest.CaptureFixture[str], kind: str, ident: str, where: str) -> None:
    snapshot = {p: p.read_bytes() for p in (sample / "data").rglob("*.yaml")}
    code, _, err = new(capsys, kind, ident)
    assert code == 1
    assert where in err and "choose another id" in err
    assert {p: p.read_bytes() for p in (sample / "data").rglob("*.yaml")} == snapshot


def test_bad_id_is_a_usage_error(sample: Path) -> None:
    run = run_cli("new", "person", "Jane Doe", "--data", "data", "--today", TODAY, cwd=sample)
    assert run.returncode == 2
    assert "'Jane Doe' is not an id" in run.stderr and "'jane-doe'" in run.stderr


def validate_exit(cwd: Path) -> int:
    return run_cli("validate", "--data", "data", "--today", TODAY, cwd=cwd).returncode


# --- inserting into a list that is not at the end of its file ------------------------------------

BLOCK = align_comments("# new\n- id: new-one\n  name: New  # a comment\n  tags: [a]\n")


def test_insert_before_the_next_key_and_its_comments() -> None:
    text = (
        "# header\n"
        "items:\n"
        "  - id: first   # keep me\n"
        "    name: First\n"
        "\n"
        "# About the next key\n"
        "other: 1\n"
    )
    out = insert_into_list(text, "items", BLOCK)
    assert yaml.safe_load(out) == {"items": [{"id": "first", "name": "First"}, {"id": "new-one", "name": "New", "tags": ["a"]}],
                                   "other": 1}
    ops = {op for op, *_ in difflib.SequenceMatcher(None, text.splitlines(), out.splitlines()).get_opcodes()}
    assert ops <= {"equal", "insert"}, "only insertions"
    assert out.splitlines()[-2:] == ["# About the next key", "other: 1"]
    assert "  - id: new-one" in out


def test_insert_keeps_the_list_style_of_the_file() -> None:
    text = "items:\n- id: first\n  name: First\n"
    out = insert_into_list(text, "items", BLOCK)
    assert out.startswith(text)
    assert "\n- id: new-one\n  name: New" in out
    assert yaml.safe_load(out)["items"][1]["id"] == "new-one"


def test_insert_into_an_empty_list() -> None:
    out = insert_into_list("# none yet\nitems: []\n", "items", BLOCK)
    assert out.startswith("# none yet\nitems:\n")
    assert yaml.safe_load(out) == {"items": [{"id": "new-one", "name": "New", "tags": ["a"]}]}


def test_align_comments() -> None:
    assert align_comments("a: 1  # one\nlonger_key: 2  # two\n", 20) == "a: 1                # one\nlonger_key: 2       # two\n"
    assert align_comments("# only a comment\n") == "# only a comment\n"


# --- ids that would make a broken file ---------------------------------------------------------

def _files(data: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in data.rglob("*") if p.is_file()}


@pytest.mark.parametrize(("kind", "ident", "said"), [
    # `$` matched before a final line break: this wrote data/postmortems/evil<LF>.yaml
    ("postmortem", "evil\n", "'evil<U+000A>' is not an id: use lowercase letters, digits and hyphens, e.g. 'evil'"),
    ("person", "evil\n", "'evil<U+000A>' is not an id: use lowercase letters, digits and hyphens, e.g. 'evil'"),
    ("drill", "evil\r\n", "'evil<U+000D><U+000A>' is not an id: use lowercase letters, digits and hyphens, "
                         "e.g. 'evil'"),
    ("partner", " acme", "' acme' is not an id: use lowercase letters, digits and hyphens, e.g. 'acme'"),
    ("postmortem", "a" * 301, "the id is 301 characters long, more than the 64 an id may have: shorten it, "
                              "e.g. '" + "a" * 64 + "'"),
    ("person", "jane-" * 20, "the id is 100 characters long, more than the 64 an id may have: shorten it, "
                             "e.g. '" + ("jane-" * 13).rstrip("-") + "'"),
], ids=["newline-postmortem", "newline-person", "crlf-drill", "leading-space", "301-characters", "100-characters"])
def test_an_id_that_is_not_one_writes_nothing(sample: Path, capsys: pytest.CaptureFixture[str],
                                              kind: str, ident: str, said: str) -> None:
    before = _files(sample / "data")
    code, out, err = new(capsys, kind, ident)
    assert code == 2
    assert err == f"handbook new: {said}\n" and out == ""
    assert _files(sample / "data") == before


def test_an_id_of_the_longest_length_is_added(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ident = "2026-12-" + "x" * 56
    code, out, err = new(capsys, "postmortem", ident)
    assert code == 0, out + err
    assert (sample / "data" / "postmortems" / f"{ident}.yaml").is_file()
