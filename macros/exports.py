"""Files other tools read: the handbook as JSON, the drill calendar, contacts for phones.

- ``handbook.json``: the (profile's) data as JSON.
- ``drills.ics``: every planned drill run as an event, and the drill's cadence as a recurrence.
- ``contacts/<department-id>.vcf`` and ``contacts/all.vcf``: vCard 3.0, which every phone
  imports (4.0 is still refused by some Android and Outlook versions). Internal profile only:
  the public profile has no personal numbers to give, so it writes no contacts folder at all.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import vobject
from icalendar import Calendar, Event, Timezone

from validators.models.common import format_duration
from validators.models.communications import Channel
from validators.models.drills import Drill, Run
from validators.models.partners import Partner, PartnerContact
from validators.models.people import Person

from .context import BuildContext
from .pages import page_url
from .views.common import best_phone
from .views.departments import department_partners

PRODID = "-//Preparedness Handbook//Drills//EN"
_START = re.compile(r"^\s*(\d{1,2})[:.h](\d{2})\s*$")


def handbook_json(ctx: BuildContext) -> str:
    hb = ctx.hb
    data = {
        "profile": ctx.profile,
        "version": ctx.version,
        "as_of": ctx.today.isoformat(),
        "organization": hb.organization.model_dump(mode="json"),
        "people": [p.model_dump(mode="json") for p in hb.people],
        "departments": [d.model_dump(mode="json") for d in hb.departments],
        "roles": [r.model_dump(mode="json") for r in hb.roles],
        "levels": [lv.model_dump(mode="json") for lv in hb.levels],
        "chains": [c.model_dump(mode="json") for c in hb.chains],
        "channels": [c.model_dump(mode="json") for c in hb.channels],
        "hotline": hb.hotline_id,
        "bridge": hb.bridge_id,
        "call_tree": hb.call_tree.model_dump(mode="json"),
        "templates": [t.model_dump(mode="json") for t in hb.templates],
        "partners": [p.model_dump(mode="json") for p in hb.partners],
        "drills": [d.model_dump(mode="json") for d in hb.drills],
        "incidents": [i.model_dump(mode="json") for i in hb.incidents],
        "postmortems": [p.model_dump(mode="json") for p in hb.postmortems],
    }
    return json.dumps(data, indent=2, ensure_ascii=False)


# --- drills.ics ------------------------------------------------------------------------------

def _host(ctx: BuildContext) -> str:
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


def recurrence(cadence: dt.timedelta) -> dict[str, object]:
    """The RRULE of a cadence, in whole days (weeks when it divides evenly)."""
    days = max(1, round(cadence.total_seconds() / 86400))
    if days % 7 == 0:
        return {"freq": "weekly", "interval": days // 7}
    return {"freq": "daily", "interval": days}


def drill_description(ctx: BuildContext, drill: Drill, run: Run | None) -> str:
    hb = ctx.hb
    departments = (run.participants if run and run.participants else None) or drill.departments
    facilitator = hb.index["people"].get(drill.facilitator)
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
    ev.add("uid", f"{drill.id}-{day:%Y%m%d}@{_host(ctx)}" if run else f"{drill.id}-due@{_host(ctx)}")
    ev.add("dtstamp", stamp)
    ev.add("summary", drill.title if run else f"Due: {drill.title}")
    at = start_time(run) if run else None
    if at is not None:
        ev.add("dtstart", dt.datetime.combine(day, at, tzinfo=tz))
        ev.add("duration", drill.length or dt.timedelta(hours=1))
    else:
        # A date-only start must last whole days (RFC 5545); the length is in the description.
        ev.add("dtstart", day)
        ev.add("duration", dt.timedelta(days=1))
        ev.add("transp", "TRANSPARENT")
    ev.add("description", drill_description(ctx, drill, run))
    ev.add("categories", [drill.type])
    ev.add("status", "CONFIRMED" if run else "TENTATIVE")
    url = _drill_url(ctx, drill)
    if url:
        ev.add("url", url)
    return ev


def drill_events(ctx: BuildContext, drill: Drill) -> list[tuple[dt.date, Run | None, bool]]:
    """(date, run or None for "due", carries the RRULE) for each event of one drill."""
    done = [r.date for r in drill.runs if r.status == "done"]
    planned = sorted((r for r in drill.runs if r.status == "planned"), key=lambda r: r.date)
    # The cadence recurs from the last planned run that is not older than the last done one.
    anchor = next((r for r in reversed(planned) if not done or r.date >= max(done)), None)
    events: list[tuple[dt.date, Run | None, bool]] = [
        (r.date, r, drill.cadence is not None and r is anchor) for r in planned
    ]
    if drill.cadence is not None and anchor is None:
        due = max(done) + drill.cadence if done else ctx.today
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
    cal.add("x-wr-calname", f"{hb.organization.name} — drills")
    cal.add("x-wr-caldesc", f"Planned drills and exercises of {hb.organization.handbook_title}")
    cal.add("x-wr-timezone", tzid)
    cal.add("refresh-interval", dt.timedelta(days=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "P1D")
    events, days = [], []
    for drill in hb.drills:
        for day, run, recurs in drill_events(ctx, drill):
            ev = _event(ctx, drill, day, run, tz, stamp)
            if recurs and drill.cadence is not None:
                ev.add("rrule", recurrence(drill.cadence))
            events.append(ev)
            days.append(day)
    if any(isinstance(ev.decoded("dtstart"), dt.datetime) for ev in events):
        first = min(days) - dt.timedelta(days=366)
        # The recurrences run on: describe the zone's changes ten years past the last event.
        cal.add_component(Timezone.from_tzid(tzid, first_date=first, last_date=max(days) + dt.timedelta(days=3660)))
    for ev in events:
        cal.add_component(ev)
    return cal.to_ical().decode("utf-8")


# --- contacts/*.vcf --------------------------------------------------------------------------

TEL_TYPES = {
    "mobile": ["CELL", "VOICE"],
    "sms": ["CELL", "MSG"],
    "landline": ["HOME", "VOICE"],
    "work-phone": ["WORK", "VOICE"],
}
EMAIL_TYPES = {"work-email": ["INTERNET", "WORK"], "personal-email": ["INTERNET", "HOME"]}


def _uid(ctx: BuildContext, kind: str, ident: str) -> str:
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://{_host(ctx)}/{kind}/{ident}"))


def _card(ctx: BuildContext, kind: str, ident: str, fn: str, family: str, given: str = "") -> vobject.base.Component:
    card = vobject.vCard()
    card.add("version").value = "3.0"
    card.add("uid").value = _uid(ctx, kind, ident)
    card.add("fn").value = fn
    card.add("n").value = vobject.vcard.Name(family=family, given=given)
    return card


def _tel(card: vobject.base.Component, number: str, types: list[str]) -> None:
    tel = card.add("tel")
    tel.value = number
    tel.type_param = types


def _split_name(name: str) -> tuple[str, str]:
    """(family, given) for N:, which phones sort by; the full name stays in FN."""
    parts = name.split()
    return (parts[-1], " ".join(parts[:-1])) if len(parts) > 1 else (name, "")


def person_note(ctx: BuildContext, p: Person) -> str:
    hb, tree = ctx.hb, ctx.tree

    def names(ids: Iterable[str]) -> str:
        return ", ".join(hb.person(i).name for i in ids if i in hb.index["people"])

    lines = []
    roles = [r.name for r in hb.roles if r.primary == p.id]
    backs = [r.name for r in hb.roles if p.id in r.backups]
    if roles:
        lines.append("Incident role: " + ", ".join(roles))
    if backs:
        lines.append("Backup for: " + ", ".join(backs))
    caller = tree.caller.get(p.id)
    if caller:
        lines.append(f"Call tree: called by {names([caller])}")
    elif p.id == tree.root:
        lines.append("Call tree: starts the call tree")
    if tree.children.get(p.id):
        lines.append(f"Calls: {names(tree.children[p.id])}")
    alternate = tree.alternate.get(p.id)
    if alternate:
        lines.append(f"If their caller is out: {names([alternate])} calls")
    for c in p.contacts:
        if c.kind in ("secure-messenger", "radio"):
            lines.append(f"{'Messenger' if c.kind == 'secure-messenger' else 'Radio'}: {c.value}" + (f" ({c.label})" if c.label else ""))
    lines.append(f"Contacts checked: {p.last_verified.isoformat()}")
    return "\n".join(lines)


def person_vcard(ctx: BuildContext, p: Person) -> vobject.base.Component:
    hb = ctx.hb
    family, given = _split_name(p.name)
    card = _card(ctx, "people", p.id, p.name, family, given)
    dept = hb.index["departments"].get(p.department)
    card.add("org").value = [hb.organization.name] + ([dept.name] if dept else [])
    card.add("title").value = p.title
    best = best_phone(p)
    seen: set[str] = set()
    # The number that needs the fewest systems first, marked preferred: that is what to dial.
    phones = sorted((c for c in p.contacts if c.kind in TEL_TYPES), key=lambda c: c is not best)
    for c in phones:
        if c.value in seen:
            continue
        seen.add(c.value)
        _tel(card, c.value, TEL_TYPES[c.kind] + (["PREF"] if c is best else []))
    for c in p.contacts:
        if c.kind in EMAIL_TYPES:
            email = card.add("email")
            email.value = c.value
            email.type_param = EMAIL_TYPES[c.kind]
    card.add("categories").value = ["Incident call tree"] + ([dept.name] if dept else [])
    card.add("note").value = person_note(ctx, p)
    return card


def channel_vcard(ctx: BuildContext, c: Channel) -> vobject.base.Component:
    card = _card(ctx, "channels", c.id, c.name, c.name)
    card.add("org").value = [ctx.hb.organization.name]
    card.add("x-abshowas").value = "COMPANY"
    _tel(card, c.number or "", ["WORK", "MSG" if c.kind == "sms" else "VOICE"])
    note = [x for x in (f"PIN: {c.pin}" if c.pin else "", c.instructions, c.address) if x]
    if note:
        card.add("note").value = "\n".join(note)
    card.add("categories").value = ["Incident lines"]
    return card


def partner_hotline(p: Partner) -> PartnerContact | None:
    """The number to call first: the contact marked hotline, else the first with a phone."""
    with_phone = [c for c in p.contacts if c.phone]
    return next((c for c in with_phone if c.hotline), with_phone[0] if with_phone else None)


def partner_vcard(ctx: BuildContext, p: Partner) -> vobject.base.Component | None:
    hb = ctx.hb
    contact = partner_hotline(p)
    if contact is None:
        return None
    card = _card(ctx, "partners", p.id, f"{p.name} — {contact.label}", p.name)
    card.add("org").value = [p.name]
    card.add("x-abshowas").value = "COMPANY"
    _tel(card, contact.phone or "", ["WORK", "VOICE", "PREF"])
    if contact.email:
        email = card.add("email")
        email.value = contact.email
        email.type_param = ["INTERNET", "WORK"]
    note = [f"{contact.label} ({'24x7' if contact.hours == '24x7' else 'business hours'})"]
    levels = [hb.level(lv).name for lv in p.engage_when.levels if lv in hb.index["levels"]]
    if levels:
        note.append("Call at: " + ", ".join(levels))
    note += [f"Call when: {s}" for s in p.engage_when.scenarios]
    role = hb.index["roles"].get(p.engaged_by)
    if role:
        note.append(f"Who calls: {role.name}")
    if p.notification_deadline:
        note.append(f"Tell them within {format_duration(p.notification_deadline)} of finding the incident")
    if p.contract.number:
        note.append(f"Contract or policy number: {p.contract.number}")
    card.add("note").value = "\n".join(note)
    card.add("categories").value = ["Incident partners", p.category]
    return card


def call_order(ctx: BuildContext) -> list[str]:
    """Everyone, in the order the call tree reaches them (then anyone it does not reach)."""
    tree = ctx.tree
    order = tree.subtree(tree.root) if tree.root else []
    seen = set(order)
    return order + [p.id for p in ctx.hb.people if p.id not in seen]


def department_people(ctx: BuildContext, did: str, order: list[str] | None = None) -> list[str]:
    """Whom a department's people may need to call: their branch of the call tree.

    Each member's callers up to the root, the people they call, the people they call when
    someone else's caller is out, their own alternate caller, and the incident manager with
    the backups.
    """
    hb, tree = ctx.hb, ctx.tree
    members = [p.id for p in hb.people if p.department == did]
    member_set = set(members)
    wanted: set[str] = set(members)
    for m in members:
        wanted.update(tree.path_to(m))
        wanted.update(tree.children.get(m, []))
        if tree.alternate.get(m):
            wanted.add(tree.alternate[m])
    wanted.update(pid for pid, alt in tree.alternate.items() if alt in member_set)
    im = hb.incident_manager
    if im:
        wanted.update([im.primary, *im.backups])
    return [pid for pid in (order if order is not None else call_order(ctx)) if pid in wanted and pid in hb.index["people"]]


def fold(text: str, limit: int = 75) -> str:
    """Fold content lines at ``limit`` octets (RFC 2425/5545) without splitting a character.

    vobject skips folding for lines shorter than 75 *characters*, so a name with an em dash or an
    accent can make a 76-octet line that strict importers reject; unfold and fold again here.
    """
    out = []
    for line in text.replace("\r\n ", "").split("\r\n"):
        chunk, size, first = [], 0, True
        for ch in line:
            n = len(ch.encode("utf-8"))
            if size + n > (limit if first else limit - 1):
                out.append(("" if first else " ") + "".join(chunk))
                chunk, size, first = [], 0, False
            chunk.append(ch)
            size += n
        out.append(("" if first else " ") + "".join(chunk))
    return "\r\n".join(out)


def _serialize(cards: Iterable[vobject.base.Component | None]) -> str:
    return fold("".join(card.serialize() for card in cards if card is not None))


def _lines(ctx: BuildContext, ids: Iterable[str]) -> list[Channel]:
    return [ctx.hb.channel(c) for c in dict.fromkeys(ids) if c in ctx.hb.index["channels"] and ctx.hb.channel(c).number]


class _People:
    """Each person's vCard text, made once: a person appears in several department files."""

    def __init__(self, ctx: BuildContext) -> None:
        self.ctx, self.texts, self.order = ctx, {}, call_order(ctx)

    def text(self, pid: str) -> str:
        if pid not in self.texts:
            self.texts[pid] = _serialize([person_vcard(self.ctx, self.ctx.hb.person(pid))])
        return self.texts[pid]


