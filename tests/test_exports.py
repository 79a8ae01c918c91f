"""The exports, read back by real libraries: the drill calendar with icalendar, the contact cards
with vobject, and the public build without any contacts."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import vobject
from dateutil.rrule import rrulestr
from icalendar import Calendar

from preparedness_handbook.macros.context import BuildContext, make_context
from preparedness_handbook.macros.exports import write_exports
from preparedness_handbook.macros.exports.calendar import (
    drill_description,
    drill_events,
    drills_ics,
    recurrence,
)
from preparedness_handbook.macros.exports.contacts import (
    _uid,
    department_people,
    fold,
    fold_line,
    person_note,
    person_vcard,
)
from preparedness_handbook.macros.exports.text import Text, param_value, text_value
from preparedness_handbook.validators.engine import validate
from preparedness_handbook.validators.handbook import Handbook
from preparedness_handbook.validators.queries import department_partners
from tests.conftest import REPO, TODAY

BUILT = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def hb() -> Handbook:
    result = validate(REPO / "data", dt.date.fromisoformat(TODAY))
    assert result.handbook is not None
    return result.handbook


@pytest.fixture(scope="module")
def ctx(hb: Handbook) -> BuildContext:
    return make_context(hb, "internal", built=BUILT, version="test")


def calendar(site: Path) -> Calendar:
    return Calendar.from_ical((site / "exports" / "drills.ics").read_bytes())


def cards(path: Path) -> list:
    return list(vobject.readComponents(path.read_bytes().decode("utf-8")))


def people_cards(path: Path) -> dict[str, object]:
    return {c.fn.value: c for c in cards(path) if "Incident call tree" in c.categories.value}


def tels(card) -> set[str]:
    return {t.value for t in card.contents.get("tel", [])}


def phone_numbers(person) -> set[str]:
    return {c.value for c in person.contacts if c.kind in ("mobile", "sms", "landline", "work-phone")}


def assert_folded(path: Path) -> None:
    raw = path.read_bytes()
    assert raw.endswith(b"\r\n")
    lines = raw.split(b"\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b""), f"{path.name}: bare LF"
    too_long = [line for line in lines if len(line) > 75]
    assert not too_long, f"{path.name}: lines over 75 octets: {too_long[:2]}"


def assert_vcf_lines(raw: bytes) -> None:
    """Every physical line at most 75 octets and whole UTF-8 on its own: no fold cuts a
    character in two."""
    lines = raw.split(b"\r\n")
    assert lines[-1] == b"" and b"\n" not in raw.replace(b"\r\n", b"")
    for line in lines[:-1]:
        assert len(line) <= 75, line
        line.decode("utf-8")  # raises if a fold split a multi-byte character


# --- drills.ics ------------------------------------------------------------------------------

def test_every_planned_run_is_an_event(built_site: Path, hb: Handbook) -> None:
    cal = calendar(built_site)
    events = list(cal.walk("VEVENT"))
    planned = [(d, r) for d in hb.drills for r in d.runs if r.status == "planned"]
    assert len(events) == len(planned) == 10
    by_uid = {str(ev["uid"]): ev for ev in events}
    assert len(by_uid) == len(events)
    for drill, run in planned:
        ev = by_uid[f"{drill.id}-{run.date:%Y%m%d}@handbook.harborpine.example"]
        assert str(ev["summary"]) == drill.title
        assert [str(c) for c in ev["categories"].cats] == [drill.type]
        assert ev.decoded("duration") == drill.length
        assert str(ev["url"]).endswith(f"/drills/{drill.id}/")
    assert_folded(built_site / "exports" / "drills.ics")


def test_call_tree_test_event_in_detail(built_site: Path, hb: Handbook) -> None:
    cal = calendar(built_site)
    ev = next(e for e in cal.walk("VEVENT") if str(e["uid"]).startswith("quarterly-call-tree-test-"))
    start = ev.decoded("dtstart")
    assert start == dt.datetime(2026, 12, 3, 16, 0, tzinfo=ZoneInfo("America/Chicago"))
    assert ev["dtstart"].params["TZID"] == "America/Chicago"
    assert ev.decoded("duration") == dt.timedelta(hours=1)
    # Every 90 days, on the first Thursday of the month (not drifting a weekday each time)
    assert ev["rrule"].to_ical() == b"FREQ=MONTHLY;INTERVAL=3;BYDAY=1TH"
    following = list(rrulestr(ev["rrule"].to_ical().decode(), dtstart=start))[:3]
    assert [d.date() for d in following] == [dt.date(2026, 12, 3), dt.date(2027, 3, 4), dt.date(2027, 6, 3)]
    text = str(ev["description"])
    drill = hb.index["drills"]["quarterly-call-tree-test"]
    assert drill.scenario.narrative.split(".")[0] in text
    assert "Facilitator: Keisha Williams" in text
    for objective in drill.objectives:
        assert f"- {objective}" in text
    for did in drill.departments:
        assert hb.department(did).name in text
    # The calendar carries the zone, so phones in another zone show the right local time.
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == ["America/Chicago"]


def test_run_without_start_time_is_all_day_and_unplanned_cadence_is_due(hb: Handbook) -> None:
    drills = []
    for d in hb.drills:
        if d.id == "ransomware-tabletop":
            runs = [r.model_copy(update={"start": ""}) if r.status == "planned" else r for r in d.runs]
            d = d.model_copy(update={"runs": runs})
        elif d.id == "checkout-failover":
            d = d.model_copy(update={"runs": [r for r in d.runs if r.status != "planned"]})
        drills.append(d)
    ctx = make_context(dataclasses.replace(hb, drills=drills), "internal", built=BUILT, version="test")
    events = {str(e["uid"]).split("@")[0]: e for e in Calendar.from_ical(drills_ics(ctx)).walk("VEVENT")}
    all_day = events["ransomware-tabletop-20270519"]
    assert all_day.decoded("dtstart") == dt.date(2027, 5, 19)
    assert all_day.decoded("duration") == dt.timedelta(days=1)
    assert "Length: 3 hours" in str(all_day["description"])
    due = events["checkout-failover-due"]
    last = max(r.date for r in hb.index["drills"]["checkout-failover"].runs if r.status == "done")
    assert due.decoded("dtstart") == last + dt.timedelta(days=180)
    assert str(due["summary"]).startswith("Due: ")
    assert due["rrule"]["FREQ"] == ["MONTHLY"] and due["rrule"]["INTERVAL"] == [6]


def test_recurrence_keeps_the_weekday() -> None:
    thu = dt.date(2026, 11, 26)  # the fourth Thursday of November
    assert recurrence(dt.timedelta(days=14), thu) == {"freq": "weekly", "interval": 2}
    assert recurrence(dt.timedelta(hours=4), thu) == {"freq": "weekly", "interval": 1}
    assert recurrence(dt.timedelta(days=45), thu) == {"freq": "weekly", "interval": 6}
    assert recurrence(dt.timedelta(days=84), thu) == {"freq": "weekly", "interval": 12}
    assert recurrence(dt.timedelta(days=90), thu) == {"freq": "monthly", "interval": 3, "byday": "4TH"}
    assert recurrence(dt.timedelta(days=180), thu) == {"freq": "monthly", "interval": 6, "byday": "4TH"}
    assert recurrence(dt.timedelta(days=365), thu) == {"freq": "yearly", "interval": 1, "bymonth": 11, "byday": "4TH"}
    assert recurrence(dt.timedelta(days=730), thu) == {"freq": "yearly", "interval": 2, "bymonth": 11, "byday": "4TH"}
    # A day past the 28th is counted from the month's end, which every month has
    assert recurrence(dt.timedelta(days=180), dt.date(2027, 1, 29))["byday"] == "-1FR"


def _cadence_calendar(hb: Handbook) -> str:
    """The sample's calendar, with every drill due by its cadence on each weekday and near each
    month's end (no planned run, last held on a day of the week below)."""
    drills = []
    for i, d in enumerate(hb.drills):
        done = [r for r in d.runs if r.status == "done"]
        if done:
            shifted = done[-1].model_copy(update={"date": dt.date(2026, 5, 1) + dt.timedelta(days=5 * i)})
            d = d.model_copy(update={"runs": [*done[:-1], shifted]})
        drills.append(d)
    return drills_ics(make_context(dataclasses.replace(hb, drills=drills), "internal", built=BUILT, version="test"))


