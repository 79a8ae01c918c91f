"""Rules for departments.yaml: every department knows its part at every level, even offline."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from .. import queries
from ..queries import critical_ids
from .base import Problem, rule
from .helpers import named, who_id

if TYPE_CHECKING:
    from ..handbook import Handbook


@rule("HB901", "error", "departments")
def playbook_every_level(hb: Handbook) -> Iterator[Problem]:
    """Each department's playbook says what it does at every level at which it is told or engaged.

    A department binder opened at a level that calls the department in must not come up blank;
    "carry on as normal, watch the status page" is a valid entry. A department is told or
    engaged at a level that lists it under `departments_notified`, or whose escalation chain
    notifies it. `other_levels:` answers for every level the playbook does not list.

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
    engaged: dict[str, set[str]] = {}
    for level in hb.levels:
        ids = set(level.departments_notified)
        chain = hb.index["chains"].get(level.escalation) if level.escalation else None
        for step in chain.steps if chain else ():
            ids.update(step.departments)
        engaged[level.id] = ids
    for dept in hb.departments:
        for level in hb.levels:
            actions = dept.playbook.get(level.id)
            if actions is None and dept.id in engaged[level.id] and not dept.other_levels:
                yield Problem(
                    dept, f"{named(dept)} is told at {named(level)}, but its playbook says nothing for that level",
                    f"add {level.id} under playbook with at least one action, or other_levels: with what it does "
                    "at every level not listed", ("playbook",),
                )
            elif actions is not None and not any((a if isinstance(a, str) else a.do).strip() for a in actions):
                yield Problem(
                    dept, f"the playbook of {named(dept)} has no action for {named(level)}",
                    f"write at least one action under playbook.{level.id}", ("playbook", level.id),
                )


@rule("HB902", "warning", "departments")
def degraded_mode_written(hb: Handbook) -> Iterator[Problem]:
    """Each department has degraded-mode workarounds, one for each critical dependency it uses.

    A department that lists a critical dependency under `depends_on` (laptops, the clinical
    record system, the tills) needs a plan for the day it is down: paper forms, phones,
    printed lists.

    PASS:

        depends_on: [laptops]
        degraded_mode:
          - when_down: [laptops]
            instead: [Take orders by phone on paper form B]

    FAIL:

        depends_on: [laptops, ehr]
        degraded_mode:
          - when_down: [laptops]            # nothing for when the record system (ehr) is down
            instead: [Chart on paper]
    """
    critical = critical_ids(hb)
    for dept in hb.departments:
        if not dept.degraded_mode:
            yield Problem(
                dept, f"{named(dept)} has no degraded-mode workarounds",
                "add degraded_mode entries saying what the department does when systems are down",
                ("degraded_mode",),
            )
            continue
        covered = {dep for m in dept.degraded_mode for dep in m.when_down}
        for i, dep in enumerate(dept.depends_on):
            if dep in critical and dep not in covered:
                name = hb.dependency(dep).name
                yield Problem(
                    dept, f"{named(dept)} depends on {name} ({dep}) but has no workaround for when it is down",
                    f"add a degraded_mode entry with when_down: [{dep}] and what the department does instead",
                    ("depends_on", i),
                )


@rule("HB903", "warning", "departments")
def department_staffed(hb: Handbook) -> Iterator[Problem]:
    """Each department has people, and its head belongs to it.

    A department nobody belongs to has no branch in the call tree; a head from another
    department is usually a copy-and-paste slip. The liaison may come from elsewhere. A plan
    whose people.yaml names nobody at all is not asked.

    PASS:

        - {id: marketing, head: jonah-feldman}   # jonah-feldman: department: marketing

    FAIL:

        - {id: marketing, head: claire-donovan}  # claire-donovan: department: communications
    """
    members = {p.department for p in hb.people}
    people = hb.index["people"]
    for dept in hb.departments:
        # A plan that names no one (every role filled by a rotation or on the day) has no
        # people.yaml entries at all: that is its choice, not a department left empty.
        if hb.people and dept.id not in members:
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


_VOLUME = re.compile(r"^(?P<stem>.+)-(?P<n>[1-9]\d*)$")


