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
import urllib.error
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

def _stop(proc: subprocess.Popen) -> str:
    """Ctrl-C the server, as a user would, and return what it wrote to stderr."""
    proc.send_signal(signal.SIGINT)
    try:
        _out, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        _out, err = proc.communicate()
    return err


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


NEW_DEPARTMENT = """  - id: night-desk
    name: Night Desk
    head: ben-cole
    liaison: ben-cole
    purpose: Answers the phones at night.
    audiences: [partners]
    playbook:
      sev1: [Call the incident manager]
      sev2: [Call the incident manager]
      sev3: [Write it down for the morning]
      sev4: [Nothing to do]
"""


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as page:
            return page.status, page.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except OSError:
        return 0, ""


def _until(proc: subprocess.Popen, what: str, check, timeout: float = 90) -> str:
    """Poll until check() gives a true value (returned); the serve process must stay alive."""
    deadline = time.monotonic() + timeout
    while True:
        assert proc.poll() is None, f"serve died while waiting for {what}:\n" + proc.communicate()[1]
        value = check()
        if value:
            return value
        assert time.monotonic() < deadline, f"serve never showed {what}"
        time.sleep(0.3)


@pytest.mark.build
def test_serve_survives_a_data_error_shows_it_and_recovers(tmp_path: Path) -> None:
    """A broken phone number typed while serving: the terminal and every page say so, the last
    good pages stay served, and fixing the file brings the pages back; a department added while
    serving gets its page without a restart."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    proc = subprocess.Popen(
        [sys.executable, "-m", "preparedness_handbook.handbook.cli", "serve", "--data", str(data), "--today", TODAY,
         "--dev-addr", f"127.0.0.1:{port}"],
        cwd=tmp_path, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    people = data / "people.yaml"
    good = people.read_text(encoding="utf-8")
    try:
        _until(proc, "the home page", lambda: _get(base)[0] == 200)
        assert "The data has errors" not in _get(base + "roles/")[1]

        people.write_text(good.replace('value: "+1 312 555 0101"', 'value: "+1 312 555"', 1), encoding="utf-8")
        roles = _until(proc, "the error banner", lambda: (lambda page: page if "The data has errors" in page else "")(
            _get(base + "roles/")[1]))
        assert "people.yaml:10:" in roles  # the finding, at its line, on the page
        assert '<h1 id="incident-manager-and-roles">Incident manager and roles' in roles  # the last good page, under it

        people.write_text(good, encoding="utf-8")
        _until(proc, "the banner gone", lambda: (lambda page: page and "The data has errors" not in page)(
            _get(base + "roles/")[1]))

        with (data / "departments.yaml").open("a", encoding="utf-8") as fh:
            fh.write(NEW_DEPARTMENT)
        page = _until(proc, "the new department's page", lambda: _get(base + "departments/night-desk/")[1])
        assert "Night Desk" in page and "Answers the phones at night." in page
    finally:
        err = _stop(proc)
    assert proc.returncode == 0, err
    assert f"Serving the internal handbook on {base}" in err
    assert "people.yaml:10:" in err  # the finding, in the terminal too
    assert "Still serving the last good version" in err
    assert "Traceback" not in err


def _text(html: str) -> str:
    """A page's text without its tags, for checks that do not depend on markup."""
    import html as html_lib
    import re

    html = re.sub(r"<script\b.*?</script>", " ", html, flags=re.S)  # serve's reload script carries a time
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", html))


@pytest.mark.build
def test_serve_shows_every_edit_on_every_page_that_shows_it(tmp_path: Path) -> None:
    """While serving, pages whose data and sources did not change are kept from the last rebuild
    (macros/site/reuse.py): a department's purpose edited shows on its page; a person renamed
    shows on every page that names them, old name gone; a page's own Markdown edited in docs/
    shows; the pages nothing touched stay as they were."""
    import re
    import shutil

    repo = tmp_path / "repo"
    data = repo / "data"
    shutil.copytree(MINIMAL, data)
    (repo / "docs").mkdir()
    roles_md = repo / "docs" / "roles.md"
    shutil.copy(REPO / "docs" / "roles.md", roles_md)
    top = repo / "partials" / "departments" / "top.html"  # the organization's copy of a partial
    top.parent.mkdir(parents=True)
    shutil.copy(REPO / "macros" / "partials" / "departments" / "top.html", top)
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    proc = subprocess.Popen(
        [sys.executable, "-m", "preparedness_handbook.handbook.cli", "serve", "--data", str(data), "--today", TODAY,
         "--dev-addr", f"127.0.0.1:{port}"],
        cwd=repo, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def page(path: str) -> str:
        return _text(_get(base + path)[1])

    def until(what: str, path: str, check) -> str:
        return _until(proc, what, lambda: (lambda text: text if text and check(text) else "")(page(path)))

    try:
        _until(proc, "the home page", lambda: _get(base)[0] == 200)
        before = {p: page(p) for p in ("departments/executive/", "drills/", "severity/", "roles/")}
        assert "Finds and fixes the technical cause." in page("departments/engineering/")

        departments = data / "departments.yaml"
        departments.write_text(departments.read_text(encoding="utf-8").replace(
            "Finds and fixes the technical cause.", "Finds the cause and fixes it, day or night."), encoding="utf-8")
        engineering = until("the new purpose", "departments/engineering/",
                            lambda t: "Finds the cause and fixes it, day or night." in t)
        assert "Finds and fixes the technical cause." not in engineering
        for path, text in before.items():  # pages that do not show the purpose are as they were
            assert page(path) == text, path

        people = data / "people.yaml"
        people.write_text(people.read_text(encoding="utf-8").replace("name: Ada King", "name: Adaline Kingsley"),
                          encoding="utf-8")
        until("the new name on her department's page", "departments/executive/", lambda t: "Adaline Kingsley" in t)
        shown = ("", "departments/", "departments/executive/", "departments/engineering/", "communications/",
                 "escalation/", "drills/", "severity/", "partners/", "roles/")
        named = [p for p in shown if "Adaline Kingsley" in page(p)]
        assert len(named) >= 2, named  # she heads a department and is called first
        for path in shown:
            assert not re.search(r"\bAda King\b", page(path)), path  # the old name is on no page

        roles_md.write_text(roles_md.read_text(encoding="utf-8") + "\nCall the front desk if nobody answers.\n",
                            encoding="utf-8")
        roles = until("the page's own new sentence", "roles/", lambda t: "Call the front desk if nobody answers." in t)
        assert "Ada King" not in roles and "Incident manager" in roles  # and its data still there
        assert "Call the front desk" not in page("severity/")

        top.write_text(top.read_text(encoding="utf-8") + "<p>Keep this page printed.</p>\n", encoding="utf-8")
        until("the partial's new sentence", "departments/engineering/", lambda t: "Keep this page printed." in t)
        assert "Keep this page printed." in page("departments/executive/")
        assert "Keep this page printed." not in page("severity/")
    finally:
        err = _stop(proc)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
