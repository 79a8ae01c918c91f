"""severity.yaml — the event classification: levels, how to recognise them, what each sets in motion."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .common import (
    ChainRef,
    ChannelRef,
    DeadlineType,
    DeclarerRef,
    DepartmentRef,
    Duration,
    LevelClassRef,
    Line,
    Model,
    RoleRef,
    Slug,
    Text,
)

Label = LevelClassRef


class Example(Model):
    """An event that belongs at this level, ideally from a non-engineering point of view."""

    text: Text = Field(description="The example in one sentence.")
    department: DepartmentRef | None = Field(None, description="Id of the department that would notice it first.")


class Response(Model):
    """How fast the response starts, and the targets it works to. Every field may be left out
    where the policy names no time (a level that is "a ticket, no page")."""

    acknowledge_within: Duration | None = Field(None, description="Time for the incident manager to acknowledge, e.g. `15m`.")
    coverage: Literal["24x7", "business-hours"] | None = Field(
        None, description="`24x7` (day and night, every day) or `business-hours`. Left out: not stated."
    )
    mitigate_within: Duration | None = Field(None, description="Target time to mitigate (stop the harm), e.g. `4h`.")
    resolve_within: Duration | None = Field(None, description="Target time to resolve (back to normal), e.g. `3d`.")


class Cadence(Model):
    """One rule of how often updates go out: in one state of the incident, for a while after it
    starts, or to one audience. `every: 20m, first: 2h` then `every: 1h` reads "every 20 minutes
    for the first 2 hours, then every hour"."""

    every: Duration = Field(description="How often, e.g. `10m`.")
    state: Line = Field("", description="While the incident is in this state, e.g. 'investigating' or 'monitoring'.")
    first: Duration | None = Field(None, description="Only for this long after the incident is declared, e.g. `2h`.")
    audience: Line = Field("", description="Who gets these updates, e.g. 'status page' or 'executives'.")


class PostmortemPolicy(Model):
    """Whether a written review follows, and how soon. Only what the policy states is written:
    a deadline left out is not checked."""

    required: bool = Field(description="True if every incident at this level gets a written postmortem.")
    due_within: DeadlineType | None = Field(
        None, description="The written review is due within, e.g. `5 business days` (from the incident's end)."
    )
    meeting_within: DeadlineType | None = Field(None, description="Review meeting held within, e.g. `5d` or `5 business days`.")
    actions_due_within: DeadlineType | None = Field(None, description="Action items due within, e.g. `30d`.")
    approvers: list[RoleRef] = Field(
        default_factory=list, description="Role ids that approve the review before it is closed, e.g. `[vp-engineering]`."
    )


class Level(Model):
    """One severity level."""

    id: Slug = Field(description="Unique id, e.g. `sev1`.")
    rank: int = Field(ge=1, description="1 is the most severe; ranks are 1, 2, 3 … with no gaps.")
    name: Line = Field(description="Name people say, e.g. 'SEV 1 — Critical'.")
    major: bool | None = Field(
        None,
        description="True for a major incident level: the rules ask for a drill of it, a postmortem policy and "
        "partners' numbers. Left out: true for the classes critical and high (and classes declared like them).",
    )
    label: Label = Field(
        description="Class of the level: critical, high, medium or low, or a class organization.yaml declares under "
        "vocabulary.level_classes (e.g. significant, routine)."
    )
    color: Line = Field("", description="Optional colour for the matrix, e.g. '#b00020'.")
    summary: Text = Field(description="One plain sentence describing the level.")
    criteria: list[Line] = Field(description="Measurable signs, e.g. 'Checkout down for more than 15 minutes'.")
    examples: list[Example] = Field(
        default_factory=list, description="Examples, including some from non-engineering departments."
    )
    response: Response = Field(default_factory=Response, description="How fast and when the response runs.")
    roles_engaged: list[RoleRef] = Field(default_factory=list, description="Role ids engaged at this level.")
    departments_notified: list[DepartmentRef] = Field(default_factory=list, description="Department ids told at this level.")
    who_may_declare: list[DeclarerRef] = Field(
        default_factory=lambda: ["anyone"], description="`anyone`, or role ids that may declare this level (default: anyone)."
    )
    when_unsure_choose_higher: bool = Field(True, description="Tell people to pick the higher level when unsure.")
    update_every: Duration | None = Field(None, description="How often status updates go out, e.g. `30m`.")
    updates: list[Cadence] = Field(
        default_factory=list,
        description="Update rules that depend on the incident's state, the time since it began or the audience, "
        "instead of (or besides) one `update_every`.",
    )
    channels: list[ChannelRef] = Field(default_factory=list, description="Channel ids used at this level (communications.yaml).")
    public_notice: bool = Field(False, description="True if customers or the public are told.")
    escalation: ChainRef | None = Field(None, description="Id of the escalation chain (escalation.yaml), if any.")
    postmortem: PostmortemPolicy | None = Field(
        None, description="Postmortem policy. Left out: the policy does not say (no postmortem is required)."
    )


class SeverityFile(Model):
    levels: list[Level] = Field(description="The levels, most severe first (3 to 6 are common).")
