"""The tool installs as one distribution namespace, `preparedness_handbook`, and its wheel works.

The folders validators/, macros/ and handbook/ stay at the top of the repository; they install
as preparedness_handbook.validators, .macros and .handbook, so PyPI's popular `validators`
package can sit beside them with no trick of sys.path or sys.modules.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import MINIMAL, REPO, TODAY, once_per_run

NS = "preparedness_handbook"
PACKAGES = [f"{NS}.validators", f"{NS}.macros", f"{NS}.handbook"]


@pytest.mark.parametrize("name", PACKAGES)
def test_package_is_this_projects(name: str) -> None:
    module = importlib.import_module(name)
    assert module.__file__ is not None
    assert Path(module.__file__).resolve().is_relative_to(REPO), module.__file__


def test_no_top_level_validators_or_macros_is_ours(tmp_path: Path) -> None:
    # Outside the checkout, nothing of this project is importable as a bare name.
    code = ("import importlib.util as u; "
            "print([n for n in ('validators', 'macros', 'handbook') if u.find_spec(n) and "
            f"(u.find_spec(n).origin or '').startswith({str(REPO)!r})])")
    run = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=_clean_env(),
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


def test_macros_entry_point_for_mkdocs_macros() -> None:
    from preparedness_handbook import macros

    assert callable(macros.define_env)


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "GITHUB_ACTIONS", "HANDBOOK_TODAY")}


def test_console_script_is_declared() -> None:
    scripts = importlib.metadata.entry_points(group="console_scripts", name="handbook")
    assert [ep.value for ep in scripts] == [f"{NS}.handbook.cli:run"]


def test_console_script_runs(tmp_path: Path) -> None:
    exe = shutil.which("handbook")
    assert exe, "the 'handbook' command is not on PATH (pip install -e .)"
    shutil.copytree(MINIMAL, tmp_path / "data")
    run = subprocess.run(
        [exe, "validate", "--today", TODAY], cwd=tmp_path, env=_clean_env(), capture_output=True, text=True, check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.strip().endswith("0 errors, 0 warnings in 11 files")


def test_command_works_next_to_a_package_named_validators(tmp_path: Path) -> None:
    fake = tmp_path / "site" / "validators"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("PYPI = True\n\ndef email(value):\n    return True\n")
    shutil.copytree(MINIMAL, tmp_path / "data")
    run = subprocess.run(
        [sys.executable, "-m", f"{NS}.handbook.cli", "validate", "--today", TODAY],
        cwd=tmp_path, env=_clean_env() | {"PYTHONPATH": str(tmp_path / "site")}, capture_output=True, text=True, check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "0 errors, 0 warnings" in run.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    def make(out: Path) -> None:
        run = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(REPO)],
                             env=_clean_env(), capture_output=True, text=True, check=False, timeout=600)
        assert run.returncode == 0, run.stderr

    (path,) = once_per_run(tmp_path_factory, "wheel", make).glob("*.whl")
    return path


def test_wheel_holds_every_package_the_print_assets_and_the_default_site(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for sub in ("validators", "validators/models", "validators/rules", "macros", "macros/views", "macros/render",
                "macros/site", "macros/printing", "macros/exports", "handbook"):
        assert f"{NS}/{sub}/__init__.py" in names, sub
    for f in ("macros/printing/style/print.css", "macros/assets/iframe-worker-shim.js", "handbook/defaults/mkdocs.yml",
              "handbook/defaults/docs/index.md", "handbook/defaults/docs/assets/handbook.css",
              "macros/partials/severity/level.html", "handbook/defaults/docs/severity.md",
              "handbook/starter/data/people.yaml", "handbook/starter/data/postmortems/one.yaml"):
        assert f"{NS}/{f}" in names, f
    assert not any(n.startswith(("validators/", "macros/", "handbook/", "tests/")) for n in names)


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with this wheel and a `validators` package (PyPI's stand-in:
    its own distribution in site-packages)."""
    import sysconfig

    def make(tmp_path: Path) -> None:
        venv = tmp_path / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
        py = venv / "bin" / "python"
        # The dependencies come from the running environment's site-packages, added after the new
        # one's (a path added by a .pth file runs no .pth of its own, so this checkout's editable
        # install stays out); the wheel itself and a package named validators go into the new one.
        site = Path(subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                   capture_output=True, text=True, check=True).stdout.strip())
        (site / "zz-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
        fake = tmp_path / "pypi-validators"
        (fake / "validators").mkdir(parents=True)
        (fake / "validators" / "__init__.py").write_text("PYPI = True\n\ndef email(value):\n    return True\n")
        (fake / "pyproject.toml").write_text('[project]\nname = "validators"\nversion = "0.34.0"\n'
                                             '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n')
        env = _clean_env() | {"PIP_NO_BUILD_ISOLATION": "1"}
        for target in (str(fake), str(wheel)):
            run = subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", target], env=env,
                                 capture_output=True, text=True, check=False, timeout=600)
            assert run.returncode == 0, run.stderr

    return once_per_run(tmp_path_factory, "venv", make) / "venv"


