"""Rules for severity.yaml: a clear ladder of levels, each faster than the one below."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..queries import fastest_update, is_major, level_class
from .base import Problem, rule
from .helpers import LABEL_ORDER, named, span

if TYPE_CHECKING:
    from ..handbook import Handbook


@rule("HB401", "error", "severity")
def ranks_contiguous(hb: Handbook) -> Iterator[Problem]:
    """Level ranks are unique and run 1, 2, 3 … with no gaps.

    Rank 1 is the most severe. Two levels with one rank, or a missing rank, leave people
    unsure which level is worse.

    PASS:

        levels:
          - {id: sev1, rank: 1}
          - {id: sev2, rank: 2}

    FAIL:

        levels:
          - {id: sev1, rank: 1}
          - {id: sev2, rank: 3}   # no rank 2
    """
    by_rank: dict[int, object] = {}
    for level in hb.levels:  # sorted by rank
        if level.rank in by_rank:
            other = by_rank[level.rank]
            yield Problem(
                level, f"{named(level)} has rank {level.rank}, like {named(other)}",
                "give every level its own rank: 1 for the most severe, then 2, 3 …", ("rank",),
            )
        else:
            by_rank[level.rank] = level
    expected = 1
    for rank, level in sorted(by_rank.items()):
        if rank != expected:
            gap = list(range(expected, rank))
            what = f"rank {gap[0]} is" if len(gap) == 1 else (
                f"ranks {gap[0]} and {gap[1]} are" if len(gap) == 2 else f"ranks {gap[0]} to {gap[-1]} are"
            )
            yield Problem(
                level, f"{named(level)} has rank {rank} but {what} not used",
                f"number the levels 1 to {len(by_rank)} with no gaps", ("rank",),
            )
        expected = rank + 1


@rule("HB402", "error", "severity")
def criteria_and_examples(hb: Handbook) -> Iterator[Problem]:
    """Every level has at least one measurable criterion.

    People pick a level under stress by matching what they see; without criteria, two people
    choose two levels. Examples help as well, but a policy may give none.

    PASS:

        criteria: [Online store down for more than 15 minutes]
        examples:
          - {text: Customers cannot pay at any shop till, department: retail}

    FAIL:

        criteria: []
        examples: []
    """
    for level in hb.levels:
        if not level.criteria:
            yield Problem(
                level, f"{named(level)} has no criteria",
                "add measurable signs such as 'checkout down for more than 15 minutes'", ("criteria",),
            )


@rule("HB403", "error", "severity")
def faster_when_worse(hb: Handbook) -> Iterator[Problem]:
    """A more severe level never has a slower acknowledgement or a slower update cadence.

    If SEV 1 may wait 30 minutes for an acknowledgement while SEV 2 gets 15, the ladder is
    upside down.

    PASS:

        - {id: sev1, rank: 1, response: {acknowledge_within: 5m}, update_every: 30m}
        - {id: sev2, rank: 2, response: {acknowledge_within: 15m}, update_every: 1h}

    FAIL:

        - {id: sev1, rank: 1, response: {acknowledge_within: 30m}, update_every: 30m}
        - {id: sev2, rank: 2, response: {acknowledge_within: 15m}, update_every: 1h}
    """
    checks = (
        ("acknowledged within", lambda lv: lv.response.acknowledge_within,
         ("response", "acknowledge_within"), "response.acknowledge_within"),
        ("updated every", fastest_update, ("update_every",), "update_every"),
    )
    for i, level in enumerate(hb.levels):
        for what, get, at, field in checks:
            if get(level) is None:
                continue  # the policy names no time for this level: nothing to compare
            faster = [other for other in hb.levels[i + 1:]
                      if other.rank > level.rank and get(other) is not None and get(other) < get(level)]
            if faster:
                other = min(faster, key=get)
                yield Problem(
                    level,
                    f"{named(level)} is {what} {span(get(level))}, slower than the less severe "
                    f"{named(other)} at {span(get(other))}",
                    f"make {field} of {level.id} {span(get(other))} or less",
                    at,
                )


@rule("HB404", "warning", "severity")
def serious_levels_need_postmortem(hb: Handbook) -> Iterator[Problem]:
    """A major level says whether a postmortem follows it.

    The serious incidents are the ones to learn from. Where the policy of a major level (one
    marked `major: true`, or of class critical or high) does not say whether a written review
    follows, this advises adding `postmortem:`; a policy that says `required: false` is the
    organization's choice and is not questioned, and deadlines are checked only where written.

    PASS:

        label: critical
        postmortem: {required: true, due_within: 5 business days}

    FAIL:

        label: critical              # and no postmortem: at all
    """
    for level in hb.levels:
        if is_major(hb, level) and level.postmortem is None:
            yield Problem(
                level, f"{named(level)} is a major level, but its policy does not say whether a postmortem follows",
                "add 'postmortem:' with 'required: true' and any deadlines the policy sets, such as "
                "'due_within: 5 business days'; or 'required: false' if none follows; "
                "or write 'major: false' if this level is not a major incident",
            )


@rule("HB408", "error", "severity")
def labels_follow_rank(hb: Handbook) -> Iterator[Problem]:
    """Labels follow rank: the most severe level is critical, and no level is labelled worse than one above it.

    The labels critical, high, medium and low drive the rules, the colours and the print; a
    rank-1 level labelled high, or a rank-3 level labelled higher than rank 2, misleads both.

    PASS:

        - {id: sev1, rank: 1, label: critical}
        - {id: sev2, rank: 2, label: high}
        - {id: sev3, rank: 3, label: high}

    FAIL:

        - {id: sev1, rank: 1, label: high}
        - {id: sev2, rank: 2, label: critical}
    """
    if not hb.levels:
        return
    top = hb.levels[0]
    if level_class(hb, top) not in ("critical", None):
        yield Problem(
            top, f"{named(top)} is the most severe level but is labelled {top.label}",
            "label the most severe level critical", ("label",),
        )
    classes = [lv for lv in hb.levels if level_class(hb, lv) is not None]
    if not classes:
        return
    worst = classes[0]
    for level in classes[1:]:
        if LABEL_ORDER[level_class(hb, level)] < LABEL_ORDER[level_class(hb, worst)]:
            yield Problem(
                level,
                f"{named(level)} is labelled {level.label}, more severe than the higher level "
                f"{named(worst)} labelled {worst.label}",
                "labels go critical, high, medium, low from the most severe level down",
                ("label",),
            )
        elif LABEL_ORDER[level_class(hb, level)] > LABEL_ORDER[level_class(hb, worst)]:
            worst = level


@rule("HB409", "warning", "severity")
def roles_match_activation(hb: Handbook) -> Iterator[Problem]:
    """The roles a level engages and the levels a role is activated at agree.

    severity.yaml (`roles_engaged`) and roles.yaml (`activated_at`) say the same thing from
    two sides; when they disagree, the level page and the role page tell different stories.

    PASS:

        # severity.yaml
        - {id: sev1, roles_engaged: [incident-manager, scribe]}
        # roles.yaml
        - {id: scribe, activated_at: [sev1]}

    FAIL:

        # severity.yaml
        - {id: sev1, roles_engaged: [incident-manager, scribe]}
        # roles.yaml
        - {id: scribe, activated_at: [sev2]}
    """
    roles = hb.index["roles"]
    for level in hb.levels:
        for i, rid in enumerate(level.roles_engaged):
            role = roles.get(rid)
            if role is not None and level.id not in role.activated_at:
                yield Problem(
                    level,
                    f"{named(level)} engages {named(role)}, but that role does not list {level.id} "
                    "in activated_at",
                    f"add {level.id} to activated_at of {role.id} in roles.yaml, "
                    "or remove the role here",
                    ("roles_engaged", i),
                )
    levels = hb.index["levels"]
    for role in hb.roles:
        for i, lid in enumerate(role.activated_at):
            level = levels.get(lid)
            if level is not None and role.id not in level.roles_engaged:
                yield Problem(
                    role,
                    f"{named(role)} is activated at {named(level)}, but that level does not list "
                    f"{role.id} in roles_engaged",
                    f"add {role.id} to roles_engaged of {level.id} in severity.yaml, "
                    "or remove the level here",
                    ("activated_at", i),
                )
