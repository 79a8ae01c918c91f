"""Rules for communications.yaml: the incident line, the bridge and the call tree survive an outage."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..calltree import DEPTH_CEILING, CallTree, build_call_tree
from ..queries import (
    approval_expired,
    approval_expiring,
    channel_untested,
    is_phone_kind,
    phone_without,
    survives,
)
from .base import Problem, rule
from .helpers import named, span, who_id

if TYPE_CHECKING:
    from ..handbook import Handbook


_last_tree: tuple[object, CallTree] | None = None


def _tree(hb: Handbook) -> CallTree:
    """The call tree of this Handbook, built once for the six rules that read it."""
    global _last_tree
    if _last_tree is None or _last_tree[0] is not hb:
        _last_tree = (hb, build_call_tree(hb))
    return _last_tree[1]


def _voice_without(hb: Handbook, pid: str, dep: str) -> bool:
    person = hb.index["people"].get(pid)
    return person is not None and phone_without(person, {dep})


def _lines(hb: Handbook) -> list[tuple[Any, str]]:
    """The bridge and the hotline, once each, with the words for them."""
    if hb.bridge is hb.hotline:
        return [(hb.bridge, "the bridge line, which is also the incident hotline,")]
    return [(hb.bridge, "the bridge line"), (hb.hotline, "the incident hotline")]


@rule("HB501", "error", "communications")
def survives_each_dependency(hb: Handbook) -> Iterator[Problem]:
    """The incident manager, the bridge, the hotline and a backup channel survive the loss of each critical dependency.

    For every dependency marked critical: the incident manager and at least two of the
    backups can still be phoned, the bridge and the incident hotline do not need it, and at
    least one backup channel works without it. One finding per dependency and gap.

    PASS:

        # communications.yaml
        - {id: bridge, kind: phone-bridge, use: primary, depends_on: []}
        - {id: sms-blast, kind: sms, use: backup, depends_on: []}

    FAIL:

        # communications.yaml
        - {id: bridge, kind: voice, use: primary, depends_on: [voip]}
        # finding: if voip is down, the bridge line stops working
    """
    im = hb.incident_manager
    backups = [c for c in hb.channels if c.use == "backup"]
    for dep in hb.critical_dependencies:
        if im is not None and im.primary:
            if not _voice_without(hb, im.primary, dep.id):
                yield Problem(
                    im, f"if {dep.id} is down, the incident manager {who_id(hb, im.primary)} "
                    "cannot be phoned",
                    f"give them a mobile or landline that does not depend on {dep.id}",
                    ("primary",),
                )
            reachable = [pid for pid in im.backups if _voice_without(hb, pid, dep.id)]
            # too few backups at all is HB305's finding; here only the ones the outage takes away
            if len(reachable) < min(2, len(im.backups)):
                able = f"only {who_id(hb, reachable[0])}" if reachable else "none"
                yield Problem(
                    im, f"if {dep.id} is down, {able} of the incident manager's backups can be phoned",
                    f"give at least two backups a mobile or landline that does not depend on {dep.id}",
                    ("backups",),
                )
        for channel, what in _lines(hb):
            if not survives(channel, {dep.id}):
                yield Problem(
                    channel, f"if {dep.id} is down, {what} stops working",
                    f"use a line that does not need {dep.id}, or keep a second number for that case",
                    ("depends_on", channel.depends_on.index(dep.id)),
                )
        if not any(survives(c, {dep.id}) for c in backups):
            yield Problem(
                dep, f"if {dep.id} is down, no backup channel works",
                f"add a channel with use: backup that does not depend on {dep.id}, "
                "such as an SMS broadcast or a conference line",
            )


def _caller_source(hb: Handbook, pid: str) -> tuple[Any, tuple]:
    """Where a person's caller is set: an override, else their reports_to."""
    for i, override in enumerate(hb.call_tree.overrides):
        if override.person == pid:
            return hb.call_tree, ("overrides", i, "called_by")
    return hb.person(pid), ("reports_to",)


def _names(hb: Handbook, ids: list[str]) -> str:
    return " → ".join(who_id(hb, pid) for pid in ids)


