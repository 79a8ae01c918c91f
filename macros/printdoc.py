"""Printed documents put together from the views' sections: cover, contents, chapters.

A chapter is one page of the site (its sections, as the site has them) with every id prefixed by
the page key, so ``Linker(mode="print")`` links such as ``#roles--role-incident-manager`` land in
the same document. Links whose target is not in the document become plain text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources

from .context import BuildContext
from .html import e
from .pages import print_anchor
from .qr import live_url, qr_svg
from .sections import Section, page_html
from .views.common import date
from .volumes import (
    FRONT_CHARS,
    TOC_CHARS_PER_ENTRY,
    estimate_height,
    toc_entries,
    toc_pages,
    whole_pages,
)

PAPER = {"a4": "A4", "letter": "letter"}

_ID = re.compile(r'(\s)id="([^"]*)"')
_BARE_HEADING = re.compile(r"<h([1-6])>")
_HEADING = re.compile(r'<h([1-6]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.DOTALL)
_LINK = re.compile(r'<a href="#([^"]*)"([^>]*)>(.*?)</a>', re.DOTALL)
_FIGURE = re.compile(r'<div class="hb-figure"[^>]*>\s*(<svg\b[^>]*>.*?</svg>)\s*</div>', re.DOTALL)
_SVG_SIZE = re.compile(r'\swidth="[\d.]+" height="[\d.]+"(?: style="[^"]*")?')

# Diagrams get a size in millimetres that fits the text block of both A4 and Letter: WeasyPrint
# does not keep an inline SVG's aspect ratio when "height: auto" meets "max-width".
FIGURE_MAX_MM = (172.0, 215.0)
FIGURE_MIN_SCALE = 0.6  # below this the diagram's 13px text would print under 6pt
PX_MM = 25.4 / 96


def stylesheet(paper: str = "a4") -> str:
    """The print stylesheet with the page size for this paper."""
    if paper not in PAPER:
        raise ValueError(f"unknown paper {paper!r}: use one of {', '.join(PAPER)}")
    css = resources.files("macros").joinpath("templates/print.css").read_text(encoding="utf-8")
    return f"@page {{ size: {PAPER[paper]}; }}\n" + css


@dataclass
class Chapter:
    """One page of the site in a printed document."""

    key: str                       # page key: "severity", "department:sales"
    sections: list[Section]
    level: int = 1                 # heading level of the page's title
    cls: str = ""
    new_page: bool = True
    part: int = 0                  # 1, 2, … when a chapter too long for one volume is cut in parts

    def html(self) -> str:
        return self._html

    @cached_property
    def _html(self) -> str:
        base = print_anchor(self.key)
        body = _fit_figures(page_html(self.sections, self.level))
        body = _ID.sub(lambda m: f'{m[1]}id="{base}--{m[2]}"', body)
        classes = " ".join(x for x in ("hb-chapter", f"hb-chapter--l{self.level}", "" if self.new_page else "hb-chapter--run-on", self.cls) if x)
        ident = base if self.part <= 1 else f"{base}--part-{self.part}"
        return f'<section class="{classes}" id="{ident}">\n{body}\n</section>'

    @cached_property
    def height(self) -> float:
        """Estimated printed height in A4 pages, fractional (macros/volumes.py)."""
        return estimate_height(self.html())

    def pages(self, paper: str = "a4") -> int:
        """Estimated whole printed pages."""
        return whole_pages(self.height, paper, self.new_page)

    @cached_property
    def toc_entries(self) -> int:
        """Headings this chapter adds to a contents page of depth 2."""
        return toc_entries(self.html())

    @property
    def chars(self) -> int:
        """Characters of HTML it adds to a document: its own and its lines in the contents."""
        return len(self.html()) + TOC_CHARS_PER_ENTRY * self.toc_entries


@dataclass
class Document:
    """A printed document: its title for the running header, what it is, and its chapters."""

    title: str                     # big on the cover: "Customer Service"
    subtitle: str                  # under it: "Incident binder"
    page_key: str                  # the live page the QR code points to
    chapters: list[Chapter] = field(default_factory=list)
    running: str = ""              # running header and PDF title: "Customer Service binder"
    toc_depth: int = 2
    cover: bool = True
    body_class: str = ""
    extra_html: str = ""           # appended after the chapters (forms, sheets)
    cover_note: str = ""           # safe HTML under the cover facts
    volume: str = ""               # "Volume 2 of 7", big on the cover, when a document is split
    volume_note: str = ""          # safe HTML on the cover: what this volume holds
    toc_note: str = ""             # safe HTML atop the contents: the other volumes, what is printed elsewhere
    elsewhere: dict[str, str] = field(default_factory=dict)  # anchor of a chapter not in here → "volume 3"

    def pages(self, paper: str = "a4") -> int:
        """Estimated printed pages: cover, contents, chapters (macros/volumes.py)."""
        front = (1 + toc_pages(sum(ch.toc_entries for ch in self.chapters))) if self.cover else 0
        return front + sum(ch.pages(paper) for ch in self.chapters)

    @property
    def chars(self) -> int:
        """Estimated characters of its HTML, which decide the memory to render it (macros/volumes.py)."""
        body = sum(ch.chars for ch in self.chapters) + len(self.extra_html)
        return body + (FRONT_CHARS if self.cover else 0)


def meta_line(ctx: BuildContext) -> str:
    """Version, as-of and review-by, for the page footer."""
    return f"Version {ctx.version} · as of {date(ctx.today)} · review by {date(ctx.review_by)}"


def cover_html(ctx: BuildContext, doc: Document) -> str:
    org = ctx.hb.organization
    url = live_url(ctx, doc.page_key)
    qr = ""
    if url:
        qr = (f'<div class="hb-cover-qr"><div class="hb-qr">{qr_svg(url, "Live version of this binder")}</div>'
              f'<p>The live version, always current:<br><span class="hb-url">{e(url)}</span></p></div>')
    edition = "Public edition: phone numbers of people are left out." if ctx.public else "Internal edition: holds private phone numbers. Keep it safe."
    facts = [
        ("Version", e(ctx.version)),
        ("As of", e(date(ctx.today))),
        ("Review by", f"<strong>{e(date(ctx.review_by))}</strong>. Replace this copy by then."),
        ("Built", e(ctx.built.strftime("%-d %b %Y %H:%M %Z").strip())),
    ]
    rows = "".join(f"<dt>{e(k)}</dt><dd>{v}</dd>" for k, v in facts)
    return (
        '<section class="hb-cover">'
        f'<p class="hb-cover-org hb-run-org">{e(org.name)}</p>'
        + (f'<p class="hb-cover-kicker">{e(org.handbook_title)}</p>' if doc.title != org.handbook_title else "")
        + f'<h1 class="hb-cover-title">{e(doc.title)}</h1>'
        f'<p class="hb-cover-sub">{e(doc.subtitle)}</p>'
        + (f'<p class="hb-cover-volume">{e(doc.volume)}</p>{doc.volume_note}' if doc.volume else "")
        + f'<p class="hb-run-title hb-hidden">{e(doc.running or doc.title)}</p>'
        f'<p class="hb-run-meta hb-hidden">{e(meta_line(ctx))}</p>'
        f'{doc.cover_note}'
        f'<dl class="hb-cover-facts">{rows}</dl>'
        f"{qr}"
        f'<p class="hb-cover-edition">{e(edition)}</p>'
        "</section>"
    )


def running_strings(ctx: BuildContext, title: str) -> str:
    """Header and footer texts for documents without a cover (sheets, forms, cards)."""
    return (f'<div class="hb-run hb-hidden"><span class="hb-run-org">{e(ctx.hb.organization.name)}</span>'
            f'<span class="hb-run-title">{e(title)}</span><span class="hb-run-meta">{e(meta_line(ctx))}</span></div>')


def fit_diagram(svg: str) -> str | None:
    """The SVG sized in mm to fit a page, or None when it would print too small to read."""
    box = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg)
    if not box:
        return svg
    w, h = float(box[1]) * PX_MM, float(box[2]) * PX_MM
    scale = min(1.0, FIGURE_MAX_MM[0] / w, FIGURE_MAX_MM[1] / h)
    if scale < FIGURE_MIN_SCALE:
        return None
    return _SVG_SIZE.sub(f' width="{w * scale:.1f}mm" height="{h * scale:.1f}mm"', svg, count=1)


def _fit_figures(body: str) -> str:
    def one(m: re.Match) -> str:
        svg = fit_diagram(m[1])
        if svg is None:
            return '<p class="hb-muted hb-figure-note">This diagram is too big for a printed page; the list below says the same.</p>'
        return f'<div class="hb-figure">{svg}</div>'

    return _FIGURE.sub(one, body)


def _number_headings(body: str) -> str:
    counter = iter(range(1, 1_000_000))
    return _BARE_HEADING.sub(lambda m: f'<h{m[1]} id="h-{next(counter)}">', body)


def _prune_links(body: str, elsewhere: dict[str, str] | None = None) -> str:
    """In-document links to anchors that are not in this document become plain text.

    ``elsewhere`` maps a chapter's anchor to where it is printed instead ("volume 3",
    "sales.pdf"); a link into such a chapter becomes its text and "(in volume 3)".
    """
    ids = set(re.findall(r'\sid="([^"]*)"', body))
    elsewhere = elsewhere or {}

    def one(m: re.Match) -> str:
        if m[1] in ids:
            return m[0]
        where = elsewhere.get(m[1]) or elsewhere.get(m[1].split("--", 1)[0])
        return f'{m[3]} <span class="hb-where">(in {e(where)})</span>' if where else m[3]

    return _LINK.sub(one, body)


def toc_html(body: str, depth: int, note: str = "") -> str:
    entries = []
    for m in _HEADING.finditer(body):
        level, ident, title = int(m[1]), m[2], m[3]
        if level > depth or "hb-cover-title" in m[0]:
            continue
        entries.append((level, ident, re.sub(r"<[^>]+>", "", title)))
    if not entries:
        return ""
    items = []
    for n, (level, ident, text) in enumerate(entries):
        # A chapter's line stays on the page of its first section's line; a run of chapter lines
        # with no sections under them (call-tree sheets) may break anywhere.
        keep = n + 1 < len(entries) and entries[n + 1][0] > level
        cls = f"hb-toc-l{level}" + (" hb-toc-keep" if keep else "")
        items.append(f'<li class="{cls}"><a href="#{e(ident)}">{text}</a></li>')
    return f'<nav class="hb-toc"><h1 id="contents">Contents</h1>{note}<ul>{"".join(items)}</ul></nav>'


def document_html(ctx: BuildContext, doc: Document) -> str:
    """The whole printed document as one HTML string (no external resources)."""
    body = "\n".join(ch.html() for ch in doc.chapters) + doc.extra_html
    body = _number_headings(body)
    toc = toc_html(body, doc.toc_depth, doc.toc_note) if doc.cover and doc.toc_depth else ""
    front = cover_html(ctx, doc) + toc if doc.cover else running_strings(ctx, doc.title)
    full = _prune_links(front + body, doc.elsewhere)
    org = ctx.hb.organization
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{e(doc.running or doc.title)} — {e(org.name)}</title>"
        f'<meta name="author" content="{e(org.name)}">'
        f'<meta name="description" content="{e(doc.subtitle)}. {e(meta_line(ctx))}">'
        f'<meta name="dcterms.created" content="{e(ctx.built.isoformat())}">'
        f'</head><body class="{e(doc.body_class)}">\n{full}\n</body></html>'
    )
