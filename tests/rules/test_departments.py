"""Departments: HB901–HB906."""

from __future__ import annotations

from .conftest import find, said


def dept(docs, did):
    return find(docs["departments.yaml"]["departments"], did)


def test_base_is_clean(make):
    hb = make()
    for code in ("HB901", "HB902", "HB903", "HB905", "HB906"):
        assert said(hb, code) == []


def test_hb901_level_missing(make):
    hb = make(lambda d: dept(d, "engineering")["playbook"].pop("sev4"))
    assert said(hb, "HB901") == [
        ("departments.yaml departments[1].playbook: error Engineering (engineering) is told at SEV 4 — Low "
        "(sev4), but its playbook says nothing for that level (add sev4 under playbook with at least one "
        "action, or other_levels: with what it does at every level not listed)")
    ]


def test_hb901_other_levels_answer_for_the_rest(make):
    def edit(d):
        eng = dept(d, "engineering")
        eng["playbook"].pop("sev4")
        eng["other_levels"] = ["Carry on; watch the status page"]
    hb = make(edit)
    assert said(hb, "HB901") == []
    assert [a for a in hb.department("engineering").actions_at("sev4")] == ["Carry on; watch the status page"]


def test_hb901_a_department_not_told_at_a_level_needs_no_entry(make):
    def edit(d):
        # customer service is told at sev1 and sev2 only (departments_notified, the major chain)
        cs = dept(d, "customer-service")
        cs["playbook"] = {k: v for k, v in cs["playbook"].items() if k in ("sev1", "sev2")}
    assert said(make(edit), "HB901") == []


def test_hb901_level_empty(make):
    hb = make(lambda d: dept(d, "engineering")["playbook"].update(sev3=[]))
    assert said(hb, "HB901") == [
        ("departments.yaml departments[1].playbook.sev3: error the playbook of Engineering (engineering) "
        "has no action for SEV 3 — Medium (sev3) (write at least one action under playbook.sev3)")
    ]


def test_hb902_none(make):
    hb = make(lambda d: dept(d, "customer-service").update(degraded_mode=[]))
    assert said(hb, "HB902") == [
        ("departments.yaml departments[2].degraded_mode: warning Customer Service (customer-service) has no "
        "degraded-mode workarounds (add degraded_mode entries saying what the department does when "
        "systems are down)")
    ]


def _drop_laptops(d):
    eng = dept(d, "engineering")
    eng["depends_on"] = ["laptops"]
    eng["degraded_mode"] = [m for m in eng["degraded_mode"] if "laptops" not in m["when_down"]]


def test_hb902_laptops(make):
    assert said(make(_drop_laptops), "HB902") == [
        ("departments.yaml departments[1].depends_on[0]: warning Engineering (engineering) depends on Staff "
        "laptops (laptops) but has no workaround for when it is down (add a degraded_mode entry with "
        "when_down: [laptops] and what the department does instead)"),
    ]


def test_hb902_any_critical_dependency_the_department_uses(make):
    def edit(d):
        d["organization.yaml"]["organization"]["dependencies"].append(
            {"id": "ehr", "name": "Clinical record system", "critical": True})
        dept(d, "engineering")["depends_on"] = ["ehr"]
    assert said(make(edit), "HB902") == [
        ("departments.yaml departments[1].depends_on[0]: warning Engineering (engineering) depends on Clinical "
        "record system (ehr) but has no workaround for when it is down (add a degraded_mode entry with "
        "when_down: [ehr] and what the department does instead)"),
    ]


def test_hb902_laptops_only_when_critical(make):
    def edit(d):
        _drop_laptops(d)
        find(d["organization.yaml"]["organization"]["dependencies"], "laptops")["critical"] = False
    assert said(make(edit), "HB902") == []


def test_hb903_head_elsewhere(make):
    hb = make(lambda d: dept(d, "communications").update(head="ivy-stone"))
    assert said(hb, "HB903") == [
        ("departments.yaml departments[3].head: warning the head of Communications (communications), Ivy "
        "Stone (ivy-stone), belongs to executive (choose a head from communications, or correct their "
        "department in people.yaml)")
    ]


def test_hb903_liaison_may_be_elsewhere(make):
    hb = make(lambda d: dept(d, "communications").update(liaison="ivy-stone"))
    assert said(hb, "HB903") == []


def test_hb903_empty_department(make):
    def edit(d):
        d["departments.yaml"]["departments"].append({
            "id": "legal", "name": "Legal", "head": "ada-king", "liaison": "ada-king",
            "purpose": "Advises on disclosure.",
            "playbook": {lv: ["Stand by"] for lv in ("sev1", "sev2", "sev3", "sev4")},
            "degraded_mode": [{"when_down": ["laptops"], "instead": ["Use the printed binder"]}],
        })
    assert said(make(edit), "HB903") == [
        ("departments.yaml departments[4]: warning nobody in people.yaml belongs to Legal (legal) (set "
        "department: legal on its people, or remove the department)"),
        ("departments.yaml departments[4].head: warning the head of Legal (legal), Ada King (ada-king), "
        "belongs to executive (choose a head from legal, or correct their department in people.yaml)"),
    ]


# --- HB904 ------------------------------------------------------------------------------------

