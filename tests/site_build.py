"""Session fixtures: the sample organization built once per test session, internal and public.

Each build runs the real `handbook build` command in a subprocess, like a user would; tests
then assert many things on these outputs rather than building again.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REPO, TODAY, run_cli


def _build(out: Path, *extra: str) -> Path:
    site = out / "site"
    run = run_cli("build", "--data", str(REPO / "data"), "--today", TODAY, "--site-dir", str(site), *extra,
                  cwd=REPO, timeout=900)
    assert run.returncode == 0, f"build failed:\n{run.stdout}\n{run.stderr}"
    assert "Traceback" not in run.stderr
    (out / "build.log").write_text(run.stdout + "\n" + run.stderr, encoding="utf-8")
    return site


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample organization's internal site, PDFs, exports and offline zip."""
    return _build(tmp_path_factory.mktemp("internal"))


@pytest.fixture(scope="session")
def public_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same data built with --profile public."""
    return _build(tmp_path_factory.mktemp("public"), "--profile", "public")
