"""Files other tools read: the handbook as JSON, the drill calendar, contacts for phones.

- ``handbook.json``: the (profile's) data as JSON.
- ``drills.ics``: every planned drill run as an event, and the drill's cadence as a recurrence.
- ``contacts/<department-id>.vcf`` and ``contacts/all.vcf``: vCard 3.0, which every phone
  imports (4.0 is still refused by some Android and Outlook versions). Internal profile only:
  the public profile has no personal numbers to give, so it writes no contacts folder at all.

Every text value in both formats goes through ``text_value()``: line breaks (CR, LF, CRLF and the
Unicode ones) become the ``\\n`` escape, tabs spaces, any other control character U+FFFD, and
backslash, semicolon and comma are escaped (RFC 5545 3.3.11, RFC 6350 3.4, RFC 2426 4). No value
can end a content line, so no text can start a property, an event or a card. The validator
refuses these characters in the data already; this holds the files to the format on its own.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vCategory, vText, vUri

from preparedness_handbook.validators.models.common import format_duration
from preparedness_handbook.validators.models.communications import Channel
from preparedness_handbook.validators.models.drills import Drill, Run
from preparedness_handbook.validators.models.partners import Partner
from preparedness_handbook.validators.models.people import Person
from preparedness_handbook.validators.queries import (
    best_phone,
    department_partners,
    last_done,
    partner_first_call,
    run_departments,
)

from .context import BuildContext
from .pages import page_url

PRODID = "-//Preparedness Handbook//Drills//EN"
_START = re.compile(r"^\s*(\d{1,2})[:.h](\d{2})\s*$")


# --- text values, both formats ---------------------------------------------------------------

_BREAKS = re.compile("\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")


def clean_text(value: str) -> str:
    """The text as the files can hold it: every kind of line break as LF, tabs as spaces, any
    other control character as U+FFFD (neither format has a way to write one)."""
    return _CONTROLS.sub("\ufffd", _BREAKS.sub("\n", value).replace("\t", " "))


def text_value(value: str) -> str:
    """A TEXT value escaped as RFC 5545 (3.3.11) and RFC 6350 (3.4) ask: backslash, semicolon
    and comma escaped, each line break (CRLF, LF, CR or another) as \\n; see clean_text()."""
    return (clean_text(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


def param_value(value: str) -> str:
    """A property parameter value (RFC 5545 3.1, RFC 6350 3.3): no control characters and no
    double quote (neither can be written in one), quoted when it holds ``:``, ``;`` or ``,``."""
    value = clean_text(value).replace("\n", " ").replace('"', "'")
    return f'"{value}"' if any(c in value for c in ":;,") else value


def uri_value(value: str) -> str:
    """A URI with nothing in it that could end or break a content line: spaces, controls and
    non-ASCII percent-encoded."""
    return quote(value, safe="!#$%&'()*+,/:;=?@[]~")


class Text(vText):
    """icalendar's TEXT value, written by ``text_value()``.

    vText reads a backslash followed by N as a line break, so a value such as 'C:\\New' would
    not come back as written; otherwise it is the same type, and readers see a plain vText.
    """

    def to_ical(self) -> bytes:
        return text_value(str(self)).encode(self.encoding)


class Categories(vCategory):
    """CATEGORIES whose items are ``Text``."""

    def __init__(self, items: list[str]) -> None:
        super().__init__(items)
        self.cats = [Text(c) for c in items]


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
    departments = run_departments(drill, run) if run else drill.departments
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
    ev.add("uid", Text(f"{drill.id}-{day:%Y%m%d}@{_host(ctx)}" if run else f"{drill.id}-due@{_host(ctx)}"))
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
# The cards are written as text: escaping and folding are a few lines, and a vCard library
# (vobject, which the tests use to read them back) took most of the build's export time.

TEL_TYPES = {
    "mobile": ["CELL", "VOICE"],
    "sms": ["CELL", "MSG"],
    "landline": ["HOME", "VOICE"],
    "work-phone": ["WORK", "VOICE"],
}
EMAIL_TYPES = {"work-email": ["INTERNET", "WORK"], "personal-email": ["INTERNET", "HOME"]}


def _uid(ctx: BuildContext, kind: str, ident: str) -> str:
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://{_host(ctx)}/{kind}/{ident}"))


def fold_line(line: str, limit: int = 75) -> str:
    """One content line folded at ``limit`` octets (RFC 2425 5.8.1), never inside a character.

    Each piece is as long as fits; a continuation starts with one space, which counts.
    """
    raw = line.encode("utf-8")
    if len(raw) <= limit:
        return line
    pieces, start, width = [], 0, limit
    while len(raw) - start > width:
        end = start + width
        while raw[end] & 0xC0 == 0x80:  # a continuation octet: cut before its character
            end -= 1
        slashes = len(raw[start:end]) - len(raw[start:end].rstrip(b"\\"))
        if slashes % 2 and end - 1 > start:  # keep an escape such as \n on one line, as icalendar does
            end -= 1
        pieces.append(raw[start:end])
        start, width = end, limit - 1
    pieces.append(raw[start:])
    return b"\r\n ".join(pieces).decode("utf-8")


def fold(text: str, limit: int = 75) -> str:
    """Unfold CRLF-separated content lines and fold each again at ``limit`` octets."""
    return "\r\n".join(fold_line(line, limit) for line in text.replace("\r\n ", "").split("\r\n"))


# Properties in the order the cards have always had (vobject's): VERSION, UID, then by name.
_FIRST = {"VERSION": "0", "UID": "1"}


class VCard:
    """One vCard 3.0, written as text.

    ``add`` takes values unescaped. A list is a structured value (``sep=";"``: N, ORG) or a
    list of values (``sep=","``: CATEGORIES); each part is escaped on its own.
    """

    __slots__ = ("props",)

    def __init__(self, uid: str, fn: str, family: str, given: str = "") -> None:
        self.props: list[tuple[str, str]] = []
        self.add("VERSION", "3.0")
        self.add("UID", uid)
        self.add("FN", fn)
        self.add("N", [family, given, "", "", ""])  # family; given; additional; prefixes; suffixes

    def add(self, name: str, value: str | list[str], types: list[str] | None = None, sep: str = ";") -> None:
        text = text_value(value) if isinstance(value, str) else sep.join(map(text_value, value))
        params = ";TYPE=" + ",".join(map(param_value, types)) if types else ""
        self.props.append((_FIRST.get(name, name), f"{name}{params}:{text}"))

    def text(self) -> str:
        """The card with CRLF line ends, folded; the sort is stable, so TELs keep their order."""
        lines = [line for _, line in sorted(self.props, key=lambda prop: prop[0])]
        return "".join(fold_line(line) + "\r\n" for line in ["BEGIN:VCARD", *lines, "END:VCARD"])


def _card(ctx: BuildContext, kind: str, ident: str, fn: str, family: str, given: str = "") -> VCard:
    return VCard(_uid(ctx, kind, ident), fn, family, given)


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


def person_vcard(ctx: BuildContext, p: Person) -> str:
    hb = ctx.hb
    family, given = _split_name(p.name)
    card = _card(ctx, "people", p.id, p.name, family, given)
    dept = hb.index["departments"].get(p.department)
    card.add("ORG", [hb.organization.name] + ([dept.name] if dept else []))
    card.add("TITLE", p.title)
    best = best_phone(p)
    seen: set[str] = set()
    # The number that needs the fewest systems first, marked preferred: that is what to dial.
    phones = sorted((c for c in p.contacts if c.kind in TEL_TYPES), key=lambda c: c is not best)
    for c in phones:
        if c.value in seen:
            continue
        seen.add(c.value)
        card.add("TEL", c.value, TEL_TYPES[c.kind] + (["PREF"] if c is best else []))
    for c in p.contacts:
        if c.kind in EMAIL_TYPES:
            card.add("EMAIL", c.value, EMAIL_TYPES[c.kind])
    card.add("CATEGORIES", ["Incident call tree"] + ([dept.name] if dept else []), sep=",")
    card.add("NOTE", person_note(ctx, p))
    return card.text()


def channel_vcard(ctx: BuildContext, c: Channel) -> str:
    card = _card(ctx, "channels", c.id, c.name, c.name)
    card.add("ORG", [ctx.hb.organization.name])
    card.add("X-ABSHOWAS", "COMPANY")
    card.add("TEL", c.number or "", ["WORK", "MSG" if c.kind == "sms" else "VOICE"])
    note = [x for x in (f"PIN: {c.pin}" if c.pin else "", c.instructions, c.address) if x]
    if note:
        card.add("NOTE", "\n".join(note))
    card.add("CATEGORIES", ["Incident lines"], sep=",")
    return card.text()


def partner_vcard(ctx: BuildContext, p: Partner) -> str | None:
    hb = ctx.hb
    contact = partner_first_call(p)
    if contact is None:
        return None
    card = _card(ctx, "partners", p.id, f"{p.name} — {contact.label}", p.name)
    card.add("ORG", [p.name])
    card.add("X-ABSHOWAS", "COMPANY")
    card.add("TEL", contact.phone or "", ["WORK", "VOICE", "PREF"])
    if contact.email:
        card.add("EMAIL", contact.email, ["INTERNET", "WORK"])
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
    card.add("NOTE", "\n".join(note))
    card.add("CATEGORIES", ["Incident partners", p.category], sep=",")
    return card.text()


def call_order(ctx: BuildContext) -> list[str]:
    """Everyone, in the order the call tree reaches them (then anyone it does not reach)."""
    tree = ctx.tree
    order = tree.subtree(tree.root) if tree.root else []
    seen = set(order)
    return order + [p.id for p in ctx.hb.people if p.id not in seen]


def department_people(ctx: BuildContext, did: str, people: _People | None = None) -> list[str]:
    """Whom a department's people may need to call: their branch of the call tree, in call order.

    Each member's callers up to the root, the people they call, the people they call when
    someone else's caller is out, their own alternate caller, and the incident manager with
    the backups.
    """
    hb, tree = ctx.hb, ctx.tree
    people = people or _People(ctx)
    members = people.members.get(did, [])
    wanted: set[str] = set(members)
    for m in members:
        wanted.update(tree.path_to(m))
        wanted.update(tree.children.get(m, []))
        if tree.alternate.get(m):
            wanted.add(tree.alternate[m])
        wanted.update(people.stands_in_for.get(m, []))
    im = hb.incident_manager
    if im:
        wanted.update([im.primary, *im.backups])
    rank = people.rank
    return sorted((pid for pid in wanted if pid in rank and pid in hb.index["people"]), key=rank.__getitem__)


def _lines(ctx: BuildContext, ids: Iterable[str]) -> list[Channel]:
    return [ctx.hb.channel(c) for c in dict.fromkeys(ids) if c in ctx.hb.index["channels"] and ctx.hb.channel(c).number]


class _People:
    """What the contact files share, worked out once.

    Each person's vCard text (a person appears in several department files), the call order
    and, for each department's branch, the members and whom each person stands in for.
    """

    def __init__(self, ctx: BuildContext) -> None:
        self.ctx, self.texts, self.order = ctx, {}, call_order(ctx)
        self.rank = {pid: i for i, pid in enumerate(self.order)}
        self.members: dict[str, list[str]] = {}
        for p in ctx.hb.people:
            self.members.setdefault(p.department, []).append(p.id)
        self.stands_in_for: dict[str, list[str]] = {}
        for pid, alternate in ctx.tree.alternate.items():
            if alternate:
                self.stands_in_for.setdefault(alternate, []).append(pid)

    def text(self, pid: str) -> str:
        if pid not in self.texts:
            self.texts[pid] = person_vcard(self.ctx, self.ctx.hb.person(pid))
        return self.texts[pid]


def _join(*cards: str | None) -> str:
    return "".join(card for card in cards if card)


def department_vcf(ctx: BuildContext, did: str, people: _People | None = None) -> str:
    hb = ctx.hb
    people = people or _People(ctx)
    return _join(
        *(channel_vcard(ctx, c) for c in _lines(ctx, [hb.hotline_id, hb.bridge_id])),
        *(people.text(pid) for pid in department_people(ctx, did, people)),
        *(partner_vcard(ctx, hb.partner(pid)) for pid in department_partners(hb, did)),
    )


def all_vcf(ctx: BuildContext, people: _People | None = None) -> str:
    hb = ctx.hb
    people = people or _People(ctx)
    lines = _lines(ctx, [hb.hotline_id, hb.bridge_id, *(c.id for c in hb.channels)])
    return _join(
        *(channel_vcard(ctx, c) for c in lines),
        *(people.text(pid) for pid in people.order),
        *(partner_vcard(ctx, p) for p in hb.partners),
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