@pytest.mark.parametrize("which", ["sample", "due"])
def test_recurrences_stay_on_their_weekday_in_two_parsers(hb: Handbook, ctx: BuildContext, which: str) -> None:
    """Each drill's recurrence, expanded by dateutil's rrulestr and by recurring-ical-events
    (which reads the whole calendar, zones and all), gives the same days, each on the first
    event's weekday and about one cadence after the one before."""
    import recurring_ical_events

    text = drills_ics(ctx) if which == "sample" else _cadence_calendar(hb)
    assert "FREQ=DAILY" not in text
    cal = Calendar.from_ical(text)
    cadences = {d.id: d.cadence for d in hb.drills}
    recurring = [ev for ev in cal.walk("VEVENT") if "rrule" in ev]
    assert len(recurring) >= (3 if which == "sample" else len(hb.drills))
    for ev in recurring:
        start = ev.decoded("dtstart")
        first = start.date() if isinstance(start, dt.datetime) else start
        uid = str(ev["uid"])
        cadence = cadences[uid.split("-due@")[0] if "-due@" in uid else uid.rsplit("-", 1)[0]]
        until = first + dt.timedelta(days=4 * 365)
        ours = [d.date() if isinstance(d, dt.datetime) else d
                for d in rrulestr(ev["rrule"].to_ical().decode(), dtstart=start) if (d.date() if isinstance(d, dt.datetime) else d) < until]
        theirs = sorted({(o.decoded("dtstart").date() if isinstance(o.decoded("dtstart"), dt.datetime) else o.decoded("dtstart"))
                         for o in recurring_ical_events.of(cal).between(first, until) if str(o["uid"]) == uid})
        assert ours == theirs, uid
        assert len(ours) >= 4 * 365 // cadence.days, uid
        assert {d.weekday() for d in ours} == {first.weekday()}, uid
        for a, b in zip(ours, ours[1:]):  # a weekday of the month moves up to 7 days; 6 months are 182.6
            assert abs((b - a).days - cadence.days) <= 10, (uid, a, b)


