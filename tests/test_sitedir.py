"""Which folder `handbook build` may replace, one build at a time, and how it says it cannot write.

A site directory is replaced only when it is missing, empty, or marked as written by a build
(`.handbook-site`). Everything else is refused with exit 2 before anything is done, and every
file stays as it was.
"""

from __future__ import annotations

import errno
import gc
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO, TODAY, _env, copy_minimal, run_cli

BUG = "bug in the handbook tool"


def tree(folder: Path) -> dict[str, str]:
    """Every entry under ``folder`` (dot files and .git included): file hashes, folders, links."""
    out = {}
    for path in sorted(folder.rglob("*")):
        rel = str(path.relative_to(folder))
        if path.is_symlink():
            out[rel] = "-> " + os.readlink(path)
        elif path.is_file():
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            out[rel] = "dir"
    return out


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A project checkout as a user has it: mkdocs.yml, docs/, macros/, data/, .git/ and a notes file."""
    co = tmp_path / "checkout"
    co.mkdir()
    shutil.copyfile(REPO / "mkdocs.yml", co / "mkdocs.yml")
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(REPO / "docs", co / "docs", ignore=ignore)
    shutil.copytree(REPO / "macros", co / "macros", ignore=ignore)
    copy_minimal(co / "data")
    (co / ".git" / "objects").mkdir(parents=True)
    (co / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (co / "notes.txt").write_text("my notes\n", encoding="utf-8")
    return co


def build(cwd: Path, site: str, *extra: str, data: str = "data", env: dict[str, str] | None = None,
          timeout: float = 120):
    return run_cli("build", "--data", data, "--today", TODAY, "--site-dir", site, "--no-pdf", "--no-offline",
                   *extra, cwd=cwd, env=env, timeout=timeout)


def refused(run, *words: str) -> None:
    assert run.returncode == 2, run.stdout + run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("handbook build: site dir "), lines[0]
    for w in words:
        assert w in lines[0], lines[0]
    assert BUG not in run.stderr and "Traceback" not in run.stderr
    assert run.stdout == "", "refused before validating: no findings printed"


# --- folders that must never be replaced -----------------------------------------------------------
def test_site_dir_dot_in_a_checkout_is_refused_and_nothing_changes(checkout: Path) -> None:
    before = tree(checkout.parent)
    run = build(checkout, ".")
    refused(run, f"site dir {checkout.resolve()} is the project folder", "choose an empty or new folder")
    assert tree(checkout.parent) == before


def test_site_dir_is_the_data_folder(checkout: Path) -> None:
    before = tree(checkout.parent)
    refused(build(checkout, "data"), "is the data folder")
    refused(build(checkout, str(checkout / "data"), data=str(checkout / "data")), "is the data folder")
    assert tree(checkout.parent) == before
    assert sorted(p.name for p in (checkout / "data").glob("*.yaml"))


def test_site_dir_inside_the_data_folder(checkout: Path) -> None:
    before = tree(checkout.parent)
    refused(build(checkout, "data/site"), "is inside the data folder", "choose a folder outside it")
    assert tree(checkout.parent) == before


def test_site_dir_is_an_existing_file(checkout: Path) -> None:
    before = tree(checkout.parent)
    refused(build(checkout, "notes.txt"), "is a file, not a folder")
    refused(build(checkout, "notes.txt/site"), "cannot be made", "notes.txt is a file, not a folder")
    assert tree(checkout.parent) == before
    assert (checkout / "notes.txt").read_text(encoding="utf-8") == "my notes\n"


@pytest.mark.parametrize("site", ["..", "/"])
def test_site_dir_holding_the_project_is_refused(checkout: Path, site: str) -> None:
    before = tree(checkout.parent)
    refused(build(checkout, site), "holds the project folder")
    assert tree(checkout.parent) == before


def test_site_dir_is_the_docs_folder(checkout: Path) -> None:
    before = tree(checkout.parent)
    refused(build(checkout, "docs"), "is the docs folder")
    assert tree(checkout.parent) == before


def test_current_folder_is_refused_outside_a_project(tmp_path: Path) -> None:
    """Run from a folder without mkdocs.yml: the current folder is still never replaced."""
    copy_minimal(tmp_path / "data")
    (tmp_path / "keep.txt").write_text("keep", encoding="utf-8")
    sub = tmp_path / "work"
    sub.mkdir()
    before = tree(tmp_path)
    refused(build(sub, ".", data=str(tmp_path / "data")), "is the current folder")
    refused(build(sub, "..", data=str(tmp_path / "data")), "is the project folder (it holds data/)")
    assert tree(tmp_path) == before


def test_a_link_to_the_data_folder_is_refused(checkout: Path) -> None:
    (checkout / "out").symlink_to(checkout / "data", target_is_directory=True)
    before = tree(checkout.parent)
    refused(build(checkout, "out"), f"site dir {(checkout / 'data').resolve()} is the data folder")
    assert tree(checkout.parent) == before


def test_folder_with_other_files_is_refused_byte_identical(tmp_path: Path, minimal_data: Path) -> None:
    """A folder with a notes.txt and a .git: exit 2, the message says what to do, nothing touched."""
    site = tmp_path / "mine"
    (site / ".git" / "refs").mkdir(parents=True)
    (site / ".git" / "config").write_text("[core]\n", encoding="utf-8")
    (site / "notes.txt").write_bytes(b"private \x00 bytes\n")
    before = tree(tmp_path)
    run = build(tmp_path, "mine")
    refused(run, f"site dir {site} holds files the handbook did not write",
            "choose an empty or new folder, or remove it yourself")
    assert tree(tmp_path) == before
    assert not list(tmp_path.glob(".mine.*")), "no lock and no staging folder: nothing was started"


def test_site_from_an_older_version_says_to_delete_it_by_hand(tmp_path: Path, minimal_data: Path) -> None:
    site = tmp_path / "site"
    (site / "exports").mkdir(parents=True)
    (site / "index.html").write_text("<html>old</html>", encoding="utf-8")
    (site / "exports" / "handbook.json").write_text("{}", encoding="utf-8")
    before = tree(tmp_path)
    run = build(tmp_path, "site")
    refused(run, "older handbook version", "no .handbook-site file", f"rm -r {site}")
    assert tree(tmp_path) == before


def test_a_marker_that_is_not_ours_does_not_count(tmp_path: Path, minimal_data: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / ".handbook-site").write_text("not json", encoding="utf-8")
    (site / "notes.txt").write_text("x", encoding="utf-8")
    refused(build(tmp_path, "site"), "holds files the handbook did not write")
    assert (site / "notes.txt").read_text(encoding="utf-8") == "x"


@pytest.mark.build
# --- folders a build may use -----------------------------------------------------------------------
def test_empty_or_missing_folder_is_built_and_marked_then_replaced(tmp_path: Path, minimal_data: Path) -> None:
    (tmp_path / "empty").mkdir()
    for name in ("empty", "new/deeper/site"):
        run = build(tmp_path, name)
        assert run.returncode == 0, run.stderr
        site = tmp_path / name
        assert (site / "index.html").is_file()
        marker = json.loads((site / ".handbook-site").read_text(encoding="utf-8"))
        assert marker["written_by"] == "handbook build" and marker["profile"] == "internal"
        assert str(tmp_path) not in json.dumps(marker), "the marker, published with the site, names no path"
    again = build(tmp_path, "empty")
    assert again.returncode == 0, again.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "empty", "new"], "no lock or staging left"


@pytest.mark.build
def test_default_site_in_a_checkout_builds(checkout: Path) -> None:
    run = build(checkout, "site")
    assert run.returncode == 0, run.stderr
    assert (checkout / "site" / "index.html").is_file()
    assert (checkout / "notes.txt").is_file() and (checkout / ".git" / "HEAD").is_file()


# --- one build at a time ---------------------------------------------------------------------------
def _stopped(pid: int) -> bool:
    text = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    return text[text.rindex(")") + 2] == "T"


@pytest.mark.build
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses /proc and flock")
def test_second_build_into_the_same_folder_fails_fast_and_the_first_finishes(tmp_path: Path, minimal_data: Path) -> None:
    """Two builds into ``my-site`` (a hyphen in the name): the second is refused, the first is whole.

    The first build is stopped (SIGSTOP) right before MkDocs, with its staging folder made.
    """
    first = subprocess.Popen(
        [sys.executable, "-m", "preparedness_handbook.handbook.cli", "build", "--data", "data", "--today", TODAY, "--site-dir", "my-site",
         "--no-pdf", "--no-offline"],
        cwd=tmp_path, env=_env({"HANDBOOK_DEBUG_KILL_AT": "before-mkdocs", "HANDBOOK_DEBUG_KILL_SIGNAL": "STOP"}),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not _stopped(first.pid):
            assert time.monotonic() < deadline and first.poll() is None, "the first build never reached MkDocs"
            time.sleep(0.05)
        staging = list(tmp_path.glob(".my-site.building-*"))
        assert len(staging) == 1
        started = time.perf_counter()
        second = build(tmp_path, "my-site")
        assert second.returncode == 2, second.stderr
        assert second.stderr.strip() == (f"handbook build: another handbook build is writing {tmp_path / 'my-site'} "
                                         f"(pid {first.pid}); wait for it to finish, or stop it, then build again")
        assert second.stdout == "", "refused before validating"
        assert time.perf_counter() - started < 30
        assert staging[0].is_dir() and (staging[0] / "owner.json").is_file(), "the second build left the first's folder alone"
    finally:
        os.kill(first.pid, signal.SIGCONT)
        out, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    assert (tmp_path / "my-site" / "index.html").is_file()
    assert not list(tmp_path.glob(".my-site.*")), "staging folder and lock are gone"


# --- read-only, full, forbidden -------------------------------------------------------------------
def _sys_refuses_root() -> bool:
    try:
        os.mkdir("/sys/handbook-probe")
    except OSError as exc:
        return exc.errno in (errno.EPERM, errno.EACCES, errno.EROFS)
    os.rmdir("/sys/handbook-probe")
    return False


@pytest.mark.skipif(not os.path.isdir("/sys") or not _sys_refuses_root(), reason="needs a /sys that refuses new files")
def test_unwritable_parent_is_reported_as_such(tmp_path: Path, minimal_data: Path) -> None:
    """/sys takes no new files, even from root: a real parent the build cannot write into."""
    run = build(tmp_path, "/sys/handbook-site")
    assert run.returncode == 2
    last = run.stderr.strip().splitlines()[-1]
    assert last in ("handbook build: cannot write /sys/handbook-site: permission denied",
                    "handbook build: cannot write /sys/handbook-site: operation not permitted"), run.stderr
    assert BUG not in run.stderr
    assert not os.path.lexists("/sys/handbook-site")


@pytest.mark.build
@pytest.mark.parametrize(("code", "words", "where"), [
    (errno.ENOSPC, "no space left on device", "staging"),
    (errno.EROFS, "read-only file system", "swap"),
    (errno.EDQUOT, "disk quota exceeded", "site"),
])
def test_full_or_read_only_disk_is_reported_and_the_site_kept(tmp_path: Path, monkeypatch, capsys,
                                                              code: int, words: str, where: str) -> None:
    """In-process, with the system call that fails patched to raise what the kernel would."""
    import preparedness_handbook.handbook.build as hb
    from preparedness_handbook.handbook.cli import main

    data = copy_minimal(tmp_path / "data")
    site = tmp_path / "site"
    monkeypatch.chdir(tmp_path)
    args = ["build", "--data", str(data), "--today", TODAY, "--site-dir", str(site), "--no-pdf", "--no-offline"]
    try:
        assert main(args) == 0
        before = tree(site)
        capsys.readouterr()

        def fail(*a, **k):
            raise OSError(code, os.strerror(code), str(site.parent / ".site.building-x" / "site" / "index.html"))

        if where == "staging":
            monkeypatch.setattr(hb.tempfile, "mkdtemp", fail)
        elif where == "swap":
            monkeypatch.setattr(hb, "_swap", fail)
        else:
            monkeypatch.setattr(hb, "mkdocs_build", fail)
        assert main(args) == 2
    finally:
        gc.unfreeze()
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1] == f"handbook build: cannot write {site}: {words}", err
    assert BUG not in "\n".join(err)
    assert tree(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "site"], "staging folder and lock removed"


def test_write_error_elsewhere_names_the_file(monkeypatch, capsys, tmp_path: Path) -> None:
    """A write the system refuses outside the build's folders (e.g. `handbook schema --out`)."""
    import preparedness_handbook.validators.schema as schema_module
    from preparedness_handbook.handbook.cli import main

    def fail(out):
        raise OSError(errno.EROFS, "Read-only file system", str(out / "people.schema.json"))

    monkeypatch.setattr(schema_module, "write_schemas", fail)
    assert main(["schema", "--out", str(tmp_path / "s")]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"handbook schema: cannot write {tmp_path / 's' / 'people.schema.json'}: read-only file system"
