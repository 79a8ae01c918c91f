"""The packages imported are this project's: `validators` is also the name of a PyPI package."""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import MINIMAL, REPO, TODAY

PACKAGES = ["validators", "macros", "handbook"]


@pytest.mark.parametrize("name", PACKAGES)
def test_package_is_this_projects(name: str) -> None:
    module = importlib.import_module(name)
    assert module.__file__ is not None
    assert Path(module.__file__).resolve().is_relative_to(REPO), module.__file__


def test_validators_is_not_the_pypi_package() -> None:
    import validators

    # PyPI's validators exposes functions such as email() and url(); ours is the data layer.
    assert not hasattr(validators, "email") and not hasattr(validators, "url")
    for sub in ("loader", "engine", "handbook", "findings", "models", "rules"):
        module = importlib.import_module(f"validators.{sub}")
        assert Path(module.__file__).resolve().is_relative_to(REPO / "validators")


def test_macros_entry_point_for_mkdocs_macros() -> None:
    import macros

    assert callable(macros.define_env)


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "GITHUB_ACTIONS", "HANDBOOK_TODAY")}


def test_packages_resolve_outside_the_checkout(tmp_path: Path) -> None:
    # From another folder nothing puts the checkout on sys.path: the install must find it.
    code = "import validators, macros, handbook; print(validators.__file__, macros.__file__, handbook.__file__)"
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=_clean_env(), capture_output=True, text=True, check=False,
    )
    assert run.returncode == 0, run.stderr
    for path in run.stdout.split():
        assert Path(path).resolve().is_relative_to(REPO), path


def test_console_script_is_declared() -> None:
    scripts = importlib.metadata.entry_points(group="console_scripts", name="handbook")
    assert [ep.value for ep in scripts] == ["handbook.cli:run"]


def test_console_script_runs(tmp_path: Path) -> None:
    exe = shutil.which("handbook")
    assert exe, "the 'handbook' command is not on PATH (pip install -e .)"
    shutil.copytree(MINIMAL, tmp_path / "data")
    run = subprocess.run(
        [exe, "validate", "--today", TODAY], cwd=tmp_path, env=_clean_env(), capture_output=True, text=True, check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.strip().endswith("0 errors, 0 warnings in 11 files")


def _fake_pypi_validators(tmp_path: Path) -> dict[str, str]:
    """An environment where a package named `validators` sits on the ordinary import path.

    Stand-in for `pip install validators` (site-packages): setuptools' editable finder is
    appended to sys.meta_path, after the path finder, so such a package is found first.
    """
    fake = tmp_path / "site" / "validators"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("PYPI = True\n\ndef email(value):\n    return True\n")
    return _clean_env() | {"PYTHONPATH": str(tmp_path / "site")}


def test_command_still_works_next_to_pypi_validators(tmp_path: Path) -> None:
    # It works because the editable finder still supplies validators.loader, .engine, ... as
    # submodules of the other package; the next test shows the package itself is not ours.
    env = _fake_pypi_validators(tmp_path)
    shutil.copytree(MINIMAL, tmp_path / "data")
    run = subprocess.run(
        [sys.executable, "-m", "handbook.cli", "validate", "--today", TODAY],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "0 errors, 0 warnings" in run.stdout


@pytest.mark.parametrize("entry", ["handbook.cli", "macros"])
def test_project_validators_wins_over_an_installed_pypi_validators(tmp_path: Path, entry: str) -> None:
    """The command and the mkdocs-macros module use this project's package even when PyPI's
    `validators` comes first on the path (a plain `import validators` elsewhere is not ours to fix)."""
    env = _fake_pypi_validators(tmp_path)
    run = subprocess.run(
        [sys.executable, "-c", f"import validators, {entry}; import validators as v; print(v.__file__)"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=False,
    )
    assert run.returncode == 0, run.stderr
    assert Path(run.stdout.strip()).resolve().is_relative_to(REPO), run.stdout
