"""Severity and escalation: HB401–HB410."""

from __future__ import annotations

from .conftest import find, said


def level(docs, lid):
    return find(docs["severity.yaml"]["levels"], lid)


def chain(docs, cid):
    return find(docs["escalation.yaml"]["chains"], cid)


def test_base_is_clean(make):
    hb = make()
    for code in ("HB401", "HB402", "HB403", "HB404", "HB405", "HB406", "HB407", "HB408", "HB409", "HB410"):
        assert said(hb, code) == []


# --- HB401 ------------------------------------------------------------------------------------

def test_hb401_gap(make):
    hb = make(lambda d: level(d, "sev4").update(rank=5))
    assert said(hb, "HB401") == [
        ("severity.yaml levels[3].rank: error SEV 4 — Low (sev4) has rank 5 but rank 4 is not used "
        "(number the levels 1 to 4 with no gaps)")
    ]


def test_hb401_no_rank_one(make):
    def edit(d):
        for lv in d["severity.yaml"]["levels"]:
            lv["rank"] += 2
    assert said(make(edit), "HB401") == [
        ("severity.yaml levels[0].rank: error SEV 1 — Critical (sev1) has rank 3 but ranks 1 and 2 are "
        "not used (number the levels 1 to 4 with no gaps)")
    ]


def test_hb401_duplicate(make):
    hb = make(lambda d: level(d, "sev3").update(rank=2))
    found = said(hb, "HB401")
    assert found[0] == (
        "severity.yaml levels[2].rank: error SEV 3 — Medium (sev3) has rank 2, like SEV 2 — High (sev2) "
        "(give every level its own rank: 1 for the most severe, then 2, 3 …)"
    )
    assert "rank 3 is not used" in found[1]


# --- HB402 ------------------------------------------------------------------------------------

def test_hb402_empty(make):
    hb = make(lambda d: level(d, "sev4").update(criteria=[], examples=[]))
    assert said(hb, "HB402") == [
        ("severity.yaml levels[3].criteria: error SEV 4 — Low (sev4) has no criteria "
        "(add measurable signs such as 'checkout down for more than 15 minutes')"),
    ]


# --- HB403 ------------------------------------------------------------------------------------

def test_hb403_slower_acknowledgement(make):
    hb = make(lambda d: level(d, "sev1")["response"].update(acknowledge_within="1h"))
    assert said(hb, "HB403") == [
        ("severity.yaml levels[0].response.acknowledge_within: error SEV 1 — Critical (sev1) is "
        "acknowledged within 1 hour, slower than the less severe SEV 2 — High (sev2) at 30 minutes "
        "(make response.acknowledge_within of sev1 30 minutes or less)")
    ]


def test_hb403_slower_updates_against_lowest(make):
    hb = make(lambda d: level(d, "sev2").update(update_every="2d"))
    assert said(hb, "HB403") == [
        ("severity.yaml levels[1].update_every: error SEV 2 — High (sev2) is updated every 2 days, "
        "slower than the less severe SEV 3 — Medium (sev3) at 4 hours "
        "(make update_every of sev2 4 hours or less)")
    ]


def test_hb403_equal_is_fine(make):
    hb = make(lambda d: level(d, "sev1").update(update_every="1h"))
    assert said(hb, "HB403") == []


# --- HB404 ------------------------------------------------------------------------------------

def test_hb404_a_major_level_whose_policy_is_silent_is_advised(make):
    hb = make(lambda d: level(d, "sev2").pop("postmortem"))
    assert said(hb, "HB404") == [
        ("severity.yaml levels[1]: warning SEV 2 — High (sev2) is a major level, but its policy does not say "
         "whether a postmortem follows (add 'postmortem:' with 'required: true' and any deadlines the policy "
         "sets, such as 'due_within: 5 business days'; or 'required: false' if none follows; "
         "or write 'major: false' if this level is not a major incident)")
    ]


def test_hb404_the_policys_own_choices_stand(make):
    def edit(d):
        level(d, "sev2").update(postmortem={"required": False})   # a high level that needs no review, on purpose
        level(d, "sev1").update(postmortem={"required": True})    # no deadlines named: none demanded
        level(d, "sev3").pop("postmortem", None)                  # not a major level: nothing to advise
        level(d, "sev1").update(major=False)
        level(d, "sev1").pop("postmortem")                        # major: false, so silence is fine
    assert said(make(edit), "HB404") == []


# --- HB405 ------------------------------------------------------------------------------------

def test_hb405_level_not_listed_by_its_chain(make):
    hb = make(lambda d: chain(d, "major").update(levels=["sev1"]))
    assert said(hb, "HB405") == [
        ("severity.yaml levels[1].escalation: error SEV 2 — High (sev2) uses the chain Critical and high "
        "incidents (major), which does not list sev2 in its levels (add sev2 to levels of major in "
        "escalation.yaml)")
    ]


def test_hb405_chain_lists_other_level(make):
    hb = make(lambda d: chain(d, "major").update(levels=["sev1", "sev2", "sev3"]))
    assert said(hb, "HB405") == [
        ("escalation.yaml chains[0].levels[2]: error the chain Critical and high incidents (major) lists "
        "SEV 3 — Medium (sev3), which uses the chain minor (remove sev3 from this chain's levels, or "
        "set escalation: major on sev3)")
    ]


# --- HB406 ------------------------------------------------------------------------------------

