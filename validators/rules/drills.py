"""Rules for drills.yaml: the plan was practised recently, and what the drills taught gets done."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..queries import (
    action_overdue,
    call_tree_last_tested,
    in_window,
    is_major,
    is_overdue,
    last_done,
    last_exercised,
    last_took_part,
    past_planned,
    requirement_status,
)
from .base import Problem, rule
from .helpers import named, quote, span, who_id

if TYPE_CHECKING:
    from ..handbook import Handbook
    from ..models.drills import Drill


def _titled(drill: Drill) -> str:
    return f"{drill.title} ({drill.id})"


@rule("HB701", "warning", "drills")
def serious_levels_exercised(hb: Handbook) -> Iterator[Problem]:
    """Every level labelled critical or high was exercised in a drill within the drill window.

    A level practised only on paper surprises everyone when it is declared for real. A run
    counts if it is done, falls within `review.drill_window` before today, and its drill
    lists the level.

    PASS:

        - id: laptops-down
          levels: [sev1]
          runs: [{date: 2026-05-14, status: done}]   # today 2026-11-27

    FAIL:

        - id: laptops-down
          levels: [sev1]
          runs: [{date: 2025-05-14, status: done}]   # older than 365 days
    """
    window = hb.organization.review.drill_window
    for level in hb.levels:
        if is_major(hb, level) and \
                not in_window(last_exercised(hb.drills, level.id, hb.today), hb.today, window):
            yield Problem(
                level, f"{named(level)} was not exercised in a drill in the last {span(window)}",
                f"run a tabletop or game day for {level.id} and record the run as done in drills.yaml",
            )


@rule("HB702", "warning", "drills")
def departments_took_part(hb: Handbook) -> Iterator[Problem]:
    """Every department took part in a drill within the drill window.

    Preparedness is not only engineering: customer service, sales, PR and finance each
    practise their part. A run's `participants` count, or the drill's `departments` when the
    run names none.

    PASS:

        - id: comms-outage
          departments: [customer-service, marketing]
          runs: [{date: 2026-09-01, status: done}]

    FAIL:

        # no done run in the last 365 days includes marketing
    """
    window = hb.organization.review.drill_window
    for dept in hb.departments:
        if not in_window(last_took_part(hb.drills, dept.id, hb.today), hb.today, window):
            yield Problem(
                dept, f"{named(dept)} has not taken part in a drill in the last {span(window)}",
                f"include {dept.id} in the participants of a drill run",
            )


@rule("HB703", "warning", "drills")
def call_tree_tested(hb: Handbook) -> Iterator[Problem]:
    """The call tree was tested within the drill window.

    Phone numbers and reporting lines drift; only a real call-tree test shows who is
    reached and how fast.

    PASS:

        - id: call-tree-test
          type: call-tree-test
          runs: [{date: 2026-08-20, status: done, reached_percent: 94}]

    FAIL:

        - id: call-tree-test
          type: call-tree-test
          runs: [{date: 2025-08-20, status: done, reached_percent: 94}]
    """
    window = hb.organization.review.drill_window
    if hb.call_tree is None or in_window(call_tree_last_tested(hb.drills, hb.today), hb.today, window):
        return
    yield Problem(
        hb.call_tree, f"the call tree has not been tested in the last {span(window)}",
        "run a drill of type call-tree-test and record the run as done in drills.yaml",
        ("root",),
    )


@rule("HB704", "error", "drills")
def drill_findings_have_actions(hb: Handbook) -> Iterator[Problem]:
    """Every drill finding has a corrective action with an owner and a due date.

    A finding without an owner and a date is a finding that will be found again at the next
    drill.

    PASS:

        findings:
          - text: Two numbers in the call tree were out of date
            action: {text: Re-verify contacts, owner: maria-lopez, due: 2026-12-15}

    FAIL:

        findings:
          - text: Two numbers in the call tree were out of date
    """
    for drill in hb.drills:
        for run in drill.runs:
            for finding in run.findings:
                action = finding.action
                if action is None:
                    yield Problem(
                        finding, f"the finding {quote(finding.text)} of {_titled(drill)} on "
                        f"{run.date} has no corrective action",
                        "add an action with text, owner and due",
                    )
                    continue
                missing = [f for f in ("owner", "due") if getattr(action, f) is None]
                if missing:
                    yield Problem(
                        action, f"the action for {quote(finding.text)} of {_titled(drill)} "
                        f"has no {' and no '.join(missing)}",
                        "name the person id who owns it and the date it is due",
                    )


@rule("HB705", "error", "drills")
def drill_actions_not_overdue(hb: Handbook) -> Iterator[Problem]:
    """No open corrective action from a drill is past its due date.

    Overdue actions are the gaps the drill found and nobody closed.

    PASS:

        action: {text: Re-verify contacts, owner: maria-lopez, due: 2026-10-01, status: done}

    FAIL:

        action: {text: Re-verify contacts, owner: maria-lopez, due: 2026-10-01, status: open}
    """
    for drill in hb.drills:
        for run in drill.runs:
            for finding in run.findings:
                action = finding.action
                if action is not None and action_overdue(action, hb.today):
                    yield Problem(
                        action, f"the action {quote(action.text)} from {_titled(drill)}, owned "
                        f"by {who_id(hb, action.owner)}, was due on {action.due} and is still open",
                        "finish it and set status: done, or agree a new due date", ("due",),
                    )


@rule("HB706", "warning", "drills")
def planned_runs_in_past(hb: Handbook) -> Iterator[Problem]:
    """No run is still marked planned after its date has passed.

    The history should say what happened: the drill was held or it was not.

    PASS:

        runs: [{date: 2026-10-01, status: done}]   # today 2026-11-27

    FAIL:

        runs: [{date: 2026-10-01, status: planned}]
    """
    for drill in hb.drills:
        for run in past_planned(drill, hb.today):
            yield Problem(
                run, f"the run of {_titled(drill)} on {run.date} is still marked planned",
                "mark it done or cancelled", ("status",),
            )


@rule("HB707", "warning", "drills")
def drill_cadence_kept(hb: Handbook) -> Iterator[Problem]:
    """A drill with a cadence was last held no longer ago than that cadence.

    A quarterly call-tree test last run a year ago is not quarterly. A drill with a cadence
    that was never held is reported too.

    PASS:

        cadence: 90d
        runs: [{date: 2026-10-01, status: done}]   # today 2026-11-27

    FAIL:

        cadence: 90d
        runs: [{date: 2026-03-01, status: done}]
    """
    for drill in hb.drills:
        if drill.cadence is None or not is_overdue(drill, hb.today):
            continue
        last = last_done(drill, hb.today)
        if last is None:
            yield Problem(
                drill, f"{_titled(drill)} repeats every {span(drill.cadence)} but has never been run",
                "hold it and record the run as done", ("cadence",),
            )
        else:
            yield Problem(
                drill, f"{_titled(drill)} repeats every {span(drill.cadence)} but was last run "
                f"on {last.date}",
                "hold it again and record the run as done", ("cadence",),
            )


@rule("HB708", "error", "drills")
def call_tree_test_reports_reach(hb: Handbook) -> Iterator[Problem]:
    """A done call-tree test records the share of people reached.

    The reached percentage is the result of a call-tree test; without it the run proves
    nothing.

    PASS:

        runs: [{date: 2026-08-20, status: done, reached_percent: 94, minutes_to_reach: 38}]

    FAIL:

        runs: [{date: 2026-08-20, status: done}]
    """
    for drill in hb.drills:
        if drill.type != "call-tree-test":
            continue
        for run in drill.runs:
            if run.status == "done" and run.reached_percent is None:
                yield Problem(
                    run, f"the call-tree test {_titled(drill)} on {run.date} does not say how "
                    "many people were reached",
                    "write reached_percent, and minutes_to_reach if known", ("status",),
                )


@rule("HB709", "warning", "drills")
def requirements_met(hb: Handbook) -> Iterator[Problem]:
    """The exercise programme meets what the policy requires of it (drills.yaml `requirements`).

    "Two exercises a year, one of them functional or full-scale; a real activation counts for
    one" is checked as written: the runs held in the window, the real incidents where they count,
    and the kind of exercise asked for at least once.

    PASS:

        requirements: [{name: Two a year, count: 2, within: 365d, at_least_one_of: [functional, full-scale]}]
        # a tabletop and a full-scale exercise were held this year

    FAIL:

        requirements: [{name: Two a year, count: 2, within: 365d, at_least_one_of: [functional, full-scale]}]
        # two tabletops were held this year
    """
    for i, req in enumerate(hb.requirements):
        have, typed = requirement_status(hb, req)
        where = hb.requirements[i]
        if have < req.count:
            counted = "held runs" + (" and real incidents" if req.real_activations_count else "")
            yield Problem(
                where, f"the requirement {quote(req.name)} asks for {req.count} in {span(req.within)}, and the "
                f"last {span(req.within)} hold {have} {counted}",
                "hold the missing exercises and record each in drills.yaml as a run with status: done",
            )
        if not typed:
            yield Problem(
                where, f"the requirement {quote(req.name)} asks for at least one {' or '.join(req.at_least_one_of)} "
                f"exercise in {span(req.within)}, and none was held",
                f"hold one and record it as done in drills.yaml with type: {req.at_least_one_of[0]}",
                ("at_least_one_of",),
            )
