"""An organization's page or partial that cannot be rendered stops the build with one clear line.

Each case is a folder of tests/fixtures/bad-pages: the ``docs/`` or ``partials/`` an
organization keeps beside ``data/``, and ``expected.txt``, the line the build prints.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, REPO, TODAY, run_cli

CASES = sorted(p for p in (FIXTURES / "bad-pages").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_broken_page_or_partial_is_one_line_and_no_site(case: Path, tmp_path: Path) -> None:
    org = tmp_path / "org"
    shutil.copytree(FIXTURES / "valid" / "minimal" / "data", org / "data")
    for part in ("docs", "partials"):
        if (case / part).is_dir():
            shutil.copytree(case / part, org / part)
    site = org / "site"
    run = run_cli("build", "--data", str(org / "data"), "--today", TODAY, "--site-dir", str(site),
                  "--no-pdf", "--no-offline", cwd=REPO, timeout=300)
    expected = (case / "expected.txt").read_text(encoding="utf-8").strip().replace("{org}", str(org))
    assert run.returncode == 1, run.stdout + run.stderr
    assert expected in run.stderr, run.stderr
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr
    assert "The previous site was not changed." in run.stderr
    assert not site.exists()