# --- contacts --------------------------------------------------------------------------------

def test_all_vcf_has_everyone_the_lines_and_partner_hotlines(built_site: Path, hb: Handbook) -> None:
    path = built_site / "exports" / "contacts" / "all.vcf"
    everything = cards(path)
    assert all(c.version.value == "3.0" for c in everything)
    people = people_cards(path)
    assert sorted(people) == sorted(p.name for p in hb.people)
    for p in hb.people:
        card = people[p.name]
        assert tels(card) == phone_numbers(p), p.id
        assert all(t.startswith("+") and t[1:].isdigit() for t in tels(card))
        assert card.title.value == p.title
        assert card.org.value == [hb.organization.name, hb.department(p.department).name]
    lines = {c.fn.value: c for c in everything if "Incident lines" in c.categories.value}
    assert tels(lines["Incident hotline"]) == {"+13125550111"}
    bridge = lines["Incident bridge (conference line)"]
    assert tels(bridge) == {"+13125550100"}
    assert "PIN: 740 291 6#" in bridge.note.value
    partners = [c for c in everything if "Incident partners" in c.categories.value]
    assert len(partners) == len(hb.partners)
    insurer = next(c for c in partners if c.org.value == ["Lakeshore Mutual Insurance — Cyber Claims"])
    assert tels(insurer) == {"+18005550134"}
    assert "Tell them within 3 days" in insurer.note.value
    assert len(everything) == len(hb.people) + len(lines) + len(partners)
    assert_folded(path)


