"""The build says at its start which system libraries the PDFs need, when they are missing."""

from __future__ import annotations

import builtins
import sys

import pytest

from preparedness_handbook.handbook import build as hb


def test_missing_pango_is_one_clear_line_before_anything_is_built(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_pango(name, *args, **kwargs):  # type: ignore[no-untyped-def]
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object file")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_pango)
    with pytest.raises(hb.BuildError) as caught:
        hb.check_pdf_libraries()
    message = str(caught.value)
    assert message.startswith("the printed binders need system libraries that are missing (cannot load library")
    assert "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0" in message
    assert message.endswith("or build without them: handbook build --no-pdf")


def test_the_libraries_of_this_machine_are_found() -> None:
    hb.check_pdf_libraries()  # the suite's machine has them (.ci/run installs the fonts)


def test_pdf_progress_is_a_bar_on_a_terminal_and_quarter_lines_in_a_log() -> None:
    import io

    from preparedness_handbook.handbook.build import Progress

    log = io.StringIO()
    bar = Progress(stream=log, tty=False)
    for done in range(1, 11):
        bar(done, 10, f"doc-{done}.pdf")
    assert log.getvalue().splitlines() == ["  3 of 10 PDFs written", "  5 of 10 PDFs written",
                                           "  8 of 10 PDFs written", "  10 of 10 PDFs written"]
    term = io.StringIO()
    bar = Progress(stream=term, tty=True)
    bar(1, 4, "handbook.pdf")
    bar(4, 4, "sales.pdf")
    frames = term.getvalue().split("\r")[1:]
    assert frames[0].rstrip() == "  [######------------------] 1/4 PDFs  handbook.pdf"
    assert frames[1].rstrip() == "  [########################] 4/4 PDFs  sales.pdf"
    assert term.getvalue().endswith("\n") and term.getvalue().count("\n") == 1  # redrawn in place, one line


def _fake_system(tmp_path, *, root: bool, installed: bool):
    """A PATH holding only stand-ins: id, dpkg, apt-get (which logs its arguments) and, when
    ``installed``, chromium, pdftoppm and npm."""
    import os

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    tools = {"id": f"echo {0 if root else 1000}", "dpkg": "exit 0" if installed else "exit 1",
             "apt-get": f'echo "$@" >> {tmp_path}/apt.log'}
    if installed:
        tools |= {"chromium": "exit 0", "pdftoppm": "exit 0", "npm": "exit 0"}
    for name, body in tools.items():
        path = bin_dir / name
        path.write_text(f"#!/bin/sh\n{body}\n")
        path.chmod(0o755)
    return {"PATH": str(bin_dir), "HOME": os.environ.get("HOME", "/root")}


def _script(env):
    import subprocess

    from tests.conftest import REPO

    return subprocess.run(["/bin/sh", str(REPO / "tests" / "system-packages.sh")], env=env, capture_output=True,
                          text=True, check=False, timeout=30)


def test_system_packages_script_does_nothing_when_all_are_there(tmp_path) -> None:
    run = _script(_fake_system(tmp_path, root=True, installed=True))
    assert (run.returncode, run.stdout, run.stderr) == (0, "", "")
    assert not (tmp_path / "apt.log").exists()


def test_system_packages_script_installs_what_is_missing_as_root(tmp_path) -> None:
    run = _script(_fake_system(tmp_path, root=True, installed=False))
    assert run.returncode == 0, run.stderr
    wanted = ("chromium poppler-utils nodejs npm libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 "
              "fonts-dejavu-core fonts-liberation")
    assert run.stderr == f"Installing the system packages the tests need: {wanted}\n"
    assert (tmp_path / "apt.log").read_text().splitlines() == [
        "update -qq", f"install -y -qq --no-install-recommends {wanted}"]


def test_system_packages_script_says_what_to_install_without_root(tmp_path) -> None:
    run = _script(_fake_system(tmp_path, root=False, installed=False))
    assert run.returncode == 1
    assert "Install them (as root: apt-get install chromium poppler-utils nodejs npm libpango-1.0-0" in run.stderr
    assert not (tmp_path / "apt.log").exists()
