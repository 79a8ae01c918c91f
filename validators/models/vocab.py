"""The lists of values an organization may extend: built-in values, and more declared in
organization.yaml under ``vocabulary:``, each with the words the pages use for it.

A field whose value comes from one of these lists is typed with the reference of that list
(``AudienceRef`` …, models/common.py): the data layer checks it against the built-in values
and the organization's own, and a message lists the allowed values, nearest first. Code that
acts on a value (a bridge is a phone line, a closed postmortem needs a review date) asks what
the value *means* (``Handbook.means``): a built-in value means itself, a declared one what its
``like:`` says, or nothing special.
"""

from __future__ import annotations

# list name in organization.yaml → (kind of reference, noun for messages, built-in values in order)
BUILTIN: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "level_classes": ("level-classes", "level class", ("critical", "high", "medium", "low")),
    "audiences": ("audiences", "audience", (
        "employees", "customers", "media", "regulators", "partners", "board", "investors", "suppliers")),
    "channel_kinds": ("channel-kinds", "channel kind", (
        "chat", "email", "phone-bridge", "sms", "voice", "radio", "messenger", "in-person", "status-page",
        "pager", "overhead-page", "web-form", "ticket", "video-call")),
    "partner_categories": ("partner-categories", "partner category", (
        "insurer", "broker", "breach-counsel", "forensics", "pr", "law-enforcement", "regulator", "isac",
        "vendor", "cloud", "msp", "government", "public-health", "emergency-services", "mutual-aid")),
    "postmortem_statuses": ("postmortem-statuses", "postmortem status", ("draft", "in-review", "closed")),
    "action_types": ("action-types", "action type", ("mitigate", "prevent", "detect", "process", "document")),
    "drill_types": ("drill-types", "drill type", (
        "tabletop", "game-day", "call-tree-test", "failover", "comms-outage", "functional", "full-scale")),
}

KINDS = {kind: name for name, (kind, _, _) in BUILTIN.items()}
"""Reference kind → its list's name under ``vocabulary:``."""


def builtin(kind: str) -> tuple[str, ...]:
    """The built-in values of a list, by its reference kind."""
    return BUILTIN[KINDS[kind]][2]
