"""A failed or killed build leaves the previous site and PDFs exactly as they were."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from preparedness_handbook.handbook.build import _proc_start, _recover
from tests.conftest import TODAY, _env, copy_minimal, run_cli

CONTACT = "tel:+13125550101"  # Ada King's phone in the minimal organization, as the pages link it


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


@pytest.mark.build
@pytest.mark.parametrize("stage", ["before-mkdocs", "after-mkdocs", "before-swap"])
def test_killed_build_leaves_previous_site(project, stage: str) -> None:
    root, before = project
    run = run_cli(*build_args("--no-pdf"), cwd=root, env={"HANDBOOK_DEBUG_KILL_AT": stage})
    assert run.returncode == -signal.SIGKILL
    assert snapshot(root / "site") == before


@pytest.mark.build
def test_build_killed_after_its_pdfs_leaves_previous_site(project) -> None:
    """The binders are printed first, into the build's own folder: none reaches the site."""
    root, before = project
    run = run_cli(*build_args(), cwd=root, env={"HANDBOOK_DEBUG_KILL_AT": "after-pdf"}, timeout=600)
    assert run.returncode == -signal.SIGKILL
    assert snapshot(root / "site") == before
    assert list(root.glob(".site.building-*/pdf/*.pdf")), "the killed build had printed its binders"


@pytest.mark.build
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


@pytest.mark.build
@pytest.mark.parametrize("delay", [0.4, 1.0, 1.8])
def test_kill_at_random_moments_leaves_a_whole_site(project, delay: float) -> None:
    """Killed at any moment, the site is the whole old one or the whole new one, never a mix."""
    root, before = project
    proc = subprocess.Popen([sys.executable, "-m", "preparedness_handbook.handbook.cli", *build_args("--no-pdf")], cwd=root,
                            env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    proc.kill()
    proc.wait(timeout=60)
    now = snapshot(root / "site")
    if now != before:  # it finished: then it must be the complete new site
        assert "Renamed" in (root / "site" / "index.html").read_text(encoding="utf-8")
        assert not any(n.startswith("pdf/") for n in now)


@pytest.mark.build
def test_terminated_build_removes_its_folders_at_once(project, tmp_path: Path) -> None:
    """SIGTERM (a CI timeout, `kill`): exit 143, the site as it was, no staging folder left."""
    root, _ = project
    before = snapshot(root / "site")  # the builds above may have finished one
    temp = tmp_path / "tmp"
    temp.mkdir()
    run = run_cli(*build_args("--no-pdf"), cwd=root,
                  env={"HANDBOOK_DEBUG_KILL_AT": "before-swap", "HANDBOOK_DEBUG_KILL_SIGNAL": "TERM", "TMPDIR": str(temp)})
    assert run.returncode == 128 + signal.SIGTERM, run.stderr
    assert run.stderr.strip().splitlines()[-1] == "handbook build: stopped by SIGTERM; the previous site was not changed."
    assert snapshot(root / "site") == before
    assert not [p for p in root.glob(".site.building-*") if (p / "site").exists()], "this build's folder is gone"
    assert not list(temp.iterdir())


@pytest.mark.build
def test_terminated_right_after_the_swap_says_the_new_site_is_in(tmp_path: Path) -> None:
    copy_minimal(tmp_path / "data")
    run = run_cli(*build_args("--no-pdf"), cwd=tmp_path,
                  env={"HANDBOOK_DEBUG_KILL_AT": "after-swap", "HANDBOOK_DEBUG_KILL_SIGNAL": "TERM"})
    assert run.returncode == 128 + signal.SIGTERM, run.stderr
    assert run.stderr.strip().splitlines()[-1] == "handbook build: stopped by SIGTERM; the new site was already in place."
    assert (tmp_path / "site" / "index.html").is_file() and (tmp_path / "site" / ".handbook-site").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "site"]


@pytest.mark.build
def test_next_build_cleans_up_and_succeeds(project) -> None:
    root, _ = project
    run = run_cli(*build_args("--no-pdf"), cwd=root)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Renamed" in (root / "site" / "index.html").read_text(encoding="utf-8")
    assert not list(root.glob(".site.building-*"))
    assert not list(root.glob(".site.lock"))


# --- a killed build leaves no copy of the handbook outside the site's own staging folder ------------
def _files_holding(folder: Path, needle: str) -> list[str]:
    return [str(p) for p in folder.rglob("*") if p.is_file() and needle.encode() in p.read_bytes()]


@pytest.mark.build
def test_killed_build_leaves_nothing_in_the_temp_dir(tmp_path: Path) -> None:
    """Killed with the internal offline site made (contacts in it): nothing under TMPDIR holds any
    of it; the copy is in the staging sibling of the site dir, which the next build removes."""
    copy_minimal(tmp_path / "data")
    temp = tmp_path / "tmp"
    temp.mkdir()
    args = ["build", "--data", "data", "--today", TODAY, "--site-dir", "site", "--no-pdf"]
    run = run_cli(*args, cwd=tmp_path, env={"HANDBOOK_DEBUG_KILL_AT": "before-swap", "TMPDIR": str(temp)}, timeout=300)
    assert run.returncode == -signal.SIGKILL
    assert not [p for p in temp.glob("handbook-docs-*") if any(p.iterdir())]
    assert _files_holding(temp, CONTACT) == []
    staging, = tmp_path.glob(".site.building-*")
    assert json.loads((staging / "owner.json").read_text(encoding="utf-8"))["for"] == str(tmp_path / "site")
    assert _files_holding(staging / "offline-site", CONTACT), "the offline copy was made, and is here"
    run = run_cli(*args, "--no-offline", cwd=tmp_path, env={"TMPDIR": str(temp)})
    assert run.returncode == 0, run.stderr
    assert not staging.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "site", "tmp"]
    assert _files_holding(temp, CONTACT) == []


