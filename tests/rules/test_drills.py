"""Drills: HB701–HB708."""

from __future__ import annotations

import datetime as dt

from .conftest import find, said


def drill(docs, did):
    return find(docs["drills.yaml"]["drills"], did)


def test_base_is_clean(make):
    hb = make()
    for code in ("HB701", "HB702", "HB703", "HB704", "HB705", "HB706", "HB707", "HB708"):
        assert said(hb, code) == []


# --- HB701 ------------------------------------------------------------------------------------

def test_hb701_level_not_exercised(make):
    def edit(d):
        drill(d, "comms-outage-game-day")["levels"] = ["sev3"]
        drill(d, "call-tree-test")["levels"] = ["sev1"]
    assert said(make(edit), "HB701") == [
        ("severity.yaml levels[1]: warning SEV 2 — High (sev2) was not exercised in a drill in the last "
        "365 days (run a tabletop or game day for sev2 and record the run as done in drills.yaml)")
    ]


def test_hb701_run_outside_window(make):
    def edit(d):
        drill(d, "comms-outage-game-day")["runs"][0]["date"] = dt.date(2025, 11, 26)
        drill(d, "call-tree-test")["levels"] = ["sev1"]
    assert [f.split(":")[0] for f in said(make(edit), "HB701")] == ["severity.yaml levels[1]"]


def test_hb701_only_done_runs_count(make):
    def edit(d):
        drill(d, "comms-outage-game-day")["runs"][0]["status"] = "cancelled"
        drill(d, "call-tree-test")["levels"] = ["sev1"]
    assert len(said(make(edit), "HB701")) == 1


# --- HB702 ------------------------------------------------------------------------------------

def test_hb702_department_never_took_part(make):
    def edit(d):
        for dr in d["drills.yaml"]["drills"]:
            for run in dr["runs"]:
                run["participants"] = [p for p in run.get("participants", []) if p != "executive"]
    assert said(make(edit), "HB702") == [
        ("departments.yaml departments[0]: warning Executive (executive) has not taken part in a drill in "
        "the last 365 days (include executive in the participants of a drill run)")
    ]


def test_hb702_drill_departments_count_when_participants_empty(make):
    def edit(d):
        for dr in d["drills.yaml"]["drills"]:
            for run in dr["runs"]:
                run["participants"] = []
    assert said(make(edit), "HB702") == []


# --- HB703 ------------------------------------------------------------------------------------

def test_hb703_not_tested(make):
    hb = make(lambda d: drill(d, "call-tree-test")["runs"][0].update(date=dt.date(2025, 11, 26)))
    assert said(hb, "HB703") == [
        ("communications.yaml call_tree.root: warning the call tree has not been tested in the last 365 "
        "days (run a drill of type call-tree-test and record the run as done in drills.yaml)")
    ]


# --- HB704 ------------------------------------------------------------------------------------

def test_hb704_finding_without_action(make):
    hb = make(lambda d: drill(d, "laptops-down-tabletop")["runs"][0]["findings"][0].pop("action"))
    assert said(hb, "HB704") == [
        ("drills.yaml drills[0].runs[0].findings[0]: error the finding 'Nobody had the bridge PIN on "
        "paper.' of All laptops unavailable (laptops-down-tabletop) on 2026-03-12 has no corrective "
        "action (add an action with text, owner and due)")
    ]


def test_hb704_action_without_owner_and_due(make):
    def edit(d):
        action = drill(d, "laptops-down-tabletop")["runs"][0]["findings"][0]["action"]
        del action["owner"], action["due"]
    assert said(make(edit), "HB704") == [
        ("drills.yaml drills[0].runs[0].findings[0].action: error the action for 'Nobody had the bridge "
        "PIN on paper.' of All laptops unavailable (laptops-down-tabletop) has no owner and no due (name "
        "the person id who owns it and the date it is due)")
    ]


# --- HB705 ------------------------------------------------------------------------------------

def test_hb705_overdue(make):
    def edit(d):
        drill(d, "comms-outage-game-day")["runs"][0]["findings"][0]["action"]["due"] = dt.date(2026, 11, 26)
    assert said(make(edit), "HB705") == [
        ("drills.yaml drills[1].runs[0].findings[0].action.due: error the action 'Sync the SMS list from "
        "people.yaml every week' from Chat and e-mail down (comms-outage-game-day), owned by Dev Patel "
        "(dev-patel), was due on 2026-11-26 and is still open (finish it and set status: done, or agree "
        "a new due date)")
    ]


def test_hb705_due_today_is_not_overdue(make):
    def edit(d):
        drill(d, "comms-outage-game-day")["runs"][0]["findings"][0]["action"]["due"] = dt.date(2026, 11, 27)
    assert said(make(edit), "HB705") == []


# --- HB706 ------------------------------------------------------------------------------------

def test_hb706_planned_in_past(make):
    hb = make(lambda d: drill(d, "call-tree-test")["runs"][1].update(date=dt.date(2026, 11, 20)))
    assert said(hb, "HB706") == [
        ("drills.yaml drills[2].runs[1].status: warning the run of Call-tree test (call-tree-test) on "
        "2026-11-20 is still marked planned (mark it done or cancelled)")
    ]


# --- HB707 ------------------------------------------------------------------------------------

def test_hb707_overdue_cadence(make):
    hb = make(lambda d: drill(d, "comms-outage-game-day").update(cadence="90d"))
    assert said(hb, "HB707") == [
        ("drills.yaml drills[1].cadence: warning Chat and e-mail down (comms-outage-game-day) repeats every "
        "90 days but was last run on 2026-06-18 (hold it again and record the run as done)")
    ]


def test_hb707_never_run(make):
    hb = make(lambda d: drill(d, "laptops-down-tabletop")["runs"][0].update(status="cancelled"))
    assert said(hb, "HB707") == [
        ("drills.yaml drills[0].cadence: warning All laptops unavailable (laptops-down-tabletop) repeats "
        "every 365 days but has never been run (hold it and record the run as done)")
    ]


# --- HB708 ------------------------------------------------------------------------------------

def test_hb708_no_reach(make):
    hb = make(lambda d: drill(d, "call-tree-test")["runs"][0].pop("reached_percent"))
    assert said(hb, "HB708") == [
        ("drills.yaml drills[2].runs[0].status: error the call-tree test Call-tree test (call-tree-test) on "
        "2026-09-10 does not say how many people were reached (write reached_percent, and "
        "minutes_to_reach if known)")
    ]
