"""roles.yaml — incident roles such as the incident manager, who holds them and who backs them up."""

from __future__ import annotations

from pydantic import Field

from .common import LevelRef, Line, Model, PersonRef, Slug, Text


class Role(Model):
    """An incident role: what it does and who fills it."""

    id: Slug = Field(description="Unique id, e.g. `incident-manager`.")
    name: Line = Field(description="Role name.")
    incident_manager: bool = Field(False, description="True for the one role that leads every incident.")
    summary: Text = Field(description="One sentence: what this role is for.")
    responsibilities: list[Line] = Field(description="What the role does, one duty per line.")
    authorities: list[Line] = Field(default_factory=list, description="What the role may decide alone, e.g. 'Approves external statements'.")
    primary: PersonRef = Field(description="Id of the person who holds the role.")
    backups: list[PersonRef] = Field(description="Ids of the people who step in, in the order to try them.")
    activated_at: list[LevelRef] = Field(description="Severity level ids at which this role is engaged.")


class RolesFile(Model):
    roles: list[Role] = Field(description="Incident roles.")
