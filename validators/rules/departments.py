"""Rules for departments.yaml: every department knows its part at every level, even offline."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from .base import Problem, rule
from .helpers import critical_ids, named, who_id

if TYPE_CHECKING:
    from ..handbook import Handbook


@rule("HB901", "error", "departments")
def playbook_every_level(hb: Handbook) -> Iterator[Problem]:
    """Each department's playbook says what it does at every severity level.

    A department binder opened at a SEV 3 must not come up blank; "carry on as normal,
    watch the status page" is a valid entry.

    PASS:

        playbook:
          sev1: [Pause scheduled campaigns]
          sev2: [Hold new campaign launches]
          sev3: [Carry on; watch the status page]

    FAIL:

        playbook:
          sev1: [Pause scheduled campaigns]
          sev2: []
    """
    for dept in hb.departments:
        for level in hb.levels:
            actions = dept.playbook.get(level.id)
            if actions is None:
                yield Problem(
                    dept, f"the playbook of {named(dept)} says nothing for {named(level)}",
                    f"add {level.id} under playbook with at least one action", ("playbook",),
                )
            elif not any(a.strip() for a in actions):
                yield Problem(
                    dept, f"the playbook of {named(dept)} has no action for {named(level)}",
                    f"write at least one action under playbook.{level.id}", ("playbook", level.id),
                )


@rule("HB902", "warning", "departments")
def degraded_mode_written(hb: Handbook) -> Iterator[Problem]:
    """Each department has degraded-mode workarounds, including one for losing laptops.

    When laptops are a critical dependency, every department needs a plan for the day none
    of them start: paper forms, phones, printed lists.

    PASS:

        degraded_mode:
          - when_down: [laptops]
            instead: [Take orders by phone on paper form B]

    FAIL:

        degraded_mode: []
    """
    laptops = "laptops" in critical_ids(hb)
    for dept in hb.departments:
        if not dept.degraded_mode:
            yield Problem(
                dept, f"{named(dept)} has no degraded-mode workarounds",
                "add degraded_mode entries saying what the department does when systems are down",
                ("degraded_mode",),
            )
        elif laptops and not any("laptops" in m.when_down for m in dept.degraded_mode):
            yield Problem(
                dept, f"{named(dept)} has no workaround for when laptops are down",
                "add a degraded_mode entry with when_down: [laptops]", ("degraded_mode",),
            )


@rule("HB903", "warning", "departments")
def department_staffed(hb: Handbook) -> Iterator[Problem]:
    """Each department has people, and its head belongs to it.

    A department nobody belongs to has no branch in the call tree; a head from another
    department is usually a copy-and-paste slip. The liaison may come from elsewhere.

    PASS:

        - {id: marketing, head: jonah-feldman}   # jonah-feldman: department: marketing

    FAIL:

        - {id: marketing, head: claire-donovan}  # claire-donovan: department: communications
    """
    members = {p.department for p in hb.people}
    people = hb.index["people"]
    for dept in hb.departments:
        if dept.id not in members:
            yield Problem(
                dept, f"nobody in people.yaml belongs to {named(dept)}",
                f"set department: {dept.id} on its people, or remove the department",
            )
        head = people.get(dept.head)
        if head is not None and head.department != dept.id:
            yield Problem(
                dept, f"the head of {named(dept)}, {who_id(hb, head.id)}, belongs to {head.department}",
                f"choose a head from {dept.id}, or correct their department in people.yaml",
                ("head",),
            )
