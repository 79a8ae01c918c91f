"""Postmortems: HB801–HB804."""

from __future__ import annotations

import datetime as dt

from .conftest import said


def pm(docs):
    return docs["postmortems/one.yaml"]


def incident(docs):
    return docs["incidents.yaml"]["incidents"][0]


def test_base_is_clean(make):
    hb = make()
    for code in ("HB801", "HB802", "HB803", "HB804"):
        assert said(hb, code) == []


def test_hb801_missing(make):
    def edit(d):
        incident(d).pop("postmortem")
        d["postmortems/one.yaml"] = None
    assert said(make(edit), "HB801") == [
        ("incidents.yaml incidents[0].postmortem: error the incident 'Company chat down for three hours' "
        "(chat-outage-2026-08) at SEV 2 — High (sev2) has no postmortem, which that level requires "
        "(write one in postmortems/ and name its id under postmortem)")
    ]


def test_hb801_not_required_at_low_levels(make):
    def edit(d):
        incident(d).pop("postmortem")
        incident(d)["level"] = "sev3"
    assert said(make(edit), "HB801") == []


def test_hb801_level_mismatch(make):
    hb = make(lambda d: incident(d).update(level="sev1"))
    assert said(hb, "HB801") == [
        ("incidents.yaml incidents[0].level: error the incident 'Company chat down for three hours' "
        "(chat-outage-2026-08) is at sev1 but its postmortem one says sev2 (make the two levels agree)")
    ]


def test_hb802_unowned(make):
    hb = make(lambda d: pm(d)["action_items"][1].pop("owner"))
    assert said(hb, "HB802") == [
        ("postmortems/one.yaml action_items[1]: error the action item 'Alert 30 days before any certificate "
        "expires' of the postmortem one has no owner (name the person id who owns it and the date it is "
        "due)")
    ]


def test_hb803_overdue(make):
    hb = make(lambda d: pm(d)["action_items"][1].update(due=dt.date(2026, 11, 1)))
    assert said(hb, "HB803") == [
        ("postmortems/one.yaml action_items[1].due: error the action item 'Alert 30 days before any "
        "certificate expires' of the postmortem one, owned by Carla Diaz (carla-diaz), was due on "
        "2026-11-01 and is still open (finish it and set status: done, or agree a new due date)")
    ]


def test_hb803_done_items_are_not_overdue(make):
    hb = make(lambda d: pm(d)["action_items"][1].update(due=dt.date(2026, 11, 1), status="done"))
    assert said(hb, "HB803") == []


def test_hb804_no_meeting(make):
    hb = make(lambda d: pm(d).pop("review_meeting"))
    assert said(hb, "HB804") == [
        ("postmortems/one.yaml status: warning the postmortem one is closed but has no review_meeting date "
        "(write the date the review meeting was held)")
    ]


def test_hb804_draft_needs_no_meeting(make):
    hb = make(lambda d: (pm(d).pop("review_meeting"), pm(d).update(status="draft")))
    assert said(hb, "HB804") == []


def test_hb804_late_meeting(make):
    hb = make(lambda d: pm(d).update(review_meeting=dt.date(2026, 8, 15)))
    assert said(hb, "HB804") == [
        ("postmortems/one.yaml review_meeting: warning the review meeting of the postmortem one was on "
        "2026-08-15, more than 10 days after the incident on 2026-08-04 (hold review meetings for sev2 "
        "within 10 days of the incident)")
    ]
