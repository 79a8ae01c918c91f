"""departments.yaml — each department, who speaks for it and what it does at each level."""

from __future__ import annotations

from typing import Annotated

from pydantic import Discriminator, Field, Tag

from .common import (
    AudienceRef,
    ChannelRef,
    DepartmentId,
    DependencyRef,
    FormRef,
    LevelRef,
    Line,
    Markdown,
    Model,
    PartnerRef,
    PersonRef,
    RoleRef,
    TemplateRef,
)

Audience = AudienceRef


class Step(Model):
    """An action with what it needs named by id: every page and binder prints it beside the
    action (a partner's or person's number, who holds a role, how to reach a channel, where a
    message template is, on which page its paper form is), so the reader has it at hand."""

    do: Line = Field(description="The action, e.g. 'Call the payments line for approval above $200'.")
    partners: list[PartnerRef] = Field(default_factory=list, description="Partner ids the action calls or uses.")
    people: list[PersonRef] = Field(default_factory=list, description="Person ids the action calls.")
    roles: list[RoleRef] = Field(default_factory=list, description="Role ids the action calls (their holder is printed).")
    channels: list[ChannelRef] = Field(default_factory=list, description="Channel ids the action uses.")
    templates: list[TemplateRef] = Field(default_factory=list, description="Message template ids the action sends.")
    forms: list[FormRef] = Field(
        default_factory=list,
        description="Ids of the paper forms or signs the action uses (forms.yaml), or `postmortem` for the blank "
        "postmortem form: the binder prints each as a page to copy, and the action says on which page.",
    )


def _action_kind(value: object) -> str:
    return "step-action" if isinstance(value, (dict, Step)) else "text-action"


# An action is a sentence, or a mapping with `do:` and the ids of what it uses. The form is
# chosen by what is written, so a mistake is reported against that form only.
Action = Annotated[
    Annotated[Line, Tag("text-action")] | Annotated[Step, Tag("step-action")],
    Discriminator(_action_kind),
]


class DegradedMode(Model):
    """What the department does instead when some systems are down."""

    when_down: list[DependencyRef] = Field(description="Dependency ids that are down, e.g. `[laptops]` or `[corp-chat, corp-email]`.")
    instead: list[Action] = Field(
        description="Concrete workarounds, one short sentence each ('Take orders by phone on paper form B'), or a "
        "mapping with `do:` and the ids of what it uses (`partners: [tillwise-payments]`)."
    )


class Department(Model):
    """A department and its part in an incident."""

    id: DepartmentId = Field(description="Unique id, e.g. `customer-service`. Also the name of its page and binder.")
    name: Line = Field(description="Department name.")
    head: PersonRef | None = Field(None, description="Id of the person who leads it, if the data names one.")
    head_title: Line = Field("", description="Who leads it, where no one person is named, e.g. 'the duty manager'.")
    liaison: PersonRef | None = Field(None, description="Id of the person who speaks for it on the incident bridge.")
    purpose: Markdown = Field(description="One or two plain sentences: why this department matters in an incident.")
    audiences: list[Audience] = Field(default_factory=list, description="Who this department talks to during an incident.")
    playbook: dict[LevelRef, list[Action]] = Field(
        default_factory=dict,
        description="For each severity level id, what this department does, one action per line: a sentence, "
        "or a mapping with `do:` and the ids of what it uses (`partners: [tillwise-payments]`). Needed for the "
        "levels at which the department is told or engaged; `other_levels` covers the rest.",
    )
    other_levels: list[Action] = Field(
        default_factory=list,
        description="What the department does at every level its playbook does not list, e.g. 'Carry on; watch "
        "the status page'.",
    )
    depends_on: list[DependencyRef] = Field(
        default_factory=list,
        description="Dependency ids the department's work needs (organization.yaml), e.g. `[laptops, ehr]`: HB902 "
        "checks it has a workaround for each critical one.",
    )

    def actions_at(self, level_id: str) -> list[Action]:
        """What the department does at a level: its playbook entry, else its `other_levels`."""
        return self.playbook.get(level_id, self.other_levels)
    degraded_mode: list[DegradedMode] = Field(
        default_factory=list, description="Workarounds when named dependencies are down."
    )


class DepartmentsFile(Model):
    departments: list[Department] = Field(description="Every department, engineering and not.")
