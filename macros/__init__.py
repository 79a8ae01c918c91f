"""Views: Handbook → escaped Markdown/HTML/SVG, shared by the site and the printed binders.

``define_env`` is the mkdocs-macros entry point (``module_name: macros`` in mkdocs.yml). Pages
call one macro, ``handbook("severity")`` or ``handbook("department", "sales")``, which renders
that page's view for the current profile.
"""

from __future__ import annotations

from ._ownpath import ensure_own_validators

ensure_own_validators()

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .context import BuildContext, context_for
from .contributing import contributing_page
from .pages import Linker
from .printed import printed_page
from .report import readiness_page
from .sections import Section, page_markdown
from .views.communications import communications_page
from .views.departments import department_page, departments_index
from .views.drills import drill_page, drills_page
from .views.escalation import escalation_page
from .views.home import home_page
from .views.partners import partners_page
from .views.rca import postmortem_page, rca_page
from .views.reference import reference_page
from .views.roles import roles_page
from .views.severity import severity_page

PAGE_VIEWS: dict[str, Callable[[BuildContext, Linker], list[Section]]] = {
    "home": home_page,
    "roles": roles_page,
    "severity": severity_page,
    "escalation": escalation_page,
    "communications": communications_page,
    "partners": partners_page,
    "drills": drills_page,
    "rca": rca_page,
    "departments": departments_index,
    "reference": reference_page,
    "printed": printed_page,
    "readiness": readiness_page,
    "contributing": contributing_page,
}
ITEM_VIEWS: dict[str, Callable[[BuildContext, str, Linker], list[Section]]] = {
    "department": department_page,
    "drill": drill_page,
    "postmortem": postmortem_page,
}


def render_sections(ctx: BuildContext, key: str, item: str | None, link: Linker) -> list[Section]:
    if item is not None:
        return ITEM_VIEWS[key](ctx, item, link)
    return PAGE_VIEWS[key](ctx, link)


def define_env(env: Any) -> None:
    settings = (env.conf.get("extra") or {}).get("handbook_settings") or {}
    root = Path(env.conf["config_file_path"]).parent if env.conf.get("config_file_path") else Path.cwd()
    data_dir = root / settings.get("data", "data")
    profile = settings.get("profile", "internal")
    today = dt.date.fromisoformat(settings["today"]) if settings.get("today") else None

    def current() -> BuildContext:
        return context_for(data_dir, profile, today)

    @env.macro
    def handbook(key: str, item: str | None = None) -> str:
        """Render one page of the handbook from the data (escaped Markdown and HTML)."""
        link = Linker("site", env.page.file.src_uri, bool(env.conf.get("use_directory_urls")))
        return page_markdown(render_sections(current(), key, item, link))

    @env.macro
    def handbook_fact(name: str) -> str:
        """A single escaped value for prose: organization, title, built, version, profile."""
        from .html import e

        ctx = current()
        facts = {
            "organization": ctx.hb.organization.name,
            "title": ctx.hb.organization.handbook_title,
            "built": ctx.built.strftime("%-d %b %Y %H:%M %Z"),
            "as_of": ctx.today.strftime("%-d %b %Y"),
            "version": ctx.version,
            "profile": ctx.profile,
        }
        return e(facts[name])