@rule("HB502", "error", "communications")
def call_tree_no_cycle(hb: Handbook) -> Iterator[Problem]:
    """The call tree has no circle of callers.

    Each person is called by their manager (`reports_to`) or by an override. If A calls B and
    B calls A, neither is ever called from the incident manager's side.

    PASS:

        - {id: ana-ruiz, reports_to: ben-ode}
        - {id: ben-ode, reports_to: tomas-herrera}

    FAIL:

        - {id: ana-ruiz, reports_to: ben-ode}
        - {id: ben-ode, reports_to: ana-ruiz}
    """
    if hb.call_tree is None:
        return  # the plan has no call tree (HB513)
    tree = _tree(hb)
    order = {p.id: i for i, p in enumerate(hb.people)}
    for cycle in tree.cycles:
        start = min(range(len(cycle)), key=lambda i: order.get(cycle[i], 0))
        # the list runs person → their caller; read it the way calls flow, caller first
        ring = cycle[start:] + cycle[:start]
        flow = [ring[0]] + list(reversed(ring[1:])) + [ring[0]]
        obj, at = _caller_source(hb, ring[0])
        yield Problem(
            obj, f"the call tree goes round in a circle: {_names(hb, flow)}",
            "change reports_to or add an override so one of them is called "
            "from the incident manager's side",
            at,
        )


@rule("HB503", "error", "communications")
def call_tree_reaches_everyone(hb: Handbook) -> Iterator[Problem]:
    """The call tree reaches every person.

    Someone whose callers lead into a circle (HB502) is never phoned. They are reported here,
    apart from the people in the circle itself.

    PASS:

        - {id: cara-diaz, reports_to: ana-ruiz}   # ana-ruiz is reached

    FAIL:

        - {id: cara-diaz, reports_to: ana-ruiz}   # ana-ruiz is in a circle
    """
    if hb.call_tree is None:
        return  # the plan has no call tree (HB513)
    tree = _tree(hb)
    in_cycle = {pid for cycle in tree.cycles for pid in cycle}
    for pid in tree.unreached:
        if pid in in_cycle:
            continue
        caller = tree.caller.get(pid)
        obj, at = _caller_source(hb, pid)
        yield Problem(
            obj, f"the call tree never reaches {who_id(hb, pid)}: their caller "
            f"{who_id(hb, caller)} is never called",
            "fix the circle of callers above them, or give them a caller with an override",
            at,
        )


def _fanout(hb: Handbook, low: int, high: int | None, limit_word: str) -> Iterator[Problem]:
    tree = _tree(hb)
    for person in hb.people:
        kids = tree.children.get(person.id, [])
        if len(kids) > low and (high is None or len(kids) <= high):
            yield Problem(
                person,
                f"{who_id(hb, person.id)} has to call {len(kids)} people, more than the "
                f"{limit_word} of {low}",
                "give some of them another caller with overrides in communications.yaml",
            )


@rule("HB504", "error", "communications")
def call_tree_max_fanout(hb: Handbook) -> Iterator[Problem]:
    """Nobody has to call more than `call_tree.max_fanout` people.

    Each call takes a few minutes; a caller with a long list delays the last person by an
    hour. The limit is `organization.call_tree.max_fanout` (7 by default).

    PASS:

        # 6 people report to maria-lopez, max_fanout: 7

    FAIL:

        # 9 people report to maria-lopez, max_fanout: 7
    """
    if hb.call_tree is None:
        return  # the plan has no call tree (HB513)
    yield from _fanout(hb, hb.organization.call_tree.max_fanout, None, "limit")


@rule("HB505", "warning", "communications")
def call_tree_warn_fanout(hb: Handbook) -> Iterator[Problem]:
    """Someone has to call more than `call_tree.warn_fanout` people (but not above the limit).

    Long lists are the first to stall; consider giving part of the list to a deputy.

    PASS:

        # 5 people report to maria-lopez, warn_fanout: 5

    FAIL:

        # 6 people report to maria-lopez, warn_fanout: 5, max_fanout: 7
    """
    if hb.call_tree is None:
        return  # the plan has no call tree (HB513)
    policy = hb.organization.call_tree
    yield from _fanout(hb, policy.warn_fanout, policy.max_fanout, "comfortable number")


