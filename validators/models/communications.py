"""communications.yaml — channels, the phone/text call tree, and approved message templates."""

from __future__ import annotations

import datetime as dt
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
    address: Line = Field("", description="Where to find it: a room, a URL, a chat channel name.")
    instructions: Text = Field("", description="How to use it in one or two sentences.")
    owner: PersonRef = Field(description="Id of the person who keeps it working.")
    last_tested: dt.date | None = Field(None, description="When it was last tested end to end.")
    public: bool = Field(False, description="True if the number may appear in the public profile (e.g. a customer hotline).")

    @field_validator("number")
    @classmethod
    def _number(cls, value: str | None, info: ValidationInfo) -> str | None:
        return _phone(value, info) if value else value


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


class CommunicationsFile(Model):
    channels: list[Channel] = Field(description="Communication channels, primary and backup.")
    hotline: ChannelRef = Field(description="Channel id of the number to call to report an incident.")
    bridge: ChannelRef = Field(description="Channel id of the incident bridge line.")
    call_tree: CallTree = Field(description="The call tree.")
    templates: list[Template] = Field(default_factory=list, description="Message templates.")
