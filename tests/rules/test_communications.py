"""Communications and the call tree: HB501–HB511."""

from __future__ import annotations

import datetime as dt

from .conftest import find, said


def channel(docs, cid):
    return find(docs["communications.yaml"]["channels"], cid)


def person(docs, pid):
    return find(docs["people.yaml"]["people"], pid)


def tree(docs):
    return docs["communications.yaml"]["call_tree"]


def policy(docs, **values):
    docs["organization.yaml"]["organization"]["call_tree"].update(values)


CODES = ("HB501", "HB502", "HB503", "HB504", "HB505", "HB506", "HB507", "HB508", "HB509", "HB510", "HB511")


def test_base_is_clean(make):
    hb = make()
    for code in CODES:
        assert said(hb, code) == []


# --- HB501 ------------------------------------------------------------------------------------

def test_hb501_bridge_needs_dependency(make):
    hb = make(lambda d: channel(d, "bridge").update(depends_on=["voip"]))
    assert said(hb, "HB501") == [
        ("communications.yaml channels[1].depends_on[0]: error if voip is down, the bridge line stops "
        "working (use a line that does not need voip, or keep a second number for that case)")
    ]


def test_hb501_hotline_needs_dependency(make):
    hb = make(lambda d: channel(d, "incident-hotline").update(depends_on=["sso", "internet"]))
    assert said(hb, "HB501") == [
        ("communications.yaml channels[0].depends_on[0]: error if sso is down, the incident hotline stops "
        "working (use a line that does not need sso, or keep a second number for that case)"),
        ("communications.yaml channels[0].depends_on[1]: error if internet is down, the incident hotline "
        "stops working (use a line that does not need internet, or keep a second number for that case)"),
    ]


def test_hb501_no_backup_channel_survives(make):
    hb = make(lambda d: channel(d, "sms-alert").update(depends_on=["internet"]))
    assert said(hb, "HB501") == [
        ("organization.yaml organization.dependencies[5]: error if internet is down, no backup channel "
        "works (add a channel with use: backup that does not depend on internet, such as an SMS "
        "broadcast or a conference line)")
    ]


def test_hb501_incident_manager_primary(make):
    hb = make(lambda d: person(d, "ben-cole")["contacts"][0].update(depends_on=["voip"]))
    assert said(hb, "HB501") == [
        ("roles.yaml roles[0].primary: error if voip is down, the incident manager Ben Cole (ben-cole) "
        "cannot be phoned (give them a mobile or landline that does not depend on voip)")
    ]


def test_hb501_incident_manager_backups(make):
    hb = make(lambda d: person(d, "carla-diaz")["contacts"][0].update(depends_on=["corp-chat"]))
    assert said(hb, "HB501") == [
        ("roles.yaml roles[0].backups: error if corp-chat is down, only Dev Patel (dev-patel) of the "
        "incident manager's backups can be phoned (give at least two backups a mobile or landline that "
        "does not depend on corp-chat)")
    ]


def test_hb501_third_backup_covers(make):
    def edit(d):
        find(d["roles.yaml"]["roles"], "incident-manager")["backups"].append("ivy-stone")
        person(d, "carla-diaz")["contacts"][0].update(depends_on=["corp-chat"])
    assert said(make(edit), "HB501") == []


# --- HB502 / HB503 ----------------------------------------------------------------------------

def test_hb502_cycle_reported_once(make):
    hb = make(lambda d: person(d, "ada-king").update(reports_to="ivy-stone"))
    assert said(hb, "HB502") == [
        ("people.yaml people[0].reports_to: error the call tree goes round in a circle: Ada King "
        "(ada-king) → Ivy Stone (ivy-stone) → Ada King (ada-king) (change reports_to or add an override "
        "so one of them is called from the incident manager's side)")
    ]


def test_hb502_cycle_of_three_through_override(make):
    def edit(d):
        person(d, "ada-king").update(reports_to="hal-ng")
        tree(d)["overrides"] = [{"person": "gia-romano", "called_by": "ada-king"}]
    found = said(make(edit), "HB502")
    assert found == [
        ("people.yaml people[0].reports_to: error the call tree goes round in a circle: Ada King "
        "(ada-king) → Gia Romano (gia-romano) → Hal Ng (hal-ng) → Ada King (ada-king) (change reports_to "
        "or add an override so one of them is called from the incident manager's side)")
    ]


def test_hb503_people_below_a_cycle(make):
    hb = make(lambda d: person(d, "ada-king").update(reports_to="ivy-stone"))
    found = said(hb, "HB503")
    assert found[0] == (
        "people.yaml people[4].reports_to: error the call tree never reaches Eva Moss (eva-moss): their "
        "caller Ada King (ada-king) is never called (fix the circle of callers above them, or give them "
        "a caller with an override)"
    )
    assert [f.split(" ")[1] for f in found] == [
        "people[4].reports_to:", "people[5].reports_to:", "people[6].reports_to:",
        "people[7].reports_to:", "people[9].reports_to:",
    ]


# --- HB504 / HB505 / HB506 --------------------------------------------------------------------

def test_hb504_and_hb505_fanout(make):
    hb = make(lambda d: policy(d, max_fanout=2, warn_fanout=1))
    assert said(hb, "HB504") == [
        ("people.yaml people[0]: error Ada King (ada-king) has to call 3 people, more than the limit of 2 "
        "(give some of them another caller with overrides in communications.yaml)"),
        ("people.yaml people[1]: error Ben Cole (ben-cole) has to call 3 people, more than the limit of 2 "
        "(give some of them another caller with overrides in communications.yaml)"),
    ]
    assert said(hb, "HB505") == [
        ("people.yaml people[4]: warning Eva Moss (eva-moss) has to call 2 people, more than the "
        "comfortable number of 1 (give some of them another caller with overrides in communications.yaml)")
    ]


