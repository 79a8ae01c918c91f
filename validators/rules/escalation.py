"""Rules for escalation.yaml: chains that match their levels, in time order, to reachable people."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from ..queries import can_be_phoned, partner_has_phone, partner_has_portal
from .base import Problem, rule
from .helpers import named, span, who

if TYPE_CHECKING:
    from ..handbook import Handbook
    from ..models.people import Person


@rule("HB405", "error", "severity")
def chain_and_level_agree(hb: Handbook) -> Iterator[Problem]:
    """A level's escalation chain lists that level, and a chain lists only levels that use it.

    The chain is named on the level (`escalation:`) and the levels on the chain (`levels:`);
    both sides must say the same, or the printed escalation page and the severity matrix
    disagree about who is called.

    PASS:

        # severity.yaml
        - {id: sev1, escalation: critical}
        # escalation.yaml
        - {id: critical, levels: [sev1]}

    FAIL:

        # severity.yaml
        - {id: sev2, escalation: critical}
        # escalation.yaml
        - {id: critical, levels: [sev1]}
    """
    chains, levels = hb.index["chains"], hb.index["levels"]
    for level in hb.levels:
        chain = chains.get(level.escalation) if level.escalation else None
        if chain is not None and level.id not in chain.levels:
            yield Problem(
                level,
                f"{named(level)} uses the chain {named(chain)}, which does not list {level.id} in its levels",
                f"add {level.id} to levels of {chain.id} in escalation.yaml",
                ("escalation",),
            )
    for chain in hb.chains:
        for i, lid in enumerate(chain.levels):
            level = levels.get(lid)
            if level is not None and level.escalation != chain.id:
                yield Problem(
                    chain,
                    f"the chain {named(chain)} lists {named(level)}, which uses the chain "
                    f"{level.escalation}" if level.escalation else
                    f"the chain {named(chain)} lists {named(level)}, which names no chain",
                    f"remove {lid} from this chain's levels, or set escalation: {chain.id} on {lid}",
                    ("levels", i),
                )


@rule("HB406", "error", "severity")
def steps_in_time_order(hb: Handbook) -> Iterator[Problem]:
    """Escalation steps come in time order.

    Each step says how long after the declaration it happens; a step earlier than the one
    before it is a typo. Two steps may share a time (each with its own condition or channel).

    PASS:

        steps:
          - {after: 0m, roles: [incident-manager], via: [phone]}
          - {after: 15m, roles: [communications-lead], via: [phone]}

    FAIL:

        steps:
          - {after: 15m, roles: [incident-manager], via: [phone]}
          - {after: 10m, roles: [communications-lead], via: [phone]}
    """
    for chain in hb.chains:
        for i in range(1, len(chain.steps)):
            before, step = chain.steps[i - 1], chain.steps[i]
            if step.after < before.after:
                yield Problem(
                    chain,
                    f"a step of {named(chain)} comes {span(step.after)} after declaration, "
                    f"earlier than the step before it at {span(before.after)}",
                    "order the steps by time, each no earlier than the one before",
                    ("steps", i, "after"),
                )


def _once_unreachable(people: dict[str, Person]) -> Callable[[str], str | None]:
    """For one step: name each person without a phone contact the first time they come up."""
    reported: set[str] = set()

    def unreachable(pid: str) -> str | None:
        person = people.get(pid)
        if person is None or pid in reported or can_be_phoned(person):
            return None
        reported.add(pid)
        return who(person)

    return unreachable


@rule("HB407", "error", "severity")
def step_targets_reachable(hb: Handbook) -> Iterator[Problem]:
    """Everyone an escalation step notifies can be reached by phone or text.

    A step notifies people directly, through a role (its primary and backups), through a
    department (its liaison) or a partner. When chat and e-mail are down, a person needs a
    phone, text or radio contact, and a partner a phone number.

    PASS:

        # escalation.yaml
        steps: [{after: 0m, people: [maria-lopez], via: [phone]}]
        # people.yaml
        - id: maria-lopez
          contacts: [{kind: mobile, value: "+1 201 555 0101"}]

    FAIL:

        # escalation.yaml
        steps: [{after: 0m, people: [maria-lopez], via: [phone]}]
        # people.yaml
        - id: maria-lopez
          contacts: [{kind: work-email, value: maria.lopez@example.com}]
    """
    people, roles = hb.index["people"], hb.index["roles"]
    departments, partners = hb.index["departments"], hb.index["partners"]
    hint = "add a mobile or landline number for them in people.yaml"
    for chain in hb.chains:
        for s, step in enumerate(chain.steps):
            unreachable = _once_unreachable(people)

            for i, pid in enumerate(step.people):
                if (name := unreachable(pid)) is not None:
                    yield Problem(
                        chain, f"a step of {named(chain)} notifies {name}, who has no phone, text "
                        "or radio contact", hint, ("steps", s, "people", i),
                    )
            for i, rid in enumerate(step.roles):
                role = roles.get(rid)
                if role is None:
                    continue
                for pid in [*role.people, *role.backups]:
                    if (name := unreachable(pid)) is not None:
                        yield Problem(
                            chain, f"a step of {named(chain)} notifies the role {named(role)}, "
                            f"but its holder {name} has no phone, text or radio contact",
                            hint, ("steps", s, "roles", i),
                        )
            for i, did in enumerate(step.departments):
                dept = departments.get(did)
                if dept is None:
                    continue
                if dept.liaison and (name := unreachable(dept.liaison)) is not None:
                    yield Problem(
                        chain, f"a step of {named(chain)} notifies {named(dept)} through its "
                        f"liaison {name}, who has no phone, text or radio contact",
                        hint, ("steps", s, "departments", i),
                    )
            for i, partner_id in enumerate(step.partners):
                partner = partners.get(partner_id)
                if partner is not None and not partner_has_phone(partner) and not partner_has_portal(partner):
                    yield Problem(
                        chain, f"a step of {named(chain)} notifies the partner {named(partner)}, "
                        "which has no phone number",
                        "add a contact with a phone number to the partner in partners.yaml, or the web address "
                        "of its reporting portal under url",
                        ("steps", s, "partners", i),
                    )


@rule("HB411", "error", "severity")
def step_notifies_someone(hb: Handbook) -> Iterator[Problem]:
    """Every escalation step notifies someone: a role, a person, a department or a partner.

    A step with nobody under it looks like part of the plan but calls no one.

    PASS:

        steps:
          - {after: 15m, roles: [communications-lead], via: [phone]}

    FAIL:

        steps:
          - {after: 15m, via: [phone]}
    """
    for chain in hb.chains:
        for i, step in enumerate(chain.steps):
            if not (step.roles or step.people or step.departments or step.partners):
                yield Problem(
                    chain, f"step {i + 1} of the chain {named(chain)} notifies nobody",
                    "list who it notifies under roles, people, departments or partners, or remove the step",
                    ("steps", i),
                )


@rule("HB410", "warning", "severity")
def chain_in_use(hb: Handbook) -> Iterator[Problem]:
    """Every escalation chain serves at least one level.

    A chain no level points to is never followed; it is either left over or a level forgot
    to name it.

    PASS:

        # escalation.yaml
        - {id: standard, levels: [sev3]}
        # severity.yaml
        - {id: sev3, escalation: standard}

    FAIL:

        # escalation.yaml
        - {id: legacy, levels: []}
        # no level has escalation: legacy
    """
    used = {level.escalation for level in hb.levels}
    for chain in hb.chains:
        if chain.id not in used:
            yield Problem(
                chain, f"no level uses the chain {named(chain)}",
                f"set escalation: {chain.id} on a level in severity.yaml, or remove the chain",
            )