def _children(pid: int) -> dict[int, str]:
    """The processes whose parent is ``pid``: pid -> start time."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                text = (entry / "stat").read_text(encoding="ascii", errors="replace")
            except OSError:
                continue
            fields = text[text.rindex(")") + 2:].split()
            if int(fields[1]) == pid:
                found[int(entry.name)] = fields[19]
    return found


def _running(pid: int, start: str) -> bool:
    try:
        text = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    fields = text[text.rindex(")") + 2:].split()
    return fields[0] != "Z" and fields[19] == start  # a zombie has ended; another start is another process


@pytest.mark.build
@pytest.mark.skipif(not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2,
                    reason="renderers are forked processes on Linux with two cores or more")
def test_renderers_die_with_a_killed_build(tmp_path: Path) -> None:
    copy_minimal(tmp_path / "data")
    proc = subprocess.Popen([sys.executable, "-m", "preparedness_handbook.handbook.cli", "build", "--data", "data", "--today", TODAY,
                             "--site-dir", "site", "--no-offline"], cwd=tmp_path, env=_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        renderers: dict[int, str] = {}
        while len(renderers) < 2:
            assert proc.poll() is None and time.monotonic() < deadline, "no renderers were started"
            renderers = _children(proc.pid)
            time.sleep(0.02)
    finally:
        proc.kill()
        proc.wait(timeout=60)
    time.sleep(1.0)
    alive = [pid for pid, start in renderers.items() if _running(pid, start)]
    for pid in alive:  # not to leave them running when the test fails
        os.kill(pid, signal.SIGKILL)
    assert alive == [], "renderers outlived the build"


# --- recovery knows a killed build's folder by the record of its owner ---------------------------
def _record(folder: Path, pid: int, start: str | None, site: Path) -> Path:
    folder.mkdir(parents=True)
    boot = Path("/proc/sys/kernel/random/boot_id")
    (folder / "owner.json").write_text(json.dumps({
        "pid": pid, "start": start, "boot": boot.read_text().strip() if boot.exists() else None,
        "host": socket.gethostname(), "for": str(site)}), encoding="utf-8")
    return folder


@pytest.fixture
def dead_pid() -> tuple[int, str | None]:
    """The pid and start time of a process that has ended."""
    proc = subprocess.Popen(["sleep", "30"])
    start = _proc_start(proc.pid)
    proc.kill()
    proc.wait()
    return proc.pid, start


@pytest.fixture
def live_pid():
    proc = subprocess.Popen(["sleep", "30"])
    yield proc.pid, _proc_start(proc.pid)
    proc.kill()
    proc.wait()


def test_recover_restores_a_site_moved_aside(tmp_path: Path, dead_pid) -> None:
    """A build killed between the two renames of the non-Linux fallback left the old site aside."""
    stale = _record(tmp_path / ".site.building-abc", *dead_pid, tmp_path / "site")
    (stale / "old-site").mkdir()
    (stale / "old-site" / "index.html").write_text("old", encoding="utf-8")
    _recover(tmp_path / "site")
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "old"
    assert not stale.exists()


def test_recover_keeps_a_running_builds_folder_with_a_hyphen_in_the_name(tmp_path: Path, live_pid) -> None:
    site = tmp_path / "my-site"
    running = _record(tmp_path / ".my-site.building-k2j4", *live_pid, site)
    _recover(site)
    assert running.is_dir()


def test_recover_removes_a_folder_whose_pid_was_reused(tmp_path: Path, live_pid) -> None:
    site = tmp_path / "my-site"
    pid, start = live_pid
    if start is None:
        pytest.skip("no process start times here")
    stale = _record(tmp_path / ".my-site.building-k2j4", pid, str(int(start) - 1), site)
    _recover(site)
    assert not stale.exists()


def test_recover_touches_only_folders_with_a_record_for_this_site(tmp_path: Path, dead_pid, capsys) -> None:
    site = tmp_path / "site"
    unrecorded = tmp_path / ".site.building-1234-old"  # an older version's name, or someone else's
    (unrecorded / "old-site").mkdir(parents=True)
    other = _record(tmp_path / ".site.building-xyz", *dead_pid, tmp_path / "elsewhere")
    mine = _record(tmp_path / ".site.building-abc", *dead_pid, site)
    _recover(site)
    assert unrecorded.is_dir() and other.is_dir() and not mine.exists()
    assert not site.exists(), "nothing restored from a folder without a record"
    assert f"note: {unrecorded} was left by an older handbook build" in capsys.readouterr().err