def _in(venv: Path, cwd: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(venv / "bin" / args[0]), *args[1:]], cwd=cwd,
                          env=_clean_env() | {"HANDBOOK_TODAY": TODAY, "NO_MKDOCS_2_WARNING": "1"},
                          capture_output=True, text=True, check=False, timeout=timeout)


@pytest.mark.build
def test_wheel_installs_beside_pypi_validators_and_builds_from_a_data_folder(venv: Path, tmp_path: Path) -> None:
    """`validate` and `build --no-pdf` from a folder that holds only data/."""
    org = tmp_path / "org"
    shutil.copytree(MINIMAL, org / "data")
    run = _in(venv, org, "handbook", "validate")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 errors, 0 warnings" in run.stdout
    run = _in(venv, org, "handbook", "build", "--no-pdf", "--no-offline")
    assert run.returncode == 0, run.stdout + run.stderr
    assert (org / "site" / "index.html").is_file() and (org / "site" / "communications" / "index.html").is_file()
    probe = subprocess.run([str(venv / "bin" / "python"), "-c", "import validators; print(validators.PYPI)"],
                           capture_output=True, text=True, check=False, cwd=org)
    assert probe.stdout.strip() == "True", probe.stderr  # the other package is untouched
    assert sorted(p.name for p in org.iterdir()) == ["data", "site"]


@pytest.mark.build
def test_from_the_wheel_init_then_fill_then_build_with_an_override_and_mkdocs_build(venv: Path, tmp_path: Path) -> None:
    """The new user's path with the installed wheel only: `handbook init`, every placeholder an
    error at its line, filled in, then a build whose page override shows on the site and in the
    PDFs; `mkdocs build --strict` in the same repository gives the same pages."""
    import json
    import re

    from pypdf import PdfReader

    from tests.test_init import PLACEHOLDER, _fill

    acme = tmp_path / "acme"
    assert _in(venv, tmp_path, "handbook", "init", str(acme)).returncode == 0
    run = _in(venv, acme, "handbook", "validate", "--format", "json")
    assert run.returncode == 1
    findings = json.loads(run.stdout)["findings"]
    assert findings and {f["code"] for f in findings} == {"HB106"}
    for f in findings[:5]:
        line = (acme / f["file"]).read_text(encoding="utf-8").splitlines()[f["line"] - 1]
        assert PLACEHOLDER.search(line), (f, line)
    counter = [0]
    for path in (acme / "data").rglob("*.yaml"):
        path.write_text(_fill(path.read_text(encoding="utf-8"), counter), encoding="utf-8")
    (acme / "docs" / "severity.md").write_text(
        "# How bad is it?\n\nAcme's own words: call the desk, then pick a level.\n\n{{ block(\"severity.matrix\") }}\n",
        encoding="utf-8")
    run = _in(venv, acme, "handbook", "build", "--no-offline")
    assert run.returncode == 0, run.stdout + run.stderr
    page = (acme / "site" / "severity" / "index.html").read_text(encoding="utf-8")
    assert "Acme&#39;s own words: call the desk" in page or "Acme’s own words" in page or "Acme's own words" in page
    text = " ".join(" ".join(p.extract_text() or "" for p in PdfReader(acme / "site" / "pdf" / "handbook.pdf").pages).split())
    assert "own words: call the desk, then pick a level." in text
    run = _in(venv, acme, "python", "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "by-mkdocs"))
    assert run.returncode == 0, run.stderr
    pages = {p.relative_to(acme / "site").as_posix() for p in (acme / "site").rglob("*.html")}
    assert {p.relative_to(tmp_path / "by-mkdocs").as_posix() for p in (tmp_path / "by-mkdocs").rglob("*.html")} == pages
    assert re.search(r"own words: call the desk", (tmp_path / "by-mkdocs" / "severity" / "index.html").read_text(encoding="utf-8"))
