"""Partners: HB601–HB607."""

from __future__ import annotations

import datetime as dt

from .conftest import find, said


def partner(docs, pid):
    return find(docs["partners.yaml"]["partners"], pid)


def test_base_is_clean(make):
    hb = make()
    for code in ("HB601", "HB602", "HB603", "HB604", "HB605", "HB606", "HB607"):
        assert said(hb, code) == []


def test_hb601_expired(make):
    hb = make(lambda d: partner(d, "tracewell-forensics")["contract"].update(end=dt.date(2026, 11, 26)))
    assert said(hb, "HB601") == [
        ("partners.yaml partners[2].contract.end: error the contract with Tracewell Forensics "
        "(tracewell-forensics) ended on 2026-11-26 (renew it and write the new end date, or replace the "
        "partner)")
    ]
    assert said(hb, "HB602") == []


def test_hb602_ending(make):
    hb = make(lambda d: partner(d, "tracewell-forensics")["contract"].update(end=dt.date(2027, 1, 26)))
    assert said(hb, "HB602") == [
        ("partners.yaml partners[2].contract.end: warning the contract with Tracewell Forensics "
        "(tracewell-forensics) ends on 2027-01-26, within 60 days (start the renewal now and write the "
        "new end date when signed)")
    ]
    assert said(hb, "HB601") == []


def test_hb602_beyond_warning_passes(make):
    hb = make(lambda d: partner(d, "tracewell-forensics")["contract"].update(end=dt.date(2027, 1, 27)))
    assert said(hb, "HB602") == []


def test_hb603_insurer_incomplete(make):
    def edit(d):
        p = partner(d, "shield-insurance")
        p["contacts"][0]["hours"] = "business-hours"
        p["contract"]["number"] = ""
        del p["notification_deadline"]
    assert said(make(edit), "HB603") == [
        ("partners.yaml partners[0].contacts: error the insurer Shield Cyber Insurance (shield-insurance) "
        "has no 24x7 hotline phone number (add a contact with phone, hours: 24x7 and hotline: true)"),
        ("partners.yaml partners[0].contract: error the insurer Shield Cyber Insurance (shield-insurance) "
        "has no policy number (write the policy number under contract.number)"),
        ("partners.yaml partners[0]: error the insurer Shield Cyber Insurance (shield-insurance) has no "
        "notification deadline (write how soon they must be told as the policy says, e.g. "
        "notification_deadline: 72h, or notification_deadline: as soon as practicable)"),
    ]


def test_hb603_a_deadline_in_words_is_a_deadline(make):
    hb = make(lambda d: partner(d, "shield-insurance").update(notification_deadline="as soon as practicable"))
    assert said(hb, "HB603") == [] and said(hb, "HB604") == []
    assert hb.partner("shield-insurance").notification_deadline.words == "as soon as practicable"


def test_hb604_too_late(make):
    hb = make(lambda d: partner(d, "shield-insurance").update(notification_deadline="30m"))
    assert said(hb, "HB604") == [
        ("escalation.yaml chains[0].steps[2].partners[0]: error the chain Critical and high incidents "
        "(major) notifies the insurer Shield Cyber Insurance (shield-insurance) 1 hour after declaration, "
        "later than its notification deadline of 30 minutes (move shield-insurance to a step at 30 "
        "minutes or earlier)")
    ]


def test_hb604_never(make):
    def edit(d):
        find(d["escalation.yaml"]["chains"], "major")["steps"][2]["partners"].remove("shield-insurance")
    assert said(make(edit), "HB604") == [
        ("escalation.yaml chains[0].steps: error the chain Critical and high incidents (major) of SEV 1 — "
        "Critical (sev1) never notifies the insurer Shield Cyber Insurance (shield-insurance) (add "
        "shield-insurance to partners of a step within 3 days)")
    ]


def test_hb604_at_deadline_passes(make):
    hb = make(lambda d: partner(d, "shield-insurance").update(notification_deadline="1h"))
    assert said(hb, "HB604") == []


