"""The readiness report written out: text, Markdown or JSON for `handbook report`, and the blocks
of the site's "Readiness" dashboard (docs/readiness.md) with SVG plots.

The report itself is computed once as plain data in the data layer (``validators/readiness.py``,
``readiness(hb)``); this module only renders it. The command line's text and Markdown keep their
words here; the site's words are in docs/readiness.md and macros/partials/readiness/.
"""

from __future__ import annotations

import json
import math
import re
import textwrap
from dataclasses import asdict
from types import SimpleNamespace
from typing import Any

from preparedness_handbook.macros.context import BuildContext
from preparedness_handbook.macros.render.html import Html, e, h, join
from preparedness_handbook.macros.render.partials import partial
from preparedness_handbook.macros.render.sections import Section
from preparedness_handbook.macros.render.svg import ACCENT, INK, LINE, MUTED, _svg, _text
from preparedness_handbook.macros.site.blocks import block
from preparedness_handbook.macros.site.pages import Linker
from preparedness_handbook.validators.handbook import Handbook
from preparedness_handbook.validators.readiness import (  # noqa: F401  (readiness and its types, as before)
    DUE_SOON,
    OVERALL_HOW,
    Area,
    Entry,
    Group,
    Readiness,
    Todo,
    readiness,
)
from preparedness_handbook.validators.readiness import show_date as _d

# --- text, Markdown, JSON -----------------------------------------------------------------------

MARK = {"overdue": "OVERDUE", "expired": "EXPIRED", "never": "NEVER", "due-soon": "due soon",
        "expiring": "expiring", "open": "open", "ok": "ok", "not-required": "not required"}


def _title_line(r: Readiness) -> str:
    return f"Readiness of {r.organization} as of {_d(r.today)}"


def render_text(r: Readiness) -> str:
    out = [_title_line(r), "", f"Overall readiness: {r.overall}/100 ({OVERALL_HOW})", ""]
    width = max(len(a.title) for a in r.areas)
    for a in r.areas:
        lead = f"  {a.title.ljust(width)}  {a.score:>3}/100  "
        out += textwrap.wrap(a.how, 100, initial_indent=lead, subsequent_indent=" " * len(lead))
    out += ["", "What to do now"]
    if not r.todos:
        out.append("  Nothing: every check passes.")
    for i, todo in enumerate(r.todos, 1):
        out.append(f"  {i}. {todo.title}:")
        out += [f"     - {item}" for item in todo.items]
    for a in r.areas:
        heading = f"{a.title} — {a.score}/100"
        out += ["", heading, "=" * len(heading)]
        for g in a.groups:
            out.append(f"{g.title}:")
            if not g.entries:
                out.append(f"  {g.empty}")
            for x in g.entries:
                out.append(f"  [{MARK.get(x.state, x.state)}] {x.text}")
    return "\n".join(out)


_MD_ESCAPE = re.compile(r"([\\`*_\[\]<>|~#])")
_MD_ENTITY = re.compile(r"&(?=[A-Za-z#])")


def md_escape(value: str) -> str:
    """Plain text for a Markdown line: no emphasis, links, HTML or table breaks from the data."""
    return _MD_ENTITY.sub(r"\\&", _MD_ESCAPE.sub(r"\\\1", value))


def render_markdown(r: Readiness) -> str:
    out = [f"# {md_escape(_title_line(r))}", "", f"**Overall readiness: {r.overall}/100** ({OVERALL_HOW}).", "",
           "| Area | Score | How it is computed |", "| --- | ---: | --- |"]
    out += [f"| {md_escape(a.title)} | {a.score} | {md_escape(a.how)} |" for a in r.areas]
    out += ["", "## What to do now", ""]
    if not r.todos:
        out.append("Nothing: every check passes.")
    for i, todo in enumerate(r.todos, 1):
        out.append(f"{i}. **{md_escape(todo.title)}**")
        out += [f"    - {md_escape(item)}" for item in todo.items]
    for a in r.areas:
        out += ["", f"## {md_escape(a.title)}: {a.score}/100", "", md_escape(a.how) + ".", ""]
        for g in a.groups:
            out += [f"### {md_escape(g.title)}", ""]
            if not g.entries:
                out += [md_escape(g.empty), ""]
                continue
            out += [f"- **{MARK.get(x.state, x.state)}** {md_escape(x.text)}" for x in g.entries]
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def report_data(r: Readiness) -> dict[str, Any]:
    return {
        "organization": r.organization,
        "as_of": r.today.isoformat(),
        "overall": {"score": r.overall, "how": OVERALL_HOW},
        "areas": [
            {"key": a.key, "title": a.title, "score": a.score, "passed": a.passed, "total": a.total, "how": a.how,
             "groups": [{"title": g.title, "entries": [asdict(x) for x in g.entries]} for g in a.groups]}
            for a in r.areas
        ],
        "todo": [asdict(t) for t in r.todos],
        "contact_verification_age_days": sorted(r.verification_ages),
        "drills_by_quarter": [{"quarter": q, "done": d, "planned": p} for q, d, p in r.drills_by_quarter],
    }


