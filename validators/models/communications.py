"""communications.yaml — channels, the phone/text call tree, and approved message templates."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, field_validator

from .common import (
    AudienceRef,
    ChannelKindRef,
    ChannelRef,
    DependencyRef,
    Duration,
    LevelRef,
    Line,
    Markdown,
    Model,
    PersonRef,
    Private,
    RoleRef,
    Slug,
    Text,
    _email,
    _phone,
)
from .vocab import builtin

ChannelKind = ChannelKindRef
TemplateAudience = AudienceRef
AUDIENCES = builtin("audiences")


class Channel(Model):
    """A way the response team talks."""

    id: Slug = Field(description="Unique id, e.g. `bridge`.")
    name: Line = Field(description="Name people know, e.g. 'Incident bridge (conference line)'.")
    kind: ChannelKind = Field(
        description="chat, email, phone-bridge, sms, voice, radio, messenger, in-person, status-page, pager, "
        "overhead-page, web-form, ticket or video-call, or a kind organization.yaml declares under vocabulary.channel_kinds."
    )
    use: Literal["primary", "backup"] = Field(description="`primary` in normal times, `backup` when primaries fail.")
    depends_on: list[DependencyRef] = Field(default_factory=list, description="Dependency ids it needs, e.g. `[sso, internet]`.")
    number: Annotated[Line | None, Private("channel number", unless=("public", True))] = Field(
        None, description="Phone number to dial, if any (stored as +E.164)."
    )
    pin: Annotated[Line | None, Private("conference PIN or access code")] = Field(
        None, description="Conference PIN or access code. Never shown in the public profile."
    )
    address: Line = Field("", description="Where to find it: a room, a URL, a chat channel or command, an e-mail address.")
    extension: Line = Field("", description="An internal extension to dial from the organization's phones, e.g. '5555'.")
    other_numbers: Annotated[list[Line], Private("channel number", unless=("public", True))] = Field(
        default_factory=list, description="More numbers for the same channel, tried in order (stored as +E.164)."
    )
    instructions: Text = Field("", description="How to use it in one or two sentences.")
    owner: PersonRef | None = Field(None, description="Id of the person who keeps it working, if one is named.")
    last_tested: dt.date | None = Field(None, description="When it was last tested end to end.")
    public: bool = Field(False, description="True if the number may appear in the public profile (e.g. a customer hotline).")

    @field_validator("number")
    @classmethod
    def _number(cls, value: str | None, info: ValidationInfo) -> str | None:
        return _phone(value, info) if value else value

    @field_validator("other_numbers")
    @classmethod
    def _numbers(cls, value: list[str], info: ValidationInfo) -> list[str]:
        return [_phone(v, info) for v in value]

    @field_validator("extension")
    @classmethod
    def _extension(cls, value: str) -> str:
        if value and not re.fullmatch(r"[0-9*#]{2,10}", value):
            raise ValueError(f"'{value}' is not an extension: write the digits to dial, e.g. '5555'")
        return value

    @field_validator("address")
    @classmethod
    def _address(cls, value: str, info: ValidationInfo) -> str:
        # An e-mail channel's address is an e-mail address, checked like any other.
        if value and info.data.get("kind") == "email" and not value.startswith(("http:", "https:", "mailto:")):
            return _email(value, info)
        return value


class Override(Model):
    """Who calls a person, where it should not be their manager."""

    person: PersonRef = Field(description="Person id.")
    called_by: PersonRef = Field(description="Person id of the caller instead of their manager.")


class Alternate(Model):
    """Who calls a person when their usual caller cannot be reached."""

    person: PersonRef = Field(description="Person id.")
    alternate: PersonRef = Field(description="Person id of the alternate caller.")


class CallTree(Model):
    """The phone/text fan-out used when chat and e-mail are down."""

    root: RoleRef = Field(description="Role id at the top of the tree (normally the incident manager).")
    follow_reporting_lines: bool = Field(True, description="Managers call the people who report to them.")
    overrides: list[Override] = Field(default_factory=list, description="Exceptions to the reporting lines.")
    alternates: list[Alternate] = Field(
        default_factory=list,
        description="Alternate callers. Anyone not listed is called by their caller's own caller (skip-level).",
    )
    script: Markdown = Field(description="What the caller says, read out word for word.")
    confirm_back: Text = Field(description="How the person called confirms, e.g. 'Text OK and your name to your caller'.")
    unreachable: Text = Field(description="What to do when someone does not answer.")
    report_back_within: Line = Field("15 minutes", description="When each caller reports to their own caller.")
    no_call_within: Duration | None = Field(
        None,
        description="How long someone waits for their call once they know of an outage, e.g. 30m; then they call "
        "the person who should have called them, and if that fails the hotline. Printed in every binder.",
    )


class Template(Model):
    """A pre-approved message, ready to fill in and send."""

    id: Slug = Field(description="Unique id.")
    name: Line = Field(description="What it is for, e.g. 'Customers — first notice'.")
    audience: TemplateAudience = Field(
        description="Who receives it: employees, customers, media, regulators, partners, board, investors or suppliers, "
        "or an audience organization.yaml declares under vocabulary.audiences (e.g. patients)."
    )
    levels: list[LevelRef] = Field(description="Severity level ids it is meant for.")
    channel: Line = Field("", description="How it is sent, e.g. 'status page and e-mail'.")
    subject: Line = Field("", description="Subject or headline.")
    body: Text = Field(description="Text with placeholders in braces, e.g. {start_time}.")
    approver: RoleRef = Field(description="Role id that approves sending it.")
    approved: dt.date = Field(description="Date the wording was approved.")
    expires: dt.date = Field(description="Date the approval runs out.")


class Enquiry(Model):
    """What anyone in the organization says when someone outside asks about an incident, and who
    answers them properly. Printed in every department's page and binder: a sales rep called by
    a journalist has the words and the number at hand."""

    audience: AudienceRef = Field(description="Who is asking: `media`, `customers`, `partners`, `regulators` …")
    say: Text = Field(
        description="The words to say, as written, e.g. 'We know about the problem and are working on it. "
        "Our press office will call you back today.'"
    )
    take: Line = Field("", description="What to write down, e.g. 'their name, outlet, phone number and deadline'.")
    pass_to: RoleRef | None = Field(
        None, description="Role id of who answers them properly; the role's holder and number are printed beside it."
    )
    never: list[Line] = Field(
        default_factory=list,
        description="What not to do, one short sentence each, printed as written, e.g. 'Do not guess the cause.'",
    )


class CommunicationsFile(Model):
    channels: list[Channel] = Field(description="Communication channels, primary and backup.")
    hotline: ChannelRef = Field(
        description="Channel id of the way to report an incident: a phone number, or any kind of channel (a chat "
        "command, a pager, a web form, an extension) with its address."
    )
    bridge: ChannelRef = Field(
        description="Channel id of where the response meets: a conference line, or a video call or radio net "
        "(HB512 advises a dial-in number for when the internet is down)."
    )
    call_tree: CallTree | None = Field(
        None, description="The call tree. Left out: the plan has none, and `without_call_tree` says what people do instead."
    )
    without_call_tree: Markdown = Field(
        "",
        description="Where the plan has no call tree: how news reaches people when chat and e-mail are down, e.g. "
        "'Everyone calls the service desk recording at 8:00'. Printed where the call tree would be.",
    )
    templates: list[Template] = Field(default_factory=list, description="Message templates.")
    enquiries: list[Enquiry] = Field(
        default_factory=list,
        description="What to say when someone outside asks about an incident (a journalist, a customer), one entry "
        "per kind of asker. Printed in every department's page and binder.",
    )
