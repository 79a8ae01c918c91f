"""Escaping and safe Markdown: values from YAML are data, never markup or template.

Every view builds HTML with these helpers. ``e()`` escapes a value for HTML text or attributes and
also turns ``{`` and ``}`` into entities, so a value can never open a Jinja block in a page that
mkdocs-macros renders. ``md()`` renders a Markdown field with raw HTML shown as text, images
dropped (no remote fetches) and links kept only for http, https, mailto and tel.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

SAFE_SCHEMES = ("http://", "https://", "mailto:", "tel:", "#", "/")


def e(value: Any) -> str:
    """Escape any value for HTML text or a quoted attribute; braces too (no Jinja)."""
    if value is None:
        return ""
    return html.escape(str(value), quote=True).replace("{", "&#123;").replace("}", "&#125;")


_MD_SPECIAL = re.compile(r"([\\`*_\[\]()#+\-.!])")


def md_text(value: Any) -> str:
    """Escape a value for a Markdown line such as a heading: no Markdown, HTML or Jinja in it."""
    return e(_MD_SPECIAL.sub(r"\\\1", str(value)))


def tag(name: str, body: str = "", cls: str = "", **attrs: Any) -> str:
    """An element whose body is already-safe HTML; attribute values are escaped here."""
    parts = [name]
    if cls:
        parts.append(f'class="{e(cls)}"')
    for key, value in attrs.items():
        if value is None or value is False:
            continue
        key = key.rstrip("_").replace("_", "-")
        parts.append(key if value is True else f'{key}="{e(value)}"')
    return f"<{' '.join(parts)}>{body}</{name}>"


def ul(items: Iterable[str], cls: str = "") -> str:
    """A list of already-safe HTML items (use e() on plain values first)."""
    items = list(items)
    if not items:
        return ""
    return tag("ul", "".join(f"<li>{i}</li>" for i in items), cls)


def table(headers: list[str], rows: Iterable[list[str]], cls: str = "", caption: str = "") -> str:
    """A table of already-safe HTML cells; headers are plain text and escaped here."""
    head = "".join(f'<th scope="col">{e(h)}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    cap = f"<caption>{e(caption)}</caption>" if caption else ""
    # Material styles only class-less tables, inside its scroll wrapper (wide tables scroll on phones).
    return (
        f'<div class="md-typeset__scrollwrap {e(cls)}"><div class="md-typeset__table">'
        f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div></div>"
    )


class _Sanitize(Treeprocessor):
    def run(self, root: ET.Element) -> None:
        for parent in list(root.iter()):
            for child in list(parent):
                if child.tag == "img":
                    span = ET.Element("span")
                    span.text = f"[image: {child.get('alt') or 'not shown'}]"
                    span.tail = child.tail
                    parent.insert(list(parent).index(child), span)
                    parent.remove(child)
                elif child.tag == "a":
                    href = (child.get("href") or "").strip()
                    if not href.lower().startswith(SAFE_SCHEMES):
                        child.attrib.pop("href", None)
                    child.attrib.pop("title", None)
                    if href.lower().startswith(("http://", "https://")):
                        child.set("rel", "nofollow noopener")


class _SafeExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_Sanitize(md), "hb_sanitize", 0)


@lru_cache(maxsize=4096)
def md(text: str | None) -> str:
    """Render a Markdown field safely (raw HTML escaped, no images, only safe links)."""
    if not text:
        return ""
    # Escaping first makes any HTML in the source plain text; Markdown syntax still works.
    source = html.escape(text, quote=False)
    out = markdown.markdown(source, extensions=[_SafeExtension(), "sane_lists"], output_format="html")
    return out.replace("{", "&#123;").replace("}", "&#125;")
