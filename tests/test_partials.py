"""The pieces that put prose in pages and partials: words, partials, the page table, imports."""

from __future__ import annotations

from pathlib import Path

import pytest

from preparedness_handbook.macros.render import words
from preparedness_handbook.macros.render.html import Html, h
from preparedness_handbook.macros.render.partials import DEFAULTS, environment
from preparedness_handbook.macros.render.sections import Section, page_markdown
from preparedness_handbook.macros.site.pages import ITEM_PAGES, PAGES, key_for_source
from tests.conftest import REPO

MACROS = REPO / "macros"


# --- words ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("one", "many"), [
    ("level", "levels"), ("priority", "priorities"), ("call tree", "call trees"), ("day", "days"),
    ("phone tree", "phone trees"), ("crisis", "crises"), ("staff", "staff"), ("box", "boxes"),
    ("post-incident review", "post-incident reviews"), ("Person", "People"),
])
def test_plural_follows_english_spelling(one: str, many: str) -> None:
    assert words.plural(2, one) == many
    assert words.plural(1, one) == one
    assert words.plural(0, one) == many


def test_the_organizations_plurals_win() -> None:
    assert words.plural(3, "SEV", plurals={"SEV": "SEVs"}) == "SEVs"
    assert words.plural(3, "runbook", "runbooks of record") == "runbooks of record"


def test_counts_in_words_and_figures() -> None:
    assert words.count_words(4, "level") == "four levels"
    assert words.count_words(1, "drill") == "one drill"
    assert words.count_words(0, "partner") == "no partners"
    assert words.count_words(12, "level") == "12 levels"
    assert words.count(1, "page") == "1 page"
    assert words.capfirst("incident manager") == "Incident manager"
    assert words.capfirst("SEV") == "SEV"


def test_lists_read_aloud_escape_their_items() -> None:
    assert words.and_list(["a", "b", "c"]) == "a, b and c"
    assert words.or_list(["a", "<b>"]) == "a or &lt;b&gt;"
    assert words.and_list([h("<i>{}</i>", "x")]) == "<i>x</i>"
    assert words.and_list([], "nobody") == "nobody"


# --- partials ------------------------------------------------------------------------------

def _partials() -> list[Path]:
    return sorted(p for p in DEFAULTS.rglob("*.html"))


def test_every_shipped_partial_compiles() -> None:
    env = environment(None)
    assert _partials(), "no partials shipped"
    for path in _partials():
        env.get_template(path.relative_to(DEFAULTS).as_posix())


def test_no_shipped_partial_turns_escaping_off() -> None:
    for path in _partials():
        text = path.read_text(encoding="utf-8")
        for banned in ("|safe", "| safe", "autoescape false", "autoescape=False", "Markup("):
            assert banned not in text, f"{path.relative_to(REPO)} uses {banned}"


def test_a_partial_escapes_every_value_and_keeps_html_built_by_escaping() -> None:
    env = environment(None)
    tpl = env.from_string("<p>{{ a }} {{ b }} {{ [a, b]|join(' / ') }}</p>")
    out = tpl.render(a="<script>{{ 7*7 }}</script>", b=h("<strong>{}</strong>", "R&D"))
    assert out == ("<p>&lt;script&gt;&#123;&#123; 7*7 &#125;&#125;&lt;/script&gt; <strong>R&amp;D</strong> "
                   "&lt;script&gt;&#123;&#123; 7*7 &#125;&#125;&lt;/script&gt; / <strong>R&amp;D</strong></p>")


def test_an_override_folder_comes_before_the_defaults(tmp_path: Path) -> None:
    (tmp_path / "severity").mkdir()
    (tmp_path / "severity" / "matrix.html").write_text("ours: {{ x }}", encoding="utf-8")
    env = environment(str(tmp_path))
    assert env.get_template("severity/matrix.html").render(x="<i>") == "ours: &lt;i&gt;"
    env.get_template("severity/level.html")  # not overridden: the default


# --- pages ---------------------------------------------------------------------------------

def test_the_page_table_and_docs_agree() -> None:
    sources = {p.source for p in PAGES}
    written = {p.relative_to(REPO / "docs").as_posix() for p in (REPO / "docs").rglob("*.md")}
    assert sources == written
    for p in PAGES:
        assert key_for_source(p.source) == p.key
        assert (MACROS / "views" / f"{p.view}.py").is_file()
    for i in ITEM_PAGES:
        assert key_for_source(f"{i.folder}/some-id.md") == f"{i.kind}:some-id"


def test_print_uses_the_markdown_extensions_the_site_is_built_with() -> None:
    """The binders run Python-Markdown with the extensions MkDocs runs for the site: those of
    the MkDocs configuration the handbook plugin completes from mkdocs.yml."""
    from mkdocs.config import load_config

    from preparedness_handbook.macros.printing.pages import MARKDOWN_EXTENSIONS
    from preparedness_handbook.macros.site.plugin import _apply_defaults

    cfg = load_config(config_file=str(REPO / "mkdocs.yml"))
    _apply_defaults(cfg)
    site = [name for name in cfg.markdown_extensions if name not in ("fenced_code",)]  # MkDocs' own
    assert sorted(site) == sorted(MARKDOWN_EXTENSIONS)
    assert cfg.mdx_configs["toc"] == {"permalink": True}


def test_a_page_cut_at_its_headings_gives_back_its_sections() -> None:
    import markdown

    from preparedness_handbook.macros.printing.pages import MARKDOWN_EXTENSIONS, split_sections

    page = [
        Section("Title & more", Html("<p>Intro</p>")),
        Section("First", Html("<p>One</p>"), "first", [Section("Deep", Html("<p>Two</p>"), "deep")]),
        Section("Second", Html("<div><h2>not a heading of the page</h2></div>"), "second"),
    ]
    out = split_sections(markdown.markdown(page_markdown(page), extensions=MARKDOWN_EXTENSIONS))
    assert [(str(s.title), s.anchor) for s in out] == [("Title &amp; more", "title-more"), ("First", "first"),
                                                       ("Second", "second")]
    assert [(str(c.title), c.anchor) for c in out[1].children] == [("Deep", "deep")]
    assert "not a heading of the page" in out[2].body
    assert "One" in out[1].body and "Two" not in out[1].body