def test_preferred_number_is_the_one_that_needs_nothing(built_site: Path, hb: Handbook) -> None:
    card = people_cards(built_site / "exports" / "contacts" / "all.vcf")["Renata Alvarez"]
    by_number = {t.value: t.params["TYPE"] for t in card.contents["tel"]}
    assert by_number["+17735550101"] == ["CELL", "VOICE", "PREF"]
    assert by_number["+13125550160"] == ["WORK", "VOICE"]
    assert by_number["+17735550102"] == ["HOME", "VOICE"]
    assert card.n.value.family == "Alvarez" and card.n.value.given == "Renata"


def test_one_file_per_department_with_its_branch(built_site: Path, ctx: BuildContext, hb: Handbook) -> None:
    folder = built_site / "exports" / "contacts"
    assert sorted(p.name for p in folder.glob("*.vcf")) == sorted([f"{d.id}.vcf" for d in hb.departments] + ["all.vcf"])
    im = hb.incident_manager
    for d in hb.departments:
        path = folder / f"{d.id}.vcf"
        assert_folded(path)
        people = people_cards(path)
        expected = {hb.person(pid).name for pid in department_people(ctx, d.id)}
        assert set(people) == expected, d.id
        members = [p for p in hb.people if p.department == d.id]
        for p in members:
            assert tels(people[p.name]) == phone_numbers(p)
            for caller in ctx.tree.path_to(p.id):
                assert hb.person(caller).name in people, f"{d.id}: {p.id}'s caller {caller}"
            for called in ctx.tree.children.get(p.id, []):
                assert hb.person(called).name in people, f"{d.id}: {p.id} calls {called}"
        for pid in [im.primary, *im.backups]:
            assert hb.person(pid).name in people
        fns = {c.fn.value for c in cards(path)}
        assert {"Incident hotline", "Incident bridge (conference line)"} <= fns
        partner_cards = [c for c in cards(path) if "Incident partners" in c.categories.value]
        assert len(partner_cards) == len(department_partners(ctx.hb, d.id))


def test_sales_file_in_numbers(built_site: Path, hb: Handbook) -> None:
    people = people_cards(built_site / "exports" / "contacts" / "sales.vcf")
    sales = {p.name for p in hb.people if p.department == "sales"}
    assert sales < set(people)
    # Far fewer than everyone: a phone gets the branch, not the company.
    assert len(people) < len(hb.people) // 2


def test_text_values_are_escaped_and_round_trip(ctx: BuildContext, hb: Handbook) -> None:
    tricky = hb.people[0].model_copy(update={"name": "Ann-Marie O'Neil, Jr.; Ph.D. \\ Müller—Ž", "title": "Head of A, B; C"})
    raw = person_vcard(ctx, tricky)
    assert "FN:Ann-Marie O'Neil\\, Jr.\\; Ph.D. \\\\ Müller—Ž" in raw
    back = vobject.readOne(raw)
    assert back.fn.value == tricky.name
    assert back.title.value == "Head of A, B; C"
    assert "\n" in back.note.value  # the note's line breaks survive as \n


# A name whose FN line reaches octet 75 in the middle of the em dash (3 octets: 75-77):
# "FN:" 3 + 35 × "Å" 70 + "a" 1 = 74 octets, so the dash must start the next line.
FOLD_IN_DASH = "Å" * 35 + "a—Ærøskøbing Lindqvist-Ångström"
NOTE = 'Dial in, then press 1; say "bridge" \\ wait.\nIf busy: call again\r\nOld\rphones: ask IT'


