"""The organization's words on the drills, root cause analysis and department pages.

A copy of the sample data says ``terms:`` in organization.yaml, and its own text is scrubbed of
the default words (so whatever of them is left on a page was written by the handbook, not by
the data). Every page of the three kinds is rendered as the site renders it; the organization's
words are where the handbook names those things, and the defaults are nowhere.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil

import markdown
import pytest

from tests.conftest import REPO, TODAY

TERMS = {
    "incident_manager": "duty chief",
    "postmortem": "after-action review",
    "call_tree": "phone cascade",
    "bridge": "war room line",
    "hotline": "service desk line",
    "level": "priority",
    "drill": "practice run",
}
# The defaults, as they would read in the text (the data's ids and keys use - and _, never a space).
DEFAULTS = re.compile(
    r"incident manager|postmortem|\bdrill|severity level|call[- ]tree|incident bridge|incident hotline", re.I
)
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")  # a message template's blank, such as {postmortem_owner}: data
# Prose in the data that names the defaults, replaced by neutral words before the build.
SCRUB = [
    (re.compile(r"incident manager", re.I), "response lead"),
    (re.compile(r"severity level", re.I), "grade"),
    (re.compile(r"call tree", re.I), "ring round"),
    (re.compile(r"call-tree(?=\s)", re.I), "ring-round"),  # not the ids and kinds: call-tree-test
    (re.compile(r"incident bridge", re.I), "meeting line"),
    (re.compile(r"incident hotline", re.I), "report line"),
    (re.compile(r"\bpostmortem(s?)\b(?![:_.])", re.I), r"review\1"),
    (re.compile(r"\bdrill(s|ed)?\b(?![:_])", re.I), "practice"),
]


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    from preparedness_handbook.macros.context import make_context
    from preparedness_handbook.validators.engine import validate

    data = tmp_path_factory.mktemp("terms") / "data"
    shutil.copytree(REPO / "data", data)
    for path in data.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        for pattern, words in SCRUB:
            text = pattern.sub(words, text)
        path.write_text(text, encoding="utf-8")
    org = data / "organization.yaml"
    terms = "".join(f"    {k}: {v}\n" for k, v in TERMS.items())
    org.write_text(org.read_text(encoding="utf-8").replace("organization:\n", "organization:\n  terms:\n" + terms, 1),
                   encoding="utf-8")
    result = validate(data, dt.date.fromisoformat(TODAY))
    assert result.handbook is not None, [str(f) for f in result.findings]
    assert result.handbook.organization.terms.drill == "practice run"
    return make_context(result.handbook, "internal")


def page_text(ctx, key: str) -> str:
    """What a reader reads on page ``key``: its Markdown rendered and its tags taken out."""
    from preparedness_handbook.macros.printing.pages import MARKDOWN_EXTENSIONS
    from preparedness_handbook.macros.site.blocks import render_page
    from preparedness_handbook.macros.site.pages import Linker, doc_path

    body = markdown.markdown(render_page(ctx, key, Linker("site", doc_path(key), True)), extensions=MARKDOWN_EXTENSIONS)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def keys(ctx) -> list[str]:
    hb = ctx.hb
    return ["drills", "rca", "departments",
            *(f"drill:{d.id}" for d in hb.drills),
            *(f"postmortem:{p.id}" for p in hb.postmortems),
            *(f"department:{d.id}" for d in hb.departments)]


def test_the_organizations_words_are_used(ctx) -> None:
    drills = page_text(ctx, "drills")
    assert drills.startswith("Practice runs and exercises")
    assert "Practice run Type Levels" in drills, "the programme's first column"
    assert "Open actions from practice runs" in drills
    assert "Phone-cascade test" in drills, "a call-tree test, in the organization's word"

    rca = page_text(ctx, "rca")
    assert "(also called a after-action review or root cause analysis)" in rca
    assert "the duty chief names an owner for the after-action review." in rca
    assert "After-action reviews Title Date" in rca, "the heading over the list"
    assert "Incident date and priority" in rca, "the form's field"

    for d in ctx.hb.departments:
        text = page_text(ctx, f"department:{d.id}")
        assert "Speaks for it on the war room line:" in text
        assert "Find the level the duty chief announced." in text
        assert "Our phone cascade" in text
        if any(d.id in x.departments for x in ctx.hb.drills):
            assert "Our practice runs" in text


@pytest.mark.parametrize("kind", ["drill", "postmortem", "department", "index"])
def test_the_default_words_are_gone(ctx, kind: str) -> None:
    chosen = [k for k in keys(ctx) if (k.split(":")[0] == kind if kind != "index" else ":" not in k)]
    assert chosen
    for key in chosen:
        text = PLACEHOLDER.sub("", page_text(ctx, key))
        left = sorted({m.group(0).lower() for m in DEFAULTS.finditer(text)})
        context = [text[max(0, m.start() - 60): m.end() + 40] for m in DEFAULTS.finditer(text)][:3]
        assert not left, f"{key} still says {left}: {context}"
