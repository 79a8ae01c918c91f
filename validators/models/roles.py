"""roles.yaml — incident roles such as the incident manager, who holds them and who backs them up."""

from __future__ import annotations

from pydantic import Field

from .common import ChannelRef, LevelRef, Line, Model, PersonRef, Slug, Text


class Role(Model):
    """An incident role: what it does and who fills it."""

    id: Slug = Field(description="Unique id, e.g. `incident-manager`.")
    name: Line = Field(description="Role name.")
    incident_manager: bool = Field(False, description="True for the one role that leads every incident.")
    summary: Text = Field(description="One sentence: what this role is for.")
    responsibilities: list[Line] = Field(description="What the role does, one duty per line.")
    authorities: list[Line] = Field(default_factory=list, description="What the role may decide alone, e.g. 'Approves external statements'.")
    primary: PersonRef | None = Field(None, description="Id of the person who holds the role, if one named person does.")
    holders: list[PersonRef] = Field(
        default_factory=list,
        description="Ids of several people who hold the role at once (e.g. one expert per service), instead of one primary.",
    )
    filled_by: Line = Field(
        "",
        description="Who fills the role when no one person holds it: a shift job ('the house supervisor on duty'), a "
        "rotation ('the incident-manager on-call rotation') or 'the head of the affected department'.",
    )
    reach: ChannelRef | None = Field(
        None, description="Channel id that reaches whoever fills the role now (a pager, an on-call number)."
    )
    backups: list[PersonRef] = Field(
        default_factory=list, description="Ids of the people who step in, in the order to try them."
    )
    activated_at: list[LevelRef] = Field(default_factory=list, description="Severity level ids at which this role is engaged.")
    activated_when: list[Line] = Field(
        default_factory=list,
        description="Situations that engage the role whatever the level, e.g. 'research data is involved'.",
    )
    as_needed: bool = Field(False, description="True if the incident manager activates the role only as needed.")
    hours: Line = Field("", description="When the role is staffed, if not always, e.g. 'weekdays 8:00-17:00'.")
    leads: list[LevelRef] = Field(
        default_factory=list,
        description="Severity level ids at which this role leads the response instead of the incident manager, "
        "e.g. an on-call engineer for the low levels.",
    )

    @property
    def people(self) -> list[str]:
        """The named people who hold the role now: the primary, then the holders."""
        return ([self.primary] if self.primary else []) + [p for p in self.holders if p != self.primary]

    @property
    def first(self) -> str | None:
        """The one named person to call first for the role, if any."""
        return self.people[0] if self.people else None


class RolesFile(Model):
    roles: list[Role] = Field(description="Incident roles.")
