"""People and roles: HB301–HB306."""

from __future__ import annotations

import datetime as dt

from .conftest import find, said


def person(docs, pid):
    return find(docs["people.yaml"]["people"], pid)


def role(docs, rid):
    return find(docs["roles.yaml"]["roles"], rid)


def test_base_is_clean(make):
    hb = make()
    for code in ("HB301", "HB302", "HB303", "HB304", "HB305", "HB306"):
        assert said(hb, code) == []


# --- HB301 ------------------------------------------------------------------------------------

def test_hb308_no_backup(make):
    hb = make(lambda d: role(d, "communications-lead").update(backups=[]))
    assert said(hb, "HB301") == []
    assert said(hb, "HB308") == [
        ("roles.yaml roles[1].primary: warning the role Communications Lead (communications-lead) is held by one "
        "person and has no backup (add at least one other person id under backups, or write filled_by: if a "
        "rotation fills it)")
    ]


def test_a_role_filled_by_a_shift_job_needs_no_person_and_no_backup(make):
    def edit(d):
        r = role(d, "communications-lead")
        r.pop("primary")
        r["backups"] = []
        r["filled_by"] = "the communications officer on duty"
    hb = make(edit)
    assert said(hb, "HB301") == [] and said(hb, "HB308") == []
    assert hb.role("communications-lead").first is None


def test_hb301_nobody_fills_the_role(make):
    def edit(d):
        r = role(d, "communications-lead")
        r.pop("primary")
        r["backups"] = []
    assert said(make(edit), "HB301") == [
        ("roles.yaml roles[1]: error nobody fills the role Communications Lead (communications-lead) (write "
        "primary: with a person id, holders: with several, or filled_by: with the shift job or rotation that "
        "fills it, e.g. filled_by: the house supervisor on duty)")
    ]


def test_hb301_primary_among_backups(make):
    hb = make(lambda d: role(d, "communications-lead").update(backups=["hal-ng", "gia-romano"]))
    assert said(hb, "HB301") == [
        ("roles.yaml roles[1].backups[1]: error Gia Romano (gia-romano) both holds and backs up "
        "Communications Lead (communications-lead) (choose a different person as backup)")
    ]


def test_hb301_duplicate_backup(make):
    hb = make(lambda d: role(d, "communications-lead").update(backups=["hal-ng", "hal-ng"]))
    assert said(hb, "HB301") == [
        ("roles.yaml roles[1].backups[1]: error Hal Ng (hal-ng) is listed twice as a backup of "
        "Communications Lead (communications-lead) (remove the second entry or replace it with another person)")
    ]


# --- HB302 ------------------------------------------------------------------------------------

def test_hb302_one_contact(make):
    hb = make(lambda d: person(d, "jon-park")["contacts"].pop())
    assert said(hb, "HB302") == [
        ("people.yaml people[9].contacts: error Jon Park (jon-park) has only one contact method "
        "(add a mobile or landline that works without SSO)")
    ]


def test_hb302_no_contact(make):
    hb = make(lambda d: person(d, "jon-park").update(contacts=[]))
    assert said(hb, "HB302") == [
        ("people.yaml people[9].contacts: error Jon Park (jon-park) has no contact method "
        "(add a mobile or landline that works without SSO)")
    ]


# --- HB303 ------------------------------------------------------------------------------------

def test_hb303_only_email(make):
    def edit(d):
        person(d, "jon-park")["contacts"][0] = {
            "kind": "personal-email", "value": "jon@home.example"}
    hb = make(edit)
    assert said(hb, "HB303") == [
        ("people.yaml people[9].contacts: error Jon Park (jon-park) has no phone, text or radio contact "
        "(add a mobile or landline number)")
    ]


def test_hb303_desk_phone_needs_voip(make):
    def edit(d):
        person(d, "jon-park")["contacts"][0] = {
            "kind": "work-phone", "value": "+1 312 555 0190", "depends_on": ["voip", "internet"]}
    hb = make(edit)
    assert said(hb, "HB303") == [
        ("people.yaml people[9].contacts: error every phone contact of Jon Park (jon-park) depends on "
        "internet and voip, so nobody can call them when any of those is down "
        "(add a mobile or landline with no critical dependency in depends_on)")
    ]


def test_hb303_non_critical_dependency_is_fine(make):
    def edit(d):
        d["organization.yaml"]["organization"]["dependencies"].append(
            {"id": "pos", "name": "Tills", "critical": False})
        person(d, "jon-park")["contacts"][0]["depends_on"] = ["pos"]
    assert said(make(edit), "HB303") == []


# --- HB304 ------------------------------------------------------------------------------------

def test_hb304_stale(make):
    hb = make(lambda d: person(d, "jon-park").update(last_verified=dt.date(2026, 5, 30)))
    assert said(hb, "HB304") == [
        ("people.yaml people[9].last_verified: warning Jon Park (jon-park) last verified their contacts "
        "on 2026-05-30, more than 180 days ago (ask them to check their numbers and update last_verified)")
    ]


def test_hb304_exactly_at_interval_passes(make):
    hb = make(lambda d: person(d, "jon-park").update(last_verified=dt.date(2026, 5, 31)))
    assert said(hb, "HB304") == []


def test_hb304_future(make):
    hb = make(lambda d: person(d, "jon-park").update(last_verified=dt.date(2027, 1, 2)))
    assert said(hb, "HB304") == [
        ("people.yaml people[9].last_verified: warning Jon Park (jon-park) has last_verified 2027-01-02, "
        "a date in the future (write the date the contacts were actually checked)")
    ]


