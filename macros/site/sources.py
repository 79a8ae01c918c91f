"""Where each page's text comes from: the organization's own ``docs/`` first, then the defaults.

A page is a Markdown file with the handbook's macros in it (``{{ block("severity.matrix") }}``).
The defaults are this project's ``docs/`` (in a checkout, or the copy the wheel ships). An
organization replaces a page by putting a file with the same relative path in the ``docs/``
folder beside its ``data/`` folder; the pages it does not write stay the defaults. The site
(the handbook MkDocs plugin, site/plugin.py) and the binders (printing/pages.py) both read pages through
``page_text``, so both print the organization's words.
"""

from __future__ import annotations

import re
from pathlib import Path

from preparedness_handbook.macros.site.pages import ITEM_DIRS, doc_path


def default_root() -> Path:
    """The folder holding the default mkdocs.yml and docs/: this project's checkout (an editable
    install), else the defaults the wheel ships (handbook/defaults, copied there by setup.py).
    Never the current folder: an organization's repository has its own mkdocs.yml and docs/,
    which are its overrides, not the defaults."""
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "mkdocs.yml").is_file() and (checkout / "docs").is_dir() and (checkout / "macros").is_dir():
        return checkout
    return checkout / "handbook" / "defaults"


def default_docs() -> Path:
    """The default pages: every page of the page table, the section indexes and the stylesheet."""
    return default_root() / "docs"


def defaults() -> dict:
    """The handbook's MkDocs settings (defaults.yml), which the handbook plugin applies."""
    import yaml

    return yaml.safe_load((Path(__file__).with_name("defaults.yml")).read_text(encoding="utf-8"))


def organization_docs(data_dir: Path) -> Path | None:
    """The organization's own pages: ``docs/`` beside its ``data/`` folder, when it has one
    that is not the default docs folder itself."""
    folder = Path(data_dir).resolve().parent / "docs"
    if not folder.is_dir() or folder.resolve() == (default_root() / "docs").resolve():
        return None
    return folder


def docs_dirs(data_dir: Path) -> list[Path]:
    """The folders pages are read from, the first that has a page winning."""
    own = organization_docs(data_dir)
    return [own, default_root() / "docs"] if own else [default_root() / "docs"]


def generated_text(key: str) -> str:
    """The source of a page made once per data item, when no file of that name is written."""
    kind, ident = key.split(":", 1)
    return f'{{{{ handbook("{kind}", "{ident}") }}}}\n'


_ONE_CALL = re.compile(r'\{\{ handbook\("([a-z]+)", "([a-z0-9]+(?:-[a-z0-9]+)*)"\) \}\}\n')


def one_call(text: str) -> tuple[str, str] | None:
    """(kind, id) when ``text`` is exactly what ``generated_text`` writes, else None."""
    m = _ONE_CALL.fullmatch(text)
    return (m[1], m[2]) if m else None


def page_text(data_dir: Path, key: str) -> str:
    """The Markdown source of page ``key``: the organization's file, the default file, or (for
    a page per data item) the one macro call that renders it."""
    return page_source(data_dir, key)[1]


def page_source(data_dir: Path, key: str) -> tuple[str, str]:
    """(where it is, its text): the file the page is read from, for messages, and its Markdown."""
    rel = doc_path(key)
    for folder in docs_dirs(data_dir):
        path = folder / rel
        if path.is_file():
            return str(path), path.read_text(encoding="utf-8")
    if ":" in key and key.split(":", 1)[0] in ITEM_DIRS:
        return f"docs/{rel} (made for the item)", generated_text(key)
    raise FileNotFoundError(f"no page {rel} in {', '.join(str(d) for d in docs_dirs(data_dir))}")
