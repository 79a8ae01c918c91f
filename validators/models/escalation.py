"""escalation.yaml — who is told, by which channel, how long after an incident is declared."""

from __future__ import annotations

from pydantic import Field

from .common import (
    ChannelRef,
    DepartmentRef,
    Duration,
    LevelRef,
    Line,
    Model,
    PartnerRef,
    PersonRef,
    RoleRef,
    Slug,
    Text,
)


class Step(Model):
    """One timed step: after this long, notify these."""

    after: Duration = Field(description="Time since the incident was declared, e.g. `0m`, `15m`, `1h`.")
    roles: list[RoleRef] = Field(default_factory=list, description="Role ids to notify (their primary, then backups).")
    people: list[PersonRef] = Field(default_factory=list, description="Person ids to notify.")
    departments: list[DepartmentRef] = Field(default_factory=list, description="Department ids to notify (through their liaison).")
    partners: list[PartnerRef] = Field(default_factory=list, description="Partner ids to notify.")
    via: list[ChannelRef] = Field(default_factory=list, description="Channel ids to use, in order of preference.")
    only_when: list[Line] = Field(
        default_factory=list,
        description="Situations that this step applies to only, e.g. 'patient records are involved'; left out: always.",
    )
    note: Text = Field("", description="Anything the caller must say or do at this step.")


class Chain(Model):
    """An escalation chain used by one or more levels."""

    id: Slug = Field(description="Unique id, e.g. `critical`.")
    name: Line = Field(description="Chain name.")
    levels: list[LevelRef] = Field(description="Severity level ids that use this chain.")
    ack_timeout: Duration | None = Field(None, description="Move on to the next person if nobody acknowledges within this.")
    steps: list[Step] = Field(description="Steps in increasing time.")


class EscalationFile(Model):
    chains: list[Chain] = Field(description="Escalation chains.")
