"""Shared helpers: the minimal valid organization, case folders built on it, and the real command."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
VALID = FIXTURES / "valid"
INVALID = FIXTURES / "invalid"
MINIMAL = VALID / "minimal" / "data"
TODAY = "2026-11-27"

pytest_plugins = ["tests.site_build", "tests.browser"]


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def json(self) -> dict:
        return json.loads(self.stdout)


def copy_minimal(dest: Path) -> Path:
    """A fresh copy of the minimal organization at ``dest`` (usually ``tmp_path / 'data'``)."""
    shutil.copytree(MINIMAL, dest)
    return dest


def build_case(case: Path, tmp_path: Path) -> Path:
    """The minimal organization with the case's files laid over it; returns the data folder.

    ``<case>/delete.txt`` lists base files to remove, one path relative to data/ per line; then
    ``<case>/data/`` files replace the base files of the same name (new ones are added).
    """
    data = copy_minimal(tmp_path / "data")
    delete = case / "delete.txt"
    if delete.exists():
        for line in delete.read_text(encoding="utf-8").splitlines():
            name = line.split("#", 1)[0].strip()
            if name:
                target = data / name
                assert target.resolve().is_relative_to(data.resolve()), f"{delete}: {name} is outside data/"
                if target.is_dir():
                    shutil.rmtree(target)
                else:
                    target.unlink()
    overlay = case / "data"
    if overlay.is_dir():
        for src in sorted(overlay.rglob("*")):
            if src.is_file():
                dst = data / src.relative_to(overlay)
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, dst)
    return data


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "HANDBOOK_TODAY", "HANDBOOK_DEBUG")}
    # The package is installed editable, but a checkout that is only on sys.path must work too.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")]))
    env.update(extra or {})
    return env


def run_cli(*args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 60) -> Run:
    """``python -m handbook.cli ARGS`` in a subprocess, timed with perf_counter."""
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "preparedness_handbook.handbook.cli", *args],
        cwd=cwd, env=_env(env), capture_output=True, text=True, timeout=timeout, check=False,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr, time.perf_counter() - start)


def run_validate(cwd: Path, *extra: str, env: dict[str, str] | None = None) -> Run:
    return run_cli("validate", "--data", "data", "--today", TODAY, *extra, cwd=cwd, env=env)


def pdf_text(pdf: Path | bytes) -> str:
    """Every word of a PDF, by poppler's pdftotext (poppler-utils, which the suite needs anyway):
    about 15 times faster than pypdf's extract_text, for the tests that scan every page of many
    PDFs. Tests that read a sentence as a person would keep pypdf's reading order."""
    if shutil.which("pdftotext") is None:
        pytest.fail("poppler's pdftotext is needed: apt-get install poppler-utils (sh tests/system-packages.sh)")
    blob = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    return subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=blob, capture_output=True,
                          check=True).stdout.decode("utf-8", "replace")


def once_per_run(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """A folder made by `make(folder)` once per test run, shared by every xdist worker.

    A session fixture runs once per worker: with two workers each sample build was made twice.
    The first worker to ask builds under an exclusive lock; the others wait on it and then read
    the same folder. A failed build leaves no mark, so the next worker to ask builds again (and
    reports the same failure). Tests must treat the folder as read-only, as they do now.
    """
    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder = root / f"once-{name}"
    with open(root / f"once-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (root / f"once-{name}.done").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            (root / f"once-{name}.done").write_text("done\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def startup_seconds() -> float:
    """Wall time of starting the interpreter and importing the command and the validators.

    The per-case time bound is for validating; this is what every subprocess pays before that.
    """
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", "import handbook.cli, validators.engine"],
            env=_env(), check=True, capture_output=True,
        )
        best = min(best, time.perf_counter() - start)
    return best


@pytest.fixture(scope="session", autouse=True)
def _cache_dir(tmp_path_factory: pytest.TempPathFactory):
    """Every test, and every command it starts, keeps validate's cache in a folder of this session,
    never in the user's own cache."""
    before = os.environ.get("HANDBOOK_CACHE_DIR")
    os.environ["HANDBOOK_CACHE_DIR"] = str(tmp_path_factory.mktemp("handbook-cache"))
    yield
    if before is None:
        os.environ.pop("HANDBOOK_CACHE_DIR", None)
    else:
        os.environ["HANDBOOK_CACHE_DIR"] = before


@pytest.fixture
def minimal_data(tmp_path: Path) -> Path:
    """tmp_path/data holding a copy of the minimal organization; tests run with cwd=tmp_path."""
    return copy_minimal(tmp_path / "data")


# The fast lane (`pytest -m "not build and not browser"`) leaves out every test that needs a
# real build or a browser. Tests that use the session builds or the browser are marked here by
# the fixtures they take; modules that run builds of their own carry `pytestmark`.
# "wheel" builds the wheel (pip wheel: a build too).
_BUILD_FIXTURES = {"built_site", "public_site", "hostile_site", "hostile", "site_url", "offline_site", "volume_site", "wheel",
                    "protected_site", "protected_url", "opened"}
_BROWSER_FIXTURES = {"browser", "site_url", "protected_url"}
# Modules whose every test runs a build (or kills one, or serves one).
_BUILD_MODULES = {"test_atomic", "test_sitedir", "test_serve", "test_offline_check", "test_every_field",
                  "test_injection", "test_reserved_ids", "test_overrides", "test_bad_pages"}
# Modules where a test that takes the sample's context or a temporary folder renders binders.
_PRINT_MODULES = {"test_volumes", "test_binders"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        module = item.module.__name__.rsplit(".", 1)[-1] if getattr(item, "module", None) else ""
        if (names & _BUILD_FIXTURES or module in _BUILD_MODULES
                or module in _PRINT_MODULES and names & {"ctx", "tmp_path"}):
            item.add_marker(pytest.mark.build)
        if names & _BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
