"""Real, publicly documented policies, transcribed into tests/fixtures/orgs/<name>/.

Each folder holds a policy's data/ and its SOURCES.md: the public document behind each fact and
what is still invented (and why). They are the test that the model fits organizations it was not
made with: each validates with no error (fast lane), and each builds and reads right (build).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from tests.conftest import REPO, run_cli

ORGS = REPO / "tests" / "fixtures" / "orgs"
NAMES = sorted(p.name for p in ORGS.iterdir() if (p / "data").is_dir())
TODAY = "2026-12-02"


def _data(name: str, file: str) -> dict:
    return yaml.safe_load((ORGS / name / "data" / file).read_text(encoding="utf-8"))


def test_there_are_real_policies_of_different_shapes():
    assert len(NAMES) >= 3
    levels = {name: len(_data(name, "severity.yaml")["levels"]) for name in NAMES}
    assert len(set(levels.values())) >= 2, levels  # different numbers of levels
    # chat-first (no call tree) and phone-tree policies, with and without outside partners
    trees = {name: "call_tree" in _data(name, "communications.yaml") for name in NAMES}
    assert not all(trees.values()), trees
    partners = {name: bool(_data(name, "partners.yaml").get("partners")) for name in NAMES}
    assert any(partners.values()) and not all(partners.values()), partners


@pytest.mark.parametrize("name", NAMES)
def test_sources_cite_public_documents(name: str):
    sources = (ORGS / name / "SOURCES.md").read_text(encoding="utf-8")
    assert re.search(r"https://\S+", sources), "SOURCES.md cites the public documents by address"
    assert re.search(r"(?i)invented", sources), "SOURCES.md lists what is still invented"


@pytest.mark.parametrize("name", NAMES)
def test_validates_with_no_error(name: str, tmp_path: Path):
    run = run_cli("validate", "--data", str(ORGS / name / "data"), "--today", TODAY, "--format", "json",
                  cwd=tmp_path)
    findings = json.loads(run.stdout)["findings"]
    errors = [f for f in findings if f["level"] == "error"]
    assert run.returncode == 0 and not errors, errors
    assert "Traceback" not in run.stderr


@pytest.fixture(scope="module", params=NAMES)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    name = request.param
    site = tmp_path_factory.mktemp(name) / "site"
    run = run_cli("build", "--data", str(ORGS / name / "data"), "--today", TODAY, "--site-dir", str(site),
                  "--no-offline", "--quiet", cwd=REPO, timeout=900)
    assert run.returncode == 0, f"build failed:\n{run.stdout}\n{run.stderr}"
    return name, site


def _text(html: Path) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html.read_text(encoding="utf-8")).split())


@pytest.mark.build
def test_builds_and_reads_right(built: tuple[str, Path]):
    name, site = built
    org = _data(name, "organization.yaml")["organization"]
    levels = _data(name, "severity.yaml")["levels"]
    departments = _data(name, "departments.yaml")["departments"]
    comms = _data(name, "communications.yaml")

    home = _text(site / "index.html")
    assert org["name"].replace("&", "&amp;") in home or org["name"] in home
    severity = _text(site / "severity" / "index.html")
    for level in levels:
        assert level["summary"].split(".")[0][:60].replace("&", "&amp;") in severity.replace("&#39;", "'") \
            or level["summary"][:40] in severity
    # the pages print only what the policy says: no invented "every —" cadence or empty answer time
    assert "every —" not in severity and "Answer within</dt> <dd> (" not in severity

    # a binder: the department's own page, its actions at a level, how to report
    dept = departments[0]
    pages = PdfReader(site / "pdf" / f"{dept['id']}.pdf").pages
    binder = " ".join(" ".join((p.extract_text() or "").split()) for p in pages)
    assert dept["name"] in binder
    actions = [a if isinstance(a, str) else a["do"] for acts in dept.get("playbook", {}).values() for a in acts]
    actions += [a if isinstance(a, str) else a["do"] for a in dept.get("other_levels", [])]
    assert actions and any(a[:30] in binder for a in actions), actions[:3]
    if "call_tree" not in comms and comms.get("without_call_tree"):
        first = " ".join(comms["without_call_tree"].split())[:40]
        first = re.sub(r"[*_`\[\]]", "", first)
        assert first[:25] in binder, "the binder says what people do instead of a call tree"
