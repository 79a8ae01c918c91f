"""postmortems/*.yaml — one Correction-of-Errors (root cause analysis) record per file."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from .common import (
    ActionTypeRef,
    LevelRef,
    Line,
    Markdown,
    Model,
    PersonRef,
    PostmortemId,
    PostmortemStatusRef,
    Slug,
    Text,
)
from .drills import Action


class TimelineEntry(Model):
    at: dt.datetime | dt.date = Field(description="When, e.g. 2026-03-04T10:15:00-06:00.")
    text: Text = Field(description="What happened.")


class ActionItem(Action):
    priority: Slug | None = Field(
        None, description="Id of one of organization.yaml's action_priorities, e.g. `priority`; its due_within applies."
    )
    type: ActionTypeRef = Field(
        description="Kind of action: mitigate, prevent, detect, process or document, or a type organization.yaml "
        "declares under vocabulary.action_types."
    )


class Lessons(Model):
    went_well: list[Text] = Field(default_factory=list, description="What went well.")
    went_wrong: list[Text] = Field(default_factory=list, description="What went wrong.")
    got_lucky: list[Text] = Field(default_factory=list, description="Where we got lucky.")


class Postmortem(Model):
    """A Correction-of-Errors record."""

    id: PostmortemId = Field(description="Unique id; the file name without .yaml is a good choice.")
    title: Line = Field(description="Short title.")
    incident_date: dt.date = Field(description="Date the incident began.")
    level: LevelRef = Field(description="Severity level id.")
    status: PostmortemStatusRef = Field(
        description="draft, in-review or closed, or a status organization.yaml declares under "
        "vocabulary.postmortem_statuses (say with `like:` which of the three it counts as)."
    )
    owner: PersonRef = Field(description="Person id who writes it.")
    review_meeting: dt.date | None = Field(None, description="Date of the review meeting.")
    approved_by: list[PersonRef] = Field(
        default_factory=list, description="Person ids who approved the review (HB805: where the level's policy names approvers)."
    )
    summary: Markdown = Field(description="What happened, in three sentences.")
    impact: Markdown = Field(description="Who was affected and how much.")
    timeline: list[TimelineEntry] = Field(default_factory=list, description="Key moments in order.")
    detection: Text = Field("", description="How we found out.")
    trigger: Text = Field("", description="What set it off.")
    contributing_factors: list[Text] = Field(default_factory=list, description="Conditions that made it worse.")
    five_whys: list[Text] = Field(default_factory=list, description="Why? asked until the root cause.")
    root_cause: Text = Field("", description="The root cause in one sentence.")
    resolution: Text = Field("", description="How it was resolved.")
    lessons: Lessons = Field(default_factory=Lessons, description="Lessons.")
    action_items: list[ActionItem] = Field(default_factory=list, description="Corrections of error.")
