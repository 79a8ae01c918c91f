"""The organization's words on the communications and partners pages.

An organization that says "duty commander", "phone cascade", "war room line" and "alarm line"
(organization.yaml ``terms``) sees those words wherever the pages name the incident manager, the
call tree, the bridge and the hotline, and never the default words. The sample's own text says
the default words too (channel names, services, scripts), so the test organization is a copy of
the sample with them written its way as well: then any default left on the page is the tool's.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
from html import unescape
from pathlib import Path

import pytest

from preparedness_handbook.macros.context import make_context
from preparedness_handbook.macros.printing.pages import page_sections
from preparedness_handbook.macros.site.blocks import render_block, render_page
from preparedness_handbook.macros.site.pages import Linker, doc_path
from preparedness_handbook.macros.views.communications import AUDIENCE, audience_label
from preparedness_handbook.macros.views.partners import category_label
from preparedness_handbook.validators.engine import validate

REPO = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 12, 2)
BUILT = dt.datetime(2026, 12, 2, 1, 0, tzinfo=dt.UTC)
OURS = {
    "incident_manager": ("incident manager", "duty commander"),
    "call_tree": ("call tree", "phone cascade"),
    "bridge": ("incident bridge", "war room line"),
    "hotline": ("incident hotline", "alarm line"),
}


def _ours(match: re.Match[str], word: str) -> str:
    return word[:1].upper() + word[1:] if match.group(0)[:1].isupper() else word


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample, with the organization's terms and its own text in the same words."""
    folder = tmp_path_factory.mktemp("terms") / "data"
    shutil.copytree(REPO / "data", folder)
    for path in folder.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        for default, word in OURS.values():
            text = re.sub(re.escape(default), lambda m, w=word: _ours(m, w), text, flags=re.IGNORECASE)
        path.write_text(text, encoding="utf-8")
    org = folder / "organization.yaml"
    terms = "".join(f"    {name}: {word}\n" for name, (_, word) in OURS.items())
    org.write_text(org.read_text(encoding="utf-8").replace(
        "organization:\n", f"organization:\n  terms:\n{terms}", 1), encoding="utf-8")
    return folder


def _context(data: Path, profile: str):
    result = validate(data, TODAY)
    assert result.handbook is not None and not result.errors, [f.message for f in result.errors]
    return make_context(result.handbook, profile, built=BUILT, version="test")


def _text(markdown: str) -> str:
    """What a reader sees of a rendered page: no diagrams (their labels are svg.py's), no tags."""
    markdown = re.sub(r"<svg.*?</svg>", " ", markdown, flags=re.DOTALL)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", markdown)).replace("\\", "").split())


@pytest.mark.parametrize("profile", ["internal", "public"])
@pytest.mark.parametrize("key", ["communications", "partners"])
def test_the_pages_say_the_organizations_words(data: Path, key: str, profile: str) -> None:
    ctx = _context(data, profile)
    assert ctx.terms.call_tree == "phone cascade"
    text = _text(render_page(ctx, key, Linker("site", doc_path(key), True)))
    for default, word in OURS.values():
        assert default not in text.lower(), f"{key}: {default!r} where the organization says {word!r}"
    if key == "communications":
        assert "To report an incident, call the alarm line:" in text
        assert "War room line:" in text
        assert "Phone cascade" in text
    else:  # the partners page names them only in the data (Lakefront Telecom provides both)
        assert "war room line" in text and "alarm line" in text


def test_the_call_tree_heading_is_the_term_and_keeps_its_anchor(data: Path) -> None:
    """printing/binders.py finds the section by its anchor, whatever it is called."""
    ctx = _context(data, "internal")
    page = render_page(ctx, "communications", Linker("site", doc_path("communications"), True))
    assert "## Phone cascade {: #call-tree }" in page
    printed = page_sections(ctx, "communications", Linker("print", doc_path("communications"), True, {"communications"}))
    section = next(s for s in printed if s.anchor == "call-tree")
    assert section.title == "Phone cascade" and section.children  # the branches, which compact binders drop


def test_no_call_tree_names_the_role_in_the_organizations_words(data: Path) -> None:
    ctx = _context(data, "internal")
    rootless = dataclasses.replace(ctx, tree=dataclasses.replace(ctx.tree, root=None))
    body = _text(render_block(rootless, "communications.call_tree", Linker("site", doc_path("communications"), True)))
    assert body == "No phone cascade: the duty commander role has no primary."


def test_the_default_words_and_labels_stay() -> None:
    ctx = _context(REPO / "data", "internal")
    text = _text(render_page(ctx, "communications", Linker("site", doc_path("communications"), True)))
    assert "call the incident hotline:" in text and "Incident bridge:" in text and "Call tree" in text
    assert "calls 2 people" in text
    assert dict(AUDIENCE) == {a: audience_label(ctx, a) for a in AUDIENCE}
    assert AUDIENCE["media"] == "Media" and AUDIENCE.get("nobody", "nobody") == "nobody"
    assert category_label(ctx, "breach-counsel") == "Breach counsel (lawyers)"


def test_without_templates_the_page_has_no_templates_chapter() -> None:
    ctx = _context(REPO / "data", "internal")
    bare = dataclasses.replace(ctx, hb=dataclasses.replace(ctx.hb, templates=[]))
    page = render_page(bare, "communications", Linker("site", doc_path("communications"), True))
    assert "Message templates" not in page and "{: #call-tree }" in page
