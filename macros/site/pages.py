"""Where each page lives, and links between pages that work on the site and inside a binder."""

from __future__ import annotations

import functools
import posixpath
from dataclasses import dataclass, field
from typing import Any

from preparedness_handbook.macros.render.html import Html, h


@dataclass(frozen=True)
class Page:
    """One page of the handbook: the table the navigation, the view registry and the print plan
    are read from.

    ``title`` is the navigation title; ``{incident_manager}`` and the other terms in it are the
    organization's words (capitalized). ``view`` is the module under macros/views that holds the
    page's blocks. ``printed`` says the whole handbook prints the page, in this table's order;
    ``items`` names the pages made once per data item that print (and show in the navigation)
    right after it.
    """

    key: str
    source: str
    title: str
    view: str
    printed: bool = False
    items: str = ""


@dataclass(frozen=True)
class ItemPage:
    """A page made once per data item: ``folder/<id>.md``, rendered by ``view``'s item view."""

    kind: str
    folder: str
    view: str


PAGES: tuple[Page, ...] = (
    Page("home", "index.md", "Home", "home", printed=True),
    Page("roles", "roles.md", "{incident_manager} and roles", "roles", printed=True),
    Page("severity", "severity.md", "{levels}", "severity", printed=True),
    Page("escalation", "escalation.md", "Escalation", "escalation", printed=True),
    Page("communications", "communications.md", "Communications", "communications", printed=True),
    Page("partners", "partners.md", "Partners", "partners", printed=True),
    Page("departments", "departments/index.md", "Departments", "departments", printed=True, items="department"),
    Page("drills", "drills/index.md", "{drills}", "drills", printed=True, items="drill"),
    Page("rca", "rca/index.md", "Root cause analysis", "rca", printed=True, items="postmortem"),
    Page("forms", "forms/index.md", "Forms and signs", "forms", printed=True, items="form"),
    Page("readiness", "readiness.md", "Readiness", "readiness"),
    Page("printed", "printed.md", "Printed binders", "printed"),
    Page("protected", "protected-edition.md", "Protected edition", "protected"),
    Page("contributing", "contributing.md", "Contributing", "contributing"),
    Page("reference", "reference.md", "Data reference", "reference"),
)
ITEM_PAGES: tuple[ItemPage, ...] = (
    ItemPage("department", "departments", "departments"),
    ItemPage("drill", "drills", "drills"),
    ItemPage("postmortem", "rca", "rca"),
    ItemPage("form", "forms", "forms"),
)
PAGE = {p.key: p for p in PAGES}
# page key → source path under docs/. Keys with ":" are one page per data item.
STATIC_PAGES = {p.key: p.source for p in PAGES}
ITEM_DIRS = {i.kind: i.folder for i in ITEM_PAGES}


def key_for_source(path: str) -> str | None:
    """The page key of a source path under docs/ ('drills/fire.md' → 'drill:fire'), or None."""
    for p in PAGES:
        if p.source == path:
            return p.key
    folder, _, name = path.rpartition("/")
    for i in ITEM_PAGES:
        if folder == i.folder and name.endswith(".md") and name != "index.md":
            return f"{i.kind}:{name[:-3]}"
    return None


def doc_path(key: str) -> str:
    if ":" in key:
        kind, ident = key.split(":", 1)
        return f"{ITEM_DIRS[kind]}/{ident}.md"
    return STATIC_PAGES[key]


def page_url(path: str, directory_urls: bool) -> str:
    """The URL MkDocs gives a source file, relative to the site root."""
    stem = path[:-3]
    if not directory_urls:
        return stem + ".html"
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


@dataclass
class Linker:
    """Makes links from the page being written: relative URLs on the site, anchors in print."""

    mode: str = "site"  # "site" or "print"
    current: str = "index.md"
    directory_urls: bool = True
    included: set[str] = field(default_factory=set)  # print: page keys present in this document
    offline_copy: bool = False  # site: the offline zip's copy, which holds no pdf/ or exports/

    def href(self, key: str, anchor: str = "") -> str | None:
        if self.mode == "print":
            if key not in self.included:
                return None
            return "#" + print_anchor(key, anchor)
        return _relative(doc_path(key), self.current, self.directory_urls) + (f"#{anchor}" if anchor else "")

    def asset(self, path: str) -> str:
        """A build output (pdf/…, exports/…) relative to the current page."""
        here = page_url(self.current, self.directory_urls)
        depth = here.count("/") if self.directory_urls else self.current.count("/")
        return "../" * depth + path

    def a(self, key: str, text: Html | str, anchor: str = "") -> Html:
        """A link around ``text`` (escaped unless ``Html``); just the text when the target is
        not in this document."""
        href = self.href(key, anchor)
        return h('<a href="{}">{}</a>', href, text) if href is not None else h("{}", text)


def site_linker(conf: Any, current: str) -> Linker:
    """The links of the site page ``current`` (its path under docs/), for MkDocs' settings ``conf``.
    Material's offline plugin runs only in the offline pass: that copy is zipped without the PDFs
    and exports, so its pages must not link them."""
    offline_copy = "material/offline" in (conf.get("plugins") or {})
    return Linker("site", current, bool(conf.get("use_directory_urls", True)), offline_copy=offline_copy)


@functools.lru_cache(maxsize=16384)  # a page links the same few pages many times
def _relative(path: str, current: str, directory_urls: bool) -> str:
    """The URL of source ``path`` relative to the page of source ``current``."""
    target = page_url(path, directory_urls)
    here = page_url(current, directory_urls)
    here_dir = here if here.endswith("/") or here == "" else posixpath.dirname(here) + "/"
    rel = posixpath.relpath(target or ".", here_dir.rstrip("/") or ".")
    if target.endswith("/") and not rel.endswith("/"):
        rel += "/"
    return rel


def print_anchor(key: str, anchor: str = "") -> str:
    base = key.replace(":", "-")
    return f"{base}--{anchor}" if anchor else base