@rule("HB506", "error", "communications")
def call_tree_max_depth(hb: Handbook) -> Iterator[Problem]:
    """Nobody is more than `call_tree.max_depth` hand-offs from the incident manager.

    Every hand-off adds a call and a wait; a deep tree reaches its last person too late.
    `max_depth` itself may be at most 20: no call tree is deeper than that.

    PASS:

        # max_depth: 5, the longest line is IM → head → manager → lead → person

    FAIL:

        # max_depth: 2, and someone is 3 hand-offs away
        # max_depth: 50
    """
    if hb.call_tree is None:
        return  # the plan has no call tree (HB513)
    tree = _tree(hb)
    policy = hb.organization.call_tree
    limit = min(policy.max_depth, DEPTH_CEILING)
    if policy.max_depth > DEPTH_CEILING:
        yield Problem(
            policy,
            f"max_depth is {policy.max_depth}, more than the {DEPTH_CEILING} hand-offs a call tree may have",
            f"set max_depth to {DEPTH_CEILING} or less; a longer line of calls reaches its last person too late",
            ("max_depth",),
        )
    # One finding per line of calls that passes the limit, at the first person beyond it: a
    # caller nearer the top for them moves everyone they lead to up as well.
    for person in hb.people:
        depth = tree.depth.get(person.id)
        if depth is not None and depth == limit + 1:
            below = len(tree.subtree(person.id)) - 1
            more = "" if not below else (
                ", and so is the person called after them" if below == 1
                else f", and so are the {below} people called after them"
            )
            yield Problem(
                person,
                f"{who_id(hb, person.id)} is called {depth} hand-offs after the incident manager, "
                f"more than the limit of {limit}{more}",
                "give them or someone above them a caller nearer the top with an override",
                ("reports_to",),
            )


@rule("HB507", "error", "communications")
def call_tree_alternates(hb: Handbook) -> Iterator[Problem]:
    """Every person below the root has an alternate caller who is neither themself nor their caller.

    When a caller does not answer, the people on their list must still be phoned. By default
    the alternate is the caller's own caller (skip-level); `call_tree.alternates` names
    others.

    PASS:

        alternates:
          - {person: ana-ruiz, alternate: grace-liu}   # ana-ruiz is called by ben-ode

    FAIL:

        alternates:
          - {person: ana-ruiz, alternate: ben-ode}     # her usual caller
    """
    if hb.call_tree is None:
        return  # the plan has no call tree (HB513)
    tree = _tree(hb)
    explicit = {a.person: (i, a) for i, a in enumerate(hb.call_tree.alternates)}
    for person in hb.people:
        caller = tree.caller.get(person.id)
        if caller is None:
            continue
        alternate = tree.alternate.get(person.id)
        obj, at = person, ()
        if person.id in explicit:
            obj, at = hb.call_tree, ("alternates", explicit[person.id][0], "alternate")
        hint = f"name another alternate for {person.id} under call_tree.alternates"
        if alternate is None:
            yield Problem(obj, f"{who_id(hb, person.id)} has no alternate caller", hint, at)
        elif alternate == person.id:
            yield Problem(obj, f"{who_id(hb, person.id)} is their own alternate caller", hint, at)
        elif alternate == caller:
            yield Problem(
                obj, f"the alternate caller of {who_id(hb, person.id)} is their usual caller "
                f"{who_id(hb, caller)}", hint, at,
            )


@rule("HB508", "error", "communications")
def template_not_expired(hb: Handbook) -> Iterator[Problem]:
    """Message templates are used only while their approval lasts.

    An expired approval means the wording may no longer be what legal and PR agreed to send.

    PASS:

        approved: 2026-06-01
        expires: 2027-06-01      # today 2026-11-27

    FAIL:

        approved: 2025-06-01
        expires: 2026-06-01
    """
    for template in hb.templates:
        if approval_expired(template, hb.today):
            yield Problem(
                template,
                f"the approval of the template {named(template)} expired on {template.expires}",
                f"have {template.approver} review the wording and set new approved and expires dates",
                ("expires",),
            )


@rule("HB509", "warning", "communications")
def template_expiring(hb: Handbook) -> Iterator[Problem]:
    """A message template's approval runs out within `review.template_warning`.

    Renew the approval before it lapses rather than during an incident.

    PASS:

        expires: 2027-06-01      # today 2026-11-27, template_warning: 30d

    FAIL:

        expires: 2026-12-10
    """
    warn = hb.organization.review.template_warning
    for template in hb.templates:
        if approval_expiring(template, hb.today, warn):
            yield Problem(
                template,
                f"the approval of the template {named(template)} expires on {template.expires}, "
                f"within {span(warn)}",
                f"have {template.approver} review the wording before then",
                ("expires",),
            )


