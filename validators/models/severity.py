"""severity.yaml — the event classification: levels, how to recognise them, what each sets in motion."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .common import (
    ChainRef,
    ChannelRef,
    DeclarerRef,
    DepartmentRef,
    Duration,
    Line,
    Model,
    RoleRef,
    Slug,
    Text,
)

Label = Literal["critical", "high", "medium", "low"]


class Example(Model):
    """An event that belongs at this level, ideally from a non-engineering point of view."""

    text: Text = Field(description="The example in one sentence.")
    department: DepartmentRef | None = Field(None, description="Id of the department that would notice it first.")


class Response(Model):
    """How fast the response starts."""

    acknowledge_within: Duration = Field(description="Time for the incident manager to acknowledge, e.g. `15m`.")
    coverage: Literal["24x7", "business-hours"] = Field(description="`24x7` or `business-hours`.")


class PostmortemPolicy(Model):
    """Whether a Correction-of-Errors review follows, and how soon."""

    required: bool = Field(description="True if every incident at this level gets a written postmortem.")
    meeting_within: Duration | None = Field(None, description="Review meeting held within, e.g. `5d`.")
    actions_due_within: Duration | None = Field(None, description="Action items due within, e.g. `30d`.")


class Level(Model):
    """One severity level."""

    id: Slug = Field(description="Unique id, e.g. `sev1`.")
    rank: int = Field(ge=1, description="1 is the most severe; ranks are 1, 2, 3 … with no gaps.")
    name: Line = Field(description="Name people say, e.g. 'SEV 1 — Critical'.")
    label: Label = Field(description="Class the rules and print use: critical, high, medium or low.")
    color: Line = Field("", description="Optional colour for the matrix, e.g. '#b00020'.")
    summary: Text = Field(description="One plain sentence describing the level.")
    criteria: list[Line] = Field(description="Measurable signs, e.g. 'Checkout down for more than 15 minutes'.")
    examples: list[Example] = Field(description="Examples, including some from non-engineering departments.")
    response: Response = Field(description="How fast and when the response runs.")
    roles_engaged: list[RoleRef] = Field(description="Role ids engaged at this level.")
    departments_notified: list[DepartmentRef] = Field(default_factory=list, description="Department ids told at this level.")
    who_may_declare: list[DeclarerRef] = Field(
        description="`anyone`, or role ids that may declare this level."
    )
    when_unsure_choose_higher: bool = Field(True, description="Tell people to pick the higher level when unsure.")
    update_every: Duration = Field(description="How often status updates go out, e.g. `30m`.")
    channels: list[ChannelRef] = Field(description="Channel ids used at this level (communications.yaml).")
    public_notice: bool = Field(False, description="True if customers or the public are told.")
    escalation: ChainRef = Field(description="Id of the escalation chain (escalation.yaml).")
    postmortem: PostmortemPolicy = Field(description="Postmortem policy.")


class SeverityFile(Model):
    levels: list[Level] = Field(description="The levels, most severe first (3 to 6 are common).")