def render_report(hb: Handbook, fmt: str = "text") -> str:
    r = readiness(hb)
    if fmt == "json":
        return json.dumps(report_data(r), indent=2, ensure_ascii=False)
    if fmt == "markdown":
        return render_markdown(r)
    return render_text(r)


# --- the site: plots and the dashboard --------------------------------------------------------
# The words of the page are in docs/readiness.md and macros/partials/readiness/; the charts take
# their titles and labels from the partials too (the partial calls them with its words).

OK_FILL, WARN_FILL, BAD_FILL, PLAN_FILL = "#1e6b35", "#8a5a00", ACCENT, "#ffffff"
COLORS = SimpleNamespace(ok=OK_FILL, warn=WARN_FILL, bad=BAD_FILL, plan=PLAN_FILL)
BADGE = {"overdue": "bad", "expired": "bad", "never": "bad", "due-soon": "warn", "expiring": "warn",
         "open": "info", "ok": "ok", "not-required": "info"}


def _bars(width: int, height: int, labels: list[str], series: list[list[tuple[int, str, str]]],
          title: str, y_label: str, x_label: str) -> Html:
    """A vertical bar chart: for each label, stacked bars (value, fill, stroke); texts escaped."""
    left, right, top, bottom = 44, 12, 40, 48
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([sum(v for v, _, _ in stack) for stack in series] + [1])
    step = max(1, math.ceil(peak / 5))
    peak = step * math.ceil(peak / step)
    slot = plot_w / max(1, len(labels))
    bar = min(44.0, slot * 0.7)
    body = [_text(left, 16, y_label, 12, "bold", MUTED)]
    for tick in range(0, peak + 1, step):
        y = top + plot_h - plot_h * tick / peak
        body.append(h('<line x1="{}" y1="{y:.1f}" x2="{}" y2="{y:.1f}" stroke="#e3e3e3" stroke-width="1"/>',
                      left, width - right, y=y))
        body.append(_text(left - 6, y + 4, str(tick), 12, "normal", MUTED, "end"))
    for i, (label, stack) in enumerate(zip(labels, series)):
        x = left + slot * i + (slot - bar) / 2
        base = top + plot_h
        for value, fill, stroke in stack:
            if value <= 0:
                continue
            bar_h = plot_h * value / peak
            base -= bar_h
            body.append(h('<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="{}" '
                          'stroke="{}" stroke-width="1.5"><title>{}: {}</title></rect>',
                          x, base, bar, bar_h, fill, stroke, label, value))
        total = sum(v for v, _, _ in stack)
        if total:
            body.append(_text(x + bar / 2, base - 4, str(total), 12, "bold", INK, "middle"))
        body.append(_text(x + bar / 2, top + plot_h + 16, label, 12, "normal", INK, "middle"))
    body.append(h('<line x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="{}" stroke-width="1.5"/>',
                  left, width - right, LINE, y=top + plot_h))
    body.append(_text(left + plot_w / 2, height - 6, x_label, 12, "bold", MUTED, "middle"))
    return _svg(width, height, join(body), title)


