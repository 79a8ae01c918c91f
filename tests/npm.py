"""npm packages the tests run, installed from the npm registry into a cache on first use.

They are pinned; a machine without Node.js and npm fails the tests that need them (no skip).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest


def npm_cache() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "preparedness-handbook" / "npm"


def npm_package(spec: str, name: str, needs: str) -> Path:
    """The installed package folder of ``spec`` (``axe-core@4.11.0``); ``needs`` is a file in it
    that shows the install is whole. Installs on first use, or when the pinned version changed."""
    folder = npm_cache() / "node_modules" / name
    version = spec.rsplit("@", 1)[1]
    manifest = folder / "package.json"
    if (folder / needs).is_file() and f'"version": "{version}"' in manifest.read_text(encoding="utf-8"):
        return folder
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        pytest.fail(f"Node.js and npm are needed for {name}: apt-get install nodejs npm")
    npm_cache().mkdir(parents=True, exist_ok=True)
    run = subprocess.run([npm, "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(npm_cache()), spec],
                         capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, f"npm install {spec} failed:\n{run.stderr}"
    assert (folder / needs).is_file(), f"npm install {spec} left no {needs}"
    return folder
