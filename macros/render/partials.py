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

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

from preparedness_handbook.macros.render import words
from preparedness_handbook.macros.render.html import EMPTY, Html, e, join, md, table, tag, ul

if TYPE_CHECKING:
    from preparedness_handbook.macros.context import BuildContext

DEFAULTS = Path(str(resources.files("preparedness_handbook.macros").joinpath("partials")))
OVERRIDES = "partials"  # the folder beside data/ whose files replace the defaults


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
        auto_reload=False,
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


def partial(ctx: BuildContext, name: str, **values: Any) -> Html:
    """Render ``name`` (a path under partials/) with the context, its terms and ``values``."""
    env = environment(str(ctx.partials) if ctx.partials else None)
    terms = ctx.terms
    out = env.get_template(name).render(
        ctx=ctx, hb=ctx.hb, terms=terms,
        plural=lambda n, one, other=None: words.plural(n, one, other, terms.plurals),
        count=lambda n, one, other=None: words.count(n, one, other, terms.plurals),
        count_words=lambda n, one, other=None: words.count_words(n, one, other, terms.plurals),
        **values,
    )
    return Html(out.strip())
