"""Jinja partials: the sentences a reader sees, in templates an organization can override.

The partials ship in ``macros/partials/``. An organization replaces any of them by putting a file
with the same relative path in the ``partials/`` folder beside its ``data/`` folder (as
Material's ``custom_dir`` works for its theme): ``partials/severity/level.html`` replaces
``macros/partials/severity/level.html``, and every other partial stays the default.

Autoescaping is on and cannot be turned off from a template: every value from the data that a
template prints is escaped (braces too, so nothing from the data is ever a template), unless it
is already ``Html`` that a view built by escaping. ``join`` and ``e`` are this project's, so
they escape the same way.
"""

from __future__ import annotations

import traceback
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateSyntaxError,
)

from preparedness_handbook.macros.render import words
from preparedness_handbook.macros.render.html import EMPTY, Html, e, join, md, table, tag, ul

if TYPE_CHECKING:
    from preparedness_handbook.macros.context import BuildContext

DEFAULTS = Path(str(resources.files("preparedness_handbook.macros").joinpath("partials")))
OVERRIDES = "partials"  # the folder beside data/ whose files replace the defaults


class PageError(Exception):
    """A page or partial that cannot be rendered (the organization's or a default): the message
    says which file, where, and what is wrong. The build stops with it, exit 1."""


def template_problem(label: str, exc: Exception) -> PageError:
    """A Jinja error as one line: 'partials/severity/level.html:4: 'v' has no attribute 'x''."""
    if isinstance(exc, PageError):
        return exc
    line = getattr(exc, "lineno", None)
    if not line:  # a runtime error: Jinja puts the template's line in the traceback
        frames = [f for f in traceback.extract_tb(exc.__traceback__)
                  if f.filename == label or f.filename.endswith("/" + label.rsplit("/", 1)[-1]) or f.filename == "<template>"]
        line = frames[-1].lineno if frames else None
    where = f"{label}:{line}" if line else label
    message = getattr(exc, "message", None) or str(exc)
    return PageError(f"{where}: {message}")


def override_dir(data_dir: Path) -> Path | None:
    """The organization's partials folder, if it has one: ``partials/`` beside ``data/``."""
    folder = Path(data_dir).resolve().parent / OVERRIDES
    return folder if folder.is_dir() and folder.resolve() != DEFAULTS.resolve() else None


def _escape(value: Any) -> Html:
    return e(value)


@lru_cache(maxsize=8)
def environment(overrides: str | None) -> Environment:
    loaders = [FileSystemLoader(overrides)] if overrides else []
    loaders.append(FileSystemLoader(str(DEFAULTS)))
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        finalize=_escape,  # every printed value through this project's escaping (braces too)
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # a template is read once; `handbook serve` calls refresh() per rebuild
    )
    env.filters.update(
        e=e, escape=e, join=lambda items, sep=", ": join(items, sep),
        md=md, capfirst=words.capfirst, and_list=words.and_list, or_list=words.or_list,
    )
    env.globals.update(
        EMPTY=EMPTY, tag=tag, ul=ul, table=table, md=md,
        plural=words.plural, count=words.count, count_words=words.count_words,
        capfirst=words.capfirst, and_list=words.and_list, or_list=words.or_list,
    )
    return env


_STAMPS: dict[str | None, tuple] = {}


def refresh(overrides: str | None) -> None:
    """Forget the compiled partials when a file of either folder changed since the last call:
    `handbook serve` calls it before each rebuild, so an edited partial shows on the next one.
    (Jinja's own check, ``auto_reload``, looked at a file's time on every use: 12,000 times in a
    500-person organization's build.)"""
    from preparedness_handbook.macros.site.reuse import folder_stamp

    stamp = folder_stamp(DEFAULTS, Path(overrides) if overrides else None)
    if _STAMPS.get(overrides, stamp) != stamp:
        environment(overrides).cache.clear()
    _STAMPS[overrides] = stamp


def partial(ctx: BuildContext, name: str, **values: Any) -> Html:
    """Render ``name`` (a path under partials/) with the context, its terms and ``values``."""
    env = environment(str(ctx.partials) if ctx.partials else None)
    terms = ctx.terms
    try:
        template = env.get_template(name)
    except TemplateSyntaxError as exc:
        raise template_problem(exc.filename or _label(ctx, name), exc) from None
    except TemplateError as exc:
        raise template_problem(_label(ctx, name), exc) from None
    try:
        out = template.render(
            ctx=ctx, hb=ctx.hb, terms=terms,
            plural=lambda n, one, other=None: words.plural(n, one, other, terms.plurals),
            count=lambda n, one, other=None: words.count(n, one, other, terms.plurals),
            count_words=lambda n, one, other=None: words.count_words(n, one, other, terms.plurals),
            **values,
        )
    except PageError:
        raise
    except (TemplateError, AttributeError, TypeError, KeyError) as exc:
        raise template_problem(_label(ctx, name), exc) from None
    return Html(out.strip())


def _label(ctx: BuildContext, name: str) -> str:
    """Where partial ``name`` is read from, for a message: the organization's file or ours."""
    own = ctx.partials is not None and (ctx.partials / name).is_file()
    return str(ctx.partials / name) if own else f"macros/partials/{name}"