@pytest.fixture(scope="module")
def tricky(hb: Handbook, tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildContext, Path]:
    """The sample organization with commas, semicolons, backslashes, line breaks and long
    non-ASCII text in every kind of value, exported to a folder."""
    person, partner = hb.people[0], hb.partners[0]
    replace = {
        "organization": hb.organization.model_copy(update={"name": "Harbor, Pine; & Co. \\ Outfitters"}),
        "people": [p.model_copy(update={"name": FOLD_IN_DASH, "title": "Head of A, B; C \\ D — Ops"}) if p is person else p
                   for p in hb.people],
        "departments": [d.model_copy(update={"name": "R&D, Labs; West \\ Ærø"}) if d.id == person.department else d
                        for d in hb.departments],
        "channels": [c.model_copy(update={"instructions": NOTE}) if c.id == hb.bridge_id else c for c in hb.channels],
        "partners": [partner.model_copy(update={"name": "Lakeshore, Mutual; Cyber \\ Claims — Ærø " * 2}), *hb.partners[1:]],
    }
    ctx = make_context(dataclasses.replace(hb, **replace), "internal", built=BUILT, version="test")
    out = tmp_path_factory.mktemp("tricky-exports")
    write_exports(ctx, out)
    return ctx, out / "contacts"


def by_uid(path: Path) -> dict[str, object]:
    return {c.uid.value: c for c in cards(path)}


def test_fold_never_splits_a_multibyte_character(ctx: BuildContext, hb: Handbook, tricky: tuple[BuildContext, Path]) -> None:
    raw = person_vcard(ctx, hb.people[0].model_copy(update={"name": FOLD_IN_DASH})).encode("utf-8")
    assert_vcf_lines(raw)
    fn = raw.split(b"\r\nFN:", 1)[1].split(b"\r\n")
    assert b"FN:" + fn[0] == ("FN:" + "Å" * 35 + "a").encode("utf-8")  # 74 octets: the dash moved on
    assert fn[1].startswith(" —".encode())
    assert vobject.readOne(raw.decode("utf-8")).fn.value == FOLD_IN_DASH
    _, folder = tricky
    for path in folder.glob("*.vcf"):
        assert_vcf_lines(path.read_bytes())


def test_fold_line_cuts_before_the_character_that_would_pass_75_octets() -> None:
    for ch in ("é", "—", "𝄞"):  # 2, 3 and 4 octets
        for pad in range(70, 76):
            line = "NOTE:" + "x" * pad + ch * 30
            folded = fold_line(line)
            assert folded.replace("\r\n ", "") == line
            pieces = folded.encode("utf-8").split(b"\r\n")
            assert all(len(p) <= 75 for p in pieces)
            # Greedy: each piece (but the last) is full unless the next character would not fit.
            for piece in pieces[:-1]:
                assert len(piece) > 75 - len(ch.encode("utf-8"))
    assert fold_line("X:" + "a" * 73) == "X:" + "a" * 73


def test_note_with_commas_semicolons_backslashes_and_line_breaks(tricky: tuple[BuildContext, Path]) -> None:
    ctx, folder = tricky
    bridge = ctx.hb.channel(ctx.hb.bridge_id)
    unfolded = (folder / "all.vcf").read_bytes().decode("utf-8").replace("\r\n ", "")
    escaped = 'Dial in\\, then press 1\\; say "bridge" \\\\ wait.\\nIf busy: call again\\nOld\\nphones: ask IT'
    assert f"NOTE:PIN: {bridge.pin}\\n{escaped}\\n" in unfolded
    for path in (folder / "all.vcf", folder / f"{ctx.hb.people[0].department}.vcf"):
        card = by_uid(path)[_uid(ctx, "channels", bridge.id)]
        expected = "\n".join([f"PIN: {bridge.pin}", NOTE.replace("\r\n", "\n").replace("\r", "\n"), bridge.address])
        assert card.note.value == expected


