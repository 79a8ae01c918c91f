"""organization.yaml — who the organization is and the review policy the rules read."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AnyHttpUrl, Field, field_validator, model_validator

from .common import DeadlineType, Duration, Line, Model, Slug, Text
from .partners import Category
from .vocab import BUILTIN


class Dependency(Model):
    """A system the organization relies on, whose loss the plan must survive."""

    id: Slug = Field(description="Id used in `depends_on` lists, e.g. `sso`.")
    name: Line = Field(description="Name people know it by, e.g. 'Single sign-on (Okta)'.")
    description: Text = Field("", description="What it is and what stops working without it.")
    critical: bool = Field(
        True, description="If true, the rules check that the response still works without it."
    )


class ReviewPolicy(Model):
    """How often things must be checked again; the rules compare dates against these."""

    contact_reverify: Duration = Field(
        timedelta(days=180), description="How long a person's verified contacts stay current, e.g. `180d`."
    )
    partner_review: Duration = Field(
        timedelta(days=365), description="How often each partner's contacts and contract are re-checked."
    )
    drill_window: Duration = Field(
        timedelta(days=365),
        description="Each critical and high level, each department and the call tree must be exercised within this window.",
    )
    binder_valid_for: Duration = Field(
        timedelta(days=90), description="A printed binder shows 'review by' this long after it was built."
    )
    contract_warning: Duration = Field(
        timedelta(days=60), description="Warn this long before a partner contract ends."
    )
    template_warning: Duration = Field(
        timedelta(days=30), description="Warn this long before a message template's approval expires."
    )


class ActionPriority(Model):
    """A priority a corrective action may have, with the time the policy gives it."""

    id: Slug = Field(description="Id written on an action item's `priority`, e.g. `priority` or `p1`.")
    name: Line = Field(description="How the pages name it, e.g. 'Priority action'.")
    due_within: DeadlineType = Field(description="Time from the incident to the due date, e.g. `4w` or `8w`.")


class CallTreePolicy(Model):
    """Limits that keep each caller's list short enough to work through by phone."""

    max_fanout: int = Field(7, ge=1, description="Most people one person may have to call (error above).")
    warn_fanout: int = Field(5, ge=1, description="Warn when one person has to call more than this.")
    max_depth: int = Field(5, ge=1, description="Most hand-offs from the root to the last person called.")


class Terms(Model):
    """The words this organization uses for things every handbook has. Every generated sentence,
    heading and label takes them from here; write each as it reads in the middle of a sentence
    (lower case unless it is a name), and the handbook capitalizes it at the start of one."""

    incident_manager: Line = Field(
        "incident manager",
        description="The one person who leads the response, e.g. 'incident commander' or 'duty manager'.",
    )
    postmortem: Line = Field(
        "postmortem",
        description="The written review after an incident, e.g. 'post-incident review' or 'Correction of Errors'.",
    )
    call_tree: Line = Field(
        "call tree", description="The phone and text fan-out through reporting lines, e.g. 'phone tree' or 'cascade'."
    )
    bridge: Line = Field(
        "incident bridge", description="The conference line the response meets on, e.g. 'war room line'."
    )
    hotline: Line = Field(
        "incident hotline", description="The number anyone calls to report an incident, e.g. 'service desk'."
    )
    level: Line = Field(
        "severity level",
        description="What one level of the event classification is called, e.g. 'priority' or 'incident class'.",
    )
    drill: Line = Field("drill", description="A practice run of the plan, e.g. 'exercise' or 'game day'.")
    plurals: dict[Line, Line] = Field(
        default_factory=dict,
        description="Plurals English spelling gets wrong, one per line, e.g. `staff: staff` (default: add -s).",
    )

    def capitalized(self) -> dict[str, str]:
        """Each term with its first letter capitalized, for the start of a sentence or a title."""
        return {k: v[:1].upper() + v[1:] for k, v in self.model_dump().items() if isinstance(v, str)}


class Term(Model):
    """A value the organization adds to one of the lists below, with the words its pages use."""

    id: Slug = Field(description="The value as the data files write it, e.g. `patients`.")
    name: Line = Field(description="How the pages name it, e.g. 'Patients and families'.")
    like: Slug | None = Field(
        None,
        description="The built-in value it counts as where the rules act on a value, e.g. `closed` for a "
        "postmortem status `reviewed`, or `critical` for a level class `significant`. Leave it out when none fits.",
    )
    description: Text = Field("", description="What it means, for the data reference.")


