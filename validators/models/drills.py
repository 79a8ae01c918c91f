"""drills.yaml — tabletop exercises, game days and call-tree tests, with their history."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from .common import (
    DepartmentRef,
    DependencyRef,
    DrillId,
    DrillTypeRef,
    Duration,
    LevelRef,
    Line,
    Markdown,
    Model,
    PersonRef,
    RoleRef,
    Text,
)

DrillType = DrillTypeRef


class Scenario(Model):
    narrative: Markdown = Field(description="The story told at the start, in plain words.")
    failed_dependencies: list[DependencyRef] = Field(default_factory=list, description="Dependency ids unavailable during the drill.")


class Inject(Model):
    """A surprise added during the exercise."""

    at: Duration = Field(description="Time into the exercise, e.g. `20m`.")
    message: Text = Field(description="What the facilitator says or hands out.")
    expected_action: Text = Field(description="What a good response does.")
    role: RoleRef | None = Field(None, description="Role id expected to act.")


class Action(Model):
    """A corrective action: who fixes what, by when."""

    text: Text = Field(description="What will be done.")
    owner: PersonRef | None = Field(None, description="Person id responsible.")
    due: dt.date | None = Field(None, description="Due date.")
    status: Literal["open", "done", "wont-do"] = Field("open", description="open, done or wont-do.")
    ticket: Line = Field("", description="Tracker reference, if any.")


class DrillFinding(Model):
    text: Text = Field(description="What the drill showed.")
    action: Action | None = Field(None, description="The corrective action.")


class Run(Model):
    """One occasion the drill was held or is planned."""

    date: dt.date = Field(description="Date (YYYY-MM-DD).")
    start: Line = Field("", description="Start time, e.g. '10:00'.")
    status: Literal["planned", "done", "cancelled"] = Field(description="planned, done or cancelled.")
    participants: list[DepartmentRef] = Field(default_factory=list, description="Department ids that took part (default: the drill's).")
    people_count: int | None = Field(None, ge=0, description="How many people took part.")
    reached_percent: float | None = Field(None, ge=0, le=100, description="Call-tree tests: share of people reached.")
    minutes_to_reach: int | None = Field(None, ge=0, description="Call-tree tests: minutes until the last person confirmed.")
    findings: list[DrillFinding] = Field(default_factory=list, description="What was learnt, each with an action.")
    notes: Text = Field("", description="Anything else.")


class Drill(Model):
    """An exercise in the programme."""

    id: DrillId = Field(description="Unique id.")
    title: Line = Field(description="Title.")
    type: DrillType = Field(
        description="tabletop, game-day, call-tree-test, failover, comms-outage, functional or full-scale, or a type "
        "organization.yaml declares under vocabulary.drill_types."
    )
    scenario: Scenario = Field(description="The scenario.")
    levels: list[LevelRef] = Field(description="Severity level ids exercised.")
    objectives: list[Line] = Field(description="What the drill must show.")
    departments: list[DepartmentRef] = Field(description="Department ids taking part.")
    facilitator: PersonRef | None = Field(None, description="Person id running it, if one is named.")
    cadence: Duration | None = Field(None, description="How often it repeats, e.g. `90d`.")
    length: Duration | None = Field(None, description="How long it takes, e.g. `2h`.")
    injects: list[Inject] = Field(default_factory=list, description="Injects in time order.")
    runs: list[Run] = Field(default_factory=list, description="Past and planned runs.")


class Requirement(Model):
    """What the policy requires of the exercise programme, e.g. "two exercises a year, one of
    them functional or full-scale; a real activation counts for one"."""

    name: Line = Field(description="The requirement in the policy's words, e.g. 'Two exercises a year'.")
    count: int = Field(1, ge=1, description="How many held runs the window must hold.")
    within: Duration = Field(description="The window, ending today, e.g. `365d`.")
    types: list[DrillTypeRef] = Field(default_factory=list, description="Drill types that count (empty: any type).")
    at_least_one_of: list[DrillTypeRef] = Field(
        default_factory=list, description="At least one of the runs must be of one of these types, e.g. `[functional, full-scale]`."
    )
    real_activations_count: bool = Field(
        False, description="True if a real incident (incidents.yaml) counts as one run, as many plans allow."
    )


class DrillsFile(Model):
    drills: list[Drill] = Field(description="The exercise programme.")
    requirements: list[Requirement] = Field(
        default_factory=list,
        description="What the policy requires of the programme; HB709 and the readiness report check each.",
    )
