"""The readiness, printed binders, contributing and data reference pages in an organization's words.

Each page is rendered from its docs page with the sample's terms replaced (organization.yaml
``terms``). The organization's words appear where the pages name a drill, the call tree, the
bridge, a level or a postmortem, and the default words do not, in everything the page itself
says. What the data layer writes (the readiness report's entries, the rules' docstrings, the
models' descriptions, the print plan's titles) and literal file names and commands (``drills.yaml``,
``handbook new drill``) are taken out before looking, since those are not these pages' words.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re

import pytest

from preparedness_handbook.macros.context import BuildContext, make_context
from preparedness_handbook.macros.site.blocks import render_page
from preparedness_handbook.macros.site.pages import Linker, doc_path
from preparedness_handbook.validators.engine import validate
from tests.conftest import REPO, TODAY

BUILT = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
TERMS = {
    "incident_manager": "duty commander",
    "postmortem": "learning review",
    "call_tree": "phone tree",
    "bridge": "war room line",
    "hotline": "service desk",
    "level": "incident class",
    "drill": "exercise",
}
DEFAULTS = ["incident manager", "postmortem", "call tree", "call-tree", "incident bridge", "bridge line",
            "incident hotline", "severity level", "drill"]


def _context(terms: dict[str, str] | None = None, pdf: bool = True) -> BuildContext:
    result = validate(REPO / "data", dt.date.fromisoformat(TODAY))
    hb = result.handbook
    assert hb is not None
    if terms:
        org = hb.organization
        hb = dataclasses.replace(hb, organization=org.model_copy(update={"terms": org.terms.model_copy(update=terms)}))
    ctx = make_context(hb, "internal", built=BUILT, version="test")
    ctx.pdf = pdf
    return ctx


@pytest.fixture(scope="module")
def ctx() -> BuildContext:
    return _context(TERMS)


def page(ctx: BuildContext, key: str) -> str:
    return render_page(ctx, key, Linker("site", doc_path(key), True))


def text_of(markup: str, drop: list[str] = ()) -> str:
    """The page's words: no markup, no literal code, no anchors, no file names, none of the ``drop`` strings."""
    markup = re.sub(r"<code[^>]*>.*?</code>|`[^`]*`|\{: [^}]*\}", " ", markup, flags=re.S)
    words = html.unescape(re.sub(r"<[^>]+>", " ", markup))
    words = re.sub(r"[\w/<>.-]*\.(yaml|pdf|ics|vcf|json|zip)\b|handbook new \w+", " ", words)
    words = " ".join(words.split())
    for s in sorted({" ".join(s.split()) for s in drop if s}, key=len, reverse=True):
        words = words.replace(s, " ")
    return words


def assert_no_defaults(words: str) -> None:
    for default in DEFAULTS:
        found = re.search(rf"\b{re.escape(default)}", words, re.I)
        assert found is None, f"{default!r} in: …{words[max(0, found.start() - 80):found.end() + 80]}…"


def test_readiness_page_in_the_organizations_words(ctx: BuildContext) -> None:
    from preparedness_handbook.macros.views.readiness import readiness

    out = page(ctx, "readiness")
    words = text_of(out)
    assert "Exercise runs held (filled) and planned (outlined) per quarter." in words
    assert "Add the exercise calendar to your calendar to see every planned exercise." in words
    assert 'aria-label="Exercise runs per quarter: held and planned"' in out
    r = readiness(ctx.hb)  # the report's own words are the data layer's (validators/readiness.py)
    report = [r.organization]
    for a in r.areas:
        report += [a.title, a.how] + [s for g in a.groups for s in (g.title, g.empty)]
        report += [s for g in a.groups for x in g.entries for s in (x.subject, x.detail)]
    report += [s for t in r.todos for s in (t.title, *t.items)]
    assert_no_defaults(text_of(out, report))


def test_printed_page_in_the_organizations_words(ctx: BuildContext, monkeypatch: pytest.MonkeyPatch) -> None:
    from preparedness_handbook.macros.printing.binders import print_plan

    monkeypatch.setenv("HANDBOOK_PDF_MAX_PAGES", "40")  # the whole handbook in volumes: the note says why
    ctx.cache.clear()
    try:
        out = page(ctx, "printed")
        plan = [s for f in print_plan(ctx) for s in (f.title, f.who)]  # the print plan's words (printing/)
    finally:
        ctx.cache.clear()
    words = text_of(out)
    assert "such as the phone-tree sheets" in words
    assert "the phone tree branch by branch on the phone-tree sheets" in words
    assert "Exercise calendar : add it to your calendar to see every planned exercise." in words
    assert "everyone in the phone tree, the war room line and partner hotlines" in words
    assert_no_defaults(text_of(out, plan))


def test_contributing_page_in_the_organizations_words(ctx: BuildContext) -> None:
    from preparedness_handbook.macros.views.contributing import _file_summary
    from preparedness_handbook.validators.codes import DATA_CODES
    from preparedness_handbook.validators.models import FILES, POSTMORTEM_MODEL

    out = page(ctx, "contributing")
    words = text_of(out)
    assert "from the phone tree of Harbor & Pine Outfitters to the printed binders" in words
    assert "phone phone" not in words
    assert "such as a new phone number or an exercise date" in words
    assert "an exercise date in" in words and "an exercise in drills.yaml" not in words  # file names are dropped
    assert "## Add a person, exercise, partner or learning review" in out
    for heading in ("### Incident classes and escalation (HB401", "### Exercises (HB7", "### Learning reviews (HB8"):
        assert heading in out.replace("\\", ""), heading
    # The rules' cards hold their docstrings, the tables the loader's and the models' words.
    out = re.sub(r'<div class="hb-rule".*?</div>', " ", out, flags=re.S)
    summaries = [_file_summary(m) for m, _ in FILES.values()] + [_file_summary(POSTMORTEM_MODEL)]
    assert_no_defaults(text_of(out, [*DATA_CODES.values(), *summaries]))


def test_contributing_page_keeps_one_phone_before_the_call_tree() -> None:
    words = text_of(page(_context({"call_tree": "cascade"}), "contributing"))
    assert "from the phone cascade of Harbor & Pine Outfitters to the printed binders" in words


def test_reference_names_levels_and_postmortems_by_the_terms(ctx: BuildContext) -> None:
    out = page(ctx, "reference")
    types = [html.unescape(re.sub(r"<[^>]+>", "", t)) for t in re.findall(r"</code></td>\s*<td>(.*?)</td>", out)]
    assert "list of id of an incident class" in types and "id of a learning review" in types
    assert not [t for t in types if "severity level" in t or "postmortem" in t]
    default = page(_context(pdf=True), "reference")
    assert "<td>list of id of a severity level</td>" in default and "<td>id of a postmortem</td>" in default
