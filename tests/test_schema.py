"""The JSON Schemas in schemas/ match the models, every data file points at its schema, and an
independent validator (check-jsonschema) accepts the sample data against them."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from preparedness_handbook.validators.models import FILES
from preparedness_handbook.validators.schema import schemas
from tests.conftest import REPO, run_cli

SCHEMAS = REPO / "schemas"
DATA = REPO / "data"
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)\s*$")


def data_files() -> list[Path]:
    return sorted(DATA.glob("*.yaml")) + sorted((DATA / "postmortems").glob("*.yaml"))


def schema_for(path: Path) -> Path:
    stem = "postmortem" if path.parent.name == "postmortems" else path.stem
    return SCHEMAS / f"{stem}.schema.json"


def test_committed_schemas_match_the_models(tmp_path: Path) -> None:
    run = run_cli("schema", "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    fresh = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "out").glob("*.json")}
    committed = {p.name: p.read_text(encoding="utf-8") for p in SCHEMAS.glob("*.json")}
    assert sorted(fresh) == sorted(committed), "run `handbook schema --out schemas` and commit the result"
    stale = [name for name in fresh if fresh[name] != committed[name]]
    assert not stale, f"out of date: {stale}; run `handbook schema --out schemas` and commit the result"


def test_one_schema_per_data_file_with_descriptions() -> None:
    generated = schemas()
    assert set(generated) == ({n.removesuffix(".yaml") + ".schema.json" for n in FILES}
                              | {"postmortem.schema.json", "handbook-export.schema.json"})
    people = generated["people.schema.json"]
    person = people["$defs"]["Person"]["properties"]
    assert "call tree" in person["reports_to"]["description"]
    assert people["$schema"].startswith("https://json-schema.org/")
    org = generated["organization.schema.json"]["$defs"]["Organization"]["properties"]
    assert "required_partner_categories" in org


@pytest.mark.parametrize("path", data_files(), ids=lambda p: str(p.relative_to(DATA)))
def test_data_file_has_modeline_to_an_existing_schema(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = MODELINE.match(first)
    assert match, f"{path.name}: first line must be '# yaml-language-server: $schema=...'"
    target = (path.parent / match.group(1)).resolve()
    assert target == schema_for(path).resolve(), f"{path.name} points at {match.group(1)}"
    assert target.is_file()
    json.loads(target.read_text(encoding="utf-8"))


def _check_jsonschema() -> str:
    exe = shutil.which("check-jsonschema")
    if exe is None:
        pytest.fail("check-jsonschema is not installed: pip install -e '.[test]'")
    return exe


# check-jsonschema's own command line, once per schema, inside one interpreter: starting it costs
# about a second on its own, and it is the same `main` the console script runs.
_RUN_ALL = """
import json, sys
import check_jsonschema
codes = {}
for schema, files in json.loads(sys.argv[1]).items():
    codes[schema] = check_jsonschema.main(["--schemafile", schema, *files], standalone_mode=False)
print(json.dumps(codes))
"""


def test_check_jsonschema_accepts_the_sample_data() -> None:
    _check_jsonschema()
    groups: dict[str, list[str]] = {}
    for path in data_files():
        groups.setdefault(str(schema_for(path)), []).append(str(path))
    run = subprocess.run([sys.executable, "-c", _RUN_ALL, json.dumps(groups)], capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    codes = json.loads(run.stdout.strip().splitlines()[-1])
    assert codes == {schema: 0 for schema in groups}, run.stdout


def test_check_jsonschema_command_on_people() -> None:
    run = subprocess.run(
        [_check_jsonschema(), "--schemafile", str(SCHEMAS / "people.schema.json"), str(DATA / "people.yaml")],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "ok -- validation done" in run.stdout


def test_check_jsonschema_rejects_a_misspelt_field(tmp_path: Path) -> None:
    exe = _check_jsonschema()
    broken = tmp_path / "people.yaml"
    text = (DATA / "people.yaml").read_text(encoding="utf-8")
    broken.write_text(text.replace("    reports_to: renata-alvarez", "    report_to: renata-alvarez", 1), encoding="utf-8")
    run = subprocess.run(
        [exe, "--schemafile", str(SCHEMAS / "people.schema.json"), str(broken)],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert run.returncode == 1
    assert "report_to" in run.stdout + run.stderr
