"""Ids that would name a file the build makes itself are refused; every other id gives files of
its own.

A department's id names its binder (``pdf/<id>.pdf``, or ``<id>-1.pdf``, … in volumes), its
contacts file (``exports/contacts/<id>.vcf``) and its page (``departments/<id>.md``); a drill's
and a postmortem's id name their pages. ``print_plan()`` is what the binder step writes, so the
PDF names are checked there (a site build without PDFs would not show a collision).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from preparedness_handbook.macros.context import make_context
from preparedness_handbook.macros.printing.binders import print_plan
from preparedness_handbook.macros.site.pages import ITEM_DIRS, STATIC_PAGES
from preparedness_handbook.validators.engine import validate
from preparedness_handbook.validators.models.common import DEPARTMENT_RESERVED, reserved_reason
from tests.conftest import REPO, TODAY

RENAMED = "finance"  # the sample department given each id below
REFUSED = ["handbook", "handbook-1", "handbook-12", "wallet-card", "wallet-cards-sheet", "call-tree", "call-tree-1", "call-tree-3",
           "postmortem-template", "all", "index"]
ALLOWED = ["handbook-team", "handbooks", "call-tree-sheets", "wallet", "contacts", "all-staff", "index-team",
           "postmortem"]


def _renamed(tmp_path: Path, new: str) -> Path:
    """The sample data with the finance department's id changed everywhere to ``new``."""
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    pattern = re.compile(rf"(?<![\w-]){RENAMED}(?![\w-])")
    for path in data.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(pattern.sub(new, text), encoding="utf-8")
    return data


def _line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line == text)


@pytest.mark.parametrize("new", REFUSED)
def test_a_reserved_department_id_is_refused_at_its_line(tmp_path: Path, new: str) -> None:
    data = _renamed(tmp_path, new)
    result = validate(data, dt.date.fromisoformat(TODAY))
    assert result.handbook is None
    line = _line_of(data / "departments.yaml", f"  - id: {new}")
    at_id = [f for f in result.findings if f.file.endswith("departments.yaml") and f.line == line]
    assert [(f.code, f.level) for f in at_id] == [("HB104", "error")]
    assert at_id[0].message == f"'{new}' is reserved"
    assert "choose another id" in at_id[0].hint and "." in at_id[0].hint.split(";")[0]
    assert all(f.code == "HB104" and f.path.endswith(".id") for f in result.findings if f.level == "error")


@pytest.mark.parametrize("new", ALLOWED)
def test_other_department_ids_give_files_of_their_own(tmp_path: Path, new: str) -> None:
    data = _renamed(tmp_path, new)
    result = validate(data, dt.date.fromisoformat(TODAY))
    assert result.handbook is not None and not result.errors, [f.text for f in result.findings]
    ctx = make_context(result.handbook, "internal", version="test")
    for cap in (None, 12):  # whole documents, and everything in volumes
        names = [f.name for f in print_plan(ctx, cap=cap)]
        assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)
        assert any(n.startswith(f"{new}.") or n.startswith(f"{new}-") for n in names)
    contacts = [f"{d.id}.vcf" for d in result.handbook.departments] + ["all.vcf"]
    assert len(contacts) == len(set(contacts))
    pages = [f"{ITEM_DIRS['department']}/{d.id}.md" for d in result.handbook.departments]
    assert not set(pages) & set(STATIC_PAGES.values())


def test_every_file_the_build_names_itself_is_reserved() -> None:
    """The names in the print plan that no department gives are refused as department ids, so a
    new kind of PDF cannot be added without reserving its name."""
    result = validate(REPO / "data", dt.date.fromisoformat(TODAY))
    assert result.handbook is not None
    ctx = make_context(result.handbook, "internal", version="test")
    ids = {d.id for d in result.handbook.departments}
    for cap in (None, 12, 10):
        for f in print_plan(ctx, cap=cap):
            stem = f.name.removesuffix(".pdf")
            if stem in ids or re.sub(r"-\d+$", "", stem) in ids:
                continue
            assert reserved_reason(stem, DEPARTMENT_RESERVED), f"{f.name} is not reserved"
    assert reserved_reason("all", DEPARTMENT_RESERVED)  # exports/contacts/all.vcf
    for page in STATIC_PAGES.values():
        folder, _, name = page.rpartition("/")
        if folder in ITEM_DIRS.values():
            assert name == "index.md"
    assert reserved_reason("index", DEPARTMENT_RESERVED)


def test_hb904_a_department_named_like_another_ones_volume(tmp_path: Path) -> None:
    data = _renamed(tmp_path, "sales-2")
    result = validate(data, dt.date.fromisoformat(TODAY))
    hb904 = [f for f in result.findings if f.code == "HB904"]
    assert [(f.file.endswith("departments.yaml"), f.line) for f in hb904] == [
        (True, _line_of(data / "departments.yaml", "  - id: sales-2"))]
    assert "volume 2 of the binder of Retail Sales and Shops (sales), sales-2.pdf" in hb904[0].message
    assert hb904[0].hint == "choose an id that does not end in -2, e.g. 'sales-finance'"
