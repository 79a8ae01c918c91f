"""``drills.ics``: every planned drill run as an event, and the drill's cadence as a recurrence."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vUri

from preparedness_handbook.macros.context import BuildContext
from preparedness_handbook.macros.exports.text import (
    Categories,
    Text,
    uri_value,
)
from preparedness_handbook.macros.site.pages import page_url
from preparedness_handbook.validators.models.common import format_duration
from preparedness_handbook.validators.models.drills import Drill, Run
from preparedness_handbook.validators.queries import (
    last_done,
    run_departments,
)

PRODID = "-//Preparedness Handbook//Drills//EN"
_START = re.compile(r"^\s*(\d{1,2})[:.h](\d{2})\s*$")


def site_host(ctx: BuildContext) -> str:
    url = ctx.hb.organization.site_url
    return (urlsplit(str(url)).hostname if url else None) or "preparedness-handbook.invalid"


def _drill_url(ctx: BuildContext, drill: Drill) -> str | None:
    url = ctx.hb.organization.site_url
    if not url:
        return None
    return str(url).rstrip("/") + "/" + page_url(f"drills/{drill.id}.md", True)


def start_time(run: Run) -> dt.time | None:
    """'09:00', '9.00' or '9h00' → 09:00; anything else means the run is all day."""
    match = _START.match(run.start or "")
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    return dt.time(hour, minute) if hour < 24 and minute < 60 else None


_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_MONTH_DAYS = 365.2425 / 12  # the mean Gregorian month


def recurrence(cadence: dt.timedelta, start: dt.date) -> dict[str, object]:
    """The RRULE of a cadence from its first event, always on the weekday that event is on.

    A drill held on a Thursday is held on a Thursday again: a cadence close to whole months (90d,
    180d) recurs on the same weekday of the month (``FREQ=MONTHLY;INTERVAL=6;BYDAY=4TH``, the
    fourth Thursday), whole years on that weekday of the same month (``FREQ=YEARLY;BYMONTH=11;
    BYDAY=4TH``), anything else in whole weeks (14d, 6 weeks; 45d as 6 weeks). A day past the
    28th counts from the month's end (``-1FR``, the last Friday), which every month has.
    ``FREQ=DAILY;INTERVAL=180`` would drift by a weekday or two at every step, onto weekends.
    """
    days = max(1, round(cadence.total_seconds() / 86400))
    months = round(days / _MONTH_DAYS)
    if days < 28 or months < 1 or abs(days - months * _MONTH_DAYS) > max(3.5, days * 0.02):
        return {"freq": "weekly", "interval": max(1, round(days / 7))}
    nth = (start.day - 1) // 7 + 1
    byday = f"{-1 if nth > 4 else nth}{_WEEKDAYS[start.weekday()]}"
    if months % 12 == 0:
        return {"freq": "yearly", "interval": months // 12, "bymonth": start.month, "byday": byday}
    return {"freq": "monthly", "interval": months, "byday": byday}


def drill_description(ctx: BuildContext, drill: Drill, run: Run | None) -> str:
    hb = ctx.hb
    departments = run_departments(drill, run) if run else drill.departments
    facilitator = hb.index["people"].get(drill.facilitator) if drill.facilitator else None
    lines = [drill.scenario.narrative.strip(), ""]
    if drill.scenario.failed_dependencies:
        down = [hb.index["dependencies"][d].name if d in hb.index["dependencies"] else d for d in drill.scenario.failed_dependencies]
        lines.append("Systems down in the scenario: " + ", ".join(down))
    lines.append("Levels exercised: " + ", ".join(hb.level(lv).name if lv in hb.index["levels"] else lv for lv in drill.levels))
    lines.append("Objectives:")
    lines += [f"- {o}" for o in drill.objectives]
    lines.append("Departments: " + ", ".join(hb.department(d).name if d in hb.index["departments"] else d for d in departments))
    if facilitator:
        lines.append(f"Facilitator: {facilitator.name}, {facilitator.title}")
    if drill.length:
        lines.append(f"Length: {format_duration(drill.length)}")
    if run is None:
        lines.append("Not scheduled yet: this is when the drill is due by its cadence. Agree a date and add it to drills.yaml.")
    url = _drill_url(ctx, drill)
    if url:
        lines.append(f"Handbook page: {url}")
    return "\n".join(lines)


def _event(ctx: BuildContext, drill: Drill, day: dt.date, run: Run | None, tz: ZoneInfo, stamp: dt.datetime) -> Event:
    ev = Event()
    ev.add("uid", Text(f"{drill.id}-{day:%Y%m%d}@{site_host(ctx)}" if run else f"{drill.id}-due@{site_host(ctx)}"))
    ev.add("dtstamp", stamp)
    ev.add("summary", Text(drill.title if run else f"Due: {drill.title}"))
    at = start_time(run) if run else None
    if at is not None:
        ev.add("dtstart", dt.datetime.combine(day, at, tzinfo=tz))
        ev.add("duration", drill.length or dt.timedelta(hours=1))
    else:
        # A date-only start must last whole days (RFC 5545); the length is in the description.
        ev.add("dtstart", day)
        ev.add("duration", dt.timedelta(days=1))
        ev.add("transp", "TRANSPARENT")
    ev.add("description", Text(drill_description(ctx, drill, run)))
    ev.add("categories", Categories([drill.type]))
    ev.add("status", "CONFIRMED" if run else "TENTATIVE")
    url = _drill_url(ctx, drill)
    if url:
        ev.add("url", vUri(uri_value(url)))
    return ev


def drill_events(ctx: BuildContext, drill: Drill) -> list[tuple[dt.date, Run | None, bool]]:
    """(date, run or None for "due", carries the RRULE) for each event of one drill."""
    last = last_done(drill, ctx.today)
    planned = sorted((r for r in drill.runs if r.status == "planned"), key=lambda r: r.date)
    # The cadence recurs from the last planned run that is not older than the last held one.
    anchor = next((r for r in reversed(planned) if last is None or r.date >= last.date), None)
    events: list[tuple[dt.date, Run | None, bool]] = [
        (r.date, r, drill.cadence is not None and r is anchor) for r in planned
    ]
    if drill.cadence is not None and anchor is None:
        due = last.date + drill.cadence if last else ctx.today
        events.append((due, None, True))
    return events


def drills_ics(ctx: BuildContext) -> str:
    hb = ctx.hb
    tzid = hb.organization.timezone
    tz = ZoneInfo(tzid)
    stamp = ctx.built.astimezone(dt.UTC).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    # X- properties are TEXT to the calendars that read them; icalendar would write them as
    # given (an unknown type), so each is a Text.
    cal.add("x-wr-calname", Text(f"{hb.organization.name} — drills"))
    cal.add("x-wr-caldesc", Text(f"Planned drills and exercises of {hb.organization.handbook_title}"))
    cal.add("x-wr-timezone", Text(tzid))
    cal.add("refresh-interval", dt.timedelta(days=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "P1D")
    events, days = [], []
    for drill in hb.drills:
        for day, run, recurs in drill_events(ctx, drill):
            ev = _event(ctx, drill, day, run, tz, stamp)
            if recurs and drill.cadence is not None:
                ev.add("rrule", recurrence(drill.cadence, day))
            events.append(ev)
            days.append(day)
    if any(isinstance(ev.decoded("dtstart"), dt.datetime) for ev in events):
        first = min(days) - dt.timedelta(days=366)
        # The recurrences run on: describe the zone's changes ten years past the last event.
        cal.add_component(Timezone.from_tzid(tzid, first_date=first, last_date=max(days) + dt.timedelta(days=3660)))
    for ev in events:
        cal.add_component(ev)
    return cal.to_ical().decode("utf-8")
