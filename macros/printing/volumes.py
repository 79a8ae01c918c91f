"""Page estimates for printed documents, and splitting a long document into volumes.

WeasyPrint keeps a whole laid-out document in memory until it is written (1.4–2.3 MB a page),
so no printed document may grow without bound. Before anything is rendered, each chapter's
printed length is estimated from its HTML (text, rows, list items, headings, diagrams), with
weights measured on rendered binders (benchmarks/calibrate_pages.py). A document whose estimate
is over the cap is printed as volumes, cut between chapters.

Pages alone do not bound memory: WeasyPrint needs 2 to 3 MB to lay out a page, more for dense
pages such as call-tree sheets, and the build process that every renderer is forked from grows
with the data. So a volume is also held to the HTML that renders within the memory limit beside
the build process (``max_chars``), by the estimate the renderer schedules with (``render_mb``).
"""

from __future__ import annotations

import math
import os
import re

# --- estimating -------------------------------------------------------------------------------
_SVG = re.compile(r"<svg\b.*?</svg>", re.DOTALL)
_TABLE = re.compile(r"<table\b.*?</table>", re.DOTALL)
_PRE = re.compile(r"<pre\b[^>]*>(.*?)</pre>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|\w+);")
_SPACE = re.compile(r"\s+")
_FIG_MM = re.compile(r'<svg\b[^>]*?\sheight="([\d.]+)mm"')


def _text_len(html: str) -> int:
    text = _ENTITY.sub("x", _TAG.sub(" ", html))
    return len(_SPACE.sub(" ", text).strip())


def features(html: str) -> dict[str, float]:
    """What decides a chapter's printed length, read from its HTML."""
    fig_mm = sum(float(h) for h in _FIG_MM.findall(html))
    body = _SVG.sub("", html)
    pre_lines = sum(m[1].count("\n") + 1 for m in _PRE.finditer(body))
    tables = _TABLE.findall(body)
    table_chars = sum(_text_len(t) for t in tables)
    rest = _TABLE.sub("", _PRE.sub("", body))
    return {
        "chars": float(_text_len(rest)),
        "table_chars": float(table_chars),
        "pre_lines": float(pre_lines),
        "rows": float(body.count("<tr")),
        "items": float(body.count("<li")),
        "paras": float(len(re.findall(r"<p[\s>]", body)) + body.count("<dt")),
        "headings": float(len(re.findall(r"<h[1-6][\s>]", body))),
        "figure_mm": fig_mm,
    }


# Pages per unit of each feature: non-negative least squares over every chapter of the sample
# and the medium benchmark organization (benchmarks/calibrate_pages.py measure, then fit), set in
# the shipped faces (Atkinson Hyperlegible, IBM Plex Mono) with labels above their values.
WEIGHTS = {
    "chars": 0.000233, "table_chars": 0.000469, "pre_lines": 0.00981, "rows": 0.00320, "items": 0.0214,
    "paras": 0.0377, "headings": 0.0, "figure_mm": 0.00685,
}
PER_CHAPTER = 0.301


def height_from_features(f: dict[str, float]) -> float:
    """A chapter's printed height in pages (fractional)."""
    return PER_CHAPTER + sum(WEIGHTS[k] * v for k, v in f.items())


def chapter_pages_from_features(f: dict[str, float]) -> int:
    """Whole pages: every chapter opens a page, and its last page is counted in full."""
    return max(1, math.ceil(height_from_features(f) - 0.02))


# US Letter's text block is 7% shorter and 3% wider than A4's (print.css margins); the weights
# were measured on A4.
PAPER_FACTOR = {"a4": 1.0, "letter": 1.06}


def estimate_height(html: str) -> float:
    """A chapter's printed height in A4 pages, fractional."""
    return height_from_features(features(html))


def whole_pages(height: float, paper: str = "a4", new_page: bool = True) -> int:
    """Whole pages for a height: a chapter opens a page, and its last page counts in full."""
    height *= PAPER_FACTOR[paper]
    return max(1, math.ceil(height - 0.02)) if new_page else max(0, round(height))


TOC_ENTRIES_PER_PAGE = 40


def toc_pages(entries: int) -> int:
    return math.ceil(entries / TOC_ENTRIES_PER_PAGE) if entries else 0


# --- splitting --------------------------------------------------------------------------------
DEFAULT_MAX_PAGES = 150


def max_pages(value: int | None = None) -> int:
    """The longest printed document, in pages: the argument, $HANDBOOK_PDF_MAX_PAGES, or 150."""
    if value is None:
        env = os.environ.get("HANDBOOK_PDF_MAX_PAGES", "").strip()
        value = int(env) if env else DEFAULT_MAX_PAGES
    if value < 10:
        raise ValueError(f"a printed document needs room for at least 10 pages, not {value}")
    return value


# Volumes are planned to 95% of the cap: on the 5,000-person benchmark organization the estimate
# fell up to 4% short on A4 for a volume of drill pages (planning on US Letter covers most of it).
PLAN_FILL = 0.95


def planning_room(cap: int) -> int:
    """The pages a volume is planned to, under a cap of ``cap``."""
    return math.floor(cap * PLAN_FILL)


# --- memory -----------------------------------------------------------------------------------
# Memory of one document being rendered: about 0.7 MB per KB of its HTML. Measured as the peak
# less the start of a fresh process rendering one document of the 5,000-person benchmark
# organization (0.55–0.72 MB per KB for binders, handbook volumes and call-tree sheets of 19 to
# 130 pages; per page it varies more, 1.4–2.3 MB, as sheets are denser than drill pages).
# Each renderer is a fork of the build process and also pays for the pages of the parent it
# touches (copy-on-write) and its own start: the large org's binder step peaked at 666 MB under
# a 560 MB limit with 10 MB here, about 50 MB over per renderer running at once.
MB_PER_HTML_KB = 0.7
MB_PER_DOCUMENT = 60
# What the whole binder step may use: the build process and the documents rendering at once.
# The target is 600 MB for a 5,000-person organization; 40 MB is left for the estimates' error.
DEFAULT_MEMORY_MB = 560