@rule("HB904", "error", "departments")
def department_ids_apart_from_volumes(hb: Handbook) -> Iterator[Problem]:
    """No department id is another department's id with a volume number after it.

    A binder longer than the page cap is printed in volumes: `sales-1.pdf`, `sales-2.pdf`, …
    A department called `sales-2` would then have its own binder written over the second
    volume of the Sales binder, or the other way round, depending on the order.

    PASS:

        - id: sales
        - id: sales-west

    FAIL:

        - id: sales
        - id: sales-2    # the name of the Sales binder's second volume
    """
    ids = {d.id for d in hb.departments}
    for dept in hb.departments:
        m = _VOLUME.match(dept.id)
        if m and m.group("stem") in ids:
            other = hb.department(m.group("stem"))
            yield Problem(
                dept, f"'{dept.id}' is also the name of volume {m.group('n')} of the binder of {named(other)}, "
                f"{dept.id}.pdf, if that binder is printed in volumes",
                f"choose an id that does not end in -{m.group('n')}, e.g. '{m.group('stem')}-{_word(dept.name)}'",
                ("id",),
            )


@rule("HB905", "warning", "departments")
def actions_name_what_they_use(hb: Handbook) -> Iterator[Problem]:
    """An action that names a partner, a role or a channel does so by its id, so its number is printed.

    Beside the action, every page and binder then prints the partner's or channel's number, or
    who holds the role and their number. Written as a sentence, "call Tillwise Payments for approval" or "close a shop only when the
    store operations lead says so" leaves the reader to find the number elsewhere; written with
    `partners:`, `roles:` or `channels:`, every page and binder prints it beside the action.

    PASS:

        - do: Call Tillwise Payments for approval above $200.
          partners: [tillwise-payments]

    FAIL:

        - Call Tillwise Payments for approval above $200.
    """
    def pattern(name: str) -> re.Pattern[str]:
        return re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE)

    things = [("partners", x, pattern(x.name)) for x in hb.partners if len(x.name) >= 4]
    things += [("roles", x, pattern(x.name)) for x in hb.roles if len(x.name) >= 4]
    things += [("channels", x, pattern(x.name)) for x in hb.channels if len(x.name) >= 4]
    for dept in hb.departments:
        for where, act in queries.department_actions(hb, dept.id):
            text = act if isinstance(act, str) else act.do
            for field, thing, found in things:
                if not isinstance(act, str) and thing.id in getattr(act, field):
                    continue
                if not found.search(text):
                    continue
                noun = {"partners": "number", "roles": "holder and number", "channels": "number"}[field]
                hint = (f"write it as do: {act!r} with {field}: [{thing.id}]" if isinstance(act, str)
                        else f"add {thing.id} to its {field}: list")
                yield Problem(
                    dept, f"an action of {named(dept)} names {named(thing)} without its id, so its {noun} "
                    f"{'are' if field == 'roles' else 'is'} not printed beside it", hint, where,
                )


@rule("HB906", "warning", "departments")
def actions_name_their_forms(hb: Handbook) -> Iterator[Problem]:
    """An action that names a paper form or sign of forms.yaml does so by its id, so the binder prints it.

    Written only in the text, "write each call on the paper call log" sends the reader looking
    for a form the binder does not hold; with `forms:`, the department's binder prints the form
    as a page to copy, and the action says on which page it is.

    PASS:

        - do: Answer calls on desk phones and write each call on the paper call log.
          forms: [paper-call-log]

    FAIL:

        - Answer calls on desk phones and write each call on the paper call log.
    """
    # A name as a whole phrase, in any case, also in the plural ("paper card slips").
    names = [(f, re.compile(rf"(?<!\w){re.escape(f.name)}(?:e?s)?(?!\w)", re.IGNORECASE))
             for f in hb.forms if len(f.name) >= 4]
    if not names:
        return
    for dept in hb.departments:
        for where, act in queries.department_actions(hb, dept.id):
            text, named_ids = (act, ()) if isinstance(act, str) else (act.do, act.forms)
            for form, pattern in names:
                if form.id in named_ids or not pattern.search(text):
                    continue
                hint = (f"write it as do: {act!r} with forms: [{form.id}]" if isinstance(act, str)
                        else f"add forms: [{form.id}] to this action")
                yield Problem(
                    dept, f"an action of {named(dept)} names the form {named(form)} without its id, so the "
                    "binder does not print the form or say on which page it is", hint, where,
                )


def _word(name: str) -> str:
    """A short id part from a name, for a suggestion: 'Sales West' → 'west'."""
    words = re.findall(r"[a-z0-9]+", name.lower())
    return words[-1] if words and not words[-1].isdigit() else "team"
