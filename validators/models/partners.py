"""partners.yaml — insurer, counsel, forensics, PR and the others to call when it goes wrong."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from .common import (
    DeadlineType,
    LevelRef,
    Line,
    Model,
    PartnerCategoryRef,
    PartnerRef,
    PersonRef,
    Private,
    RoleRef,
    Slug,
    Text,
    WebAddress,
    _email,
    _phone,
)

Category = PartnerCategoryRef


class PartnerContact(Model):
    """A number or address at the partner."""

    label: Line = Field(description="What it is, e.g. '24x7 claims hotline' or 'Account manager'.")
    name: Line = Field("", description="The person's name, if a named contact.")
    phone: Annotated[Line | None, Private("partner contact")] = Field(
        None, description="Phone number (stored as +E.164)."
    )
    email: Annotated[Line | None, Private("partner contact")] = Field(
        None, description="E-mail address."
    )
    url: WebAddress = Field("", description="Web address of a reporting portal or form, e.g. a regulator's (https://…).")
    hours: Literal["24x7", "business-hours"] | None = Field(
        None, description="When it answers: `24x7` or `business-hours`; left out, not stated."
    )
    hotline: bool = Field(False, description="True for the number to call first in an incident.")

    @field_validator("phone")
    @classmethod
    def _p(cls, value: str | None, info: ValidationInfo) -> str | None:
        return _phone(value, info) if value else value

    @field_validator("email")
    @classmethod
    def _e(cls, value: str | None, info: ValidationInfo) -> str | None:
        return _email(value, info) if value else value


class Contract(Model):
    """The agreement with the partner."""

    kind: Literal["retainer", "panel", "policy", "msa", "none"] = Field(description="retainer, panel, policy, msa or none.")
    number: Annotated[Line, Private("contract or policy number")] = Field(
        "", description="Policy or contract number. Never shown in the public profile."
    )
    start: dt.date | None = Field(None, description="Start date.")
    end: dt.date | None = Field(None, description="End date.")
    sla: Text = Field("", description="What they promise, e.g. 'On site within 24 hours'.")


class EngageWhen(Model):
    levels: list[LevelRef] = Field(default_factory=list, description="Severity level ids at which to call them.")
    scenarios: list[Line] = Field(default_factory=list, description="Situations in plain words, e.g. 'Customer data may be exposed'.")


class Partner(Model):
    """An incident-response partner."""

    id: Slug = Field(description="Unique id.")
    name: Line = Field(description="Company or agency name.")
    category: Category = Field(
        description="insurer, broker, breach-counsel, forensics, pr, law-enforcement, regulator, isac, vendor, cloud, "
        "msp, government, public-health, emergency-services or mutual-aid, or a category organization.yaml declares "
        "under vocabulary.partner_categories."
    )
    services: list[Line] = Field(description="What they do for us.")
    contacts: list[PartnerContact] = Field(description="Numbers and addresses, hotline first.")
    engage_when: EngageWhen = Field(description="When to call them.")
    engaged_by: RoleRef = Field(description="Role id that makes the call.")
    owner: PersonRef | None = Field(None, description="Person id who keeps the relationship current, if one is named.")
    contract: Contract = Field(description="Contract, policy or retainer.")
    notification_deadline: DeadlineType | None = Field(
        None,
        description="How soon they must be told after an incident is found, e.g. `72h`, `5 business days`, "
        "`immediately` or `as soon as practicable`.",
    )
    pre_approved: bool = Field(False, description="On the insurer's panel or otherwise pre-approved.")
    last_verified: dt.date = Field(description="When the contacts were last confirmed.")
    notes: Text = Field("", description="Anything else a caller should know.")


class Notification(Model):
    """A duty to tell someone within a deadline: a regulator, the insurer under a contract, the
    affected people, the media. Each is one row of the notification clocks table, printed in the
    binders of the departments that tell them."""

    partner: PartnerRef | None = Field(None, description="Partner id to tell, if they are a partner (partners above).")
    who: Line = Field("", description="Who must be told, where it is not a partner, e.g. 'the affected individuals'.")
    within: DeadlineType = Field(
        description="The deadline: `72h`, `60d`, `5 business days`, `immediately`, `as soon as practicable` or `annually`."
    )
    starts: Line = Field(
        "discovery",
        description="The event the clock starts at, in plain words: `discovery` (default), `determination` (that a "
        "breach occurred), `declaration`, `recovery`, or the policy's own words.",
    )
    threshold: Line = Field("", description="When the duty applies, e.g. '500 or more people affected'; empty: always.")
    when: list[Line] = Field(default_factory=list, description="Situations it applies to, e.g. 'student records are involved'.")
    by: RoleRef | None = Field(None, description="Role id that tells them.")
    how: Line = Field("", description="How to tell them, e.g. 'the state attorney general's web form', 'by letter'.")
    url: WebAddress = Field("", description="Web address of the portal or form, if any (https://…).")
    basis: Line = Field("", description="Why: the law, regulation or contract, e.g. 'HIPAA breach notification rule'.")

    @model_validator(mode="after")
    def _someone(self) -> Notification:
        if not self.partner and not self.who:
            raise ValueError(
                "the notification names nobody: write partner: with a partner id, or who: with who must be told, "
                "e.g. who: the affected individuals"
            )
        return self


class PartnersFile(Model):
    partners: list[Partner] = Field(description="Incident-response partners.")
    notifications: list[Notification] = Field(
        default_factory=list,
        description="Duties to tell someone within a deadline (regulators, the affected people, the media), besides "
        "each partner's notification_deadline.",
    )
