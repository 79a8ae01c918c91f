"""`handbook serve` keeps its files in one temporary folder and removes it when it is stopped.

The pages it serves are the internal handbook, contacts and all: none may stay in the temp dir.
"""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import MINIMAL, REPO, TODAY, _env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _dead_owner(folder: Path) -> None:
    """A folder as a killed serve leaves it: its owner record names a process that has ended."""
    proc = subprocess.Popen(["sleep", "30"])
    stat = Path(f"/proc/{proc.pid}/stat").read_text(encoding="ascii")
    start = stat[stat.rindex(")") + 2:].split()[19]
    proc.kill()
    proc.wait()
    boot = Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip()
    folder.mkdir()
    (folder / "docs").mkdir()
    (folder / "owner.json").write_text(json.dumps({"pid": proc.pid, "start": start, "boot": boot,
                                                   "host": socket.gethostname(), "for": "handbook serve"}))


@pytest.mark.build
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses /proc")
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_stopped_serve_leaves_nothing_in_the_temp_dir(tmp_path: Path, stop: signal.Signals) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    _dead_owner(temp / "handbook-serve-killed")
    (temp / "handbook-serve-not-ours").mkdir()  # no owner record: left alone
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "preparedness_handbook.handbook.cli", "serve", "--data", str(MINIMAL), "--today", TODAY,
         "--dev-addr", f"127.0.0.1:{port}"],
        cwd=REPO, env=_env({"TMPDIR": str(temp)}), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None, proc.communicate()[1]
            assert time.monotonic() < deadline, "serve did not answer"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as page:
                    assert page.status == 200
                    break
            except OSError:
                time.sleep(0.2)
        served, = temp.glob("handbook-serve-*/mkdocs_*")
        assert (served / "index.html").is_file(), "MkDocs' own site folder is inside serve's folder"
        assert sorted(p.name for p in temp.iterdir() if p.name != served.parent.name) == ["handbook-serve-not-ours"]
    finally:
        proc.send_signal(stop)
        try:
            proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0
    assert sorted(p.name for p in temp.iterdir()) == ["handbook-serve-not-ours"]