class Vocabulary(Model):
    """Values the organization adds to the built-in lists. Each list keeps its built-in values;
    the ones written here are allowed as well. The data reference lists the built-in values."""

    level_classes: list[Term] = Field(default_factory=list, description="More classes of severity level (severity.yaml `label`).")
    audiences: list[Term] = Field(default_factory=list, description="More audiences (departments' `audiences`, templates' `audience`).")
    channel_kinds: list[Term] = Field(default_factory=list, description="More kinds of channel (communications.yaml `kind`).")
    partner_categories: list[Term] = Field(default_factory=list, description="More partner categories (partners.yaml `category`).")
    postmortem_statuses: list[Term] = Field(default_factory=list, description="More postmortem statuses.")
    action_types: list[Term] = Field(default_factory=list, description="More kinds of postmortem action.")
    drill_types: list[Term] = Field(default_factory=list, description="More kinds of drill or exercise.")

    @model_validator(mode="after")
    def _likes(self) -> Vocabulary:
        for name, (_, noun, values) in BUILTIN.items():
            for term in getattr(self, name):
                if term.id in values:
                    raise ValueError(
                        f"'{term.id}' is already a built-in {noun}: remove it from vocabulary.{name}; "
                        "to rename it on the pages, override the partial that names it"
                    )
                if term.like is not None and term.like not in values:
                    raise ValueError(
                        f"like: '{term.like}' is not a built-in {noun}: write one of {', '.join(values)}, or leave like: out"
                    )
        return self


class Organization(Model):
    """The organization this handbook belongs to."""

    name: Line = Field(description="Organization name as printed on covers.")
    handbook_title: Line = Field("Incident Preparedness Handbook", description="Title of the site and binders.")
    timezone: Line = Field(description="IANA time zone for dates and drill times, e.g. `America/Chicago`.")
    site_url: AnyHttpUrl | None = Field(None, description="Where the handbook is hosted; printed as a QR code.")
    phone_region: Line = Field(
        "US", description="Two-letter country code used to read phone numbers written without '+'."
    )
    paper: Literal["a4", "letter"] | None = Field(
        None,
        description="Paper size of the printed binders: `a4` or `letter` (default: letter where phone_region "
        "is a country that uses it, such as the US, Canada or Mexico; else a4). `handbook build --paper` overrides it.",
    )
    dependencies: list[Dependency] = Field(
        description="Systems whose loss the plan must survive: laptops, SSO, chat, e-mail, VoIP, internet."
    )
    review: ReviewPolicy = Field(default_factory=ReviewPolicy, description="Review intervals.")
    call_tree: CallTreePolicy = Field(default_factory=CallTreePolicy, description="Call-tree limits.")
    terms: Terms = Field(
        default_factory=Terms,
        description="Your words for the lead role, the review, the call tree, the bridge and the levels.",
    )
    action_priorities: list[ActionPriority] = Field(
        default_factory=list,
        description="Priorities of corrective actions and the time each gives, e.g. `[{id: priority, name: Priority "
        "action, due_within: 4w}]`: HB806 checks each action's due date against its priority.",
    )
    vocabulary: Vocabulary = Field(
        default_factory=Vocabulary,
        description="Values this organization adds to the built-in lists (audiences, channel kinds, partner "
        "categories, level classes, postmortem statuses, action types, drill types), each with its name.",
    )
    required_partner_categories: list[Category] | None = Field(
        None,
        description="Partner categories that must each have at least one partner in partners.yaml (HB605); `[]` "
        "for none. Left out: no category is required, and HB608 advises when the usual ones (insurer, "
        "breach-counsel, forensics, pr, law-enforcement) are missing.",
    )

    @field_validator("timezone")
    @classmethod
    def _tz(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"'{value}' is not a time zone: write an IANA name such as 'America/Chicago'") from None
        return value

    @field_validator("phone_region")
    @classmethod
    def _region(cls, value: str) -> str:
        import phonenumbers

        if value.upper() not in phonenumbers.SUPPORTED_REGIONS:
            raise ValueError(f"'{value}' is not a country code: write two letters such as 'US' or 'GB'")
        return value.upper()


class OrganizationFile(Model):
    organization: Organization = Field(description="The organization and its review policy.")


# Countries whose offices use US Letter paper (the rest of the world uses A4).
LETTER_COUNTRIES = frozenset({"US", "CA", "MX", "PH", "CL", "CO", "VE", "GT", "CR", "PA", "DO", "PR", "SV", "NI",
                              "HN", "BZ"})


def paper_for(org: Organization) -> str:
    """The binders' paper: the organization's choice, else what its country uses."""
    return org.paper or ("letter" if org.phone_region in LETTER_COUNTRIES else "a4")
