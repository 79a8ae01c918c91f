"""incidents.yaml — the register of incidents that happened, so required postmortems can be checked."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from .common import LevelRef, Line, Model, PostmortemRef, Slug


class Incident(Model):
    id: Slug = Field(description="Unique id.")
    title: Line = Field(description="Short title.")
    date: dt.date = Field(description="Date it began.")
    level: LevelRef = Field(description="Severity level id it was declared at.")
    postmortem: PostmortemRef | None = Field(None, description="Postmortem id, once written.")


class IncidentsFile(Model):
    incidents: list[Incident] = Field(default_factory=list, description="Incidents, newest first.")
