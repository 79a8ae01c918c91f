"""Build a Handbook from the minimal valid organization with one thing changed, and run one rule."""

from __future__ import annotations

import copy
import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from preparedness_handbook.validators.findings import Finding
from preparedness_handbook.validators.handbook import Handbook, load_handbook
from preparedness_handbook.validators.rules import REGISTRY

MINIMAL = Path(__file__).resolve().parents[1] / "fixtures" / "valid" / "minimal" / "data"
TODAY = dt.date(2026, 11, 27)

Docs = dict[str, dict]
Edit = Callable[[Docs], object]


def _read_base() -> Docs:
    docs = {}
    for path in sorted(MINIMAL.rglob("*.yaml")):
        docs[path.relative_to(MINIMAL).as_posix()] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return docs


_BASE = _read_base()
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def find(items: list[dict], ident: str) -> dict:
    """The entry with this id in a list of mappings."""
    return next(item for item in items if item.get("id") == ident)


class Maker:
    """``make(edit)`` → Handbook of the minimal organization after ``edit(docs)``."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.count = 0

    def __call__(self, edit: Edit | None = None, today: dt.date = TODAY) -> Handbook:
        docs = copy.deepcopy(_BASE)
        if edit is not None:
            edit(docs)
        self.count += 1
        data = self.tmp_path / f"data{self.count}"
        for name, doc in docs.items():
            if doc is None:
                continue
            path = data / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if doc == _BASE.get(name):
                # unchanged files keep their text, so their line numbers match the fixture's
                shutil.copyfile(MINIMAL / name, path)
            else:
                path.write_text(yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True), encoding="utf-8")
        loaded = load_handbook(data, today)
        assert loaded.handbook is not None, "\n".join(f.text for f in loaded.findings)
        return loaded.handbook


@pytest.fixture
def make(tmp_path: Path) -> Maker:
    return Maker(tmp_path)


def run(hb: Handbook, code: str) -> list[Finding]:
    """The findings of one rule, each checked for the rule's own code and level."""
    rule = REGISTRY[code]
    found = rule.run(hb)
    for f in found:
        assert f.code == code and f.level == rule.level
        assert f.hint and "(" not in f.hint and ")" not in f.hint, f.hint
    return found


def said(hb: Handbook, code: str) -> list[str]:
    """Findings of one rule as ``file path: level message (hint)`` with the file name only."""
    return [
        f"{Path(f.file).relative_to(hb.data_dir).as_posix()} {f.path}: {f.level} {f.message} ({f.hint})"
        for f in run(hb, code)
    ]
