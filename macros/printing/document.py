"""Printed documents put together from the views' sections: cover, contents, chapters.

A chapter is one page of the site (its sections, as the site has them) with every id prefixed by
the page key, so ``Linker(mode="print")`` links such as ``#roles--role-incident-manager`` land in
the same document. Links whose target is not in the document become plain text.

Every word a reader sees is in a Jinja partial under macros/partials/printing/ (short texts in
``_phrases.html``, asked for with ``phrase()``), and every printed document has the one head of
``printing/page.html`` (``printed_page()``). Every fragment is ``Html``, from a partial or built
with ``h()``/``join()``/``tag()``, so values from the data are escaped by construction. The passes over a finished body (ids, headings, links, diagrams) work
on that trusted HTML with regular expressions; their replacements are ``Html`` too (``_sub``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from preparedness_handbook.macros.context import BuildContext
from preparedness_handbook.macros.printing.volumes import (
    FRONT_CHARS,
    TOC_CHARS_PER_ENTRY,
    estimate_height,
    html_chars,
    toc_entries,
    toc_pages,
    whole_pages,
)
from preparedness_handbook.macros.render.html import EMPTY, Html, h, join
from preparedness_handbook.macros.render.partials import partial
from preparedness_handbook.macros.render.qr import live_url, qr_svg
from preparedness_handbook.macros.render.sections import Section, page_html
from preparedness_handbook.macros.site.pages import print_anchor
from preparedness_handbook.macros.views.common import date

PAPER = {"a4": "A4", "letter": "letter"}
PAPER_MM = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}
CARD_MM = (85.6, 54.0)   # the wallet card: ISO/IEC 7810 ID-1, a bank card's size
SHEET_GRID = (2, 4)      # cards across and down a print sheet: fits A4 and Letter with margins a printer keeps

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


def _sub(pattern: re.Pattern[str], repl: Callable[[re.Match[str]], Html], body: Html | str, count: int = 0) -> Html:
    """``pattern.sub`` over trusted HTML whose every replacement is ``Html`` (checked)."""

    def one(m: re.Match[str]) -> str:
        out = repl(m)
        if not isinstance(out, Html):
            raise TypeError(f"a replacement in printed HTML must be Html, not {type(out).__name__}")
        return str(out)

    return Html(pattern.sub(one, str(body), count=count))


def phrase(ctx: BuildContext, which: str, **values: Any) -> str:
    """One of the printed documents' short texts (a title, a running head, what a file is for),
    as plain text: the macro ``which`` of partials/printing/_phrases.html with ``values``."""
    return partial(ctx, "printing/phrase.html", which=which, values=values).unescape()


def printed_page(ctx: BuildContext, title: str, body: Html, body_class: str = "", description: str = "") -> Html:
    """A printed document's whole HTML: the one head every printed document has (title, author,
    created, description; printing/page.html) and ``body``."""
    return partial(ctx, "printing/page.html", title=title, body=body, body_class=body_class, description=description)


def figure_note(ctx: BuildContext) -> Html:
    """What a chapter prints instead of a diagram too big for a page."""
    return partial(ctx, "printing/figure_too_big.html")


# The faces every PDF is set in, shipped as Python packages so that a page breaks in the same
# place on every machine, whatever fonts it has: Atkinson Hyperlegible (made by the Braille
# Institute for low-vision readers; SIL OFL) for text, IBM Plex Mono (SIL OFL) for codes and
# numbers set apart, and for the few signs the first lacks (↳). The system's fonts come last,
# for letters neither has.
FONTS = {
    "Atkinson Hyperlegible": ("fontpkg_atkinson_hyperlegible", "AtkinsonHyperlegible"),
    "IBM Plex Mono": ("fontpkg_ibm_plex_mono", "IBMPlexMono"),
}
_FACES = (("Regular", "normal", "normal"), ("Bold", "bold", "normal"), ("Italic", "normal", "italic"),
          ("BoldItalic", "bold", "italic"))


def font_folders() -> tuple[Path, ...]:
    """Where the shipped faces are (WeasyPrint may read them: binders.fetch_roots)."""
    return tuple(Path(str(resources.files(package).joinpath("files"))) for package, _ in FONTS.values())


def fonts_css() -> str:
    """@font-face rules for the shipped faces, by file URL."""
    rules = []
    for family, (package, stem) in FONTS.items():
        folder = Path(str(resources.files(package).joinpath("files")))
        for style, weight, slant in _FACES:
            path = folder / f"{stem}-{style}.ttf"
            rules.append(f'@font-face {{ font-family: "{family}"; src: url("{path.resolve().as_uri()}"); '
                         f"font-weight: {weight}; font-style: {slant}; }}")
    return "\n".join(rules) + "\n"


def stylesheet(paper: str = "a4") -> str:
    """The print stylesheet with the shipped fonts and the page size for this paper."""
    if paper not in PAPER:
        raise ValueError(f"unknown paper {paper!r}: use one of {', '.join(PAPER)}")
    css = resources.files("preparedness_handbook.macros.printing").joinpath("style/print.css").read_text(encoding="utf-8")
    width, height = PAPER_MM[paper]
    cols, rows = SHEET_GRID
    sheet = (f"@page cardsheet {{ size: {PAPER[paper]}; margin: {(height - rows * CARD_MM[1]) / 2:.2f}mm "
             f"{(width - cols * CARD_MM[0]) / 2:.2f}mm; }}\n")
    return fonts_css() + f"@page {{ size: {PAPER[paper]}; }}\n" + css + sheet


@dataclass
class Chapter:
    """One page of the site in a printed document."""

    key: str                       # page key: "severity", "department:sales"
    sections: list[Section]
    level: int = 1                 # heading level of the page's title
    cls: str = ""
    new_page: bool = True
    part: int = 0                  # 1, 2, … when a chapter too long for one volume is cut in parts
    figure_note: Html = EMPTY      # instead of a diagram too big for a page (figure_note(ctx))

    def html(self) -> Html:
        return self._html

    @cached_property
    def _html(self) -> Html:
        base = print_anchor(self.key)
        # page_html escapes titles and takes bodies as Html (macros/render/sections.py): trusted HTML.
        body = _fit_figures(Html(page_html(self.sections, self.level)), self.figure_note)
        # Group 2 is an id as it stands in that HTML, already escaped.
        body = _sub(_ID, lambda m: h('{}id="{}--{}"', Html(m[1]), base, Html(m[2])), body)
        classes = " ".join(x for x in ("hb-chapter", f"hb-chapter--l{self.level}", "" if self.new_page else "hb-chapter--run-on", self.cls) if x)
        ident = base if self.part <= 1 else f"{base}--part-{self.part}"
        return h('<section class="{}" id="{}">\n{}\n</section>', classes, ident, body)

    @cached_property
    def height(self) -> float:
        """Estimated printed height in A4 pages, fractional (macros/printing/volumes.py)."""
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
        return html_chars(self.html()) + TOC_CHARS_PER_ENTRY * self.toc_entries


@dataclass
class Document:
    """A printed document: its title for the running header, what it is, and its chapters."""

    title: str                     # big on the cover: "Customer Service"
    subtitle: str                  # under it: "Incident binder"
    # (these texts, running and volume are plain text, from phrase(): printed escaped)
    page_key: str                  # the live page the QR code points to
    chapters: list[Chapter] = field(default_factory=list)
    running: str = ""              # running header and PDF title: "Customer Service binder"
    toc_depth: int = 2
    cover: bool = True
    body_class: str = ""
    extra_html: Html = EMPTY       # appended after the chapters (forms, sheets)
    cover_note: Html = EMPTY       # under the cover facts
    volume: str = ""               # "Volume 2 of 7", big on the cover, when a document is split
    volume_note: Html = EMPTY      # on the cover: what this volume holds
    toc_note: Html = EMPTY         # atop the contents: the other volumes, what is printed elsewhere
    # (the three notes and extra_html are escaped unless they are Html)
    elsewhere: dict[str, str] = field(default_factory=dict)  # anchor of a chapter not in here → "in volume 3"

    def pages(self, paper: str = "a4") -> int:
        """Estimated printed pages: cover, contents, chapters (macros/printing/volumes.py)."""
        front = (1 + toc_pages(sum(ch.toc_entries for ch in self.chapters))) if self.cover else 0
        return front + sum(ch.pages(paper) for ch in self.chapters)

    @property
    def chars(self) -> int:
        """Estimated characters of its HTML, which decide the memory to render it (macros/printing/volumes.py)."""
        body = sum(ch.chars for ch in self.chapters) + html_chars(self.extra_html)
        return body + (FRONT_CHARS if self.cover else 0)


def meta_line(ctx: BuildContext) -> str:
    """Version, as-of and review-by, for the page footer."""
    return phrase(ctx, "meta", version=ctx.version, today=date(ctx.today), review_by=date(ctx.review_by))


def cover_html(ctx: BuildContext, doc: Document) -> Html:
    # An internal binder of a --protect build points to the protected edition, which has its
    # numbers; the live public page would not.
    protected = bool(ctx.protected and not ctx.public and ctx.protected_url)
    url = ctx.protected_url if protected else live_url(ctx, doc.page_key)
    label = phrase(ctx, "protected_version" if protected else "live_version")
    return partial(
        ctx, "printing/cover.html", doc=doc, meta=meta_line(ctx), today=date(ctx.today), review_by=date(ctx.review_by),
        built=ctx.built.strftime("%-d %b %Y %H:%M %Z").strip(),
        url=url or "", qr=qr_svg(url, label) if url else EMPTY, protected=protected,
    )


def running_strings(ctx: BuildContext, title: str) -> Html:
    """Header and footer texts for documents without a cover (sheets, forms, cards)."""
    return partial(ctx, "printing/running.html", title=title, meta=meta_line(ctx))


def fit_diagram(svg: Html) -> Html | None:
    """The SVG sized in mm to fit a page, or None when it would print too small to read."""
    svg = Html(svg)  # a diagram of macros/render/svg.py, found in trusted HTML
    box = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg)
    if not box:
        return svg
    width_mm, height_mm = float(box[1]) * PX_MM, float(box[2]) * PX_MM
    scale = min(1.0, FIGURE_MAX_MM[0] / width_mm, FIGURE_MAX_MM[1] / height_mm)
    if scale < FIGURE_MIN_SCALE:
        return None
    size = h(' width="{:.1f}mm" height="{:.1f}mm"', width_mm * scale, height_mm * scale)
    return _sub(_SVG_SIZE, lambda m: size, svg, count=1)


def _fit_figures(body: Html, too_big: Html = EMPTY) -> Html:
    def one(m: re.Match[str]) -> Html:
        svg = fit_diagram(Html(m[1]))
        return too_big if svg is None else h('<div class="hb-figure">{}</div>', svg)

    return _sub(_FIGURE, one, body)


def _number_headings(body: Html) -> Html:
    counter = iter(range(1, 1_000_000))
    return _sub(_BARE_HEADING, lambda m: h('<h{} id="h-{}">', int(m[1]), next(counter)), body)


def _prune_links(body: Html, elsewhere: dict[str, str] | None = None) -> Html:
    """In-document links to anchors that are not in this document become plain text.

    ``elsewhere`` maps a chapter's anchor to where it is printed instead, in words ("in volume
    3"); a link into such a chapter becomes its text and "(in volume 3)".
    """
    ids = set(re.findall(r'\sid="([^"]*)"', body))
    elsewhere = elsewhere or {}

    def one(m: re.Match[str]) -> Html:
        # The whole link and its text are slices of the trusted body.
        if m[1] in ids:
            return Html(m[0])
        where = elsewhere.get(m[1]) or elsewhere.get(m[1].split("--", 1)[0])
        return h('{} <span class="hb-where">({})</span>', Html(m[3]), where) if where else Html(m[3])

    return _sub(_LINK, one, body)


def toc_html(ctx: BuildContext, body: Html | str, depth: int, note: Html = EMPTY) -> Html:
    """The contents of a finished body (trusted HTML); ``note`` is escaped unless ``Html``."""
    entries = []
    for m in _HEADING.finditer(str(body)):
        level, ident, title = int(m[1]), m[2], m[3]
        if level > depth or "hb-cover-title" in m[0]:
            continue
        # The id and the heading's text without its tags, as they stand in the body: escaped.
        entries.append(SimpleNamespace(level=level, ident=Html(ident), text=Html(re.sub(r"<[^>]+>", "", title))))
    if not entries:
        return EMPTY
    for x, after in zip(entries, entries[1:], strict=False):
        # A chapter's line stays on the page of its first section's line; a run of chapter lines
        # with no sections under them (call-tree sheets) may break anywhere.
        x.keep = after.level > x.level
    entries[-1].keep = False
    return partial(ctx, "printing/toc.html", note=note, entries=entries)


def document_html(ctx: BuildContext, doc: Document) -> Html:
    """The whole printed document as one HTML string (no external resources)."""
    body = join((ch.html() for ch in doc.chapters), "\n") + doc.extra_html
    body = _number_headings(body)
    toc = toc_html(ctx, body, doc.toc_depth, doc.toc_note) if doc.cover and doc.toc_depth else EMPTY
    front = cover_html(ctx, doc) + toc if doc.cover else running_strings(ctx, doc.title)
    full = _prune_links(front + body, doc.elsewhere)
    return printed_page(ctx, doc.running or doc.title, full, doc.body_class,
                        phrase(ctx, "description", subtitle=doc.subtitle, meta=meta_line(ctx)))
