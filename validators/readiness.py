"""Readiness: what the data makes overdue, expiring or never exercised, with a score per area.

``readiness(hb)`` computes the report once as plain data (``Readiness``: areas of groups of
entries, and the requests to pass on). ``macros/views/readiness.py`` writes it as text, Markdown or JSON
for `handbook report` and as the site's "Readiness" dashboard. Every date is compared with
``hb.today``, so the report is the same on every machine for one ``--today``; every decision
(held, overdue, expired, stale) is a query from ``validators/queries.py``, the same the rules ask.

Scores: each area counts the things that should be true (a person's contacts checked within the
interval, a department drilled within the window …) and scores the share that are, rounded
down, so 100 means nothing is missing. The overall score is the plain average of the areas.

An entry's ``ref`` is the key of the page that describes its subject ("drill:ransomware-tabletop"),
which the site turns into a link; the text knows nothing of pages.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass, field

from .handbook import Handbook
from .models.common import format_duration
from .models.drills import Action
from .queries import (
    action_overdue,
    approval_expired,
    approval_expiring,
    call_tree_last_tested,
    channel_untested,
    contacts_due,
    contacts_in_future,
    contacts_stale,
    contract_expired,
    contract_expiring,
    held,
    in_window,
    is_major,
    is_overdue,
    last_done,
    last_exercised,
    last_took_part,
    next_due,
    next_planned,
    open_actions,
    open_items,
    partner_contacts_stale,
    past_planned,
    requirement_status,
)

DUE_SOON = dt.timedelta(days=30)
SERIOUS = ("critical", "high")


@dataclass
class Entry:
    """One thing in the report: what it is about, where it stands, and who can act on it."""

    subject: str
    detail: str
    state: str  # overdue | expired | never | due-soon | expiring | open | ok | not-required
    date: str = ""
    who: str = ""
    ref: str = ""  # page key on the site, e.g. "drill:ransomware-tabletop"

    @property
    def text(self) -> str:
        return f"{self.subject} — {self.detail}" if self.detail else self.subject


@dataclass
class Group:
    title: str
    entries: list[Entry]
    empty: str = "Nothing here."


@dataclass
class Area:
    key: str
    title: str
    passed: int
    total: int
    how: str
    groups: list[Group] = field(default_factory=list)

    @property
    def score(self) -> int:
        return 100 if self.total == 0 else math.floor(100 * self.passed / self.total)


@dataclass
class Todo:
    """A plain request someone can carry out without knowing YAML."""

    title: str
    items: list[str]
    area: str


@dataclass
class Readiness:
    organization: str
    today: dt.date
    areas: list[Area]
    todos: list[Todo]
    verification_ages: list[int]  # days since each person last checked their contacts
    reverify_days: int
    drills_by_quarter: list[tuple[str, int, int]]  # (quarter, done, planned)

    @property
    def overall(self) -> int:
        return math.floor(sum(a.score for a in self.areas) / len(self.areas)) if self.areas else 100

    def area(self, key: str) -> Area:
        return next(a for a in self.areas if a.key == key)


OVERALL_HOW = "the average of the area scores, each area counted equally"
BAD_STATES = {"overdue", "expired", "never"}
WARN_STATES = {"due-soon", "expiring"}


def show_date(value: dt.date | None) -> str:
    """27 Nov 2026, or "never"."""
    return value.strftime("%-d %b %Y") if value else "never"


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def _name(hb: Handbook, pid: str | None) -> str:
    person = hb.index["people"].get(pid) if pid else None
    return person.name if person else (pid or "")


def _role_holder(hb: Handbook, rid: str) -> str:
    role = hb.index["roles"].get(rid)
    return (f"{role.name} ({_name(hb, role.first)})" if role.first else f"{role.name} ({role.filled_by})") if role else rid


def _pct(passed: int, total: int) -> str:
    return f"{passed} of {total}"


# --- areas ------------------------------------------------------------------------------------

def contacts_area(hb: Handbook) -> tuple[Area, Todo | None, list[int]]:
    interval = hb.organization.review.contact_reverify
    overdue, soon, ages = [], [], []
    future = False
    for p in hb.people:
        due = contacts_due(p, interval)
        age = (hb.today - p.last_verified).days
        ages.append(age)
        dept = hb.index["departments"].get(p.department)
        asker = p.reports_to or (dept.head if dept and dept.head and dept.head != p.id else None)
        who = _name(hb, asker)
        where = f" ({dept.name})" if dept else ""
        if contacts_in_future(p, hb.today):
            future = True
            overdue.append(Entry(p.name + where, f"last checked {show_date(p.last_verified)}, a date in the future",
                                 "overdue", p.last_verified.isoformat(), who, f"department:{p.department}"))
        elif contacts_stale(p, hb.today, interval):
            overdue.append(Entry(p.name + where, f"last checked {show_date(p.last_verified)}, {_days(age)} ago",
                                 "overdue", p.last_verified.isoformat(), who, f"department:{p.department}"))
        elif due <= hb.today + DUE_SOON:
            soon.append(Entry(p.name + where, f"last checked {show_date(p.last_verified)}; due by {show_date(due)}",
                              "due-soon", due.isoformat(), who, f"department:{p.department}"))
    overdue.sort(key=lambda x: (x.date, x.subject))
    soon.sort(key=lambda x: (x.date, x.subject))
    current = len(hb.people) - len(overdue)
    every = format_duration(interval)
    area = Area(
        "contacts", "Contact details", current, len(hb.people),
        f"{_pct(current, len(hb.people))} people checked their phone numbers in the last {every}",
        [
            Group(f"Overdue: last checked more than {every} ago" + (", or dated in the future" if future else ""),
                  overdue, "Nobody is overdue."),
            Group(f"Due within {_days(DUE_SOON.days)}", soon, "Nobody is due in the next 30 days."),
        ],
    )
    asks = overdue + soon
    todo = Todo(
        f"Ask {'this person' if len(asks) == 1 else f'these {len(asks)} people'} to check their numbers",
        [f"{x.subject}: {x.detail}" + (f" (ask via {x.who})" if x.who else "") for x in asks],
        "contacts",
    ) if asks else None
    return area, todo, ages


def drills_area(hb: Handbook) -> tuple[Area, Todo | None]:
    window = hb.organization.review.drill_window
    every = format_duration(window)
    checks: list[bool] = []
    book: list[str] = []

    levels = []
    for lv in hb.levels:
        last = last_exercised(hb.drills, lv.id, hb.today)
        required = is_major(hb, lv)
        fresh = in_window(last, hb.today, window)
        if not required:
            state = "ok" if fresh else "not-required"
        else:
            state = "ok" if fresh else ("never" if last is None else "overdue")
            checks.append(fresh)
            if not fresh:
                book.append(f"A drill that exercises {lv.name} (last: {show_date(last)})")
        seen = f"last exercised {show_date(last)}" if last else "never exercised"
        levels.append(Entry(lv.name, seen + ("" if required else " (not required)"),
                            state, last.isoformat() if last else "", ref="severity"))

    departments = []
    for dept in hb.departments:
        last = last_took_part(hb.drills, dept.id, hb.today)
        fresh = in_window(last, hb.today, window)
        checks.append(fresh)
        state = "ok" if fresh else ("never" if last is None else "overdue")
        if not fresh:
            book.append(f"A drill with {dept.name} (last: {show_date(last)})")
        departments.append(Entry(dept.name, f"last took part {show_date(last)}" if last else "never took part", state,
                                 last.isoformat() if last else "", ref=f"department:{dept.id}"))

    tree_last = call_tree_last_tested(hb.drills, hb.today)
    tree_fresh = in_window(tree_last, hb.today, window)
    if hb.call_tree is not None:  # a plan without a call tree has none to test
        checks.append(tree_fresh)
        if not tree_fresh:
            book.append(f"A call-tree test (last: {show_date(tree_last)})")

    # What the policy itself requires of the programme (drills.yaml requirements), each one check.
    required_runs = []
    for req in hb.requirements:
        have, typed = requirement_status(hb, req)
        met = have >= req.count and typed
        checks.append(met)
        detail = f"{have} of {req.count} in the last {format_duration(req.within)}"
        if req.at_least_one_of:
            detail += f"; {' or '.join(req.at_least_one_of)}: {'held' if typed else 'none held'}"
        if not met:
            book.append(f"{req.name}: {detail}")
        required_runs.append(Entry(req.name, detail, "ok" if met else "overdue", ref="drills"))

    programme = []
    for d in hb.drills:
        held_last, planned = last_done(d, hb.today), next_planned(d, hb.today)
        last = held_last.date if held_last else None
        future = planned.date if planned else None
        stale = sorted(r.date for r in past_planned(d, hb.today))
        facilitator = _name(hb, d.facilitator)
        nxt = f"next {show_date(future)}" if future else "no date planned"
        if d.cadence is None:
            state, detail = ("ok" if last else "never"), f"once; last run {show_date(last)}, {nxt}"
        else:
            due = next_due(d, hb.today)
            on_time = not is_overdue(d, hb.today)
            checks.append(on_time)
            state = "ok" if on_time else ("never" if last is None else "overdue")
            detail = f"every {format_duration(d.cadence)}; last run {show_date(last)}, {nxt}"
            if not on_time:
                detail += f"; due since {show_date(due)}" if due else "; never run"
                book.append(f"{d.title} (ask {facilitator})")
        if stale:
            state = "overdue" if state == "ok" else state
            detail += f"; planned for {', '.join(show_date(x) for x in stale)} but not recorded as done"
            book.append(f"Record or re-plan {d.title}, planned for {show_date(stale[-1])} (ask {facilitator})")
        programme.append(Entry(d.title, detail, state, last.isoformat() if last else "", facilitator, f"drill:{d.id}"))

    passed = sum(checks)
    serious = sum(1 for lv in hb.levels if is_major(hb, lv))
    area = Area(
        "drills", "Drills", passed, len(checks),
        f"{_pct(passed, len(checks))} checks pass: each major level ({serious}) and each department "
        f"({len(hb.departments)}) exercised in the last {every}"
        + (", the call tree tested in that time" if hb.call_tree is not None else "")
        + (f", the policy's {len(hb.requirements)} exercise requirement{'s' if len(hb.requirements) != 1 else ''} met"
           if hb.requirements else "")
        + ", and every drill with a cadence held on schedule",
        [
            Group("By severity level", levels),
            Group("By department", departments),
            Group("Call tree", [Entry("Call-tree test", f"last run {show_date(tree_last)}" if tree_last else "never run",
                                      "ok" if tree_fresh else ("never" if tree_last is None else "overdue"),
                                      tree_last.isoformat() if tree_last else "", ref="drills")]),
            Group("By drill", programme),
            *([Group("What the policy requires", required_runs)] if required_runs else []),
        ],
    )
    todo = Todo("Book these drills", book, "drills") if book else None
    return area, todo


def partners_area(hb: Handbook) -> tuple[Area, list[Todo]]:
    review = hb.organization.review
    contracts, checks = [], []
    ok = 0
    renew, recheck = [], []
    for p in hb.partners:
        owner = _name(hb, p.owner)
        good = True
        end = p.contract.end
        if contract_expired(p, hb.today):
            good = False
            contracts.append(Entry(p.name, f"contract ended {show_date(end)}", "expired", end.isoformat(), owner, "partners"))
            renew.append(f"{p.name}: contract ended {show_date(end)} (ask {owner})")
        elif contract_expiring(p, hb.today, review.contract_warning):
            contracts.append(Entry(p.name, f"contract ends {show_date(end)}", "expiring", end.isoformat(), owner, "partners"))
            renew.append(f"{p.name}: contract ends {show_date(end)} (ask {owner})")
        due = p.last_verified + review.partner_review
        if partner_contacts_stale(p, hb.today, review.partner_review):
            good = False
            checks.append(Entry(p.name, f"contacts last checked {show_date(p.last_verified)}", "overdue",
                                p.last_verified.isoformat(), owner, "partners"))
            recheck.append(f"{p.name}: last checked {show_date(p.last_verified)} (ask {owner})")
        elif due <= hb.today + DUE_SOON:
            checks.append(Entry(p.name, f"contacts due for a check by {show_date(due)}", "due-soon",
                                due.isoformat(), owner, "partners"))
            recheck.append(f"{p.name}: due by {show_date(due)} (ask {owner})")
        ok += good
    contracts.sort(key=lambda x: x.date)
    checks.sort(key=lambda x: x.date)
    area = Area(
        "partners", "Partners", ok, len(hb.partners),
        f"{_pct(ok, len(hb.partners))} partners have a contract that has not ended and contacts checked "
        f"in the last {format_duration(review.partner_review)}",
        [
            Group(f"Contracts ended or ending within {format_duration(review.contract_warning)}", contracts,
                  "No contract ends soon."),
            Group("Contacts to check again", checks, "Every partner's contacts are current."),
        ],
    )
    todos = []
    if renew:
        todos.append(Todo("Renew these contracts", renew, "partners"))
    if recheck:
        todos.append(Todo("Call these partners to check their numbers", recheck, "partners"))
    return area, todos


def _actions(hb: Handbook) -> list[tuple[Action, str, str]]:
    """Every open action: (action, where it comes from, page key)."""
    out = []
    for d in hb.drills:
        for r, action in open_actions(d):
            out.append((action, f"drill {d.title}, {show_date(r.date)}", f"drill:{d.id}"))
    for pm in hb.postmortems:
        for a in open_items(pm):
            out.append((a, f"postmortem {pm.title}", f"postmortem:{pm.id}"))
    return out


def actions_area(hb: Handbook) -> tuple[Area, Todo | None]:
    overdue, soon, later = [], [], []
    for action, source, ref in _actions(hb):
        owner = _name(hb, action.owner) if action.owner else ""
        lacking = [w for w, v in (("an owner", action.owner), ("a due date", action.due)) if not v]
        detail = f"{owner or 'no owner'}, due {show_date(action.due) if action.due else 'no date'} (from {source})"
        if lacking:
            overdue.append(Entry(action.text, detail + f"; needs {' and '.join(lacking)}", "overdue", "", owner, ref))
        elif action_overdue(action, hb.today):
            overdue.append(Entry(action.text, detail, "overdue", action.due.isoformat(), owner, ref))
        elif action.due <= hb.today + DUE_SOON:
            soon.append(Entry(action.text, detail, "due-soon", action.due.isoformat(), owner, ref))
        else:
            later.append(Entry(action.text, detail, "open", action.due.isoformat(), owner, ref))
    for group in (overdue, soon, later):
        group.sort(key=lambda x: (x.date or "0", x.subject))
    total = len(overdue) + len(soon) + len(later)
    on_track = total - len(overdue)
    area = Area(
        "actions", "Action items", on_track, total,
        f"{_pct(on_track, total)} open actions from drills and postmortems have an owner and a due date "
        "that has not passed",
        [
            Group("Overdue, or without an owner or date", overdue, "No action is overdue."),
            Group(f"Due within {_days(DUE_SOON.days)}", soon, "Nothing is due in the next 30 days."),
            Group("Open, due later", later, "No other open actions."),
        ],
    )
    todo = Todo("Chase these overdue actions", [f"{x.subject} — {x.detail}" for x in overdue], "actions") if overdue else None
    return area, todo


def templates_area(hb: Handbook) -> tuple[Area, Todo | None]:
    warn = hb.organization.review.template_warning
    entries = []
    for t in hb.templates:
        approver = _role_holder(hb, t.approver)
        if approval_expired(t, hb.today):
            entries.append(Entry(t.name, f"approval ran out {show_date(t.expires)}; approver {approver}", "expired",
                                 t.expires.isoformat(), approver, "communications"))
        elif approval_expiring(t, hb.today, warn):
            entries.append(Entry(t.name, f"approval runs out {show_date(t.expires)}; approver {approver}", "expiring",
                                 t.expires.isoformat(), approver, "communications"))
    entries.sort(key=lambda x: x.date)
    valid = sum(1 for t in hb.templates if not approval_expired(t, hb.today))
    area = Area(
        "templates", "Message templates", valid, len(hb.templates),
        f"{_pct(valid, len(hb.templates))} message templates are approved and not expired",
        [Group(f"Expired or running out within {format_duration(warn)}", entries, "Every template is approved for now.")],
    )
    todo = Todo("Re-approve these message templates", [x.text for x in entries], "templates") if entries else None
    return area, todo


def channels_area(hb: Handbook) -> tuple[Area, Todo | None]:
    window = hb.organization.review.drill_window
    entries = []
    for c in hb.channels:
        owner = _name(hb, c.owner)
        use = "backup" if c.use == "backup" else "primary"
        if not channel_untested(c, hb.today, window):
            continue
        if c.last_tested is None:
            entries.append(Entry(c.name, f"{use}; never tested; owner {owner}", "never", "", owner, "communications"))
        else:
            entries.append(Entry(c.name, f"{use}; last tested {show_date(c.last_tested)}; owner {owner}", "overdue",
                                 c.last_tested.isoformat(), owner, "communications"))
    tested = len(hb.channels) - len(entries)
    area = Area(
        "channels", "Channels", tested, len(hb.channels),
        f"{_pct(tested, len(hb.channels))} channels were tested end to end in the last {format_duration(window)}",
        [Group("Not tested recently", entries, "Every channel was tested recently.")],
    )
    todo = Todo("Test these channels end to end", [x.text for x in entries], "channels") if entries else None
    return area, todo


def _quarter(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def drills_by_quarter(hb: Handbook, back: int = 8, ahead: int = 4) -> list[tuple[str, int, int]]:
    """(quarter, runs held, runs planned) from ``back`` quarters ago to ``ahead`` quarters on; a run
    marked done with a date still to come is not counted as held."""
    year, q = _quarter(hb.today)
    index = year * 4 + q - 1
    keys = [((i // 4), i % 4 + 1) for i in range(index - back + 1, index + ahead + 1)]
    done = Counter(_quarter(r.date) for _, r in held(hb.drills, hb.today))
    planned = Counter(_quarter(r.date) for d in hb.drills for r in d.runs if r.status == "planned")
    return [(f"Q{k[1]} {k[0]}", done[k], planned[k]) for k in keys]


def readiness(hb: Handbook) -> Readiness:
    contacts, contact_todo, ages = contacts_area(hb)
    drills, drill_todo = drills_area(hb)
    partners, partner_todos = partners_area(hb)
    actions, action_todo = actions_area(hb)
    templates, template_todo = templates_area(hb)
    channels, channel_todo = channels_area(hb)
    todos = [t for t in (contact_todo, drill_todo, action_todo, *partner_todos, template_todo, channel_todo) if t]
    return Readiness(
        organization=hb.organization.name,
        today=hb.today,
        areas=[contacts, drills, partners, actions, templates, channels],
        todos=todos,
        verification_ages=ages,
        reverify_days=hb.organization.review.contact_reverify.days,
        drills_by_quarter=drills_by_quarter(hb),
    )
