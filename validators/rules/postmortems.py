"""Rules for incidents.yaml and postmortems/: serious incidents are reviewed, and the fixes land."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..queries import action_overdue, postmortem_required
from .base import Problem, rule
from .helpers import named, quote, span, who_id

if TYPE_CHECKING:
    from ..handbook import Handbook


@rule("HB801", "error", "postmortems")
def required_postmortems_exist(hb: Handbook) -> Iterator[Problem]:
    """An incident at a level that requires a postmortem has one, at the same level.

    incidents.yaml lists what happened; each incident at a level whose postmortem policy is
    `required` names its postmortem, and that postmortem records the same level.

    PASS:

        # incidents.yaml
        - {id: pos-outage-2026-03, level: sev1, postmortem: pos-outage-2026-03}
        # postmortems/pos-outage-2026-03.yaml has level: sev1

    FAIL:

        # incidents.yaml
        - {id: pos-outage-2026-03, level: sev1}
    """
    levels, postmortems = hb.index["levels"], hb.index["postmortems"]
    for incident in hb.incidents:
        level = levels.get(incident.level)
        if incident.postmortem is None:
            if postmortem_required(level):
                yield Problem(
                    incident, f"the incident {quote(incident.title)} ({incident.id}) at {named(level)} "
                    "has no postmortem, which that level requires",
                    "write one in postmortems/ and name its id under postmortem",
                    ("postmortem",),
                )
            continue
        pm = postmortems.get(incident.postmortem)
        if pm is not None and pm.level != incident.level:
            yield Problem(
                incident, f"the incident {quote(incident.title)} ({incident.id}) is at {incident.level} "
                f"but its postmortem {pm.id} says {pm.level}",
                "make the two levels agree", ("level",),
            )


@rule("HB802", "error", "postmortems")
def action_items_owned(hb: Handbook) -> Iterator[Problem]:
    """Every postmortem action item has an owner and a due date.

    A Correction of Errors corrects nothing until a named person has a date.

    PASS:

        action_items:
          - {type: prevent, text: Stage till updates, owner: dev-patel, due: 2026-12-15}

    FAIL:

        action_items:
          - {type: prevent, text: Stage till updates}
    """
    for pm in hb.postmortems:
        for item in pm.action_items:
            missing = [f for f in ("owner", "due") if getattr(item, f) is None]
            if missing:
                yield Problem(
                    item, f"the action item {quote(item.text)} of the postmortem {pm.id} has no "
                    f"{' and no '.join(missing)}",
                    "name the person id who owns it and the date it is due",
                )


@rule("HB803", "error", "postmortems")
def action_items_not_overdue(hb: Handbook) -> Iterator[Problem]:
    """No open postmortem action item is past its due date.

    The same incident returns when its corrections stall.

    PASS:

        - {text: Stage till updates, owner: dev-patel, due: 2026-10-01, status: done}

    FAIL:

        - {text: Stage till updates, owner: dev-patel, due: 2026-10-01, status: open}
    """
    for pm in hb.postmortems:
        for item in pm.action_items:
            if action_overdue(item, hb.today):
                yield Problem(
                    item, f"the action item {quote(item.text)} of the postmortem {pm.id}, owned by "
                    f"{who_id(hb, item.owner)}, was due on {item.due} and is still open",
                    "finish it and set status: done, or agree a new due date", ("due",),
                )


@rule("HB804", "warning", "postmortems")
def review_meeting_held(hb: Handbook) -> Iterator[Problem]:
    """A postmortem past draft records its review meeting, held within the level's meeting_within.

    The review meeting is where the organization agrees on the causes and the actions; it
    loses value as memories fade.

    PASS:

        incident_date: 2026-03-04
        level: sev1                   # meeting_within: 5d
        status: closed
        review_meeting: 2026-03-08

    FAIL:

        incident_date: 2026-03-04
        status: closed
        review_meeting: 2026-03-30
    """
    levels = hb.index["levels"]
    for pm in hb.postmortems:
        if hb.means("postmortem-statuses", pm.status) in ("draft", None):
            continue
        if pm.review_meeting is None:
            yield Problem(
                pm, f"the postmortem {pm.id} is {pm.status} but has no review_meeting date",
                "write the date the review meeting was held", ("status",),
            )
            continue
        level = levels.get(pm.level)
        within = level.postmortem.meeting_within if level is not None and level.postmortem else None
        if within is not None and within.exact and pm.review_meeting > pm.incident_date + within:
            yield Problem(
                pm, f"the review meeting of the postmortem {pm.id} was on {pm.review_meeting}, "
                f"more than {span(within)} after the incident on {pm.incident_date}",
                f"hold review meetings for {pm.level} within {span(within)} of the incident",
                ("review_meeting",),
            )


@rule("HB805", "warning", "postmortems")
def approved_where_required(hb: Handbook) -> Iterator[Problem]:
    """A closed postmortem at a level whose policy names approvers records who approved it.

    Where the policy says who signs a review off (`postmortem.approvers` on the level), a
    review closed without their approval has skipped a step of the organization's own process.

    PASS:

        status: closed
        approved_by: [tomas-herrera]     # holds a role listed under the level's approvers

    FAIL:

        status: closed                   # the level's policy names approvers; none recorded
    """
    levels = hb.index["levels"]
    for pm in hb.postmortems:
        level = levels.get(pm.level)
        policy = level.postmortem if level is not None else None
        if policy is None or not policy.approvers or hb.means("postmortem-statuses", pm.status) != "closed":
            continue
        if not pm.approved_by:
            names = ", ".join(hb.role(r).name for r in policy.approvers if r in hb.index["roles"])
            yield Problem(
                pm, f"the postmortem {pm.id} is {pm.status}, but nobody is recorded as approving it; the policy of "
                f"{named(level)} asks for approval by {names}",
                "write approved_by: with the person ids who approved it", ("status",),
            )


@rule("HB806", "warning", "postmortems")
def actions_due_as_policy_says(hb: Handbook) -> Iterator[Problem]:
    """An action item is due no later than the policy allows: by its priority, else by its level.

    A correction due four months out on a level whose policy says one week quietly overrides
    the policy. The time runs from the incident's date; deadlines in words are not checked.

    PASS:

        incident_date: 2026-03-04
        action_items: [{text: Stage till updates, owner: dev-patel, due: 2026-03-30}]   # 30d policy

    FAIL:

        incident_date: 2026-03-04
        action_items: [{text: Stage till updates, owner: dev-patel, due: 2026-07-04}]   # 30d policy
    """
    levels = hb.index["levels"]
    priorities = {p.id: p for p in hb.organization.action_priorities}
    for pm in hb.postmortems:
        level = levels.get(pm.level)
        default = level.postmortem.actions_due_within if level is not None and level.postmortem else None
        for item in pm.action_items:
            if item.due is None:
                continue
            prio = priorities.get(item.priority) if item.priority else None
            within = prio.due_within if prio else default
            if within is None or not within.exact:
                continue
            if item.due > pm.incident_date + within:
                why = f"its priority {prio.name}" if prio else f"the policy of {named(level)}"
                yield Problem(
                    item, f"the action item {quote(item.text)} of the postmortem {pm.id} is due on {item.due}, later "
                    f"than {why} allows: {span(within)} after the incident on {pm.incident_date}",
                    f"set due: on or before {pm.incident_date + within}, or record why the policy's time does not apply",
                    ("due",),
                )


@rule("HB807", "error", "postmortems")
def known_priority(hb: Handbook) -> Iterator[Problem]:
    """An action item's priority is one organization.yaml declares.

    The priority says how soon the action is due; one the policy does not define sets no time.

    PASS:

        priority: priority     # organization.yaml action_priorities: [{id: priority, …}]

    FAIL:

        priority: urgent       # not declared
    """
    known = [p.id for p in hb.organization.action_priorities]
    for pm in hb.postmortems:
        for item in pm.action_items:
            if item.priority and item.priority not in known:
                yield Problem(
                    item, f"the action item {quote(item.text)} of the postmortem {pm.id} has the priority "
                    f"'{item.priority}', which organization.yaml does not declare",
                    (f"write one of: {', '.join(known)}" if known else "declare it under action_priorities in "
                     "organization.yaml with its due_within") + ", or leave priority out", ("priority",),
                )