def test_hb406_out_of_order(make):
    hb = make(lambda d: chain(d, "major")["steps"][2].update(after="10m"))
    assert said(hb, "HB406") == [
        ("escalation.yaml chains[0].steps[2].after: error a step of Critical and high incidents (major) "
        "comes 10 minutes after declaration, earlier than the step before it at 15 minutes "
        "(order the steps by time, each no earlier than the one before)")
    ]


def test_hb406_two_steps_may_share_a_time(make):
    hb = make(lambda d: chain(d, "minor")["steps"][1].update(after="0m"))
    assert said(hb, "HB406") == []


# --- HB407 ------------------------------------------------------------------------------------

def _email_only(d, pid):
    p = find(d["people.yaml"]["people"], pid)
    p["contacts"] = [c for c in p["contacts"] if c["kind"] != "mobile"] + [
        {"kind": "personal-email", "value": f"{pid}@home.example"}]


def test_hb407_role_holder_unreachable(make):
    hb = make(lambda d: _email_only(d, "hal-ng"))
    assert said(hb, "HB407") == [
        ("escalation.yaml chains[0].steps[1].roles[0]: error a step of Critical and high incidents "
        "(major) notifies the role Communications Lead (communications-lead), but its holder Hal Ng "
        "(hal-ng) has no phone, text or radio contact (add a mobile or landline number for them in "
        "people.yaml)")
    ]


def test_hb407_liaison_unreachable(make):
    hb = make(lambda d: _email_only(d, "finn-lowe"))
    assert said(hb, "HB407") == [
        ("escalation.yaml chains[0].steps[1].departments[1]: error a step of Critical and high incidents "
        "(major) notifies Customer Service (customer-service) through its liaison Finn Lowe (finn-lowe), "
        "who has no phone, text or radio contact (add a mobile or landline number for them in people.yaml)")
    ]


def test_hb407_person_unreachable(make):
    def edit(d):
        _email_only(d, "jon-park")
        chain(d, "minor")["steps"][1]["people"] = ["jon-park"]
    assert said(make(edit), "HB407") == [
        ("escalation.yaml chains[1].steps[1].people[0]: error a step of Medium and low incidents (minor) "
        "notifies Jon Park (jon-park), who has no phone, text or radio contact (add a mobile or landline "
        "number for them in people.yaml)")
    ]


def test_hb407_partner_without_phone(make):
    def edit(d):
        find(d["partners.yaml"]["partners"], "lakeside-law")["contacts"] = [
            {"label": "Intake", "email": "intake@lakeside.example"}]
    assert said(make(edit), "HB407") == [
        ("escalation.yaml chains[0].steps[2].partners[1]: error a step of Critical and high incidents "
        "(major) notifies the partner Lakeside Law LLP (lakeside-law), which has no phone number "
        "(add a contact with a phone number to the partner in partners.yaml, or the web address of its "
        "reporting portal under url)")
    ]


# --- HB408 ------------------------------------------------------------------------------------

def test_hb408_top_not_critical(make):
    hb = make(lambda d: level(d, "sev1").update(label="high"))
    assert said(hb, "HB408") == [
        ("severity.yaml levels[0].label: error SEV 1 — Critical (sev1) is the most severe level but is "
        "labelled high (label the most severe level critical)")
    ]


def test_hb408_inverted(make):
    hb = make(lambda d: level(d, "sev4").update(label="high"))
    assert said(hb, "HB408") == [
        ("severity.yaml levels[3].label: error SEV 4 — Low (sev4) is labelled high, more severe than the "
        "higher level SEV 3 — Medium (sev3) labelled medium (labels go critical, high, medium, low from "
        "the most severe level down)")
    ]


def test_hb408_repeated_label_is_fine(make):
    hb = make(lambda d: level(d, "sev3").update(label="high"))
    assert said(hb, "HB408") == []


# --- HB409 ------------------------------------------------------------------------------------

def test_hb409_level_engages_inactive_role(make):
    hb = make(lambda d: level(d, "sev3")["roles_engaged"].append("communications-lead"))
    assert said(hb, "HB409") == [
        ("severity.yaml levels[2].roles_engaged[1]: warning SEV 3 — Medium (sev3) engages Communications "
        "Lead (communications-lead), but that role does not list sev3 in activated_at (add sev3 to "
        "activated_at of communications-lead in roles.yaml, or remove the role here)")
    ]


def test_hb409_role_activated_at_level_not_engaging_it(make):
    def edit(d):
        find(d["roles.yaml"]["roles"], "communications-lead")["activated_at"].append("sev4")
    assert said(make(edit), "HB409") == [
        ("roles.yaml roles[1].activated_at[2]: warning Communications Lead (communications-lead) is "
        "activated at SEV 4 — Low (sev4), but that level does not list communications-lead in "
        "roles_engaged (add communications-lead to roles_engaged of sev4 in severity.yaml, or remove the "
        "level here)")
    ]


# --- HB410 ------------------------------------------------------------------------------------

def test_hb410_unused_chain(make):
    def edit(d):
        d["escalation.yaml"]["chains"].append({
            "id": "legacy", "name": "Old chain", "levels": [], "ack_timeout": "10m",
            "steps": [{"after": "0m", "roles": ["incident-manager"], "via": ["bridge"]}],
        })
    assert said(make(edit), "HB410") == [
        ("escalation.yaml chains[2]: warning no level uses the chain Old chain (legacy) "
        "(set escalation: legacy on a level in severity.yaml, or remove the chain)")
    ]