# --- HB305 ------------------------------------------------------------------------------------

def test_hb309_one_backup(make):
    hb = make(lambda d: role(d, "incident-manager").update(backups=["carla-diaz"]))
    assert said(hb, "HB305") == []
    assert said(hb, "HB309") == [
        ("roles.yaml roles[0].backups: warning the incident manager role Incident Manager (incident-manager) "
        "has only one backup (name at least two backups qualified as incident-manager, or write filled_by: "
        "with the rotation that fills it)")
    ]


def test_hb305_unqualified_backup(make):
    hb = make(lambda d: role(d, "incident-manager")["backups"].append("ivy-stone"))
    assert said(hb, "HB305") == [
        ("roles.yaml roles[0].backups[2]: error Ivy Stone (ivy-stone) is a backup incident manager but is "
        "not qualified as incident-manager (add incident-manager to their qualifications in people.yaml "
        "once trained, or choose a qualified person)")
    ]


def test_hb305_unqualified_primary(make):
    hb = make(lambda d: person(d, "ben-cole").update(qualifications=[]))
    assert said(hb, "HB305") == [
        ("roles.yaml roles[0].primary: error Ben Cole (ben-cole) is the primary incident manager but is "
        "not qualified as incident-manager (add incident-manager to their qualifications in people.yaml "
        "once trained, or choose a qualified person)")
    ]


def test_hb305_none(make):
    hb = make(lambda d: role(d, "incident-manager").update(incident_manager=False))
    assert said(hb, "HB305") == [
        ("roles.yaml roles[0]: error no role is marked as the incident manager "
        "(set incident_manager: true on the role that leads every incident)")
    ]


def test_hb305_two(make):
    hb = make(lambda d: role(d, "communications-lead").update(incident_manager=True))
    assert said(hb, "HB305")[0] == (
        "roles.yaml roles[1].incident_manager: error Communications Lead (communications-lead) and "
        "Incident Manager (incident-manager) are both marked as the incident manager "
        "(keep incident_manager: true on one role only)"
    )


# --- HB306 ------------------------------------------------------------------------------------

def test_hb306_tracked_qualification_missing(make):
    hb = make(lambda d: person(d, "hal-ng").update(qualifications=[]))
    assert said(hb, "HB306") == [
        ("roles.yaml roles[1].backups[0]: warning Hal Ng (hal-ng) is a backup for Communications Lead "
        "(communications-lead) but is not qualified as communications-lead "
        "(add communications-lead to their qualifications in people.yaml once trained)")
    ]


def test_hb306_untracked_qualification_is_not_checked(make):
    def edit(d):
        person(d, "hal-ng").update(qualifications=[])
        person(d, "gia-romano").update(qualifications=[])
    assert said(make(edit), "HB306") == []


def test_hb306_ignores_incident_manager(make):
    hb = make(lambda d: person(d, "dev-patel").update(qualifications=[]))
    assert said(hb, "HB306") == []
    assert len(said(hb, "HB305")) == 1


# --- HB307 ------------------------------------------------------------------------------------

def _contact(docs, pid, index=0):
    return person(docs, pid)["contacts"][index]


def _channel(docs, cid):
    return find(docs["communications.yaml"]["channels"], cid)


def test_hb307_base_is_clean(make):
    assert said(make(), "HB307") == []


def test_hb307_premium_rate_mobile(make):
    hb = make(lambda d: _contact(d, "ada-king").update(value="+1 900 555 0101"))
    assert said(hb, "HB307") == [
        ("people.yaml people[0].contacts[0].value: warning the mobile +1 900-555-0101 of Ada King (ada-king) "
         "is a premium-rate number: every call costs the caller extra, and many phones and company lines "
         "block them (write their own mobile number)")
    ]


def test_hb307_company_numbers_on_a_mobile_but_not_on_a_landline(make):
    def edit(d):
        _contact(d, "ada-king").update(kind="sms", value="+44 300 123 4567")  # a UK access number
        person(d, "ben-cole")["contacts"].append({"kind": "landline", "value": "+1 800 555 0102"})  # toll-free
    hb = make(edit)
    assert said(hb, "HB307") == [
        ("people.yaml people[0].contacts[0].value: warning the text number +44 300 123 4567 of Ada King "
         "(ada-king) is a company's universal access number, which reaches a switchboard, not a person "
         "(write their own mobile number)")
    ]


def test_hb307_costly_work_phone(make):
    hb = make(lambda d: person(d, "ben-cole")["contacts"].append({"kind": "work-phone", "value": "+44 871 234 5678"}))
    [finding] = said(hb, "HB307")
    assert finding.startswith("people.yaml people[1].contacts[2].value: warning the work-phone +44 871 234 5678 "
                              "of Ben Cole (ben-cole) is a premium-rate number")
    assert finding.endswith("(write a number that rings them)")


def test_hb307_bridge_and_hotline(make):
    def edit(d):
        _channel(d, "bridge").update(number="+1 900 555 0151")
        _channel(d, "incident-hotline").update(number="+1 800 555 0150")  # toll-free is fine for a line
    hb = make(edit)
    assert said(hb, "HB307") == [
        ("communications.yaml channels[1].number: warning the bridge line, Incident bridge (conference line) "
         "(bridge), dials +1 900-555-0151, a premium-rate number: every call costs the caller extra, and "
         "many phones and company lines block them (use an ordinary or toll-free number for it)")
    ]
