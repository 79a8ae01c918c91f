"""The home page: what to do right now, the seven practices, and "find your department"."""

from __future__ import annotations

from preparedness_handbook.macros.context import BuildContext
from preparedness_handbook.macros.render.html import Html, h, join, tag
from preparedness_handbook.macros.render.sections import Section
from preparedness_handbook.macros.site.blocks import page_view
from preparedness_handbook.macros.site.pages import Linker
from preparedness_handbook.macros.views.common import person_line
from preparedness_handbook.macros.views.communications import dial

PRACTICES = [
    ("roles", "Incident manager and escalation", "One person leads. Everyone knows who, and who steps in."),
    ("communications", "Talking when systems are down", "Phone and text fan-out, the bridge line, ready-made messages."),
    ("severity", "Severity levels", "{levels}. Each says how fast we move and who is told."),
    ("rca", "Root cause analysis", "After the incident: what happened and what we change."),
    ("drills", "Drills and exercises", "We practise, so the real thing feels familiar."),
    ("partners", "Partners", "Insurer, lawyers, forensics, PR, police: whom to call and when."),
    ("departments", "Every department", "Customer service, sales, marketing, PR, legal, HR and finance too."),
]


_NUMBER_WORDS = ["No", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten"]


def count_words(n: int, noun: str) -> str:
    """'Four levels', 'One level', '12 levels'."""
    word = _NUMBER_WORDS[n] if n < len(_NUMBER_WORDS) else str(n)
    return f"{word} {noun}{'' if n == 1 else 's'}"


def right_now(ctx: BuildContext, link: Linker) -> Html:
    hb = ctx.hb
    im = hb.incident_manager
    steps = [
        h("<strong>Call the incident hotline:</strong> {}. Say what you see, where, and since when.", dial(ctx, hb.hotline_id)),
        h("<strong>Join the incident bridge:</strong> {}.", dial(ctx, hb.bridge_id)),
        h("<strong>Not sure how bad it is?</strong> {}. When unsure, choose the higher level.", link.a("severity", "Check the severity levels")),
        h("<strong>Laptops, chat or e-mail down?</strong> Use your phone. Wait for a call, then {}.", link.a("communications", "call the people under you", "call-tree")),
    ]
    if im:
        steps.insert(1, h("<strong>Incident manager:</strong> {}", person_line(ctx, im.primary, link)))
    return tag("ol", join(tag("li", s) for s in steps), "hb-now")


@page_view("home")
def home_page(ctx: BuildContext, link: Linker) -> list[Section]:
    hb = ctx.hb
    levels = count_words(len(hb.levels), "level")
    practices = join(
        tag("li", link.a(key, tag("strong", title)) + h("<br><small>{}</small>", text.format(levels=levels)))
        for key, title, text in PRACTICES
    )
    depts = join(tag("li", link.a(f"department:{d.id}", d.name)) for d in hb.departments)
    return [
        Section(hb.organization.handbook_title, tag("p", h("{} — what to do when things go wrong, even when laptops, chat and e-mail are down.", hb.organization.name), "hb-lead")),
        Section("What to do right now", right_now(ctx, link), "right-now"),
        Section("Find your department", tag("ul", depts, "hb-cards hb-cards--small"), "find-your-department"),
        Section("The seven practices", tag("ul", practices, "hb-cards"), "practices"),
    ]
