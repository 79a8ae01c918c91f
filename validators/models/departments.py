"""departments.yaml — each department, who speaks for it and what it does at each level."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .common import DepartmentId, DependencyRef, LevelRef, Line, Markdown, Model, PersonRef

Audience = Literal["employees", "customers", "media", "regulators", "partners", "board", "investors", "suppliers"]


class DegradedMode(Model):
    """What the department does instead when some systems are down."""

    when_down: list[DependencyRef] = Field(description="Dependency ids that are down, e.g. `[laptops]` or `[corp-chat, corp-email]`.")
    instead: list[Line] = Field(description="Concrete workarounds, one short sentence each ('Take orders by phone on paper form B').")


class Department(Model):
    """A department and its part in an incident."""

    id: DepartmentId = Field(description="Unique id, e.g. `customer-service`. Also the name of its page and binder.")
    name: Line = Field(description="Department name.")
    head: PersonRef = Field(description="Id of the person who leads it.")
    liaison: PersonRef = Field(description="Id of the person who speaks for it on the incident bridge.")
    purpose: Markdown = Field(description="One or two plain sentences: why this department matters in an incident.")
    audiences: list[Audience] = Field(default_factory=list, description="Who this department talks to during an incident.")
    playbook: dict[LevelRef, list[Line]] = Field(
        description="For each severity level id, what this department does, one action per line."
    )
    degraded_mode: list[DegradedMode] = Field(
        default_factory=list, description="Workarounds when named dependencies are down."
    )


class DepartmentsFile(Model):
    departments: list[Department] = Field(description="Every department, engineering and not.")