def verification_bins(r: Readiness, over: str) -> list[tuple[str, int, str]]:
    """People by days since they last checked their contacts, in 30-day bins: (label, count, state),
    state "ok", "warn" (someone in the bin may fall due within 30 days) or "bad" (overdue).

    ``over`` is the last bin's label before the limit ("over" → "over 180")."""
    limit = r.reverify_days
    edges = list(range(0, limit, 30))
    # The last bin runs up to the limit itself: on that day a person is due, not yet overdue.
    labels = [f"{lo}–{lo + 29}" for lo in edges[:-1]] + [f"{edges[-1]}–{limit}", f"{over} {limit}"]
    counts = [0] * len(labels)
    for age in r.verification_ages:
        counts[len(labels) - 1 if age > limit else min(max(0, age) // 30, len(edges) - 1)] += 1
    states = ["bad" if i == len(edges) else "warn" if edges[i] + 29 >= limit - DUE_SOON.days else "ok"
              for i in range(len(labels))]
    return list(zip(labels, counts, states))


def verification_histogram(r: Readiness, title: str, y_label: str, x_label: str, over: str) -> Html:
    """The bins above as bars; overdue in red, due soon in amber."""
    fills = {"ok": OK_FILL, "warn": WARN_FILL, "bad": BAD_FILL}
    bins = verification_bins(r, over)
    series = [[(n, fills[state], fills[state])] for _, n, state in bins]
    return _bars(640, 270, [label for label, _, _ in bins], series, title, y_label, x_label)


def drills_chart(r: Readiness, title: str, y_label: str, x_label: str) -> Html:
    labels = [q for q, _, _ in r.drills_by_quarter]
    series = [[(d, OK_FILL, OK_FILL), (p, PLAN_FILL, OK_FILL)] for _, d, p in r.drills_by_quarter]
    return _bars(680, 270, labels, series, title, y_label, x_label)


def scores_chart(r: Readiness, title: str, overall: str) -> Html:
    """One horizontal bar per area, 0–100, and the overall score (labelled ``overall``) last."""
    left, width, row = 150, 520, 30
    rows = [*((a.title, a.score) for a in r.areas), (overall, r.overall)]
    body = []
    for i, (name, score) in enumerate(rows):
        y = 10 + i * row
        fill = OK_FILL if score >= 90 else WARN_FILL if score >= 70 else BAD_FILL
        body.append(_text(left - 10, y + 17, name, 13, "bold" if i == len(rows) - 1 else "normal", INK, "end"))
        bar = width - left - 90
        body.append(h('<rect x="{}" y="{}" width="{}" height="{}" fill="#eeeeee"/>', left, y + 4, bar, row - 10))
        body.append(h('<rect x="{}" y="{}" width="{:.1f}" height="{}" fill="{}"><title>{}: {}/100</title></rect>',
                      left, y + 4, bar * score / 100, row - 10, fill, name, score))
        body.append(_text(left + bar + 10, y + 17, f"{score}/100", 13, "bold", INK))
    return _svg(width, 14 + len(rows) * row, join(body), title)


def _report(ctx: BuildContext) -> Readiness:
    """The report once per build (the page's blocks all read it)."""
    key = ("readiness", ctx.today)
    if key not in ctx.cache:
        ctx.cache[key] = readiness(ctx.hb)
    return ctx.cache[key]


def _chart(fn: Any, r: Readiness) -> Any:
    """``fn`` with the report bound, for a partial to call with its words."""
    return lambda *args, **kwargs: fn(r, *args, **kwargs)


@block("readiness.overall")
def overall(ctx: BuildContext, link: Linker) -> Html:
    """The overall score and how it is computed."""
    return partial(ctx, "readiness/overall.html", r=_report(ctx), how=OVERALL_HOW)


@block("readiness.glance")
def glance(ctx: BuildContext, link: Linker) -> Html:
    """The score per area as a chart and as a table."""
    r = _report(ctx)
    return partial(ctx, "readiness/glance.html", r=r, colors=COLORS, scores_chart=_chart(scores_chart, r))


@block("readiness.todo")
def todo(ctx: BuildContext, link: Linker) -> Html:
    """The plain requests, one per area that is not at full score."""
    return partial(ctx, "readiness/todo.html", todos=_report(ctx).todos)


def _entries(g: Group, link: Linker) -> list[SimpleNamespace]:
    return [SimpleNamespace(state=x.state, badge=BADGE.get(x.state, "info"), detail=x.detail,
                            subject=link.a(x.ref, x.subject) if x.ref else e(x.subject)) for x in g.entries]


@block("readiness.areas")
def areas(ctx: BuildContext, link: Linker) -> list[Section]:
    """One section per area: its score, its chart if it has one, and its groups of entries."""
    r = _report(ctx)
    values = dict(r=r, colors=COLORS, due_soon=DUE_SOON.days, # the offline copy has no exports/
                  calendar=None if link.offline_copy else link.asset("exports/drills.ics"),
                  histogram=_chart(verification_histogram, r), drills_chart=_chart(drills_chart, r),
                  bins=_chart(verification_bins, r))
    return [
        Section(partial(ctx, "readiness/area_title.html", a=a).unescape(), partial(ctx, "readiness/area.html", a=a, **values),
                a.key, [Section(g.title, partial(ctx, "readiness/entries.html", g=g, entries=_entries(g, link)), f"{a.key}-{i}")
                        for i, g in enumerate(a.groups, 1)])
        for a in r.areas
    ]