def test_hb505_at_warn_limit_passes(make):
    hb = make(lambda d: policy(d, warn_fanout=3))
    assert said(hb, "HB505") == []


def test_hb506_depth(make):
    hb = make(lambda d: policy(d, max_depth=2))
    assert said(hb, "HB506") == [
        f"people.yaml people[{i}].reports_to: error {name} is called 3 hand-offs after the incident "
        "manager, more than the limit of 2 (give them or someone above them a caller nearer the top with "
        "an override)"
        for i, name in ((5, "Finn Lowe (finn-lowe)"), (7, "Hal Ng (hal-ng)"), (9, "Jon Park (jon-park)"))
    ]


# --- HB507 ------------------------------------------------------------------------------------

def test_hb507_alternate_is_the_caller(make):
    hb = make(lambda d: tree(d).update(alternates=[{"person": "finn-lowe", "alternate": "eva-moss"}]))
    assert said(hb, "HB507") == [
        ("communications.yaml call_tree.alternates[0].alternate: error the alternate caller of Finn Lowe "
        "(finn-lowe) is their usual caller Eva Moss (eva-moss) (name another alternate for finn-lowe "
        "under call_tree.alternates)")
    ]


def test_hb507_alternate_is_themself(make):
    hb = make(lambda d: tree(d).update(alternates=[{"person": "finn-lowe", "alternate": "finn-lowe"}]))
    assert said(hb, "HB507") == [
        ("communications.yaml call_tree.alternates[0].alternate: error Finn Lowe (finn-lowe) is their own "
        "alternate caller (name another alternate for finn-lowe under call_tree.alternates)")
    ]


def test_hb507_no_alternate(make):
    # called by the root, so no skip-level; the only root backup is the person themself
    hb = make(lambda d: find(d["roles.yaml"]["roles"], "incident-manager").update(backups=["carla-diaz"]))
    assert said(hb, "HB507") == [
        ("people.yaml people[2]: error Carla Diaz (carla-diaz) has no alternate caller (name another "
        "alternate for carla-diaz under call_tree.alternates)")
    ]


# --- HB508 / HB509 ----------------------------------------------------------------------------

def _expires(date):
    return lambda d: d["communications.yaml"]["templates"][0].update(expires=date)


def test_hb508_expired(make):
    hb = make(_expires(dt.date(2026, 11, 26)))
    assert said(hb, "HB508") == [
        ("communications.yaml templates[0].expires: error the approval of the template Employees — first "
        "notice (employees-first-notice) expired on 2026-11-26 (have communications-lead review the "
        "wording and set new approved and expires dates)")
    ]
    assert said(hb, "HB509") == []


def test_hb509_expiring(make):
    hb = make(_expires(dt.date(2026, 12, 27)))
    assert said(hb, "HB509") == [
        ("communications.yaml templates[0].expires: warning the approval of the template Employees — "
        "first notice (employees-first-notice) expires on 2026-12-27, within 30 days (have "
        "communications-lead review the wording before then)")
    ]
    assert said(hb, "HB508") == []


def test_hb509_beyond_warning_passes(make):
    assert said(make(_expires(dt.date(2026, 12, 28))), "HB509") == []


# --- HB510 ------------------------------------------------------------------------------------

def test_hb512_bridge_is_chat(make):
    hb = make(lambda d: d["communications.yaml"].update(bridge="chat"))
    assert said(hb, "HB510") == []  # it has an address: people can find it while the internet works
    assert said(hb, "HB512") == [
        ("communications.yaml channels[3].kind: warning the bridge #incident-room (chat) is a chat channel with "
        "no number to dial: when the internet is down nobody can join it (add a dial-in number under number, "
        "or name a backup channel people use instead)"),
    ]


def test_hb510_a_chat_command_as_the_hotline_needs_its_address(make):
    def edit(d):
        d["communications.yaml"]["hotline"] = "chat"
        channel(d, "chat")["address"] = ""
    assert said(make(edit), "HB510") == [
        ("communications.yaml channels[3].number: error the incident hotline #incident-room (chat) has no "
        "number or address (add the number under number, or under address where to find it: a chat command, "
        "a URL or an e-mail address)"),
    ]


def test_hb510_hotline_without_number(make):
    hb = make(lambda d: channel(d, "incident-hotline").pop("number"))
    assert said(hb, "HB510") == [
        ("communications.yaml channels[0].number: error the incident hotline Incident hotline "
        "(incident-hotline) has no number to dial (add the phone number under number, or an internal "
        "extension under extension)")
    ]


# --- HB511 ------------------------------------------------------------------------------------

def test_hb511_never_tested(make):
    hb = make(lambda d: channel(d, "sms-alert").pop("last_tested"))
    assert said(hb, "HB511") == [
        ("communications.yaml channels[2]: warning the backup channel SMS alert service (sms-alert) has "
        "never been tested (test it end to end and write the date under last_tested)")
    ]


def test_hb511_stale(make):
    hb = make(lambda d: channel(d, "sms-alert").update(last_tested=dt.date(2025, 11, 26)))
    assert said(hb, "HB511") == [
        ("communications.yaml channels[2].last_tested: warning the backup channel SMS alert service "
        "(sms-alert) was last tested on 2025-11-26, more than 365 days ago (test it end to end and update "
        "last_tested)")
    ]
