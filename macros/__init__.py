"""Views: Handbook → escaped Markdown/HTML/SVG, shared by the site and the printed binders.

``define_env`` is the mkdocs-macros entry point (listed under ``modules`` in mkdocs.yml). Pages
call one macro, ``handbook("severity")`` or ``handbook("department", "sales")``, which renders
that page's view for the current profile.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any


def define_env(env: Any) -> None:
    settings = (env.conf.get("extra") or {}).get("handbook_settings") or {}
    root = Path(env.conf["config_file_path"]).parent if env.conf.get("config_file_path") else Path.cwd()
    data_dir = root / settings.get("data", "data")
    profile = settings.get("profile", "internal")
    today = dt.date.fromisoformat(settings["today"]) if settings.get("today") else None
    from preparedness_handbook.macros.context import BuildContext, context_for
    from preparedness_handbook.macros.render import sections
    from preparedness_handbook.macros.site import registry
    from preparedness_handbook.macros.site.pages import Linker

    def current() -> BuildContext:
        return context_for(data_dir, profile, today)

    @env.macro
    def handbook(key: str, item: str | None = None) -> str:
        """Render one page of the handbook from the data (escaped Markdown and HTML)."""
        link = Linker("site", env.page.file.src_uri, bool(env.conf.get("use_directory_urls")))
        return sections.page_markdown(registry.render_sections(current(), key, item, link))

    @env.macro
    def handbook_fact(name: str) -> str:
        """A single escaped value for prose: organization, title, built, version, profile."""
        from preparedness_handbook.macros.render.html import e

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