def memory_limit(value: int | None = None) -> int:
    """MB the binder step may use in all: the argument, $HANDBOOK_PDF_MEMORY_MB, or 560."""
    if value is None:
        env = os.environ.get("HANDBOOK_PDF_MEMORY_MB", "").strip()
        value = int(env) if env else DEFAULT_MEMORY_MB
    if value <= 0:
        raise ValueError(f"the memory limit for rendering must be positive, not {value} MB")
    return value


def render_mb(chars: int) -> float:
    """What rendering a document of ``chars`` characters of HTML is expected to take, in MB."""
    return MB_PER_DOCUMENT + MB_PER_HTML_KB * chars / 1000


# What the build process holds while the binders render, which every renderer forks from: the
# libraries (about 70 MB) and the data, about 37 MB per MB of YAML (measured at the start of the
# binder step: 74 MB for the sample organization's 0.15 MB, 88 MB for the 500-person benchmark
# organization's 0.48 MB, 205 MB for the 5,000-person one's 3.7 MB).
BUILD_BASE_MB = 70
BUILD_MB_PER_DATA_MB = 37
# A volume is planned to need at most 90% of what the limit leaves beside the build process: a
# forked renderer has been measured at up to 35 MB over its estimate.
MEMORY_FILL = 0.9
# Under a very low limit, volumes still hold about 40 pages of prose.
MIN_VOLUME_CHARS = 100_000


# A document's HTML beyond its chapters: the cover and contents (about 6,000 characters) and a
# line of the contents for each heading listed there (measured on the 5,000-person organization's
# handbook volumes: 4,400 to 6,000 characters and 200 to 270 per heading).
FRONT_CHARS = 6_000
TOC_CHARS_PER_ENTRY = 270


_TOC_HEADING = re.compile(r"<h[12][\s>]")


def toc_entries(html: str) -> int:
    """Headings of ``html`` that a contents page of depth 2 lists."""
    return len(_TOC_HEADING.findall(html))


_BETWEEN_TAGS = re.compile(r">\s+<")
_SPACE_RUN = re.compile(r"\s{2,}")


def html_chars(html: str) -> int:
    """The size of ``html`` as the memory model counts it (measured on HTML written without
    line breaks): white space between tags does not count and a run of it elsewhere counts
    once, so a template's line breaks and indentation do not change how a document is cut."""
    return len(_SPACE_RUN.sub(" ", _BETWEEN_TAGS.sub("><", html)))


def planned_chars(html: str) -> int:
    """Characters ``html`` adds to a document: its own and its lines in the contents."""
    return html_chars(html) + TOC_CHARS_PER_ENTRY * toc_entries(html)


def build_process_mb(data_bytes: int) -> float:
    """What the build process is expected to hold while the binders render, in MB."""
    return BUILD_BASE_MB + BUILD_MB_PER_DATA_MB * data_bytes / 1e6


def max_chars(limit_mb: int | None = None, data_bytes: int = 0) -> int:
    """The most HTML one document is planned to hold, in characters, so that it renders within
    the memory limit beside a build process that holds ``data_bytes`` of YAML.

    It depends only on the data and the settings, so every build of the same data and settings
    prints the same volumes.
    """
    room = (memory_limit(limit_mb) - build_process_mb(data_bytes)) * MEMORY_FILL
    chars = (room - MB_PER_DOCUMENT) / MB_PER_HTML_KB * 1000
    return max(MIN_VOLUME_CHARS, int(chars))


def volume_pages(parts: list[tuple[int, int]], cover: int = 1) -> int:
    """Pages of a volume of (pages, contents entries) parts: its cover, its contents, the parts."""
    return cover + toc_pages(sum(n for _, n in parts)) + sum(p for p, _ in parts)


def pack(parts: list[tuple[int, int]], cap: int, cover: int = 1, sizes: list[int] | None = None,
         size_cap: float = math.inf) -> list[list[int]]:
    """Cut a sequence of parts into as few volumes as fit under ``cap`` pages, as even as possible.

    ``parts`` are (pages, contents entries) in reading order; each volume adds a cover and its
    own contents. ``sizes`` (characters of HTML per part) with ``size_cap`` also bound a volume's
    size, and so its memory. Returns the indices of the parts in each volume, in order. A part
    too big for a volume on its own gets a volume to itself: cut such parts smaller first.
    """
    if not parts:
        return []
    chars = sizes if sizes is not None else [0] * len(parts)
    steps = 10_000

    def greedy(step: int) -> list[list[int]]:
        limit, size_limit = cap * step / steps, size_cap * step / steps
        volumes: list[list[int]] = [[]]
        pages = entries = size = 0
        for i, (length, n) in enumerate(parts):
            if volumes[-1] and (cover + toc_pages(entries + n) + pages + length > limit or size + chars[i] > size_limit):
                volumes.append([])
                pages = entries = size = 0
            volumes[-1].append(i)
            pages += length
            entries += n
            size += chars[i]
        return volumes

    fewest = len(greedy(steps))
    # The smallest limits, both scaled alike, that need no more volumes than that: volumes of
    # about equal length (or size, where size decides).
    low, high = 1, steps
    while low < high:
        mid = (low + high) // 2
        if len(greedy(mid)) <= fewest:
            high = mid
        else:
            low = mid + 1
    return greedy(high)
