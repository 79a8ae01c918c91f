"""The consistency rules, listed explicitly. Each module holds the rules of one area."""

from __future__ import annotations

from . import (
    communications,
    departments,
    drills,
    escalation,
    partners,
    people,
    postmortems,
    roles,
    severity,
)
from .base import Problem, Rule, rule

# The order here is the order of the data reference page: by code.
RULES: list[Rule] = [
    # people & roles
    roles.role_has_backup,                          # HB301
    people.two_contact_methods,                     # HB302
    people.voice_without_critical,                  # HB303
    people.contacts_verified,                       # HB304
    roles.incident_manager_role,                    # HB305
    roles.role_holders_qualified,                   # HB306
    people.numbers_reach_people,                    # HB307
    roles.named_role_has_backup,                    # HB308
    roles.incident_manager_backups,                 # HB309
    # severity & escalation
    severity.ranks_contiguous,                      # HB401
    severity.criteria_and_examples,                 # HB402
    severity.faster_when_worse,                     # HB403
    severity.serious_levels_need_postmortem,        # HB404
    escalation.chain_and_level_agree,               # HB405
    escalation.steps_in_time_order,                 # HB406
    escalation.step_targets_reachable,              # HB407
    severity.labels_follow_rank,                    # HB408
    severity.roles_match_activation,                # HB409
    escalation.chain_in_use,                        # HB410
    escalation.step_notifies_someone,               # HB411
    # communications
    communications.survives_each_dependency,        # HB501
    communications.call_tree_no_cycle,              # HB502
    communications.call_tree_reaches_everyone,      # HB503
    communications.call_tree_max_fanout,            # HB504
    communications.call_tree_warn_fanout,           # HB505
    communications.call_tree_max_depth,             # HB506
    communications.call_tree_alternates,            # HB507
    communications.template_not_expired,            # HB508
    communications.template_expiring,               # HB509
    communications.lines_dialable,                  # HB510
    communications.backup_channels_tested,          # HB511
    communications.bridge_without_internet,         # HB512
    communications.call_tree_or_alternative,        # HB513
    communications.call_tree_says_how_long_to_wait, # HB514
    # partners
    partners.contract_not_expired,                  # HB601
    partners.contract_ending,                       # HB602
    partners.insurer_ready,                         # HB603
    partners.critical_chain_notifies_insurer,       # HB604
    partners.required_categories,                   # HB605
    partners.partner_verified,                      # HB606
    partners.serious_partner_has_phone,             # HB607
    partners.recommended_categories,                # HB608
    # drills
    drills.serious_levels_exercised,                # HB701
    drills.departments_took_part,                   # HB702
    drills.call_tree_tested,                        # HB703
    drills.drill_findings_have_actions,             # HB704
    drills.drill_actions_not_overdue,               # HB705
    drills.planned_runs_in_past,                    # HB706
    drills.drill_cadence_kept,                      # HB707
    drills.call_tree_test_reports_reach,            # HB708
    drills.requirements_met,                        # HB709
    # postmortems
    postmortems.required_postmortems_exist,         # HB801
    postmortems.action_items_owned,                 # HB802
    postmortems.action_items_not_overdue,           # HB803
    postmortems.review_meeting_held,                # HB804
    postmortems.approved_where_required,            # HB805
    postmortems.actions_due_as_policy_says,         # HB806
    postmortems.known_priority,                     # HB807
    # departments
    departments.playbook_every_level,               # HB901
    departments.degraded_mode_written,              # HB902
    departments.department_staffed,                 # HB903
    departments.department_ids_apart_from_volumes,  # HB904
    departments.actions_name_what_they_use,         # HB905
    departments.actions_name_their_forms,           # HB906
]

REGISTRY: dict[str, Rule] = {r.code: r for r in RULES}
AREA_MODULES = (people, roles, severity, escalation, communications, partners, drills, postmortems, departments)

__all__ = ["AREA_MODULES", "REGISTRY", "RULES", "Problem", "Rule", "rule"]
