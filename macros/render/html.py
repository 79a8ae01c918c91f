"""Escaping and safe Markdown: values from YAML are data, never markup or template.

Markup is a type, :class:`Html`, not a habit. Views build pages from ``Html`` values, and
anything that is not ``Html`` is escaped when it meets one: ``Html`` concatenated with a plain
``str``, joined with ``join()``, formatted with ``h()``, or passed as the body of ``tag()``,
``ul()``, ``table()`` or a ``Section``. A view that forgets to escape a name therefore shows the
name's angle brackets as text; it cannot make them markup. Escaping also turns ``{`` and ``}``
into entities, so a value can never open a Jinja block in a page that mkdocs-macros renders.

``md()`` renders a Markdown field with raw HTML shown as text, images dropped (no remote
fetches) and links kept only for same-site relative paths, ``#anchors``, http(s), mailto and tel.
"""

from __future__ import annotations

import html
import re
import string
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import markdown
import markupsafe
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor


class Html(markupsafe.Markup):
    """A fragment of HTML that is safe to insert as is.

    Combining it with anything else escapes the other value (``html.escape``, plus braces),
    so the only way to get markup into a page is to write it as an ``Html`` literal in code.
    """

    __slots__ = ()

    @classmethod
    def escape(cls, s: Any) -> Html:
        if hasattr(s, "__html__"):
            return cls(s.__html__())
        text = html.escape(str(s), quote=True)
        return cls(text.replace("{", "&#123;").replace("}", "&#125;"))


EMPTY = Html("")


def e(value: Any) -> Html:
    """Escape any value for HTML text or a quoted attribute; braces too (no Jinja).

    ``None`` is empty; an ``Html`` value is already safe and comes back as it is.
    """
    if value is None:
        return EMPTY
    return Html.escape(value)


# Templates whose every field is a bare ``{}``: formatted by str.format on the escaped values,
# which gives what ``Html.format`` gives (it escapes each value with ``Html.escape`` and formats
# it with an empty spec) without markupsafe's formatter, written in Python: a third of the
# views' time went there. Any other template (a name, an index, a spec) goes through Html.format.
_PLAIN_FIELDS: dict[str, bool] = {}


def _plain_fields(template: str) -> bool:
    known = _PLAIN_FIELDS.get(template)
    if known is None:
        try:
            known = all(name == "" and not spec and conv is None
                        for _, name, spec, conv in string.Formatter().parse(template) if name is not None)
        except ValueError:
            known = False
        _PLAIN_FIELDS[template] = known
    return known


def h(template: str, *args: Any, **kwargs: Any) -> Html:
    """``h('<b>{}</b> ({})', name, title)``: an HTML template whose values are escaped."""
    if not kwargs and _plain_fields(template):
        return Html(template.format(*[Html.escape(a) for a in args]))
    return Html(template).format(*args, **kwargs)


def join(items: Iterable[Any], sep: str = "") -> Html:
    """Join fragments; plain values among them are escaped, the separator is trusted HTML."""
    return Html(sep).join(items)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]()#+\-.!])")


def md_text(value: Any) -> str:
    """Escape a value for a Markdown line such as a heading: no Markdown, HTML or Jinja in it."""
    return str(e(_MD_SPECIAL.sub(r"\\\1", str(value))))


def tag(name: str, body: Any = "", cls: str = "", **attrs: Any) -> Html:
    """An element; a body that is not ``Html`` and every attribute value are escaped here."""
    parts = [name]
    if cls:
        parts.append(f'class="{e(cls)}"')
    for key, value in attrs.items():
        if value is None or value is False:
            continue
        key = key.rstrip("_").replace("_", "-")
        parts.append(key if value is True else f'{key}="{e(value)}"')
    return Html(f"<{' '.join(parts)}>") + e(body) + Html(f"</{name}>")


def ul(items: Iterable[Any], cls: str = "") -> Html:
    """A list; items that are not ``Html`` are escaped."""
    items = list(items)
    if not items:
        return EMPTY
    return tag("ul", join(tag("li", i) for i in items), cls)


def table(headers: list[str], rows: Iterable[list[Any]], cls: str = "", caption: str = "") -> Html:
    """A table; headers and cells that are not ``Html`` are escaped."""
    head = join(h('<th scope="col">{}</th>', x) for x in headers)
    body = join(Html("<tr>") + join(tag("td", c) for c in row) + Html("</tr>") for row in rows)
    cap = tag("caption", caption) if caption else EMPTY
    # Material styles only class-less tables, inside its scroll wrapper (wide tables scroll on phones).
    return h(
        '<div class="md-typeset__scrollwrap {}"><div class="md-typeset__table">'
        "<table>{}<thead><tr>{}</tr></thead><tbody>{}</tbody></table></div></div>",
        cls, cap, head, body,
    )

