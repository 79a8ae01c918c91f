"""A page as a tree of sections, written out as Markdown for the site or HTML for print.

Views build sections whose bodies are ``Html`` (a body that is a plain ``str`` is escaped, so
it shows as text); titles are plain text, escaped by the writer. The site gets Markdown headings (so MkDocs' table of contents and search see them);
the binders get the same headings and bodies as HTML, so both say the same thing.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from dataclasses import dataclass, field

from preparedness_handbook.macros.render.html import Html, e, h, md_text, tag


@dataclass
class Section:
    title: str
    body: Html | str = ""
    anchor: str = ""
    children: list[Section] = field(default_factory=list)
    print_only: bool = False
    site_only: bool = False


# While a page is rendered, for print (printing/pages.py) and for the site (site/plugin.py),
# blocks are kept aside and stand in the Markdown as one word each, put back after Python-Markdown
# has run: it then converts only the prose, not every block's HTML again (for print 3x faster on a
# 500-person organization; for the site, Markdown's time on that organization fell by 85%).
STASH: ContextVar[tuple[str, list[Html]] | None] = ContextVar("hb_block_stash", default=None)


def stand_ins(nonce: str) -> re.Pattern[str]:
    """The stand-in words ``block_markdown`` writes under ``nonce``, with the paragraph
    Python-Markdown puts around a word that stands alone; group 1 is the block's index."""
    return re.compile("(?:<p>)?hbblock" + nonce + r"n(\d+)x(?:</p>)?")


def block_markdown(body: Html | str) -> str:
    # One raw-HTML block for Python-Markdown: no blank lines inside, so it is passed through whole.
    lines = Html("\n").join(Html(line) for line in e(body).splitlines() if line.strip())
    if not lines:
        return ""
    stash = STASH.get()
    if stash is not None:
        nonce, held = stash
        held.append(lines)
        return f"hbblock{nonce}n{len(held) - 1}x"
    return str(h('<div class="hb-block" markdown="0">\n{}\n</div>', lines))


def to_markdown(sections: list[Section], level: int = 1, mode: str = "site") -> str:
    """Sections as Markdown headings and HTML blocks; ``mode`` "print" keeps the print-only
    sections and leaves out the site-only ones."""
    out: list[str] = []
    for s in sections:
        if s.print_only if mode == "site" else s.site_only:
            continue
        if s.title:
            attrs = f" {{: #{s.anchor} }}" if s.anchor else ""
            out.append(f"{'#' * min(level, 6)} {md_text(s.title)}{attrs}")
        if s.body:
            out.append(block_markdown(s.body))
        if s.children:
            out.append(to_markdown(s.children, level + 1, mode))
    return "\n\n".join(x for x in out if x)


def page_markdown(sections: list[Section], mode: str = "site") -> str:
    """A page: the first section is its title (h1), the others its chapters (h2 and below)."""
    if not sections:
        return ""
    parts = (to_markdown(sections[:1], 1, mode), to_markdown(sections[1:], 2, mode))
    return "\n\n".join(x for x in parts if x)


def page_html(sections: list[Section], level: int = 1, prefix: str = "") -> str:
    """The same page as HTML for print, starting at heading ``level``."""
    if not sections:
        return ""
    return to_html(sections[:1], level, prefix) + "\n" + to_html(sections[1:], level + 1, prefix)


def to_html(sections: list[Section], level: int = 1, prefix: str = "") -> str:
    out: list[str] = []
    for s in sections:
        if s.site_only:
            continue
        anchor = f"{prefix}{s.anchor}" if s.anchor else ""
        if s.title:
            out.append(str(tag(f"h{min(level, 6)}", s.title, id=anchor or None)))
        if s.body:
            out.append(str(e(s.body)))
        if s.children:
            out.append(to_html(s.children, level + 1, prefix))
    return "\n".join(out)
