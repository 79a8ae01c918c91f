"""Which view renders which page: the site's macros and the printed binders both look here.

Kept out of ``macros/__init__`` so that importing the package (as the ``handbook`` command does
before every run) does not import every view, Markdown and the report: ``handbook validate``
needs none of them.
"""

from __future__ import annotations

from collections.abc import Callable

from preparedness_handbook.macros.context import BuildContext
from preparedness_handbook.macros.render.sections import Section
from preparedness_handbook.macros.site.pages import Linker
from preparedness_handbook.macros.views.communications import communications_page
from preparedness_handbook.macros.views.contributing import contributing_page
from preparedness_handbook.macros.views.departments import department_page, departments_index
from preparedness_handbook.macros.views.drills import drill_page, drills_page
from preparedness_handbook.macros.views.escalation import escalation_page
from preparedness_handbook.macros.views.home import home_page
from preparedness_handbook.macros.views.partners import partners_page
from preparedness_handbook.macros.views.printed import printed_page
from preparedness_handbook.macros.views.rca import postmortem_page, rca_page
from preparedness_handbook.macros.views.readiness import readiness_page
from preparedness_handbook.macros.views.reference import reference_page
from preparedness_handbook.macros.views.roles import roles_page
from preparedness_handbook.macros.views.severity import severity_page

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