@rule("HB510", "error", "communications")
def lines_dialable(hb: Handbook) -> Iterator[Problem]:
    """The incident hotline and the bridge say how to reach them; a phone line has its number.

    These two are printed on the wallet card. A phone line (voice, phone-bridge, sms) needs a
    number or an extension; any other kind (a chat command, a pager, a web form, a video call)
    needs a number, an extension or an address.

    PASS:

        - {id: bridge, kind: phone-bridge, number: "+1 201 555 0199", pin: "4411#"}
        - {id: report, kind: chat, address: "/incident declare in Slack"}

    FAIL:

        - {id: bridge, kind: phone-bridge, instructions: Ask the operator}
    """
    for channel, what in _lines(hb):
        phone = is_phone_kind(hb, channel)
        if channel.number or channel.extension or (channel.address and not phone):
            continue
        yield Problem(
            channel, f"{what} {named(channel)} has no " + ("number to dial" if phone else "number or address"),
            "add the phone number under number, or an internal extension under extension" if phone else
            "add the number under number, or under address where to find it: a chat command, a URL or an "
            "e-mail address", ("number",),
        )


@rule("HB514", "warning", "communications")
def call_tree_says_how_long_to_wait(hb: Handbook) -> Iterator[Problem]:
    """The call tree says how long to wait for a call before acting.

    A call tree breaks where a caller is out: everyone below them waits for a call that never
    comes. With `no_call_within:` every binder tells its reader how long to wait before they
    call the person who should have called them, then the hotline. Without it the binders can
    only say "if nobody has called you", and people wait.

    PASS:

        call_tree: {root: incident-manager, no_call_within: 30m, ...}

    FAIL:

        call_tree: {root: incident-manager, ...}   # no no_call_within
    """
    if hb.call_tree is not None and hb.call_tree.no_call_within is None:
        yield Problem(
            hb.call_tree, "the call tree does not say how long to wait for a call: people below a caller who is "
            "out wait for a call that never comes",
            "add no_call_within: to call_tree, e.g. 'no_call_within: 30m'; every binder then says when to call "
            "the person who should have called them, then the hotline",
        )


@rule("HB513", "warning", "communications")
def call_tree_or_alternative(hb: Handbook) -> Iterator[Problem]:
    """The plan says how news reaches people when chat and e-mail are down.

    A call tree (`call_tree:`) phones everyone through their reporting lines. A plan may do
    without one, if it says what people do instead (`without_call_tree:`, e.g. "staff call
    the service desk's recorded message"); the binders print that in its place.

    PASS:

        without_call_tree: Everyone calls the service desk's recorded message at 8:00 and 13:00.

    FAIL:

        # communications.yaml has neither call_tree: nor without_call_tree:
    """
    if hb.call_tree is None and not hb.without_call_tree:
        yield Problem(
            hb.hotline, "the plan has no call tree and does not say what people do instead: when chat and e-mail "
            "are down, nobody is told",
            "add call_tree: to communications.yaml, or without_call_tree: with what people do instead, e.g. "
            "'Everyone calls the service desk recording at 8:00'",
        )


@rule("HB512", "warning", "communications")
def bridge_without_internet(hb: Handbook) -> Iterator[Problem]:
    """The bridge can be joined by phone when the internet is down.

    A video call or a chat room is a fine bridge while the internet works; on the day it does
    not, a dial-in number is the only way in. This is advice: a policy may choose otherwise.

    PASS:

        - {id: bridge, kind: video-call, address: "https://meet.example/incident", number: "+1 201 555 0199"}

    FAIL:

        - {id: bridge, kind: video-call, address: "https://meet.example/incident"}
    """
    bridge = hb.bridge
    if bridge.number or bridge.extension or hb.means("channel-kinds", bridge.kind) in ("phone-bridge", "voice", "radio"):
        return
    yield Problem(
        bridge, f"the bridge {named(bridge)} is a {bridge.kind} channel with no number to dial: "
        "when the internet is down nobody can join it",
        "add a dial-in number under number, or name a backup channel people use instead", ("kind",),
    )


@rule("HB511", "warning", "communications")
def backup_channels_tested(hb: Handbook) -> Iterator[Problem]:
    """Every backup channel was tested within the drill window.

    A backup channel is only a backup if it still works: numbers get reassigned, SMS
    credits run out, radios lose charge.

    PASS:

        - {id: sms-blast, use: backup, last_tested: 2026-09-14}

    FAIL:

        - {id: sms-blast, use: backup}      # never tested
    """
    window = hb.organization.review.drill_window
    for channel in hb.channels:
        if channel.use != "backup":
            continue
        if not channel_untested(channel, hb.today, window):
            continue
        if channel.last_tested is None:
            yield Problem(
                channel, f"the backup channel {named(channel)} has never been tested",
                "test it end to end and write the date under last_tested",
            )
        else:
            yield Problem(
                channel, f"the backup channel {named(channel)} was last tested on "
                f"{channel.last_tested}, more than {span(window)} ago",
                "test it end to end and update last_tested", ("last_tested",),
            )