def test_hb904_base_is_clean(make):
    assert said(make(), "HB904") == []


def test_hb904_another_departments_volume(make):
    def edit(d):
        d["departments.yaml"]["departments"].append({**dept(d, "engineering"), "id": "engineering-2", "name": "Platform 2"})
    hb = make(edit)
    assert said(hb, "HB904") == [
        ("departments.yaml departments[4].id: error 'engineering-2' is also the name of volume 2 of the binder "
         "of Engineering (engineering), engineering-2.pdf, if that binder is printed in volumes (choose an id "
         "that does not end in -2, e.g. 'engineering-team')")
    ]


def test_hb904_numbers_without_a_stem_department_are_fine(make):
    def edit(d):
        for n in (1, 2):
            d["departments.yaml"]["departments"].append({**dept(d, "engineering"), "id": f"store-{n}", "name": f"Store {n}"})
    assert said(make(edit), "HB904") == []


def test_hb905_an_action_naming_a_partner_without_its_id(make):
    def edit(d):
        partner = d["partners.yaml"]["partners"][0]
        dept(d, "engineering")["playbook"]["sev1"].append(f"Ring {partner['name'].upper()} for help.")
        dept(d, "engineering")["playbook"]["sev2"].append({"do": f"Ring {partner['name']} for help.",
                                                          "partners": [partner["id"]]})
    hb = make(edit)
    partner = hb.partners[0]
    said_ = said(hb, "HB905")
    assert len(said_) == 1
    assert said_[0].startswith("departments.yaml departments[1].playbook.sev1[")
    assert (f"warning an action of Engineering (engineering) names {partner.name} ({partner.id}) without its id, "
            f"so its number is not printed beside it (write it as do: 'Ring {partner.name.upper()} for help.' "
            f"with partners: [{partner.id}])") in said_[0]


def test_hb905_a_word_inside_another_is_not_a_name(make):
    def edit(d):
        name = d["partners.yaml"]["partners"][0]["name"]
        dept(d, "engineering")["playbook"]["sev1"].append(f"Read {name}s notes.")
    assert said(make(edit), "HB905") == []


def test_hb905_an_action_naming_a_role_or_a_channel_without_its_id(make):
    """"Close a shop only when the store operations lead says so": the reader needs who holds the
    role and their number, beside the action."""
    def edit(d):
        role = d["roles.yaml"]["roles"][0]
        channel = d["communications.yaml"]["channels"][0]
        dept(d, "engineering")["playbook"]["sev1"].append(f"Wait for the {role['name'].lower()} to decide.")
        dept(d, "engineering")["playbook"]["sev2"].append({"do": f"Post the summary on {channel['name']}.",
                                                          "roles": [role["id"]]})
        dept(d, "engineering")["playbook"]["sev3"].append({"do": f"Ask the {role['name']}.", "roles": [role["id"]]})
    hb = make(edit)
    role, channel = hb.roles[0], hb.channels[0]
    said_ = said(hb, "HB905")
    assert len(said_) == 2, said_
    assert (f"names {role.name} ({role.id}) without its id, so its holder and number are not printed beside it "
            f"(write it as do: 'Wait for the {role.name.lower()} to decide.' with roles: [{role.id}])") in said_[0]
    assert (f"names {channel.name} ({channel.id}) without its id, so its number is not printed beside it "
            f"(add {channel.id} to its channels: list)") in said_[1]


CALL_LOG = {"id": "paper-call-log", "name": "Paper call log", "purpose": "Agents write down every call.",
            "fields": [{"label": "Caller"}]}


def _with_call_log(d):
    d["forms.yaml"] = {"forms": [dict(CALL_LOG)]}


def test_hb906_a_sentence_names_a_form(make):
    def edit(d):
        _with_call_log(d)
        dept(d, "customer-service")["playbook"]["sev2"].append("Write each call on the PAPER CALL LOGS.")
    assert said(make(edit), "HB906") == [
        "departments.yaml departments[2].playbook.sev2[1]: warning an action of Customer Service (customer-service) "
        "names the form Paper call log (paper-call-log) without its id, so the binder does not print the form or "
        "say on which page it is (write it as do: 'Write each call on the PAPER CALL LOGS.' with forms: "
        "[paper-call-log])"
    ]


def test_hb906_a_step_names_a_form_it_does_not_list(make):
    def edit(d):
        _with_call_log(d)
        dept(d, "customer-service")["degraded_mode"][0]["instead"] = [
            {"do": "Log calls on the paper call log", "channels": ["bridge"]},
            {"do": "Hand the paper call log to the lead", "forms": ["paper-call-log"]},
            {"do": "Keep a paper call-logger handy", "forms": []},
        ]
    assert said(make(edit), "HB906") == [
        "departments.yaml departments[2].degraded_mode[0].instead[0]: warning an action of Customer Service "
        "(customer-service) names the form Paper call log (paper-call-log) without its id, so the binder does not "
        "print the form or say on which page it is (add forms: [paper-call-log] to this action)"
    ]


def test_hb906_without_forms_nothing_to_name(make):
    def edit(d):
        dept(d, "customer-service")["playbook"]["sev2"].append("Write each call on the paper call log.")
    assert said(make(edit), "HB906") == []
