"""validators/queries.py: each query on tiny model objects, and the one meaning it gives to the
validator, the readiness report, the site, the binders and the exports."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest

from preparedness_handbook.validators import queries as q
from preparedness_handbook.validators.calltree import CallTree
from preparedness_handbook.validators.models.communications import Channel, Template
from preparedness_handbook.validators.models.drills import Action, Drill
from preparedness_handbook.validators.models.partners import Partner
from preparedness_handbook.validators.models.people import Person
from preparedness_handbook.validators.models.postmortems import Postmortem
from tests.conftest import INVALID, REPO, build_case, copy_minimal, run_cli

TODAY = dt.date(2026, 11, 27)
ISO = TODAY.isoformat()
DAY = dt.timedelta(days=1)


def days(n: int) -> dt.date:
    return TODAY + n * DAY


def drill(runs: list[dict[str, Any]], cadence: str | None = "90d", **extra: Any) -> Drill:
    data = {"id": "d", "title": "D", "type": "tabletop", "scenario": {"narrative": "n"}, "levels": ["sev1"],
            "objectives": ["o"], "departments": ["it"], "facilitator": "a", "runs": runs, **extra}
    if cadence:
        data["cadence"] = cadence
    return Drill.model_validate(data)


def run(offset: int, status: str = "done", **extra: Any) -> dict[str, Any]:
    return {"date": days(offset), "status": status, **extra}


def person(contacts: list[dict[str, Any]] | None = None, verified: int = -10, **extra: Any) -> Person:
    if contacts is None:
        contacts = [{"kind": "mobile", "value": "+12015550101"}]
    return Person.model_validate({"id": "a", "name": "A", "title": "T", "department": "it", "contacts": contacts,
                                  "last_verified": days(verified), **extra})


def partner(end: int | None = None, verified: int = -10, contacts: list[dict[str, Any]] | None = None,
            **extra: Any) -> Partner:
    contract: dict[str, Any] = {"kind": "retainer"}
    if end is not None:
        contract["end"] = days(end)
    return Partner.model_validate({
        "id": "p", "name": "P", "category": "forensics", "services": ["s"],
        "contacts": contacts if contacts is not None else [{"label": "Line", "phone": "+12015550190"}],
        "engage_when": {}, "engaged_by": "im", "owner": "a", "contract": contract,
        "last_verified": days(verified), **extra,
    })


def channel(depends_on: list[str] = (), tested: int | None = -10) -> Channel:
    return Channel.model_validate({"id": "c", "name": "C", "kind": "sms", "use": "backup",
                                   "depends_on": list(depends_on), "owner": "a",
                                   "last_tested": days(tested) if tested is not None else None})


def template(expires: int) -> Template:
    return Template.model_validate({"id": "t", "name": "T", "audience": "customers", "levels": ["sev1"],
                                    "body": "b", "approver": "im", "approved": days(-300), "expires": days(expires)})


WINDOW = dt.timedelta(days=365)


# --- drills -----------------------------------------------------------------------------------

def test_a_done_run_dated_in_the_future_is_not_held():
    d = drill([run(-100), run(5)])
    assert [q.is_held(r, TODAY) for r in d.runs] == [True, False]
    assert q.held_runs(d, TODAY) == [d.runs[0]]
    assert q.last_done(d, TODAY) is d.runs[0]


def test_a_run_done_today_is_held():
    d = drill([run(0)])
    assert q.last_done(d, TODAY) is d.runs[0]


def test_only_done_runs_are_held():
    d = drill([run(-5, "cancelled"), run(-6, "planned")])
    assert q.held_runs(d, TODAY) == [] and q.last_done(d, TODAY) is None


def test_last_done_is_the_latest_held_run_first_in_the_data_on_a_tie():
    d = drill([run(-300), run(-20, notes="first"), run(-20, notes="second"), run(-200)])
    assert q.last_done(d, TODAY).notes == "first"


def test_next_planned_is_the_earliest_planned_from_today():
    d = drill([run(30, "planned"), run(0, "planned"), run(-1, "planned"), run(10)])
    assert q.next_planned(d, TODAY) is d.runs[1]
    assert q.next_planned(drill([run(-1, "planned")]), TODAY) is None


def test_past_planned_is_planned_before_today():
    d = drill([run(-1, "planned"), run(0, "planned"), run(-9, "planned"), run(-5)])
    assert q.past_planned(d, TODAY) == [d.runs[0], d.runs[2]]


@pytest.mark.parametrize(("runs", "cadence", "overdue"), [
    ([], "90d", True),                      # never held
    ([run(10)], "90d", True),               # "done" in the future: never held
    ([run(-90)], "90d", False),             # due today
    ([run(-91)], "90d", True),              # due yesterday
    ([run(-91), run(-3)], "90d", False),
    ([run(-91), run(3)], "90d", True),      # the future "done" run does not make it current
    ([], None, False),                      # no cadence: never overdue
    ([run(-900)], None, False),
])
def test_is_overdue(runs, cadence, overdue):
    assert q.is_overdue(drill(runs, cadence), TODAY) is overdue


def test_next_due():
    assert q.next_due(drill([run(-30), run(40)]), TODAY) == days(60)
    assert q.next_due(drill([run(40)]), TODAY) is None
    assert q.next_due(drill([run(-30)], None), TODAY) is None


def test_run_departments_are_the_participants_else_the_drills():
    d = drill([run(-1, participants=["sales"]), run(-2)], departments=["it", "hr"])
    assert q.run_departments(d, d.runs[0]) == ["sales"]
    assert q.run_departments(d, d.runs[1]) == ["it", "hr"]


def test_last_exercised_took_part_and_call_tree_tested():
    a = drill([run(-40), run(20)], levels=["sev1"], departments=["it"])
    b = drill([run(-10, participants=["hr"]), run(-5, "cancelled")], levels=["sev2"], type="call-tree-test")
    drills = [a, b]
    assert [(x.id, r.date) for x, r in q.held(drills, TODAY)] == [("d", days(-40)), ("d", days(-10))]
    assert q.last_exercised(drills, "sev1", TODAY) == days(-40)
    assert q.last_exercised(drills, "sev2", TODAY) == days(-10)
    assert q.last_exercised(drills, "sev3", TODAY) is None
    assert q.last_took_part(drills, "it", TODAY) == days(-40)
    assert q.last_took_part(drills, "hr", TODAY) == days(-10)
    assert q.call_tree_last_tested(drills, TODAY) == days(-10)
    assert q.call_tree_last_tested([a], TODAY) is None


def test_in_window_includes_both_ends():
    assert q.in_window(days(-365), TODAY, WINDOW) and q.in_window(TODAY, TODAY, WINDOW)
    assert not q.in_window(days(-366), TODAY, WINDOW)
    assert not q.in_window(days(1), TODAY, WINDOW)
    assert not q.in_window(None, TODAY, WINDOW)


# --- actions ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("status", "due", "overdue"), [
    ("open", -1, True), ("open", 0, False), ("open", None, False), ("done", -1, False), ("wont-do", -9, False),
])
def test_action_overdue(status, due, overdue):
    action = Action.model_validate({"text": "x", "status": status, **({"due": days(due)} if due is not None else {})})
    assert q.action_overdue(action, TODAY) is overdue
    assert q.is_open(action) is (status == "open")


def test_open_actions_of_a_drill_and_a_postmortem():
    d = drill([run(-10, findings=[
        {"text": "f1", "action": {"text": "a1", "status": "open"}},
        {"text": "f2", "action": {"text": "a2", "status": "done"}},
        {"text": "f3"},
    ]), run(-5, findings=[{"text": "f4", "action": {"text": "a4"}}])])
    assert [(r.date, a.text) for r, a in q.open_actions(d)] == [(days(-10), "a1"), (days(-5), "a4")]
    pm = Postmortem.model_construct(action_items=[
        Action.model_construct(text="x", status="open"), Action.model_construct(text="y", status="done")])
    assert [a.text for a in q.open_items(pm)] == ["x"]


# --- contracts, approvals, checks ---------------------------------------------------------------

WARN = dt.timedelta(days=60)


@pytest.mark.parametrize(("end", "expired", "expiring"), [
    (None, False, False), (-1, True, False), (0, False, True), (60, False, True), (61, False, False),
])
def test_contract_expired_and_expiring(end, expired, expiring):
    p = partner(end)
    assert q.contract_expired(p, TODAY) is expired
    assert q.contract_expiring(p, TODAY, WARN) is expiring


@pytest.mark.parametrize(("expires", "expired", "expiring"), [
    (-1, True, False), (0, False, True), (30, False, True), (31, False, False),
])
def test_template_approval_expired_and_expiring(expires, expired, expiring):
    t = template(expires)
    assert q.approval_expired(t, TODAY) is expired
    assert q.approval_expiring(t, TODAY, dt.timedelta(days=30)) is expiring


@pytest.mark.parametrize(("verified", "stale", "future"), [
    (-180, False, False), (-181, True, False), (0, False, False), (1, True, True),
])
def test_contacts_stale(verified, stale, future):
    p = person(verified=verified)
    interval = dt.timedelta(days=180)
    assert q.contacts_stale(p, TODAY, interval) is stale
    assert q.contacts_in_future(p, TODAY) is future
    assert q.contacts_due(p, interval) == days(verified + 180)


def test_partner_contacts_stale():
    interval = dt.timedelta(days=365)
    assert not q.partner_contacts_stale(partner(verified=-365), TODAY, interval)
    assert q.partner_contacts_stale(partner(verified=-366), TODAY, interval)


def test_channel_untested():
    assert q.channel_untested(channel(tested=None), TODAY, WINDOW)
    assert q.channel_untested(channel(tested=-366), TODAY, WINDOW)
    assert not q.channel_untested(channel(tested=-365), TODAY, WINDOW)


# --- phones and dependencies --------------------------------------------------------------------

DESK = {"kind": "work-phone", "value": "+12015550160", "depends_on": ["voip", "office-network"]}
VOIP = {"kind": "work-phone", "value": "+12015550161", "depends_on": ["voip"]}
MOBILE = {"kind": "mobile", "value": "+12015550101"}
MAIL = {"kind": "work-email", "value": "a@example.com"}


def test_best_phone_needs_the_fewest_systems_first_on_a_tie():
    assert q.best_phone(person([DESK, VOIP, MOBILE])).value == "+12015550101"
    assert q.best_phone(person([DESK, VOIP])).value == "+12015550161"
    assert q.best_phone(person([VOIP, {**VOIP, "value": "+12015550162"}])).value == "+12015550161"
    assert q.best_phone(person([MAIL])) is None


def test_can_be_phoned_and_phone_without():
    p = person([DESK, MAIL])
    assert q.can_be_phoned(p) and not q.can_be_phoned(person([MAIL]))
    assert not q.phone_without(p, {"voip"})
    assert q.phone_without(person([DESK, VOIP]), {"office-network"})
    assert q.phone_without(p, set())


def test_partner_phones():
    hotline = {"label": "Claims", "phone": "+12015550191", "hotline": True}
    first = {"label": "Desk", "phone": "+12015550190"}
    mail = {"label": "Intake", "email": "intake@example.com"}
    assert q.partner_first_call(partner(contacts=[mail, first, hotline])).label == "Claims"
    assert q.partner_first_call(partner(contacts=[mail, first])).label == "Desk"
    assert q.partner_first_call(partner(contacts=[mail])) is None
    assert q.partner_has_phone(partner(contacts=[mail, first])) and not q.partner_has_phone(partner(contacts=[mail]))


def test_channel_survives():
    hb = SimpleNamespace(critical_dependencies=[SimpleNamespace(id="sso"), SimpleNamespace(id="voip")])
    assert q.critical_ids(hb) == {"sso", "voip"}
    assert q.survives(channel(["internet"]), {"sso"})
    assert not q.survives(channel(["internet", "sso"]), {"sso"})
    assert q.survives(channel([]), {"sso", "voip"})
    assert q.survives_critical(hb, channel(["internet"]))
    assert not q.survives_critical(hb, channel(["voip"]))


# --- departments and the call tree --------------------------------------------------------------

def _org() -> SimpleNamespace:
    people = [SimpleNamespace(id=i, department=dept) for i, dept in
              (("boss", "exec"), ("ana", "it"), ("bo", "it"), ("cy", "sales"), ("di", "it"))]
    index = {p.id: p for p in people}
    roles = [SimpleNamespace(id="im", primary="boss", people=["boss"]), SimpleNamespace(id="tech", primary="ana", people=["ana"])]
    partners = [SimpleNamespace(id="law", engaged_by="im", owner="cy"),
                SimpleNamespace(id="dfir", engaged_by="tech", owner="boss"),
                SimpleNamespace(id="pr", engaged_by="im", owner="bo")]
    return SimpleNamespace(people=people, roles=roles, partners=partners, person=index.__getitem__)


def test_department_partners_by_role_or_owner():
    hb = _org()
    assert q.department_partners(hb, "it") == ["dfir", "pr"]
    assert q.department_partners(hb, "sales") == ["law"]
    assert q.department_partners(hb, "exec") == ["law", "dfir", "pr"]
    assert q.department_partners(hb, "hr") == []


def test_department_call_heads_are_where_the_tree_enters():
    hb = _org()
    tree = CallTree(root="boss", caller={"boss": None, "ana": "boss", "bo": "ana", "cy": "boss", "di": "cy"})
    assert q.department_call_heads(hb, tree, "it") == ["ana", "di"]
    assert q.department_call_heads(hb, tree, "exec") == ["boss"]
    assert q.department_call_heads(hb, tree, "sales") == ["cy"]


# --- one meaning everywhere: a run marked done with a date still to come ----------------------
# tests/fixtures/invalid/rule-hb707-done-in-future: the minimal organization, with the only run of
# the yearly laptops tabletop marked done but dated 2027-01-15, after today (2026-11-27). Before
# the queries, `validate` and `report` said it had never been run while the site, the binders and
# drills.ics counted the run: "Last run 15 Jan 2027" with no overdue mark, and a "Due" event on
# 15 Jan 2028.


CASE = INVALID / "rule-hb707-done-in-future"
DRILL = "laptops-down-tabletop"
BUILT = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
OVERDUE = '<span class="hb-badge hb-badge--bad">overdue</span>'


def _text(html: str) -> str:
    """The words of some HTML, tags dropped and spaces collapsed."""
    import html as _html
    import re
    return " ".join(_html.unescape(re.sub(r"<[^>]+>", " ", html)).split()).replace(" .", ".")


def _context(data, profile: str = "internal"):
    from preparedness_handbook.macros.context import make_context
    from preparedness_handbook.validators.engine import validate

    result = validate(data, TODAY)
    assert result.handbook is not None and not result.errors
    return result, make_context(result.handbook, profile, built=BUILT, version="test")


def _everywhere(data, cwd) -> dict[str, Any]:
    """How the laptops tabletop reads in each place that shows it."""
    from preparedness_handbook.macros.exports.calendar import drill_events
    from preparedness_handbook.macros.printing.binders import print_plan
    from preparedness_handbook.macros.site.blocks import render_page
    from preparedness_handbook.macros.site.pages import Linker

    validate_run = run_cli("validate", "--data", "data", "--today", ISO, "--format", "json", cwd=cwd)
    report_run = run_cli("report", "--data", "data", "--today", ISO, "--format", "json", cwd=cwd)
    assert report_run.returncode == 0, report_run.stderr
    findings = [f for f in validate_run.json["findings"] if f["code"] == "HB707"]
    report = report_run.json
    drills = next(a for a in report["areas"] if a["key"] == "drills")
    by_drill = next(g for g in drills["groups"] if g["title"] == "By drill")
    entry = next(x for x in by_drill["entries"] if x["ref"] == f"drill:{DRILL}")

    _, ctx = _context(data)
    link = Linker("site", "drills/index.md", True)
    programme = render_page(ctx, "drills", link)
    row = next(r for r in programme.split("<tr>") if f"{DRILL}/" in r)
    page = render_page(ctx, f"drill:{DRILL}", Linker("site", f"drills/{DRILL}.md", True))
    facts = page.split("</dl>")[0]
    binder = next(f for f in print_plan(ctx) if f.name == "executive.pdf")
    sentence = next(s for s in str(binder.make()).split("<li>") if "All laptops unavailable" in s and "Tabletop" in s)
    drill = ctx.hb.index["drills"][DRILL]
    return {
        "validate": [f["message"] for f in findings],
        "report": (entry["state"], entry["detail"]),
        "report_quarter": next(q for q in report["drills_by_quarter"] if q["quarter"] == "Q1 2027"),
        "site_row": (_text(row), OVERDUE in row),
        "site_page": (_text(facts), OVERDUE in facts),
        "binder": (_text(sentence.split("</li>")[0]), OVERDUE in sentence),
        "ics": [(day, run is None) for day, run, _ in drill_events(ctx, drill)],
    }


def test_a_done_run_dated_in_the_future_reads_the_same_everywhere(tmp_path):
    data = build_case(CASE, tmp_path)
    seen = _everywhere(data, tmp_path)
    assert seen["validate"] == [
        "All laptops unavailable (laptops-down-tabletop) repeats every 365 days but has never been run"]
    assert seen["report"] == ("never", "every 365 days; last run never, no date planned; never run")
    assert seen["report_quarter"] == {"quarter": "Q1 2027", "done": 0, "planned": 1}
    assert seen["site_row"] == (
        "All laptops unavailable Tabletop (talk-through) SEV 1 — Critical never not planned overdue every 365 days", True)
    assert seen["site_page"][1] is True and "Type Tabletop (talk-through) overdue Levels" in seen["site_page"][0]
    assert seen["binder"] == (
        "All laptops unavailable. Tabletop (talk-through). Not held yet. No date set yet. overdue", True)
    assert seen["ics"] == [(TODAY, True)]     # due now, not a year after 2027-01-15


def test_the_same_run_dated_in_the_past_is_held_everywhere(tmp_path):
    """The control: in the minimal organization the run (2026-03-12) was held, and every place says so."""
    data = copy_minimal(tmp_path / "data")
    seen = _everywhere(data, tmp_path)
    assert seen["validate"] == []
    assert seen["report"] == ("ok", "every 365 days; last run 12 Mar 2026, no date planned")
    assert seen["site_row"] == (
        "All laptops unavailable Tabletop (talk-through) SEV 1 — Critical 12 Mar 2026 not planned every 365 days", False)
    assert seen["site_page"][1] is False
    assert seen["binder"] == (
        "All laptops unavailable. Tabletop (talk-through). Last held on 12 Mar 2026. No date set yet.", False)
    assert seen["ics"] == [(dt.date(2027, 3, 12), True)]


def test_a_last_verified_in_the_future_is_overdue_in_validate_and_report(tmp_path):
    """HB304 warns about a last_verified in the future; the report counts that person as not current."""
    data = copy_minimal(tmp_path / "data")
    people = data / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace("last_verified: 2026-10-01", "last_verified: 2027-01-05", 1),
                      encoding="utf-8")
    validate_run = run_cli("validate", "--data", "data", "--today", ISO, "--format", "json", cwd=tmp_path)
    assert [f["message"] for f in validate_run.json["findings"] if f["code"] == "HB304"] == [
        "Ada King (ada-king) has last_verified 2027-01-05, a date in the future"]
    report = run_cli("report", "--data", "data", "--today", ISO, "--format", "json", cwd=tmp_path).json
    contacts = report["areas"][0]
    assert contacts["passed"] == contacts["total"] - 1
    overdue = contacts["groups"][0]
    assert overdue["title"] == "Overdue: last checked more than 180 days ago, or dated in the future"
    assert [(x["subject"].split(" (")[0], x["state"], x["detail"]) for x in overdue["entries"]] == [
        ("Ada King", "overdue", "last checked 5 Jan 2027, a date in the future")]


def test_the_sample_report_and_rules_agree_on_drills():
    """On the sample, every drill the report calls overdue or never run is one HB707 names, and back."""
    from preparedness_handbook.macros.views.readiness import readiness

    result, _ = _context(REPO / "data")
    flagged = {f.message.split(" (")[0] for f in result.findings if f.code == "HB707"}
    r = readiness(result.handbook)
    group = next(g for g in r.area("drills").groups if g.title == "By drill")
    late = {x.subject for x in group.entries if x.state in ("overdue", "never") and "every" in x.detail
            and "planned for" not in x.detail}
    assert late == flagged
