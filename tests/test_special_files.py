"""Things in data/ that are not ordinary files: links, named pipes, devices, sockets, folders.

Git keeps symbolic links but not named pipes or devices, so these cases are built here, in a
copy of the minimal organization, instead of as folders under tests/fixtures/invalid/. Each runs
the real command in a child process with a timeout, so a read that never ends (a named pipe, a
link to /dev/zero) fails the test instead of hanging the suite; the child times its own
``validate`` so the bound does not include the interpreter's start.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import TODAY, _env, copy_minimal

SECONDS = 2.0
# A child that exits with the command's code and prints how long validate took on stderr.
CHILD = """\
import sys, time
from preparedness_handbook.handbook.cli import main
start = time.perf_counter()
code = main(sys.argv[1:])
sys.stdout.flush()
print(f"VALIDATE-SECONDS {time.perf_counter() - start:.3f}", file=sys.stderr)
sys.exit(code)
"""
SECRET = "s3cret-outside-data-do-not-quote"

CANNOT = "cannot read the file: it is "
FILE_LINK = "replace the link with the file itself"
OUTSIDE_HINT = f"{FILE_LINK}: only what is inside data/ is read"
PLAIN_FILE = "replace it with an ordinary file holding the YAML text"


@dataclass
class Outcome:
    code: int
    findings: list[dict]
    stdout: str
    stderr: str
    seconds: float


def validate(root: Path) -> Outcome:
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, "validate", "--data", "data", "--today", TODAY, "--format", "json"],
        cwd=root, env=_env(), capture_output=True, text=True, timeout=30, check=False,
    )
    timing = [line for line in proc.stderr.splitlines() if line.startswith("VALIDATE-SECONDS ")]
    assert timing, proc.stderr
    return Outcome(proc.returncode, json.loads(proc.stdout)["findings"], proc.stdout, proc.stderr,
                   float(timing[-1].split()[1]))


def outside_file(root: Path) -> Path:
    """A file next to data/, not in it, holding a line that must never be quoted."""
    path = root / "elsewhere" / "people.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(f"people:\n  - id: {SECRET}\n", encoding="utf-8")
    return path


def replace(path: Path, make: Callable[[Path], object]) -> None:
    if path.is_dir() and not path.is_symlink():
        for child in path.iterdir():
            child.unlink()
        path.rmdir()
    elif os.path.lexists(path):
        path.unlink()
    make(path)


def link(target: str | Callable[[Path], str]) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        os.symlink(target(path) if callable(target) else target, path)
    return make


def two_link_loop(path: Path) -> None:
    other = path.with_name("_other")
    os.symlink(path.name, other)
    os.symlink(other.name, path)


def link_to_inside_fifo(path: Path) -> None:
    os.mkfifo(path.with_name("_pipe"))
    os.symlink("_pipe", path)


def unix_socket(path: Path) -> None:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(path))
    sock.close()


def device(path: Path) -> None:
    try:
        os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 5))  # what /dev/zero is
    except PermissionError:
        pytest.skip("making a device node needs privileges this run does not have")


def outside_folder(path: Path) -> None:
    target = path.parent.parent / "elsewhere-postmortems"
    target.mkdir()
    (target / "one.yaml").write_text(f"id: {SECRET}\n", encoding="utf-8")
    os.symlink(target, path)


def a_file(path: Path) -> None:
    path.write_text("id: one\n", encoding="utf-8")


# name → (path in data/, how to make it, file, message, hint)
CASES: dict[str, tuple[str, Callable[[Path], object], str, str, str]] = {
    "link-to-a-file-outside": (
        "people.yaml", link(lambda p: str(outside_file(p.parent.parent))), "data/people.yaml",
        CANNOT + "a symbolic link to a file outside data/", OUTSIDE_HINT),
    "relative-link-outside": (
        "people.yaml", link(lambda p: (outside_file(p.parent.parent), "../elsewhere/people.yaml")[1]),
        "data/people.yaml", CANNOT + "a symbolic link to a file outside data/", OUTSIDE_HINT),
    "link-to-etc-passwd": (
        "people.yaml", link("/etc/passwd"), "data/people.yaml",
        CANNOT + "a symbolic link to a file outside data/", OUTSIDE_HINT),
    "link-to-dev-zero": (
        "people.yaml", link("/dev/zero"), "data/people.yaml",
        CANNOT + "a symbolic link to a file outside data/", OUTSIDE_HINT),
    "named-pipe": (
        "people.yaml", os.mkfifo, "data/people.yaml", CANNOT + "a named pipe, not a file", PLAIN_FILE),
    "device": ("people.yaml", device, "data/people.yaml", CANNOT + "a device, not a file", PLAIN_FILE),
    "socket": ("people.yaml", unix_socket, "data/people.yaml", CANNOT + "a socket, not a file", PLAIN_FILE),
    "folder": (
        "people.yaml", os.mkdir, "data/people.yaml", CANNOT + "a folder, not a file",
        "remove the folder and put a file of that name in its place"),
    "link-to-itself": (
        "people.yaml", link("people.yaml"), "data/people.yaml",
        CANNOT + "a symbolic link loop (the links lead back to each other)", FILE_LINK),
    "two-links-in-a-loop": (
        "people.yaml", two_link_loop, "data/people.yaml",
        CANNOT + "a symbolic link loop (the links lead back to each other)", FILE_LINK),
    "broken-link": (
        "people.yaml", link("nowhere.yaml"), "data/people.yaml",
        CANNOT + "a symbolic link to a file that does not exist", f"{FILE_LINK}, or delete the link"),
    "link-to-a-pipe-inside": (
        "people.yaml", link_to_inside_fifo, "data/people.yaml",
        CANNOT + "a symbolic link to a named pipe, not a file", f"{FILE_LINK}: data files are ordinary text files"),
    "postmortem-named-pipe": (
        "postmortems/one.yaml", os.mkfifo, "data/postmortems/one.yaml",
        CANNOT + "a named pipe, not a file", PLAIN_FILE),
    "postmortem-link-outside": (
        "postmortems/one.yaml", link(lambda p: str(outside_file(p.parent.parent.parent))),
        "data/postmortems/one.yaml", CANNOT + "a symbolic link to a file outside data/", OUTSIDE_HINT),
    "postmortems-folder-linked-outside": (
        "postmortems", outside_folder, "data/postmortems",
        "cannot read the folder: it is a symbolic link to a folder outside data/",
        "replace the link with the folder itself: only what is inside data/ is read"),
    "postmortems-folder-link-loop": (
        "postmortems", link("postmortems"), "data/postmortems",
        "cannot read the folder: it is a symbolic link loop (the links lead back to each other)",
        "replace the link with the folder itself"),
    "postmortems-is-a-file": (
        "postmortems", a_file, "data/postmortems", "cannot read the folder: it is a file, not a folder",
        "make it a folder holding one <id>.yaml file per postmortem"),
}


@pytest.mark.parametrize("case", sorted(CASES), ids=str)
def test_special_file_is_one_finding(case: str, tmp_path: Path) -> None:
    name, make, file, message, hint = CASES[case]
    data = copy_minimal(tmp_path / "data")
    replace(data / name, make)

    run = validate(tmp_path)

    assert "Traceback" not in run.stderr, run.stderr
    shown = [(f["code"], f["file"], f["line"], f["column"], f["level"], f["message"], f["hint"]) for f in run.findings]
    # Only this finding: nothing else is wrong, and a refused postmortems folder does not turn
    # incidents.yaml's reference to postmortem 'one' into an unknown-id error.
    assert shown == [("HB001", file, 1, 1, "error", message, hint)]
    assert run.code == 1
    assert run.seconds < SECONDS, f"validate took {run.seconds:.2f} s"
    assert SECRET not in run.stdout + run.stderr
    assert "root:x:0" not in run.stdout + run.stderr


def test_link_to_a_file_inside_data_is_read(tmp_path: Path) -> None:
    data = copy_minimal(tmp_path / "data")
    (data / "people.yaml").rename(data / "_people.txt")
    os.symlink("_people.txt", data / "people.yaml")
    (data / "postmortems").rename(data / "_postmortems")
    os.symlink("_postmortems", data / "postmortems")

    run = validate(tmp_path)

    assert run.findings == [] and run.code == 0, run.stdout + run.stderr


def test_every_refusal_is_reported_in_one_run(tmp_path: Path) -> None:
    data = copy_minimal(tmp_path / "data")
    replace(data / "people.yaml", os.mkfifo)
    replace(data / "roles.yaml", link("/dev/zero"))
    replace(data / "drills.yaml", link("drills.yaml"))

    run = validate(tmp_path)

    assert [(f["code"], f["file"]) for f in run.findings] == [
        ("HB001", "data/drills.yaml"), ("HB001", "data/people.yaml"), ("HB001", "data/roles.yaml"),
    ]
    assert run.code == 1 and run.seconds < SECONDS
