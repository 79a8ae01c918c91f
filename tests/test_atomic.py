"""A failed or killed build leaves the previous site and PDFs exactly as they were."""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from handbook.build import _recover
from tests.conftest import TODAY, _env, copy_minimal, run_cli


def snapshot(site: Path) -> dict[str, str]:
    return {
        str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*")) if p.is_file()
    }


def build_args(*extra: str) -> list[str]:
    return ["build", "--data", "data", "--today", TODAY, "--site-dir", "site", "--no-offline", *extra]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A built site (with PDFs) and its snapshot; then the data is changed for the next build."""
    root = tmp_path_factory.mktemp("atomic")
    data = copy_minimal(root / "data")
    run = run_cli(*build_args(), cwd=root, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    before = snapshot(root / "site")
    assert any(name.startswith("pdf/") for name in before)
    org = data / "organization.yaml"
    org.write_text(org.read_text(encoding="utf-8").replace("name: ", "name: Renamed ", 1), encoding="utf-8")
    return root, before


@pytest.mark.parametrize("stage", ["before-mkdocs", "after-mkdocs", "before-swap"])
def test_killed_build_leaves_previous_site(project, stage: str) -> None:
    root, before = project
    run = run_cli(*build_args("--no-pdf"), cwd=root, env={"HANDBOOK_DEBUG_KILL_AT": stage})
    assert run.returncode == -signal.SIGKILL
    assert snapshot(root / "site") == before


def test_build_killed_after_its_pdfs_leaves_previous_site(project) -> None:
    """The binders are printed first, into the build's own folder: none reaches the site."""
    root, before = project
    run = run_cli(*build_args(), cwd=root, env={"HANDBOOK_DEBUG_KILL_AT": "after-pdf"}, timeout=600)
    assert run.returncode == -signal.SIGKILL
    assert snapshot(root / "site") == before
    assert list(root.glob(".site.building-*/pdf/*.pdf")), "the killed build had printed its binders"


def test_build_that_fails_validation_changes_nothing(project) -> None:
    root, before = project
    people = root / "data" / "people.yaml"
    good = people.read_text(encoding="utf-8")
    people.write_text(good.replace("reports_to:", "reports_too:", 1), encoding="utf-8")
    try:
        run = run_cli(*build_args(), cwd=root)
    finally:
        people.write_text(good, encoding="utf-8")
    assert run.returncode == 1
    assert "HB101" in run.stdout
    assert "The previous site was not changed." in run.stderr
    assert snapshot(root / "site") == before


@pytest.mark.parametrize("delay", [0.4, 1.0, 1.8])
def test_kill_at_random_moments_leaves_a_whole_site(project, delay: float) -> None:
    """Killed at any moment, the site is the whole old one or the whole new one, never a mix."""
    root, before = project
    proc = subprocess.Popen([sys.executable, "-m", "handbook.cli", *build_args("--no-pdf")], cwd=root,
                            env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    proc.kill()
    proc.wait(timeout=60)
    now = snapshot(root / "site")
    if now != before:  # it finished: then it must be the complete new site
        assert "Renamed" in (root / "site" / "index.html").read_text(encoding="utf-8")
        assert not any(n.startswith("pdf/") for n in now)


def test_next_build_cleans_up_and_succeeds(project) -> None:
    root, _ = project
    run = run_cli(*build_args("--no-pdf"), cwd=root)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Renamed" in (root / "site" / "index.html").read_text(encoding="utf-8")
    assert not list(root.glob(".site.building-*"))


def test_recover_restores_a_site_moved_aside(tmp_path: Path) -> None:
    """A build killed between the two renames of the non-Linux fallback left the old site aside."""
    stale = tmp_path / ".site.building-999999-abc"
    (stale / "old-site").mkdir(parents=True)
    (stale / "old-site" / "index.html").write_text("old", encoding="utf-8")
    _recover(tmp_path / "site")
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "old"
    assert not stale.exists()
