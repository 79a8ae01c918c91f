"""The home page: what to do right now, the seven practices, and "find your department"."""

from __future__ import annotations

from ..context import BuildContext
from ..html import e, tag
from ..pages import Linker
from ..sections import Section
from .common import person_line
from .communications import dial

PRACTICES = [
    ("roles", "Incident manager and escalation", "One person leads. Everyone knows who, and who steps in."),
    ("communications", "Talking when systems are down", "Phone and text fan-out, the bridge line, ready-made messages."),
    ("severity", "Severity levels", "Four levels. Each says how fast we move and who is told."),
    ("rca", "Root cause analysis", "After the incident: what happened and what we change."),
    ("drills", "Drills and exercises", "We practise, so the real thing feels familiar."),
    ("partners", "Partners", "Insurer, lawyers, forensics, PR, police: whom to call and when."),
    ("departments", "Every department", "Customer service, sales, marketing, PR, legal, HR and finance too."),
]


def right_now(ctx: BuildContext, link: Linker) -> str:
    hb = ctx.hb
    im = hb.incident_manager
    steps = [
        f"<strong>Call the incident hotline:</strong> {dial(ctx, hb.hotline_id)}. Say what you see, where, and since when.",
        f"<strong>Join the incident bridge:</strong> {dial(ctx, hb.bridge_id)}.",
        "<strong>Not sure how bad it is?</strong> " + link.a("severity", "Check the severity levels") + ". When unsure, choose the higher level.",
        "<strong>Laptops, chat or e-mail down?</strong> Use your phone. Wait for a call, then " + link.a("communications", "call the people under you", "call-tree") + ".",
    ]
    if im:
        steps.insert(1, f"<strong>Incident manager:</strong> {person_line(ctx, im.primary, link)}")
    return tag("ol", "".join(f"<li>{s}</li>" for s in steps), "hb-now")


def home_page(ctx: BuildContext, link: Linker) -> list[Section]:
    hb = ctx.hb
    practices = "".join(
        tag("li", link.a(key, f"<strong>{e(title)}</strong>") + f"<br><small>{e(text)}</small>") for key, title, text in PRACTICES
    )
    depts = "".join(tag("li", link.a(f"department:{d.id}", e(d.name))) for d in hb.departments)
    return [
        Section(hb.organization.handbook_title, tag("p", f"{e(hb.organization.name)} — what to do when things go wrong, even when laptops, chat and e-mail are down.", "hb-lead")),
        Section("What to do right now", right_now(ctx, link), "right-now"),
        Section("Find your department", tag("ul", depts, "hb-cards hb-cards--small"), "find-your-department"),
        Section("The seven practices", tag("ul", practices, "hb-cards"), "practices"),
    ]