def test_every_value_round_trips_through_vobject(tricky: tuple[BuildContext, Path]) -> None:
    ctx, folder = tricky
    hb = ctx.hb
    p, partner = hb.people[0], hb.partners[0]
    dept = hb.department(p.department)
    for path in (folder / "all.vcf", folder / f"{dept.id}.vcf"):
        card = by_uid(path)[_uid(ctx, "people", p.id)]
        assert card.version.value == "3.0"
        assert card.fn.value == FOLD_IN_DASH
        n = card.n.value
        assert (n.family, n.given, n.additional, n.prefix, n.suffix) == ("Lindqvist-Ångström", "Å" * 35 + "a—Ærøskøbing", "", "", "")
        assert card.org.value == [hb.organization.name, dept.name]
        assert card.title.value == p.title
        assert card.categories.value == ["Incident call tree", dept.name]
        assert card.note.value == person_note(ctx, p)
        tel = [(t.value, t.params["TYPE"]) for t in card.contents["tel"]]
        assert [number for number, _ in tel] == list(dict.fromkeys(number for number, _ in tel))  # no repeats
        assert {number for number, _ in tel} == phone_numbers(p)
        assert sum("PREF" in types for _, types in tel) == 1 and "PREF" in tel[0][1]
        emails = {e.value: e.params["TYPE"] for e in card.contents.get("email", [])}
        assert emails == {c.value: (["INTERNET", "WORK"] if c.kind == "work-email" else ["INTERNET", "HOME"])
                          for c in p.contacts if c.kind in ("work-email", "personal-email")}
    card = by_uid(folder / "all.vcf")[_uid(ctx, "partners", partner.id)]
    assert card.org.value == [partner.name]
    assert card.fn.value.startswith(partner.name + " — ")
    assert card.categories.value == ["Incident partners", partner.category]
    assert card.contents["tel"][0].params["TYPE"] == ["WORK", "VOICE", "PREF"]
    # The whole file reads back card for card: nothing merged or cut by the escapes.
    assert len(cards(folder / "all.vcf")) == len(hb.people) + len(hb.partners) + len(
        [c for c in hb.channels if c.number])


