"""Page estimates for printed documents, and splitting a long document into volumes.

WeasyPrint keeps a whole laid-out document in memory until it is written (1.4–2.3 MB a page),
so no printed document may grow without bound. Before anything is rendered, each chapter's
printed length is estimated from its HTML (text, rows, list items, headings, diagrams), with
weights measured on rendered binders (benchmarks/calibrate_pages.py). A document whose estimate
is over the cap is printed as volumes, cut between chapters.
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
# and the medium benchmark organization (benchmarks/calibrate_pages.py measure, then fit).
WEIGHTS = {
    "chars": 0.000236, "table_chars": 0.000273, "pre_lines": 0.0442, "rows": 0.0171, "items": 0.0203,
    "paras": 0.0158, "headings": 0.0, "figure_mm": 0.00631,
}
PER_CHAPTER = 0.368


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


def volume_pages(parts: list[tuple[int, int]], cover: int = 1) -> int:
    """Pages of a volume of (pages, contents entries) parts: its cover, its contents, the parts."""
    return cover + toc_pages(sum(n for _, n in parts)) + sum(p for p, _ in parts)


def pack(parts: list[tuple[int, int]], cap: int, cover: int = 1) -> list[list[int]]:
    """Cut a sequence of parts into as few volumes as fit under ``cap`` pages, as even as possible.

    ``parts`` are (pages, contents entries) in reading order; each volume adds a cover and its
    own contents. Returns the indices of the parts in each volume, in order. A part too big for
    a volume on its own gets a volume to itself: cut such parts smaller first.
    """
    if not parts:
        return []

    def greedy(limit: int) -> list[list[int]]:
        volumes: list[list[int]] = [[]]
        pages = entries = 0
        for i, (size, n) in enumerate(parts):
            if volumes[-1] and cover + toc_pages(entries + n) + pages + size > limit:
                volumes.append([])
                pages = entries = 0
            volumes[-1].append(i)
            pages += size
            entries += n
        return volumes

    fewest = len(greedy(cap))
    # The smallest limit that needs no more volumes than that: volumes of about equal length.
    low, high = 1, cap
    while low < high:
        mid = (low + high) // 2
        if len(greedy(mid)) <= fewest:
            high = mid
        else:
            low = mid + 1
    return greedy(high)
