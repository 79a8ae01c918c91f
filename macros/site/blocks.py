"""The handbook's macros for pages, and the registry of the views and blocks they call.

A page under docs/ is Markdown with these macros in it (mkdocs-macros runs them on the site,
printing/pages.py runs the same ones for the binders):

- ``{{ block("severity.matrix") }}`` — one block of data: the matrix of levels, the list of
  partners … Blocks are functions in macros/views registered with ``@block``; the ones that
  return sections write Markdown headings (at ``level``, default the block's own), so the site's
  table of contents and the printed table of contents see them.
- ``{{ handbook("department", "sales") }}`` — a whole page from its view (the pages made once
  per department, drill and postmortem).
- ``{{ term("incident_manager") }}``, ``{{ term("postmortem", cap=True, n=2) }}`` — the
  organization's word for a thing (organization.yaml ``terms``), capitalized or plural.
- ``{{ fact("organization") }}`` — organization, title, built, as_of, version, profile.
- ``{{ count("levels", "level") }}`` — '4 levels', from the data; ``count_words`` says 'four'.

Every value a macro returns is escaped for Markdown and HTML; nothing from the data is markup.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, StrictUndefined, TemplateError

from preparedness_handbook.macros.context import BuildContext
from preparedness_handbook.macros.render import words
from preparedness_handbook.macros.render.html import Html, md_text
from preparedness_handbook.macros.render.partials import PageError, template_problem
from preparedness_handbook.macros.render.sections import (
    Section,
    block_markdown,
    page_markdown,
    to_markdown,
)
from preparedness_handbook.macros.site.pages import ITEM_PAGES, PAGES, STATIC_PAGES, Linker
from preparedness_handbook.macros.site.sources import one_call, page_source


@dataclass(frozen=True)
class Block:
    fn: Callable[..., Html | list[Section]]
    level: int  # heading level of the sections it returns, on the page it is placed in


BLOCKS: dict[str, Block] = {}
ITEM_VIEWS: dict[str, Callable[[BuildContext, str, Linker], list[Section]]] = {}


def block(name: str, level: int = 2) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register ``fn(ctx, link, *args)`` as the block ``name`` ("severity.matrix")."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        if name in BLOCKS and BLOCKS[name].fn is not fn:
            raise ValueError(f"two blocks are named {name!r}")
        BLOCKS[name] = Block(fn, level)
        return fn

    return register


def item_view(kind: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the view of a page made once per data item, ``fn(ctx, ident, link)``."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        ITEM_VIEWS[kind] = fn
        return fn

    return register


_LOADED: list[bool] = []


def load_views() -> None:
    """Import each view module the page table names, which registers its views and blocks."""
    if _LOADED:
        return
    for module in dict.fromkeys([*(p.view for p in PAGES), *(i.view for i in ITEM_PAGES)]):
        importlib.import_module(f"preparedness_handbook.macros.views.{module}")
    _LOADED.append(True)


def render_sections(ctx: BuildContext, kind: str, item: str | None, link: Linker) -> list[Section]:
    """A page made once per data item, from its view: ``handbook("department", "sales")``."""
    load_views()
    if item is None or kind not in ITEM_VIEWS:
        source = STATIC_PAGES.get(kind, f"{kind}.md")
        raise PageError(
            f'handbook("{kind}") renders no page: the page is Markdown in docs/{source} with its data '
            f'blocks (copy the default docs/{source} and edit it); handbook() takes a kind and an id, '
            f'one of {", ".join(sorted(ITEM_VIEWS))}'
        )
    return ITEM_VIEWS[kind](ctx, item, link)


def render_block(ctx: BuildContext, name: str, link: Linker, *args: Any, level: int | None = None) -> str:
    """The Markdown of one block: sections as headings at ``level``, a body as one HTML block."""
    load_views()
    if name not in BLOCKS:
        raise PageError(f"no block named {name!r}; the blocks are: {', '.join(sorted(BLOCKS))}")
    b = BLOCKS[name]
    out = b.fn(ctx, link, *args)
    if isinstance(out, list):
        return to_markdown(out, level or b.level, mode=link.mode)
    return block_markdown(out)


def term_text(ctx: BuildContext, name: str, cap: bool = False, n: int = 1) -> str:
    """The organization's word ``name`` (see validators/models/organization.Terms), plain."""
    terms = ctx.terms
    value = getattr(terms, name, None)
    if not isinstance(value, str):
        raise PageError(f"no term named {name!r}; the terms are: {', '.join(terms.capitalized())}")
    value = words.plural(n, value, plurals=terms.plurals)
    return words.capfirst(value) if cap else value


def facts(ctx: BuildContext) -> dict[str, str]:
    return {
        "organization": ctx.hb.organization.name,
        "title": ctx.hb.organization.handbook_title,
        "built": ctx.built.strftime("%-d %b %Y %H:%M %Z"),
        "as_of": ctx.today.strftime("%-d %b %Y"),
        "version": ctx.version,
        "profile": ctx.profile,
    }


