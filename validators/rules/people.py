"""Rules for people.yaml: everyone can be phoned when the office systems are gone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from .base import Problem, rule
from .helpers import critical_ids, listing, span, who

if TYPE_CHECKING:
    from ..handbook import Handbook


@rule("HB302", "error", "people")
def two_contact_methods(hb: Handbook) -> Iterator[Problem]:
    """Every person has at least two ways to be reached.

    One number is one dead battery away from nobody answering. A second contact, ideally a
    different kind, keeps the call tree moving.

    PASS:

        contacts:
          - {kind: mobile, value: "+1 201 555 0101"}
          - {kind: landline, value: "+1 201 555 0102"}

    FAIL:

        contacts:
          - {kind: work-email, value: maria.lopez@example.com}
    """
    for person in hb.people:
        count = len(person.contacts)
        if count < 2:
            what = "only one contact method" if count == 1 else "no contact method"
            yield Problem(
                person, f"{who(person)} has {what}",
                "add a mobile or landline that works without SSO", ("contacts",),
            )


@rule("HB303", "error", "people")
def voice_without_critical(hb: Handbook) -> Iterator[Problem]:
    """Every person has a phone, text or radio contact that needs none of the critical systems.

    When laptops, SSO, chat, e-mail, desk phones or the office internet fail, the call tree
    runs on mobiles, landlines and radios. A desk phone that needs `voip` or a work e-mail
    that needs `sso` does not count.

    PASS:

        contacts:
          - {kind: mobile, value: "+1 201 555 0101"}
          - {kind: work-phone, value: "+1 201 555 0160", depends_on: [voip]}

    FAIL:

        contacts:
          - {kind: work-phone, value: "+1 201 555 0160", depends_on: [voip]}
          - {kind: work-email, value: maria.lopez@example.com, depends_on: [sso]}
    """
    critical = critical_ids(hb)
    for person in hb.people:
        voice = [c for c in person.contacts if c.is_voice]
        if not voice:
            yield Problem(
                person, f"{who(person)} has no phone, text or radio contact",
                "add a mobile or landline number", ("contacts",),
            )
            continue
        if any(not critical.intersection(c.depends_on) for c in voice):
            continue
        needs = sorted({d for c in voice for d in c.depends_on if d in critical})
        yield Problem(
            person,
            f"every phone contact of {who(person)} depends on {listing(needs)}, "
            f"so nobody can call them when {'that is' if len(needs) == 1 else 'any of those is'} down",
            "add a mobile or landline with no critical dependency in depends_on",
            ("contacts",),
        )


@rule("HB304", "warning", "people")
def contacts_verified(hb: Handbook) -> Iterator[Problem]:
    """Every person re-checked their contact details within the re-verification interval.

    Numbers change quietly: a new mobile, a moved landline. Each person confirms theirs every
    `organization.review.contact_reverify` (180 days by default). A date in the future is a
    typo and is reported too.

    PASS:

        last_verified: 2026-10-02   # today 2026-11-27, interval 180d

    FAIL:

        last_verified: 2025-12-01   # more than 180 days ago
    """
    interval = hb.organization.review.contact_reverify
    for person in hb.people:
        date = person.last_verified
        if date > hb.today:
            yield Problem(
                person, f"{who(person)} has last_verified {date}, a date in the future",
                "write the date the contacts were actually checked", ("last_verified",),
            )
        elif hb.today - date > interval:
            yield Problem(
                person,
                f"{who(person)} last verified their contacts on {date}, more than {span(interval)} ago",
                "ask them to check their numbers and update last_verified",
                ("last_verified",),
            )
