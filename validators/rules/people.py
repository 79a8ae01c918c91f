"""Rules for people.yaml: everyone can be phoned when the office systems are gone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import phonenumbers

from ..models.common import format_phone, number_type
from ..queries import can_be_phoned, contacts_in_future, contacts_stale, critical_ids, phone_without
from .base import Problem, rule
from .helpers import listing, span, who

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
        if not can_be_phoned(person):
            yield Problem(
                person, f"{who(person)} has no phone, text or radio contact",
                "add a mobile or landline number", ("contacts",),
            )
            continue
        if phone_without(person, critical):
            continue
        voice = [c for c in person.contacts if c.is_voice]
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
        if contacts_in_future(person, hb.today):
            yield Problem(
                person, f"{who(person)} has last_verified {date}, a date in the future",
                "write the date the contacts were actually checked", ("last_verified",),
            )
        elif contacts_stale(person, hb.today, interval):
            yield Problem(
                person,
                f"{who(person)} last verified their contacts on {date}, more than {span(interval)} ago",
                "ask them to check their numbers and update last_verified",
                ("last_verified",),
            )


# phonenumbers' number types that reach no person directly, with the words for them.
_NOT_PERSONAL = {
    phonenumbers.PhoneNumberType.PREMIUM_RATE: "a premium-rate number: every call costs the caller extra, and many phones and company lines block them",
    phonenumbers.PhoneNumberType.SHARED_COST: "a shared-cost number: calls cost the caller extra, and some phones and company lines block them",
    phonenumbers.PhoneNumberType.VOICEMAIL: "a voicemail access number, which reaches a mailbox, not a person",
    phonenumbers.PhoneNumberType.PAGER: "a pager number, which takes a message and rings nobody",
    phonenumbers.PhoneNumberType.UNKNOWN: "a number of no known kind for its country",
    phonenumbers.PhoneNumberType.UAN: "a company's universal access number, which reaches a switchboard, not a person",
    phonenumbers.PhoneNumberType.TOLL_FREE: "a toll-free number, which reaches a company's line, not a person",
}
# Kinds that make a line the wrong place to call in an incident, whoever it belongs to.
_COSTLY = {
    phonenumbers.PhoneNumberType.PREMIUM_RATE, phonenumbers.PhoneNumberType.SHARED_COST,
    phonenumbers.PhoneNumberType.VOICEMAIL, phonenumbers.PhoneNumberType.PAGER,
    phonenumbers.PhoneNumberType.UNKNOWN,
}
_PERSONAL_KINDS = {"mobile", "sms"}  # a person's own phone: any of the kinds above is wrong
_OTHER_PHONES = {"landline", "work-phone"}  # may be a company line (toll-free, UAN), never a costly one


@rule("HB307", "warning", "people")
def numbers_reach_people(hb: Handbook) -> Iterator[Problem]:
    """People's mobiles, the incident hotline and the bridge are ordinary numbers.

    A premium-rate or shared-cost number costs every caller extra and is blocked by many
    phones and company lines, so the call tree stops at it; a pager, voicemail or company
    access number reaches no person. A mobile or text number must be the person's own phone.
    Landlines and desk phones may be a company's toll-free or access number, never a costly
    one; the hotline and the bridge likewise.

    PASS:

        contacts:
          - {kind: mobile, value: "+1 312 555 0142"}
        # communications.yaml
        - {id: bridge, kind: phone-bridge, number: "+1 800 555 0100"}   # toll-free is fine

    FAIL:

        contacts:
          - {kind: mobile, value: "+1 900 555 0199"}   # a US premium-rate number
        # communications.yaml
        - {id: hotline, kind: voice, number: "+44 909 879 0000"}  # a UK premium-rate number
    """
    for person in hb.people:
        for i, c in enumerate(person.contacts):
            if c.kind not in _PERSONAL_KINDS and c.kind not in _OTHER_PHONES:
                continue
            kind = number_type(c.value)
            if kind in _COSTLY or (c.kind in _PERSONAL_KINDS and kind in _NOT_PERSONAL):
                what = "mobile" if c.kind == "mobile" else ("text number" if c.kind == "sms" else c.kind)
                yield Problem(
                    person, f"the {what} {format_phone(c.value)} of {who(person)} is {_NOT_PERSONAL[kind]}",
                    f"write {'their own mobile number' if c.kind in _PERSONAL_KINDS else 'a number that rings them'}",
                    ("contacts", i, "value"),
                )
    lines = [(hb.hotline, "incident hotline")] + ([(hb.bridge, "bridge line")] if hb.bridge is not hb.hotline else [])
    for channel, words in lines:
        if not channel.number:
            continue  # HB510 asks for a number
        kind = number_type(channel.number)
        if kind in _COSTLY:
            yield Problem(
                channel, f"the {words}, {channel.name} ({channel.id}), dials {format_phone(channel.number)}, "
                f"{_NOT_PERSONAL[kind]}",
                "use an ordinary or toll-free number for it", ("number",),
            )