def page_macros(ctx_for: Callable[[], BuildContext], link_for: Callable[[], Linker]) -> dict[str, Callable[..., str]]:
    """The macros a page may call, for mkdocs-macros (define_env) and for print alike."""

    def handbook(key: str, item: str | None = None) -> str:
        link = link_for()
        return page_markdown(render_sections(ctx_for(), key, item, link), mode=link.mode)

    def block_(name: str, *args: Any, level: int | None = None) -> str:
        return render_block(ctx_for(), name, link_for(), *args, level=level)

    def term(name: str, cap: bool = False, n: int = 1) -> str:
        return md_text(term_text(ctx_for(), name, cap, n))

    def fact(name: str) -> str:
        known = facts(ctx_for())
        if name not in known:
            raise PageError(f"no fact named {name!r}; the facts are: {', '.join(known)}")
        return md_text(known[name])

    def number(kind: str) -> int:
        items = getattr(ctx_for().hb, kind, None)
        if not isinstance(items, list):
            raise PageError(f"nothing to count named {kind!r}: write levels, people, departments, partners, "
                            "drills, postmortems, templates, channels or roles")
        return len(items)

    def count(kind: str, one: str, other: str | None = None) -> str:
        return md_text(words.count(number(kind), one, other, ctx_for().terms.plurals))

    def count_words(kind: str, one: str, other: str | None = None, cap: bool = False) -> str:
        text = words.count_words(number(kind), one, other, ctx_for().terms.plurals)
        return md_text(words.capfirst(text) if cap else text)

    return {
        "handbook": handbook, "block": block_, "term": term, "fact": fact, "handbook_fact": fact,
        "number": number, "count": count, "count_words": count_words,
    }


# The names of the macros a page may call (they do not depend on the data).
MACRO_NAMES = frozenset(page_macros(lambda: None, lambda: None))  # type: ignore[arg-type,return-value]


_PAGES = Environment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True, cache_size=0)
_PAGES.filters["capfirst"] = words.capfirst
_COMPILED: dict[str, Any] = {}


def render_page(ctx: BuildContext, key: str, link: Linker) -> str:
    """Page ``key``'s Markdown (the organization's or the default, site/sources.py) with its
    macros run for ``link`` (site or print), as mkdocs-macros runs them on the site."""
    source = ctx.cache.get(("page source", key))
    if source is None:  # read once per build, not once per document that prints the page
        source = ctx.cache[("page source", key)] = page_source(ctx.hb.data_dir, key)
    return render_text(ctx, source[1], link, source[0])


def render_text(ctx: BuildContext, text: str, link: Linker, where: str) -> str:
    """A page's Markdown ``text`` (read from ``where``) with its macros run for ``link``."""
    one = one_call(text)  # a page made once per data item: its one call made as Jinja would
    template = None if one else _COMPILED.get(text)
    try:
        if one:
            return page_markdown(render_sections(ctx, *one, link), mode=link.mode) + "\n"
        if template is None:  # each page's source is compiled once, not once per document
            template = _COMPILED[text] = _PAGES.from_string(text)
        return template.render(**page_macros(lambda: ctx, lambda: link))
    except PageError as exc:
        raise PageError(f"{where}: {exc}") from None
    except TemplateError as exc:
        raise template_problem(where, exc) from None


PAGE_ERRORS: list[PageError] = []  # the last page error of a MkDocs run, for the build to report


def check_pages(ctx: BuildContext) -> None:
    """Compile every page's source (the organization's or the default) before anything is built,
    so a broken page is reported as file:line, not from inside MkDocs."""
    keys = [p.key for p in PAGES] + [f"{i.kind}:{ident}" for i in ITEM_PAGES
                                     for ident in item_ids(ctx, i.kind)]
    for key in keys:
        where, text = page_source(ctx.hb.data_dir, key)
        if text in _COMPILED or one_call(text):
            continue
        try:
            _COMPILED[text] = _PAGES.from_string(text)
        except TemplateError as exc:
            raise template_problem(where, exc) from None


def item_ids(ctx: BuildContext, kind: str) -> list[str]:
    """The ids of the pages made once per item of ``kind``, in the order the handbook prints
    them (postmortems newest first)."""
    hb = ctx.hb
    if kind == "department":
        return [d.id for d in hb.departments]
    if kind == "drill":
        return [d.id for d in hb.drills]
    if kind == "form":
        return [f.id for f in hb.forms]
    return [p.id for p in sorted(hb.postmortems, key=lambda p: p.incident_date, reverse=True)]


def guarded(fn: Callable[..., str], where: Callable[[], str]) -> Callable[..., str]:
    """A page macro for mkdocs-macros: a PageError it raises is kept (with the page's file) for
    the build to report as one line, then raised for mkdocs-macros to stop on."""

    def call(*args: Any, **kwargs: Any) -> str:
        try:
            return fn(*args, **kwargs)
        except PageError as exc:
            PAGE_ERRORS[:] = [PageError(f"{where()}: {exc}")]
            raise

    call.__name__ = fn.__name__
    call.__doc__ = fn.__doc__
    return call