def test_hb605_missing_category(make):
    def edit(d):
        d["organization.yaml"]["organization"]["required_partner_categories"] = [
            "insurer", "breach-counsel", "forensics", "pr", "law-enforcement"]
        d["partners.yaml"]["partners"] = [
            p for p in d["partners.yaml"]["partners"] if p["category"] != "pr"]
    assert said(make(edit), "HB605") == [
        ("organization.yaml organization.required_partner_categories[3]: error no partner in the category "
        "pr (add a pr partner to partners.yaml, or remove pr from required_partner_categories in "
        "organization.yaml)")
    ]


def test_hb605_categories_are_configurable(make):
    def edit(d):
        d["organization.yaml"]["organization"]["required_partner_categories"] = ["insurer", "regulator"]
    assert said(make(edit), "HB605") == [
        ("organization.yaml organization.required_partner_categories[1]: error no partner in the category "
        "regulator (add a regulator partner to partners.yaml, or remove regulator from "
        "required_partner_categories in organization.yaml)")
    ]


def test_hb608_without_a_stated_list_the_usual_categories_are_advice(make):
    def edit(d):
        for p in d["partners.yaml"]["partners"]:
            if p["category"] in ("pr", "forensics"):
                p["category"] = "vendor"
    hb = make(edit)
    assert said(hb, "HB605") == []
    assert said(hb, "HB608") == [
        ("organization.yaml organization: warning no partner in the usual categories forensics, pr, and the "
         "policy does not say which it requires (add those partners to partners.yaml, or write in "
         "organization.yaml the categories your policy requires, e.g. required_partner_categories: "
         "[insurer, breach-counsel, law-enforcement]; write [] for none)")
    ]


def test_hb608_an_empty_list_requires_none(make):
    def edit(d):
        d["organization.yaml"]["organization"]["required_partner_categories"] = []
        for p in d["partners.yaml"]["partners"]:
            if p["category"] in ("pr", "forensics"):
                p["category"] = "vendor"
    hb = make(edit)
    assert said(hb, "HB605") == [] and said(hb, "HB608") == []


def test_a_declared_category_like_insurer_is_checked_as_an_insurer(make):
    def edit(d):
        d["organization.yaml"]["organization"]["vocabulary"] = {"partner_categories": [
            {"id": "cyber-cover", "name": "Cyber cover", "like": "insurer"}]}
        d["organization.yaml"]["organization"]["required_partner_categories"] = ["insurer"]
        p = partner(d, "shield-insurance")
        p["category"] = "cyber-cover"
        p["contract"]["number"] = ""
    hb = make(edit)
    assert said(hb, "HB605") == []
    assert said(hb, "HB603") == [
        ("partners.yaml partners[0].contract: error the insurer Shield Cyber Insurance (shield-insurance) "
        "has no policy number (write the policy number under contract.number)"),
    ]


def test_hb606_stale(make):
    hb = make(lambda d: partner(d, "fbi-chicago").update(last_verified=dt.date(2025, 11, 26)))
    assert said(hb, "HB606") == [
        ("partners.yaml partners[4].last_verified: warning the contacts of FBI Chicago Field Office "
        "(fbi-chicago) were last verified on 2025-11-26, more than 365 days ago (call them to confirm the "
        "numbers and update last_verified)")
    ]


def test_hb607_no_phone(make):
    def edit(d):
        partner(d, "brightline-pr")["contacts"] = [
            {"label": "Crisis desk", "email": "crisis@brightline.example"}]
    assert said(make(edit), "HB607") == [
        ("partners.yaml partners[3].contacts: warning Brightline PR (brightline-pr) is engaged at sev1 but "
        "has no phone number (add a contact with a phone number to call when e-mail is down)")
    ]


def test_hb607_low_levels_not_checked(make):
    def edit(d):
        p = partner(d, "brightline-pr")
        p["contacts"] = [{"label": "Crisis desk", "email": "crisis@brightline.example"}]
        p["engage_when"]["levels"] = ["sev3"]
    assert said(make(edit), "HB607") == []
