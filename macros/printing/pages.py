"""The site's pages for print: the same Markdown source, the same macros, made into sections.

A binder prints a page from the text the site shows: the organization's file or the default
(site/sources.py), with its macros run for print (links become anchors inside the document, or
plain text when the page they point to is not in it), converted by Python-Markdown with the
extensions mkdocs.yml lists, then cut at its headings into ``Section``s. Chapters, volumes, the
table of contents and the anchors work on those sections as on any other.
"""

from __future__ import annotations

import posixpath
import secrets
import xml.etree.ElementTree as ET
from collections.abc import Callable
from html.parser import HTMLParser
from urllib.parse import urlsplit

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from preparedness_handbook.macros.context import BuildContext
from preparedness_handbook.macros.render.html import Html
from preparedness_handbook.macros.render.sections import STASH, Section, stand_ins
from preparedness_handbook.macros.site.blocks import render_page
from preparedness_handbook.macros.site.pages import Linker, doc_path, key_for_source
from preparedness_handbook.macros.site.sources import defaults

# The Markdown extensions of the site (macros/site/defaults.yml), by name: the binders read the
# same page sources, so they must understand the same Markdown.
MARKDOWN_EXTENSIONS = [next(iter(x)) if isinstance(x, dict) else x for x in defaults()["markdown_extensions"]]
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}


class _PrintLinks(Treeprocessor):
    """Links to other pages (``severity.md#level-sev1``) become anchors in the document."""

    def __init__(self, md: markdown.Markdown, link: Linker, key: str) -> None:
        super().__init__(md)
        self.link, self.key = link, key

    def run(self, root: ET.Element) -> None:
        here = doc_path(self.key)
        for a in root.iter("a"):
            href = a.get("href") or ""
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith(("/", "mailto:", "tel:")):
                continue
            if parts.path:
                target = posixpath.normpath(posixpath.join(posixpath.dirname(here), parts.path))
                target = target + "index.md" if target.endswith("/") else target
                if not target.endswith(".md"):
                    target = posixpath.join(target, "index.md")
                key = key_for_source(target)
            else:
                key = self.key
            new = self.link.href(key, parts.fragment) if key else None
            if new is None:
                a.tag = "span"
                a.attrib.pop("href", None)
            else:
                a.set("href", new)


class _PrintLinksExtension(Extension):
    def __init__(self, link: Linker, key: str) -> None:
        super().__init__()
        self.link, self.key = link, key

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's name)
        md.treeprocessors.register(_PrintLinks(md, self.link, self.key), "hb_print_links", 1)


def _converted(ctx: BuildContext, key: str, link: Linker) -> tuple[str, Callable[[str], str]]:
    """The page's prose converted by Python-Markdown with each block still a stand-in word, and
    the function that puts the blocks back (render/sections.STASH)."""
    nonce = secrets.token_hex(6)
    held: list[Html] = []
    token = STASH.set((nonce, held))
    try:
        text = render_page(ctx, key, link)
    finally:
        STASH.reset(token)
    html = markdown.markdown(text, extensions=[*MARKDOWN_EXTENSIONS, _PrintLinksExtension(link, key)],
                             output_format="html")
    pattern = stand_ins(nonce)  # a regular expression, not markup

    def restore(part: str) -> str:
        return pattern.sub(lambda m: held[int(m.group(1))], part)

    return html, restore


class _Headings(HTMLParser):
    """Where the top-level headings are: (start, end of start tag, start of end tag, end, level, id)."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self.starts = [0]
        for line in text.splitlines(keepends=True):
            self.starts.append(self.starts[-1] + len(line))
        self.depth = 0
        self.found: list[tuple[int, int, int, int, int, str]] = []
        self._open: tuple[int, int, int, str] | None = None

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.starts[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth == 0 and len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            start = self._offset()
            self._open = (start, start + len(self.get_starttag_text() or ""), int(tag[1]), dict(attrs).get("id") or "")
        if tag not in _VOID:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        self.depth -= 1
        if self.depth == 0 and self._open and tag == f"h{self._open[2]}":
            start, inner, level, ident = self._open
            end_tag = self._offset()
            self.found.append((start, inner, end_tag, end_tag + len(f"</{tag}>"), level, ident))
            self._open = None


def split_sections(text: str, restore: Callable[[str], str] = str) -> list[Section]:
    """HTML cut at its top-level headings into sections, as ``page_markdown`` writes a page: the
    h1 first, the h2s after it as its siblings, deeper headings as their children. ``restore``
    is applied to each body (it puts the blocks back)."""
    parser = _Headings(text)
    parser.feed(text)
    parser.close()
    found = parser.found
    out: list[Section] = []
    stack: list[tuple[int, Section]] = []
    lead = text[: found[0][0]] if found else text
    if lead.strip():
        out.append(Section("", Html(restore(lead.strip()))))
    for n, (_start, inner, end_tag, end, level, ident) in enumerate(found):
        body_end = found[n + 1][0] if n + 1 < len(found) else len(text)
        section = Section(Html(text[inner:end_tag]), Html(restore(text[end:body_end].strip())), ident)  # type: ignore[arg-type]
        rank = max(level, 2)
        while stack and stack[-1][0] >= rank:
            stack.pop()
        (stack[-1][1].children if stack else out).append(section)
        if level > 1:
            stack.append((rank, section))
    return out


def page_sections(ctx: BuildContext, key: str, link: Linker) -> list[Section]:
    """Page ``key`` as the binders print it: its source, macros run for print, as sections."""
    html, restore = _converted(ctx, key, link)
    return split_sections(html, restore)