def _join(*texts: str) -> str:
    return "\r\n".join(t.rstrip("\r\n") for t in texts if t) + "\r\n"


def department_vcf(ctx: BuildContext, did: str, people: _People | None = None) -> str:
    hb = ctx.hb
    people = people or _People(ctx)
    wanted = set(department_people(ctx, did, people.order))
    return _join(
        _serialize([channel_vcard(ctx, c) for c in _lines(ctx, [hb.hotline_id, hb.bridge_id])]),
        *(people.text(pid) for pid in people.order if pid in wanted),
        _serialize([partner_vcard(ctx, hb.partner(pid)) for pid in department_partners(ctx, did)]),
    )


def all_vcf(ctx: BuildContext, people: _People | None = None) -> str:
    hb = ctx.hb
    people = people or _People(ctx)
    lines = _lines(ctx, [hb.hotline_id, hb.bridge_id, *(c.id for c in hb.channels)])
    return _join(
        _serialize([channel_vcard(ctx, c) for c in lines]),
        *(people.text(pid) for pid in people.order),
        _serialize([partner_vcard(ctx, p) for p in hb.partners]),
    )


def write_exports(ctx: BuildContext, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "handbook.json").write_text(handbook_json(ctx), encoding="utf-8")
    # iCalendar and vCard lines end in CRLF; write the bytes as they are.
    (out / "drills.ics").write_bytes(drills_ics(ctx).encode("utf-8"))
    if ctx.public:
        return
    contacts = out / "contacts"
    contacts.mkdir(exist_ok=True)
    people = _People(ctx)
    for d in ctx.hb.departments:
        (contacts / f"{d.id}.vcf").write_bytes(department_vcf(ctx, d.id, people).encode("utf-8"))
    (contacts / "all.vcf").write_bytes(all_vcf(ctx, people).encode("utf-8"))
