"""Rules for partners.yaml: the insurer, counsel and responders are signed up and can be phoned."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..queries import (
    categories_present,
    contract_expired,
    contract_expiring,
    counts_as,
    is_major,
    partner_contacts_stale,
    partner_has_phone,
    partner_has_portal,
)
from .base import Problem, rule
from .helpers import named, span

if TYPE_CHECKING:
    from ..handbook import Handbook


@rule("HB601", "error", "partners")
def contract_not_expired(hb: Handbook) -> Iterator[Problem]:
    """No partner's contract, policy or retainer has ended.

    An expired retainer or insurance policy is discovered at the worst moment: when the
    incident is already under way and the partner asks for a new contract first.

    PASS:

        contract: {kind: retainer, end: 2027-06-30}   # today 2026-11-27

    FAIL:

        contract: {kind: retainer, end: 2026-06-30}
    """
    for partner in hb.partners:
        end = partner.contract.end
        if contract_expired(partner, hb.today):
            yield Problem(
                partner, f"the contract with {named(partner)} ended on {end}",
                "renew it and write the new end date, or replace the partner",
                ("contract", "end"),
            )


@rule("HB602", "warning", "partners")
def contract_ending(hb: Handbook) -> Iterator[Problem]:
    """A partner's contract ends within `review.contract_warning` (60 days by default).

    Renewals take weeks of paperwork; start before the contract lapses.

    PASS:

        contract: {kind: policy, end: 2027-06-30}   # today 2026-11-27

    FAIL:

        contract: {kind: policy, end: 2026-12-31}   # within 60 days
    """
    warn = hb.organization.review.contract_warning
    for partner in hb.partners:
        end = partner.contract.end
        if contract_expiring(partner, hb.today, warn):
            yield Problem(
                partner, f"the contract with {named(partner)} ends on {end}, within {span(warn)}",
                "start the renewal now and write the new end date when signed",
                ("contract", "end"),
            )


@rule("HB603", "error", "partners")
def insurer_ready(hb: Handbook) -> Iterator[Problem]:
    """Every insurer has a 24x7 hotline phone, a policy number and a notification deadline.

    Cyber policies pay only if the insurer is told in time, through their claims line, quoting
    the policy number. All three must be in the binder before the incident.

    PASS:

        category: insurer
        contacts:
          - {label: 24x7 claims hotline, phone: "+1 201 555 0100", hours: 24x7, hotline: true}
        contract: {kind: policy, number: CY-2026-00417}
        notification_deadline: 72h

    FAIL:

        category: insurer
        contacts:
          - {label: Account manager, email: am@insurer.example}
        contract: {kind: policy}
    """
    for partner in hb.partners:
        if not counts_as(hb, "partner-categories", partner.category, "insurer"):
            continue
        if not any(c.hotline and c.hours == "24x7" and c.phone for c in partner.contacts):
            yield Problem(
                partner, f"the insurer {named(partner)} has no 24x7 hotline phone number",
                "add a contact with phone, hours: 24x7 and hotline: true", ("contacts",),
            )
        if not partner.contract.number:
            yield Problem(
                partner, f"the insurer {named(partner)} has no policy number",
                "write the policy number under contract.number", ("contract",),
            )
        if partner.notification_deadline is None:
            yield Problem(
                partner, f"the insurer {named(partner)} has no notification deadline",
                "write how soon they must be told as the policy says, e.g. notification_deadline: 72h, "
                "or notification_deadline: as soon as practicable",
            )


@rule("HB604", "error", "partners")
def critical_chain_notifies_insurer(hb: Handbook) -> Iterator[Problem]:
    """The escalation chain of the most severe level notifies every insurer within its deadline.

    Missing the insurer's notification deadline can void the cover. The critical chain must
    have a step, no later than the deadline, that lists the insurer under `partners`.

    PASS:

        # partners.yaml: harbor-mutual, notification_deadline: 72h
        steps:
          - {after: 4h, partners: [harbor-mutual], via: [phone]}

    FAIL:

        steps:
          - {after: 4d, partners: [harbor-mutual], via: [phone]}
    """
    if not hb.levels:
        return
    top = hb.levels[0]
    chain = hb.index["chains"].get(top.escalation) if top.escalation else None
    if chain is None:
        return
    for partner in hb.partners:
        if not counts_as(hb, "partner-categories", partner.category, "insurer"):
            continue
        steps = [(i, s) for i, s in enumerate(chain.steps) if partner.id in s.partners]
        deadline = partner.notification_deadline
        if not steps:
            within = f" within {span(deadline)}" if deadline is not None else ""
            yield Problem(
                chain,
                f"the chain {named(chain)} of {named(top)} never notifies the insurer {named(partner)}",
                f"add {partner.id} to partners of a step{within}", ("steps",),
            )
            continue
        i, first = steps[0]
        if deadline is not None and deadline.exact and first.after > deadline:
            yield Problem(
                chain,
                f"the chain {named(chain)} notifies the insurer {named(partner)} "
                f"{span(first.after)} after declaration, later than its notification deadline "
                f"of {span(deadline)}",
                f"move {partner.id} to a step at {span(deadline)} or earlier",
                ("steps", i, "partners", first.partners.index(partner.id)),
            )


@rule("HB605", "error", "partners")
def required_categories(hb: Handbook) -> Iterator[Problem]:
    """Every partner category the organization requires has at least one partner.

    `organization.required_partner_categories` lists them (HB608 advises when the organization
    lists none). Relationships built during an incident come too late. A partner of a category
    the organization declared `like:` a required one counts for it.

    PASS:

        # organization.yaml
        required_partner_categories: [insurer, forensics]
        # partners.yaml has one partner of each

    FAIL:

        # organization.yaml
        required_partner_categories: [insurer, forensics]
        # partners.yaml has no forensics partner
    """
    have = categories_present(hb)
    org = hb.organization
    for i, category in enumerate(org.required_partner_categories or ()):
        if category not in have:
            yield Problem(
                org, f"no partner in the category {category}",
                f"add a {category} partner to partners.yaml, or remove {category} from "
                "required_partner_categories in organization.yaml",
                ("required_partner_categories", i),
            )


RECOMMENDED_PARTNERS = ("insurer", "breach-counsel", "forensics", "pr", "law-enforcement")


@rule("HB608", "warning", "partners")
def recommended_categories(hb: Handbook) -> Iterator[Problem]:
    """Where the policy does not say which partners it must have, the usual ones are on file.

    Most incident plans keep an insurer, breach counsel, forensics, public relations and law
    enforcement on file before they are needed. This is advice, given only while
    `organization.required_partner_categories` is not written: list there the categories your
    policy requires (`[]` for none), and HB605 checks those instead.

    PASS:

        # organization.yaml
        required_partner_categories: []       # the policy requires none

    FAIL:

        # organization.yaml: no required_partner_categories, and partners.yaml has no insurer
    """
    org = hb.organization
    if org.required_partner_categories is not None:
        return
    have = categories_present(hb)
    missing = [c for c in RECOMMENDED_PARTNERS if c not in have]
    if missing:
        yield Problem(
            org, f"no partner in the usual categories {', '.join(missing)}, and the policy does not say which it requires",
            "add those partners to partners.yaml, or write in organization.yaml the categories your policy requires, "
            f"e.g. required_partner_categories: [{', '.join(c for c in RECOMMENDED_PARTNERS if c in have)}]; "
            "write [] for none",
        )


@rule("HB606", "warning", "partners")
def partner_verified(hb: Handbook) -> Iterator[Problem]:
    """Every partner's contacts were confirmed within `review.partner_review`.

    Account managers move on and hotlines change; a yearly call confirms the numbers.

    PASS:

        last_verified: 2026-03-02   # today 2026-11-27, partner_review: 365d

    FAIL:

        last_verified: 2025-03-02
    """
    interval = hb.organization.review.partner_review
    for partner in hb.partners:
        if partner_contacts_stale(partner, hb.today, interval):
            yield Problem(
                partner, f"the contacts of {named(partner)} were last verified on "
                f"{partner.last_verified}, more than {span(interval)} ago",
                "call them to confirm the numbers and update last_verified", ("last_verified",),
            )


@rule("HB607", "warning", "partners")
def serious_partner_has_phone(hb: Handbook) -> Iterator[Problem]:
    """A partner engaged at a critical or high level has a phone number.

    At those levels e-mail may be the thing that is down; an address alone cannot be used.

    PASS:

        engage_when: {levels: [sev1]}
        contacts: [{label: Duty line, phone: "+1 201 555 0190"}]

    FAIL:

        engage_when: {levels: [sev1]}
        contacts: [{label: Intake, email: intake@counsel.example}]
    """
    levels = hb.index["levels"]
    for partner in hb.partners:
        serious = [lid for lid in partner.engage_when.levels
                   if lid in levels and is_major(hb, levels[lid])]
        if serious and not partner_has_phone(partner) and not partner_has_portal(partner):
            yield Problem(
                partner, f"{named(partner)} is engaged at {serious[0]} but has no phone number",
                "add a contact with a phone number to call when e-mail is down", ("contacts",),
            )
