"""Views: Handbook → escaped Markdown/HTML/SVG, shared by the site and the printed binders.

``define_env`` is the mkdocs-macros entry point (listed under ``modules`` in mkdocs.yml). Pages
call the macros of site/blocks.py (``block("severity.matrix")``, ``handbook("department",
"sales")``, ``term("incident_manager")`` …), which render the data for the current profile.
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
    from preparedness_handbook.macros.render.words import capfirst
    from preparedness_handbook.macros.site.blocks import guarded, page_macros
    from preparedness_handbook.macros.site.pages import Linker, key_for_source, site_linker
    from preparedness_handbook.macros.site.sources import page_source

    def current() -> BuildContext:
        return context_for(data_dir, profile, today)

    def source() -> str:
        """The page's path under docs/ (MkDocs and ProperDocs: page.file; Zensical: page.path)."""
        page = env.page
        return page.file.src_uri if hasattr(page, "file") else str(page.path).replace("\\", "/")

    def link() -> Linker:
        return site_linker(env.conf, source())

    def where() -> str:
        key = key_for_source(source())
        return page_source(data_dir, key)[0] if key else f"docs/{source()}"

    for name, fn in page_macros(current, link).items():
        env.macro(guarded(fn, where), name)
    env.filter(capfirst, "capfirst")
