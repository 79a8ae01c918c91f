"""people.yaml — everyone in the call tree, their reporting line and how to reach them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, field_validator

from .common import (
    DepartmentRef,
    DependencyRef,
    Line,
    Model,
    PersonRef,
    Private,
    RoleRef,
    Slug,
    _email,
    _phone,
)

ContactKind = Literal[
    "mobile", "sms", "landline", "work-phone", "work-email", "personal-email", "secure-messenger", "radio"
]
PHONE_KINDS = {"mobile", "sms", "landline", "work-phone"}
VOICE_KINDS = {"mobile", "sms", "landline", "work-phone", "radio"}
EMAIL_KINDS = {"work-email", "personal-email"}
PRIVATE_BY_DEFAULT = {"mobile", "sms", "landline", "personal-email", "secure-messenger"}


class Contact(Model):
    """One way to reach a person."""

    kind: ContactKind = Field(description="mobile, sms, landline, work-phone, work-email, personal-email, secure-messenger or radio.")
    value: Annotated[Line, Private("personal contact", unless=("private", False))] = Field(
        description="The number (any readable form; stored as +E.164), address or handle."
    )
    label: Line = Field("", description="Optional note, e.g. 'home' or 'Signal'.")
    private: bool | None = Field(
        None,
        description="Hidden from the public profile. Defaults to true for mobile, sms, landline, personal e-mail and messenger.",
    )
    depends_on: list[DependencyRef] = Field(
        default_factory=list,
        description="Dependencies this contact needs to work, e.g. `[sso, corp-email]` for a work e-mail.",
    )

    @field_validator("value")
    @classmethod
    def _value(cls, value: str, info: ValidationInfo) -> str:
        kind = info.data.get("kind")
        if kind in PHONE_KINDS:
            return _phone(value, info)
        if kind in EMAIL_KINDS:
            return _email(value, info)
        return value

    @property
    def is_private(self) -> bool:
        return self.private if self.private is not None else self.kind in PRIVATE_BY_DEFAULT

    @property
    def is_voice(self) -> bool:
        return self.kind in VOICE_KINDS


class Person(Model):
    """A person in the organization."""

    id: Slug = Field(description="Unique id, e.g. `maria-lopez`.")
    name: Line = Field(description="Full name as colleagues know it.")
    title: Line = Field(description="Job title.")
    department: DepartmentRef = Field(description="Id of their department (departments.yaml).")
    reports_to: PersonRef | None = Field(
        None, description="Id of their manager. The call tree follows these lines. Empty only for the top of the organization."
    )
    timezone: Line | None = Field(None, description="IANA time zone if different from the organization's.")
    location: Line = Field("", description="Office or city, e.g. 'Chicago HQ' or 'remote, Denver'.")
    contacts: list[Contact] = Field(description="Ways to reach them, most reliable first.")
    last_verified: dt.date = Field(description="When they last confirmed these contacts are right (YYYY-MM-DD).")
    qualifications: list[RoleRef] = Field(
        default_factory=list, description="Ids of roles they are trained for, e.g. `[incident-manager]`."
    )

    @field_validator("reports_to")
    @classmethod
    def _self_manager(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and value == info.data.get("id"):
            raise ValueError(
                f"'{value}' is this person's own id: write the id of their manager, or leave reports_to out for the top of the organization"
            )
        return value


class PeopleFile(Model):
    people: list[Person] = Field(description="Everyone who appears in the call tree, roles or departments.")
