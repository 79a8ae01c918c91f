"""Markup is a type: values reach a page only through escaping, and Markdown fields stay safe and linear."""

from __future__ import annotations

import ast
import re
import time
from pathlib import Path

import pytest

from preparedness_handbook.macros.render.html import Html, e, h, join, md, safe_href, table, tag, ul
from preparedness_handbook.macros.render.sections import Section, page_html, page_markdown
from preparedness_handbook.macros.site.pages import Linker

NAME = 'Tomás Herrera<img src=x onerror=alert(document.domain)><style>.hb-tel{display:none}</style>'
ESCAPED = "Tomás Herrera&lt;img src=x onerror=alert(document.domain)&gt;&lt;style&gt;.hb-tel&#123;display:none&#125;&lt;/style&gt;"


def test_every_way_of_building_markup_escapes_plain_values():
    assert h("<h4>{} calls</h4>", NAME) == f"<h4>{ESCAPED} calls</h4>"
    assert tag("h4", NAME + " calls") == f"<h4>{ESCAPED} calls</h4>"
    assert join(["<b>", Html("<i>x</i>")], ", ") == "&lt;b&gt;, <i>x</i>"
    assert Html("<p>") + NAME == f"<p>{ESCAPED}"
    assert NAME + Html("<p>") == f"{ESCAPED}<p>"
    assert ul([NAME]) == f"<ul><li>{ESCAPED}</li></ul>"
    assert f"<td>{ESCAPED}</td>" in table(["Name"], [[NAME]])
    assert Linker("site", "index.md").a("roles", NAME) == f'<a href="roles/">{ESCAPED}</a>'
    assert e(None) == "" and e(Html("<b>")) == "<b>"


def test_a_section_body_that_is_plain_text_shows_as_text():
    page = [Section("Title", NAME), Section("Next", Html("<p>ok</p>"))]
    assert ESCAPED in page_markdown(page) and "<img" not in page_markdown(page)
    assert ESCAPED in page_html(page) and "<img" not in page_html(page)
    assert "<p>ok</p>" in page_html(page)


@pytest.mark.parametrize(("href", "kept"), [
    ("https://example.org/a?b=1", True), ("http://x.example", True), ("mailto:a@b.example", True),
    ("tel:+13125550142", True), ("#level-sev1", True), ("../roles/", True), ("roles.md#x", True),
    ("/status", True), ("//evil.example/x", False), ("/\\evil.example", False), ("\\\\evil.example", False),
    ("javascript:alert(1)", False), ("JaVaScRiPt:alert(1)", False), ("java\tscript:alert(1)", False),
    (" javascript:alert(1)", False), ("\x01javascript:alert(1)", False), ("data:text/html,x", False),
    ("vbscript:x", False), ("file:///etc/passwd", False),
])
def test_only_same_site_anchors_web_mail_and_phone_links_are_kept(href, kept):
    assert (safe_href(href) is not None) is kept


def test_markdown_links_that_leave_the_site_lose_their_target():
    out = md("[a](//evil.example) [b](/\\evil.example) [c](../roles/) [d](tel:+13125550142)")
    assert '<a>a</a>' in out and '<a>b</a>' in out
    assert '<a href="../roles/">c</a>' in out and '<a href="tel:+13125550142">d</a>' in out


def test_markdown_shows_html_brackets_and_braces_as_typed():
    out = md("**Bold** <b onclick=x>raw</b> [not a link] a & b `[code] <i>` {{ x }}\n\n- one\n- two")
    assert "<strong>Bold</strong>" in out
    assert "&lt;b onclick=x&gt;raw&lt;/b&gt;" in out
    assert "[not a link]" in out and "a &amp; b" in out
    assert "<code>[code] &lt;i&gt;</code>" in out
    assert "&#123;&#123; x &#125;&#125;" in out
    assert "<li>one</li>" in out


@pytest.mark.parametrize("text", [
    "\n".join(" " * (2 * i) + "- x" for i in range(300)),
    "\n".join("\t" * i + "- x" for i in range(300)),
    "1. " * 5000 + "x", "- " * 5000 + "x", "- 1. " * 3000 + "x",
])
def test_deeply_nested_lists_render_without_recursion(text):
    out = md(text)
    assert out.count("<ul>") + out.count("<ol>") < 60


def _cpu_seconds(text: str) -> float:
    md.cache_clear()
    start = time.process_time()
    md(text)
    return time.process_time() - start


@pytest.mark.parametrize("unit", ["[", "![", "[a](", "(", "`a", "&", "<", "[a]", "*a **b "])
def test_markdown_time_grows_linearly(unit):
    # A guard against pathological input, not a speed measurement (those are in benchmarks/):
    # 30x the text may take at most 200x the CPU time. Linear is 30x and quadratic 900x (a run of
    # "[" was 20,000 -> 82 s), so the bound leaves more than 6x for noise either way. CPU time, not
    # wall time, so a loaded machine does not count its waiting.
    small, big = unit * 1000, unit * 30000
    ratio = min(_cpu_seconds(big) for _ in range(2)) / max(min(_cpu_seconds(small) for _ in range(3)), 1e-4)
    assert ratio < 200, f"{unit!r}: 30x the text took {ratio:.0f}x the CPU time"


# Modules that write HTML. An f-string or %-format that puts a value between tags bypasses the
# escaping that Html does, so none may hold markup: use h(), tag() and join().
MARKUP_MODULES = sorted((Path(__file__).resolve().parents[1] / "macros").rglob("*.py"))
_TAG = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9]*[\s>/]|/[a-zA-Z])")


def _markup_fstrings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bad = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr) and any(isinstance(v, ast.FormattedValue) for v in node.values):
            literal = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
            if _TAG.search(literal.replace("<id>", "")):  # file names such as postmortems/<id>.yaml
                bad.append(f"{path.name}:{node.lineno}: {literal[:60]!r}")
    return bad


def test_no_view_builds_markup_with_an_f_string():
    bad = [x for path in MARKUP_MODULES for x in _markup_fstrings(path)]
    assert not bad, "use h()/tag()/join() so values are escaped:\n" + "\n".join(bad)


# h() formats a template whose fields are all bare {} with str.format on escaped values; it must
# give exactly what Html.format gives, for any values (markup, braces, None, numbers, Html).

def _h_values():
    from hypothesis import strategies as st

    text = st.text(alphabet=st.sampled_from(list("ab <>&\"'{}%é\n")), max_size=12)
    return st.lists(st.one_of(text, st.none(), st.integers(-5, 5), text.map(Html)), max_size=4)


def test_h_gives_what_html_format_gives() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    templates = st.sampled_from(["", "<b>{}</b>", "{} and {}", "<a href=\"{}\">{}</a> {}", "{{literal}} {}",
                                 "<p>{}</p>{}{}{}", "{0} {0}", "{:>4}", "{!r}", "{name}"])

    @settings(max_examples=300, deadline=None)
    @given(templates, _h_values())
    def check(template: str, values: list) -> None:
        try:
            expected = Html(template).format(*values, name="<n>")
        except (IndexError, KeyError, ValueError, TypeError):
            return  # a template that needs more values than drawn
        kwargs = {"name": "<n>"} if "{name}" in template else {}
        got = h(template, *values, **kwargs)
        assert type(got) is Html and str(got) == str(expected)

    check()
