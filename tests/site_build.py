"""Session fixtures: the sample organization built once per test session, internal and public.

Each build runs the real `handbook build` command in a subprocess, like a user would, once per
test run however many xdist workers there are; tests then assert many things on these outputs
rather than building again.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REPO, TODAY, once_per_run, run_cli


PASSPHRASE = "plover ankle tuba sorrel quill"  # five random words; only ever a test's


def _build(out: Path, *extra: str, env: dict[str, str] | None = None) -> None:
    site = out / "site"
    run = run_cli("build", "--data", str(REPO / "data"), "--today", TODAY, "--site-dir", str(site), *extra,
                  cwd=REPO, env=env, timeout=900)
    assert run.returncode == 0, f"build failed:\n{run.stdout}\n{run.stderr}"
    assert "Traceback" not in run.stderr
    (out / "build.log").write_text(run.stdout + "\n" + run.stderr, encoding="utf-8")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample organization's internal site, PDFs, exports and offline zip."""
    return once_per_run(tmp_path_factory, "internal", _build) / "site"


@pytest.fixture(scope="session")
def public_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same data built as the public site with its protected edition: `handbook build --protect`
    is `--profile public` plus the internal edition, encrypted, under protected/ (tests/test_protect.py).
    One build serves both: the public pages, PDFs and exports, and the encrypted folder."""
    return once_per_run(tmp_path_factory, "public", lambda out: _build(
        out, "--protect", env={"HANDBOOK_PASSPHRASE": PASSPHRASE})) / "site"
