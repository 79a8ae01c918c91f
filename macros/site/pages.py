"""Where each page lives, and links between pages that work on the site and inside a binder."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from preparedness_handbook.macros.render.html import Html, h

# page key → source path under docs/. Keys with ":" are one page per data item.
STATIC_PAGES = {
    "home": "index.md",
    "roles": "roles.md",
    "severity": "severity.md",
    "escalation": "escalation.md",
    "communications": "communications.md",
    "partners": "partners.md",
    "drills": "drills/index.md",
    "rca": "rca/index.md",
    "departments": "departments/index.md",
    "readiness": "readiness.md",
    "printed": "printed.md",
    "reference": "reference.md",
    "contributing": "contributing.md",
}
ITEM_DIRS = {"department": "departments", "drill": "drills", "postmortem": "rca"}


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

    def href(self, key: str, anchor: str = "") -> str | None:
        if self.mode == "print":
            if key not in self.included:
                return None
            return "#" + print_anchor(key, anchor)
        target = page_url(doc_path(key), self.directory_urls)
        here = page_url(self.current, self.directory_urls)
        here_dir = here if here.endswith("/") or here == "" else posixpath.dirname(here) + "/"
        rel = posixpath.relpath(target or ".", here_dir.rstrip("/") or ".")
        if target.endswith("/") and not rel.endswith("/"):
            rel += "/"
        if rel == "./":
            rel = "./"
        return rel + (f"#{anchor}" if anchor else "")

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


def print_anchor(key: str, anchor: str = "") -> str:
    base = key.replace(":", "-")
    return f"{base}--{anchor}" if anchor else base