def safe_href(href: str) -> str | None:
    """The link target if a reader may follow it from the handbook, else None.

    Same-site relative paths, ``#anchors``, http(s), mailto and tel. Browsers drop tabs and
    newlines inside a URL and read ``\\`` as ``/``, so ``java\\tscript:`` and ``/\\host`` are
    judged as a browser would read them; ``//host`` (another site) is refused.
    """
    url = re.sub(r"^[\x00-\x20]+|[\x00-\x20]+$", "", re.sub(r"[\t\n\r]", "", href))
    lowered = url.lower()
    if re.match(r"^[a-z][a-z0-9+.\-]*:", lowered):
        return url if lowered.startswith(("http://", "https://", "mailto:", "tel:")) else None
    if url.replace("\\", "/").startswith("//"):
        return None
    return url


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
                    href = safe_href(child.get("href") or "")
                    if href is None:
                        child.attrib.pop("href", None)
                    else:
                        child.set("href", href)
                    child.attrib.pop("title", None)
                    if href and href.lower().startswith(("http://", "https://")):
                        child.set("rel", "nofollow noopener")


class _SafeExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_Sanitize(md), "hb_sanitize", 0)


# Python-Markdown looks for the end of a link from every "[" (and from every "(" after "]"),
# which is quadratic on a run of brackets: 20,000 "[" took 82 s. Brackets that are not part of
# a well-formed link, and the characters that would make HTML or entities, are swapped for
# Unicode noncharacters before Markdown runs and put back (escaped) after it: Markdown never
# sees them, so it never searches from them, and they show as typed.
_KEEP = re.compile(
    r"(?P<fence>^```.*?^```[ \t]*$)"  # fenced code: shown as typed
    r"|(?P<code>(?P<ticks>`+)[^`].*?(?P=ticks))"  # code span
    r"|(?P<link>!?\[[^\[\]\n]{0,500}\](?:\([^()\s]{0,2000}(?:[ \t]+\"[^\"\n]{0,300}\")?\)|\[[^\[\]\n]{0,100}\]))"
    r"|(?P<bracket>[\[\]])",
    re.MULTILINE | re.DOTALL,
)
_HIDE = {"[": "\ufdd0", "]": "\ufdd1", "&": "\ufdd2", "<": "\ufdd3", ">": "\ufdd4"}
_SHOW = {"\ufdd0": "[", "\ufdd1": "]", "\ufdd2": "&amp;", "\ufdd3": "&lt;", "\ufdd4": "&gt;",
         "{": "&#123;", "}": "&#125;"}
_NONCHARS = re.compile("[\ufdd0-\ufdd4]")
_HIDDEN = re.compile("[\ufdd0-\ufdd4{}]")
# Deeper indentation than this nests no further: a list 300 levels deep would recurse in the
# Markdown parser (validation refuses it too; this keeps the renderer safe on its own).
_MAX_INDENT = 48
_INDENT = re.compile(r"^[ \t]{" + str(_MAX_INDENT + 1) + ",}", re.MULTILINE)
# "1. 1. 1. x" or "- - - x" opens a list inside a list on one line: past the third marker on
# a line the markers are kept as text.
_MARKERS = re.compile(r"^([ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+){3})((?:(?:[-*+]|\d{1,9}[.)])[ \t]+)+)", re.MULTILINE)


def _markers_as_text(m: re.Match[str]) -> str:
    return m.group(1) + re.sub(r"([-*+.)])", r"\\\1", m.group(2))


def _defuse(text: str) -> str:
    text = _INDENT.sub(" " * _MAX_INDENT, _NONCHARS.sub("", text))
    text = _MARKERS.sub(_markers_as_text, text)
    text = _KEEP.sub(lambda m: _HIDE[m.group(0)] if m.group("bracket") else m.group(0), text)
    return text.replace("&", _HIDE["&"]).replace("<", _HIDE["<"]).replace(">", _HIDE[">"])


@lru_cache(maxsize=4096)
def md(text: str | None) -> Html:
    """Render a Markdown field safely (raw HTML escaped, no images, only safe links)."""
    if not text:
        return EMPTY
    out = markdown.markdown(_defuse(text), extensions=[_SafeExtension(), "sane_lists"], output_format="html")
    return Html(_HIDDEN.sub(lambda m: _SHOW[m.group(0)], out))