def test_fold_counts_octets_not_characters() -> None:
    assert fold("X:" + "a" * 73 + "\r\n") == "X:" + "a" * 73 + "\r\n"
    assert fold("X:" + "a" * 74) == "X:" + "a" * 73 + "\r\n a"
    folded = fold("X:" + "é" * 60)
    assert all(len(line.encode()) <= 75 for line in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == "X:" + "é" * 60


# --- public profile --------------------------------------------------------------------------

def test_public_build_has_no_contacts(public_site: Path, hb: Handbook) -> None:
    exports = public_site / "exports"
    assert not (exports / "contacts").exists()
    assert (exports / "drills.ics").is_file()
    data = json.loads((exports / "handbook.json").read_text(encoding="utf-8"))
    assert data["profile"] == "public"
    assert all(p["contacts"] == [] for p in data["people"])
    text = (exports / "handbook.json").read_text(encoding="utf-8") + (exports / "drills.ics").read_text(encoding="utf-8")
    for p in hb.people:
        for number in phone_numbers(p):
            assert number not in text
    assert "740 291 6#" not in text


def test_internal_handbook_json_is_the_full_data(built_site: Path, hb: Handbook) -> None:
    data = json.loads((built_site / "exports" / "handbook.json").read_text(encoding="utf-8"))
    assert data["profile"] == "internal"
    assert data["as_of"] == TODAY
    assert len(data["people"]) == len(hb.people)
    assert data["people"][0]["contacts"][0]["value"].startswith("+")


# --- hostile text ----------------------------------------------------------------------------
# Every string that reaches drills.ics or a .vcf carries line breaks of each kind, the TEXT
# specials, a line that would start an event or a card, and a control character. The files must
# keep exactly as many events and cards, and every value must read back as written (line breaks
# as LF; the control character, which neither format can hold, as U+FFFD).

EVIL = "A\rB\nC\r\nD; E, F \\ G \\N BEGIN:VEVENT\rUID:x\nEND:VCALENDAR\r\nBEGIN:VCARD \x1b[31m Ω"


def as_written(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x1b", "\ufffd")


def _evil(label: str) -> str:
    return f"{label} {EVIL}"


@pytest.fixture(scope="module")
def hostile(hb: Handbook, tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildContext, Path]:
    def contact(c):
        return c.model_copy(update={"value": _evil("handle"), "label": _evil("label")}) if c.kind == "secure-messenger" else c

    org = hb.organization
    org = org.model_copy(update={
        "name": _evil("Org"), "handbook_title": _evil("Title"),
        "dependencies": [d.model_copy(update={"name": _evil(f"Dep {d.id}")}) for d in org.dependencies],
    })
    replace = {
        "organization": org,
        "people": [p.model_copy(update={"name": _evil(f"Name {p.id}"), "title": _evil("Title"),
                                        "contacts": [contact(c) for c in p.contacts]}) for p in hb.people],
        "departments": [d.model_copy(update={"name": _evil(f"Dept {d.id}")}) for d in hb.departments],
        "roles": [r.model_copy(update={"name": _evil(f"Role {r.id}")}) for r in hb.roles],
        "levels": [lv.model_copy(update={"name": _evil(f"Level {lv.id}")}) for lv in hb.levels],
        "drills": [d.model_copy(update={
            "title": _evil(f"Drill {d.id}"),
            "scenario": d.scenario.model_copy(update={"narrative": _evil("Story") + "\n\nMore " + EVIL}),
            "objectives": [_evil(o) for o in d.objectives],
        }) for d in hb.drills],
        "channels": [c.model_copy(update={"name": _evil(f"Line {c.id}"), "instructions": _evil("How"),
                                          "address": _evil("Where"), "pin": _evil("PIN") if c.pin else c.pin})
                     for c in hb.channels],
        "partners": [p.model_copy(update={
            "name": _evil(f"Partner {p.id}"),
            "contacts": [c.model_copy(update={"label": _evil("Desk")}) for c in p.contacts],
            "engage_when": p.engage_when.model_copy(update={"scenarios": [_evil(s) for s in p.engage_when.scenarios]}),
            "contract": p.contract.model_copy(update={"number": _evil("No") if p.contract.number else ""}),
        }) for p in hb.partners],
    }
    ctx = make_context(dataclasses.replace(hb, **replace), "internal", built=BUILT, version="test")
    out = tmp_path_factory.mktemp("hostile-exports")
    write_exports(ctx, out)
    return ctx, out


def assert_content_lines(raw: bytes) -> None:
    """CRLF-ended lines of at most 75 octets, whole UTF-8 each, and no other line break of any
    kind (no reader, however it splits lines, sees a line the writer did not make)."""
    assert_vcf_lines(raw)
    text = raw.decode("utf-8")
    assert text.splitlines() == text.split("\r\n")[:-1]
    assert not any(0 <= ord(ch) < 32 and ch not in "\r\n" or 0x7F <= ord(ch) <= 0x9F for ch in text)


def test_hostile_text_keeps_every_event_and_reads_back(ctx: BuildContext, hostile: tuple[BuildContext, Path]) -> None:
    evil_ctx, out = hostile
    raw = (out / "drills.ics").read_bytes()
    assert_content_lines(raw)
    plain = Calendar.from_ical(drills_ics(ctx))
    cal = Calendar.from_ical(raw)
    events = list(cal.walk("VEVENT"))
    assert len(events) == len(list(plain.walk("VEVENT")))
    assert raw.split(b"\r\n").count(b"BEGIN:VEVENT") == len(events)
    [again] = vobject.readComponents(raw.decode("utf-8"))
    assert len(again.contents["vevent"]) == len(events)
    hb = evil_ctx.hb
    org = hb.organization
    # icalendar keeps an X- property's value as written (its type is unknown to it); vobject
    # reads it as TEXT, which is what calendars do.
    assert again.x_wr_calname.value == as_written(f"{org.name} — drills")
    assert again.x_wr_caldesc.value == as_written(f"Planned drills and exercises of {org.handbook_title}")
    assert [str(e.summary.value) for e in again.contents["vevent"]] == [str(e["summary"]) for e in events]
    for drill in hb.drills:
        mine = [e for e in events if str(e["uid"]).startswith(f"{drill.id}-")]
        assert len(mine) == len(drill_events(evil_ctx, drill))
        for ev in mine:
            run = next((r for r in drill.runs if str(ev["uid"]) == f"{drill.id}-{r.date:%Y%m%d}@handbook.harborpine.example"), None)
            assert str(ev["summary"]) == as_written(drill.title if run else f"Due: {drill.title}")
            assert str(ev["description"]) == as_written(drill_description(evil_ctx, drill, run))
            assert as_written(drill.scenario.narrative) in str(ev["description"])


def test_hostile_text_keeps_every_card_and_reads_back(hostile: tuple[BuildContext, Path]) -> None:
    ctx, out = hostile
    hb = ctx.hb
    folder = out / "contacts"
    paths = sorted(folder.glob("*.vcf"))
    assert len(paths) == len(hb.departments) + 1
    for path in paths:
        raw = path.read_bytes()
        assert_content_lines(raw)
        found = cards(path)
        lines = raw.split(b"\r\n")
        assert lines.count(b"BEGIN:VCARD") == len(found) == lines.count(b"END:VCARD")
    everything = by_uid(folder / "all.vcf")
    assert len(cards(folder / "all.vcf")) == len(hb.people) + len(hb.partners) + len([c for c in hb.channels if c.number])
    for p in hb.people:
        card = everything[_uid(ctx, "people", p.id)]
        dept = hb.department(p.department)
        assert card.fn.value == as_written(p.name)
        assert card.title.value == as_written(p.title)
        assert card.org.value == [as_written(hb.organization.name), as_written(dept.name)]
        assert card.categories.value == ["Incident call tree", as_written(dept.name)]
        assert card.note.value == as_written(person_note(ctx, p))
        assert f"{card.n.value.given} {card.n.value.family}".split() == as_written(p.name).split()
        assert {t.value for t in card.contents.get("tel", [])} == phone_numbers(p)
    for c in hb.channels:
        if c.number:
            card = everything[_uid(ctx, "channels", c.id)]
            assert card.fn.value == as_written(c.name)
            assert card.org.value == [as_written(hb.organization.name)]
            assert card.note.value == as_written("\n".join(x for x in (f"PIN: {c.pin}" if c.pin else "", c.instructions, c.address) if x))
    for p in hb.partners:
        card = everything.get(_uid(ctx, "partners", p.id))
        if card is not None:
            assert card.org.value == [as_written(p.name)]
            assert card.fn.value.startswith(as_written(p.name) + " — " + as_written("Desk " + EVIL)[:10])
            for s in p.engage_when.scenarios:
                assert f"Call when: {as_written(s)}" in card.note.value
            if p.contract.number:
                assert f"Contract or policy number: {as_written(p.contract.number)}" in card.note.value


def test_text_value_escapes_and_cleans() -> None:
    assert text_value("a\\b;c,d\ne\rf\r\ng") == "a\\\\b\\;c\\,d\\ne\\nf\\ng"
    assert text_value("C:\\New") == "C:\\\\New"  # not a line break
    assert text_value("x\u2028y\x85z\x0bw\tv\x00u\x7f") == "x\\ny\\nz\\nw v\ufffdu\ufffd"
    assert param_value("CELL") == "CELL"
    assert param_value('a:b"c\r\nd') == "\"a:b'c d\""
    ical = Text("C:\\New; a, b\rc").to_ical()
    assert ical == b"C:\\\\New\\; a\\, b\\nc"


def test_handbook_json_says_its_version_and_matches_its_json_schema(hb: Handbook) -> None:
    import jsonschema

    from preparedness_handbook.macros.exports.data import handbook_json
    from preparedness_handbook.validators.schema import EXPORT_SCHEMA, schemas

    schema = json.loads((REPO / "schemas" / EXPORT_SCHEMA).read_text(encoding="utf-8"))
    assert schema == schemas()[EXPORT_SCHEMA], "schemas/ is stale: run `handbook schema`"
    validator = jsonschema.Draft202012Validator(schema)
    for profile in ("internal", "public"):
        data = json.loads(handbook_json(make_context(hb, profile, version="test")))
        assert data["schema_version"] == 3
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]
        assert not errors, errors[:5]
    data["people"][0]["nickname"] = "x"  # a field the export never has
    assert any("nickname" in e.message for e in validator.iter_errors(data))
