"""Rules for roles.yaml: every role filled twice over, the incident manager above all."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from .base import Problem, rule
from .helpers import named, who_id

if TYPE_CHECKING:
    from ..handbook import Handbook


@rule("HB301", "error", "people")
def role_has_backup(hb: Handbook) -> Iterator[Problem]:
    """Every role says who fills it, and nobody is listed twice in one role.

    A role is filled by a named person (`primary`), by several people at once (`holders`), or
    by a shift job, rotation or position (`filled_by`). Listing someone twice looks like cover
    but is not.

    PASS:

        - id: scribe
          primary: owen-price
          backups: [sofia-rossi, keisha-williams]

    FAIL:

        - id: scribe
          primary: owen-price
          backups: [owen-price]
    """
    for role in hb.roles:
        if not role.people and not role.filled_by:
            yield Problem(
                role, f"nobody fills the role {named(role)}",
                "write primary: with a person id, holders: with several, or filled_by: with the shift job "
                "or rotation that fills it, e.g. filled_by: the house supervisor on duty",
            )
        seen: set[str] = set(role.people)
        for i, pid in enumerate(role.backups):
            if pid in role.people:
                yield Problem(
                    role, f"{who_id(hb, pid)} both holds and backs up {named(role)}",
                    "choose a different person as backup", ("backups", i),
                )
            elif pid in seen:
                yield Problem(
                    role, f"{who_id(hb, pid)} is listed twice as a backup of {named(role)}",
                    "remove the second entry or replace it with another person", ("backups", i),
                )
            seen.add(pid)


@rule("HB308", "warning", "people")
def named_role_has_backup(hb: Handbook) -> Iterator[Problem]:
    """A role that one named person holds has a backup.

    A role held by one person is empty the day that person is on a plane, ill, or the one
    whose laptop is bricked. Roles filled by a rotation or shift job, or by several people,
    have cover by design and are not asked for one.

    PASS:

        - {id: scribe, primary: owen-price, backups: [sofia-rossi]}
        - {id: supervisor, filled_by: the house supervisor on duty}

    FAIL:

        - {id: scribe, primary: owen-price}
    """
    for role in hb.roles:
        if role.primary and not role.holders and not role.filled_by and not role.backups:
            yield Problem(
                role, f"the role {named(role)} is held by one person and has no backup",
                "add at least one other person id under backups, or write filled_by: if a rotation fills it",
                ("primary",),
            )


@rule("HB305", "error", "people")
def incident_manager_role(hb: Handbook) -> Iterator[Problem]:
    """Exactly one role is the incident manager; it has two qualified backups or more.

    The incident manager leads every incident, so there must be no doubt which role it is,
    and enough trained deputies that one is always reachable. Holders of the role, primary
    and backups, list the role's id in their qualifications (people.yaml).

    PASS:

        - id: incident-manager
          incident_manager: true
          primary: tomas-herrera            # qualifications: [incident-manager]
          backups: [rahul-desai, grace-liu] # both qualified

    FAIL:

        - id: incident-manager
          incident_manager: true
          primary: tomas-herrera
          backups: [rahul-desai]            # only one backup
    """
    managers = [r for r in hb.roles if r.incident_manager]
    if not managers:
        anchor = hb.roles[0] if hb.roles else hb.organization
        yield Problem(
            anchor, "no role is marked as the incident manager",
            "set incident_manager: true on the role that leads every incident",
        )
        return
    first = managers[0]
    for extra in managers[1:]:
        yield Problem(
            extra, f"{named(extra)} and {named(first)} are both marked as the incident manager",
            "keep incident_manager: true on one role only", ("incident_manager",),
        )
    im = first
    holders = [(("primary",), im.primary, "the primary")] if im.primary else []
    holders += [(("holders", i), pid, "a holder of the") for i, pid in enumerate(im.holders)]
    holders += [
        (("backups", i), pid, "a backup") for i, pid in enumerate(im.backups)
    ]
    for at, pid, kind in holders:
        person = hb.index["people"].get(pid)
        if person is not None and im.id not in person.qualifications:
            yield Problem(
                im,
                f"{who_id(hb, pid)} is {kind} incident manager but is not qualified as {im.id}",
                f"add {im.id} to their qualifications in people.yaml once trained, "
                "or choose a qualified person",
                at,
            )


@rule("HB309", "warning", "people")
def incident_manager_backups(hb: Handbook) -> Iterator[Problem]:
    """The incident manager role, where named people hold it, has two backups or more.

    The incident manager leads every incident: with two trained deputies one is always
    reachable. A role filled by a rotation (`filled_by`) has its cover in the rotation.

    PASS:

        - {id: incident-manager, incident_manager: true, primary: tomas-herrera, backups: [rahul-desai, grace-liu]}

    FAIL:

        - {id: incident-manager, incident_manager: true, primary: tomas-herrera, backups: [rahul-desai]}
    """
    im = hb.incident_manager
    if im is None or im.filled_by or len(im.backups) + max(len(im.people) - 1, 0) >= 2:
        return
    have = "one backup" if im.backups else "no backup"
    yield Problem(
        im, f"the incident manager role {named(im)} has only {have}",
        f"name at least two backups qualified as {im.id}, or write filled_by: with the rotation that fills it",
        ("backups",),
    )


@rule("HB306", "warning", "people")
def role_holders_qualified(hb: Handbook) -> Iterator[Problem]:
    """Holders of a role are qualified for it, where the organization tracks that qualification.

    If anyone holding a role lists the role among their qualifications, the organization
    tracks training for it, and every other holder should be trained too. Roles whose
    holders list no such qualification are not checked. The incident manager is HB305.

    PASS:

        - id: scribe
          primary: owen-price      # qualifications: [scribe]
          backups: [sofia-rossi]   # qualifications: [scribe]

    FAIL:

        - id: scribe
          primary: owen-price      # qualifications: [scribe]
          backups: [sofia-rossi]   # qualifications: []
    """
    for role in hb.roles:
        if role.incident_manager:
            continue
        holders = ([(("primary",), role.primary, "the primary")] if role.primary else []) + [
            (("holders", i), pid, "a holder") for i, pid in enumerate(role.holders)] + [
            (("backups", i), pid, "a backup") for i, pid in enumerate(role.backups)
        ]
        people = {pid: hb.index["people"].get(pid) for _, pid, _ in holders}
        if not any(p is not None and role.id in p.qualifications for p in people.values()):
            continue
        for at, pid, kind in holders:
            person = people[pid]
            if person is not None and role.id not in person.qualifications:
                yield Problem(
                    role,
                    f"{who_id(hb, pid)} is {kind} for {named(role)} but is not qualified as {role.id}",
                    f"add {role.id} to their qualifications in people.yaml once trained",
                    at,
                )
