"""Diagrams as inline SVG made in Python: they show in the browser, offline and in WeasyPrint.

Every diagram is ``Html`` built with ``h()``, so every text and attribute value in it is escaped;
sizes come from the content (rows × line height), and a viewBox lets the browser scale them down
on a phone.
"""

from __future__ import annotations

import textwrap

from preparedness_handbook.macros.context import BuildContext
from preparedness_handbook.macros.render.html import Html, h, join
from preparedness_handbook.macros.views.common import dur
from preparedness_handbook.validators.models.common import format_phone
from preparedness_handbook.validators.models.escalation import Chain
from preparedness_handbook.validators.queries import best_phone

FONT = Html("font-family=\"'Atkinson Hyperlegible', 'Noto Sans', 'DejaVu Sans', Arial, sans-serif\"")
INK, MUTED, ACCENT, LINE = "#1b1b1b", "#555555", "#b3261e", "#9e9e9e"


def _text(x: float, y: float, content: str, size: int = 13, weight: str = "normal", fill: str = INK, anchor: str = "start") -> Html:
    return h(
        '<text x="{:.0f}" y="{:.0f}" font-size="{}" font-weight="{}" fill="{}" text-anchor="{}" {}>{}</text>',
        x, y, size, weight, fill, anchor, FONT, content,
    )


def _svg(width: int, height: int, body: Html, label: str) -> Html:
    """The ``<svg>`` element around ``body`` (escaped unless ``Html``)."""
    return h(
        '<svg xmlns="http://www.w3.org/2000/svg" class="hb-diagram" role="img" aria-label="{label}" '
        'viewBox="0 0 {w} {h}" width="{w}" height="{h}" style="max-width:100%;height:auto">'
        "<title>{label}</title>{body}</svg>",
        label=label, w=width, h=height, body=body,
    )


def _wrap(content: str, width: int) -> list[str]:
    return textwrap.wrap(content, width=width, break_long_words=True) or [""]


def escalation_svg(ctx: BuildContext, chain: Chain) -> Html:
    """A vertical timeline: when each step happens, who is told, and how."""
    hb = ctx.hb
    width, left, box_x = 700, 12, 176
    y, rows = 24, []
    rows.append(_text(left, y, "Time after declaring", 13, "bold", MUTED))
    rows.append(_text(box_x, y, "Who is told, and how", 13, "bold", MUTED))
    y += 16
    top = y
    for i, step in enumerate(chain.steps):
        who: list[str] = []
        who += [hb.role(r).name for r in step.roles if r in hb.index["roles"]]
        who += [hb.person(p).name for p in step.people if p in hb.index["people"]]
        who += [hb.department(d).name for d in step.departments if d in hb.index["departments"]]
        who += [hb.partner(p).name for p in step.partners if p in hb.index["partners"]]
        via = [hb.channel(c).name for c in step.via if c in hb.index["channels"]]
        lines = [(t, "bold", INK) for t in _wrap("Notify: " + ", ".join(who), 62)]
        lines += [(t, "normal", MUTED) for t in _wrap("Via: " + ", ".join(via), 62)]
        lines += [(t, "normal", INK) for t in (_wrap(step.note, 62) if step.note else [])]
        box_h = 18 * len(lines) + 18
        cy = y + 20
        rows.append(h('<circle cx="{}" cy="{}" r="7" fill="{}"/>', box_x - 22, cy - 4, ACCENT))
        label = "At once" if step.after.total_seconds() == 0 else f"+ {dur(step.after)}"
        rows.append(_text(left, cy, label, 14, "bold"))
        rows.append(h(
            '<rect x="{}" y="{}" width="{}" height="{}" rx="6" fill="#fbeae9" stroke="{}" stroke-width="1"/>',
            box_x, y + 4, width - box_x - 10, box_h, ACCENT,
        ))
        for j, (line, weight, fill) in enumerate(lines):
            rows.append(_text(box_x + 12, y + 24 + 18 * j, line, 13, weight, fill))
        y += box_h + 14
        if i == len(chain.steps) - 1:
            break
    rows.insert(2, h('<line x1="{x}" y1="{}" x2="{x}" y2="{}" stroke="{}" stroke-width="2"/>',
                     top + 16, max(top + 16, y - 30), LINE, x=box_x - 22))
    foot = (f"No answer within {dur(chain.ack_timeout)}: call the next person on the list." if chain.ack_timeout
            else "No answer: call the next person on the list.")
    rows.append(_text(left, y + 10, foot, 13, "normal", MUTED))
    return _svg(width, int(y + 24), join(rows), f"Escalation timeline: {chain.name}")


def tree_svg(ctx: BuildContext, start: str, show_numbers: bool = True, max_rows: int = 400) -> Html:
    """An indented call tree from ``start``: each person under the one who calls them."""
    hb, tree = ctx.hb, ctx.tree
    rows: list[tuple[int, str]] = []

    def visit(pid: str, depth: int) -> None:
        if len(rows) >= max_rows:
            return
        rows.append((depth, pid))
        for child in tree.children.get(pid, []):
            visit(child, depth + 1)

    visit(start, 0)
    indent, row_h, width = 26, 40, 680
    body: list[Html] = []
    positions: dict[str, tuple[float, float]] = {}
    for i, (depth, pid) in enumerate(rows):
        x, y = 14 + depth * indent, 14 + i * row_h
        positions[pid] = (x, y)
        person = hb.index["people"].get(pid)
        if person is None:
            continue
        caller = tree.caller.get(pid)
        if caller in positions:
            px, py = positions[caller]
            body.append(h(
                '<path d="M{:.0f},{:.0f} V{:.0f} H{:.0f}" fill="none" stroke="{}" stroke-width="1.5"/>',
                px + 8, py + 20, y + 12, x, LINE,
            ))
        body.append(h('<rect x="{}" y="{}" width="{}" height="{}" rx="5" fill="#f4f6f8" stroke="#c9d1d9"/>',
                      x, y + 4, width - x - 8, row_h - 8))
        body.append(_text(x + 10, y + 20, f"{person.name} — {person.title}", 13, "bold"))
        best = best_phone(person) if show_numbers else None
        alt = tree.alternate.get(pid)
        alt_name = hb.index["people"][alt].name if alt in hb.index["people"] else ""
        detail = format_phone(best.value) if best else ""
        if alt_name:
            detail = (detail + "   " if detail else "") + f"if the caller is out: {alt_name}"
        if detail:
            body.append(_text(x + 10, y + 33, detail, 12, "normal", MUTED))
    height = 14 + len(rows) * row_h + 6
    root = hb.index["people"].get(start)
    return _svg(width, height, join(body), f"Call tree from {root.name if root else start}")
