"""Domain queries: one function for each thing the handbook decides about its data.

The rules, the readiness report, the site's views, the binders and the exports all ask these,
so "the last time a drill was held", "overdue", "expired" or "the number to dial" mean one
thing everywhere. Each is a plain function of model objects and the dates or policy values it
needs (``today``, an interval, a set of dependency ids); none knows about MkDocs, HTML or
findings. A query takes the Handbook only where the meaning spans the organization (the
critical dependencies, a department's partners).

Dates: "before today" is strictly earlier; a run dated today counts as held, a planned run dated
today is still ahead, and something due today is not yet overdue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .calltree import CallTree
    from .handbook import Handbook
    from .models.communications import Channel, Template
    from .models.drills import Action, Drill, Requirement, Run
    from .models.partners import Partner, PartnerContact
    from .models.people import Contact, Person
    from .models.postmortems import ActionItem, Postmortem
    from .models.severity import Level as SeverityLevel


def in_window(day: dt.date | None, today: dt.date, window: dt.timedelta) -> bool:
    """The date lies in the window that ends today, both ends included."""
    return day is not None and today - window <= day <= today


# --- drills -----------------------------------------------------------------------------------

def is_held(run: Run, today: dt.date) -> bool:
    """The run took place: it is marked done and dated on or before today.

    A run marked done with a date still to come has not happened yet; it counts nowhere (not
    as held, and not as planned).
    """
    return run.status == "done" and run.date <= today


def held_runs(drill: Drill, today: dt.date) -> list[Run]:
    """The drill's held runs, in the order of the data."""
    return [run for run in drill.runs if is_held(run, today)]


def last_done(drill: Drill, today: dt.date) -> Run | None:
    """The latest held run (the first of them in the data when two share the date)."""
    held = held_runs(drill, today)
    return max(held, key=lambda run: run.date) if held else None


def next_planned(drill: Drill, today: dt.date) -> Run | None:
    """The earliest run marked planned and dated today or later."""
    ahead = [run for run in drill.runs if run.status == "planned" and run.date >= today]
    return min(ahead, key=lambda run: run.date) if ahead else None


def past_planned(drill: Drill, today: dt.date) -> list[Run]:
    """Runs still marked planned although their date has passed, in the order of the data."""
    return [run for run in drill.runs if run.status == "planned" and run.date < today]


def next_due(drill: Drill, today: dt.date) -> dt.date | None:
    """When a drill with a cadence is due again: the last held run plus the cadence.

    None for a drill without a cadence, or one never held (it is due now).
    """
    last = last_done(drill, today)
    if drill.cadence is None or last is None:
        return None
    return last.date + drill.cadence


def is_overdue(drill: Drill, today: dt.date) -> bool:
    """A drill with a cadence that was never held, or was last held more than a cadence ago."""
    if drill.cadence is None:
        return False
    due = next_due(drill, today)
    return due is None or due < today


def run_departments(drill: Drill, run: Run) -> list[str]:
    """The departments that take part in a run: its participants, else the drill's."""
    return list(run.participants or drill.departments)


def held(drills: Iterable[Drill], today: dt.date) -> Iterator[tuple[Drill, Run]]:
    """Every held run of every drill, with its drill."""
    for drill in drills:
        for run in drill.runs:
            if is_held(run, today):
                yield drill, run


def last_exercised(drills: Iterable[Drill], level_id: str, today: dt.date) -> dt.date | None:
    """The last day a drill that lists the level was held."""
    return max((run.date for drill, run in held(drills, today) if level_id in drill.levels), default=None)


def last_took_part(drills: Iterable[Drill], department_id: str, today: dt.date) -> dt.date | None:
    """The last day the department took part in a held run."""
    return max((run.date for drill, run in held(drills, today) if department_id in run_departments(drill, run)),
               default=None)


def call_tree_last_tested(drills: Iterable[Drill], today: dt.date) -> dt.date | None:
    """The last day a drill of type call-tree-test was held."""
    return max((run.date for drill, run in held(drills, today) if drill.type == "call-tree-test"), default=None)


# --- corrective actions -----------------------------------------------------------------------

def is_open(action: Action) -> bool:
    return action.status == "open"


def action_overdue(action: Action, today: dt.date) -> bool:
    """An open action whose due date is before today (one without a date is not overdue)."""
    return is_open(action) and action.due is not None and action.due < today


def open_actions(drill: Drill) -> list[tuple[Run, Action]]:
    """The open corrective actions of a drill's findings, with the run that found them."""
    return [(run, f.action) for run in drill.runs for f in run.findings if f.action is not None and is_open(f.action)]


def open_items(postmortem: Postmortem) -> list[ActionItem]:
    """The postmortem's open action items."""
    return [item for item in postmortem.action_items if is_open(item)]


# --- dates that run out -----------------------------------------------------------------------

def contract_expired(partner: Partner, today: dt.date) -> bool:
    """The contract, policy or retainer has an end date before today."""
    end = partner.contract.end
    return end is not None and end < today


def contract_expiring(partner: Partner, today: dt.date, warning: dt.timedelta) -> bool:
    """The contract ends today or within ``warning`` (the organization's contract_warning)."""
    end = partner.contract.end
    return end is not None and today <= end <= today + warning


def approval_expired(template: Template, today: dt.date) -> bool:
    """The template's approval ran out before today."""
    return template.expires < today


def approval_expiring(template: Template, today: dt.date, warning: dt.timedelta) -> bool:
    """The approval runs out today or within ``warning`` (the organization's template_warning)."""
    return today <= template.expires <= today + warning


def contacts_due(person: Person, interval: dt.timedelta) -> dt.date:
    """The day a person's contacts are due to be checked again."""
    return person.last_verified + interval


def contacts_in_future(person: Person, today: dt.date) -> bool:
    """last_verified is a date still to come: a typo, not a check."""
    return person.last_verified > today


def contacts_stale(person: Person, today: dt.date, interval: dt.timedelta) -> bool:
    """The person's contacts were checked more than ``interval`` ago, or dated in the future."""
    return contacts_in_future(person, today) or contacts_due(person, interval) < today


def partner_contacts_stale(partner: Partner, today: dt.date, interval: dt.timedelta) -> bool:
    """The partner's contacts were last confirmed more than ``interval`` (partner_review) ago."""
    return partner.last_verified + interval < today


def channel_untested(channel: Channel, today: dt.date, window: dt.timedelta) -> bool:
    """The channel was never tested end to end, or not within ``window`` (the drill window)."""
    return channel.last_tested is None or channel.last_tested + window < today


# --- phones and what they need ----------------------------------------------------------------

def can_be_phoned(person: Person) -> bool:
    """The person has a phone, text or radio contact."""
    return any(c.is_voice for c in person.contacts)


def phone_without(person: Person, deps: Iterable[str]) -> bool:
    """The person has a phone, text or radio contact that needs none of ``deps``."""
    deps = set(deps)
    return any(c.is_voice and not deps.intersection(c.depends_on) for c in person.contacts)


def best_phone(person: Person) -> Contact | None:
    """The voice contact that depends on the fewest systems (what to dial when all is down);
    the first of them in the data on a tie."""
    voice = [c for c in person.contacts if c.is_voice]
    return min(voice, key=lambda c: len(c.depends_on)) if voice else None


def second_phone(person: Person) -> Contact | None:
    """The voice contact to try when the best one does not answer (the call-tree rules say: their
    home line), or None when the person has only one."""
    best = best_phone(person)
    return next((c for c in person.contacts if c.is_voice and c is not best and c.value != best.value), None)


def partner_has_phone(partner: Partner) -> bool:
    return any(c.phone for c in partner.contacts)


def partner_has_portal(partner: Partner) -> bool:
    """The partner is told through a web portal or form (a contact with a url)."""
    return any(c.url for c in partner.contacts)


def partner_first_call(partner: Partner) -> PartnerContact | None:
    """The partner's number to call first: the contact marked hotline, else the first with a phone."""
    with_phone = [c for c in partner.contacts if c.phone]
    return next((c for c in with_phone if c.hotline), with_phone[0] if with_phone else None)


def partner_contact_for(partner: Partner, text: str) -> PartnerContact | None:
    """The partner's number an action means: the contact with a phone whose label the action's
    text names ("call the bank's fraud line" → the contact labelled "Fraud line"), else the
    hotline, else the first contact."""
    words = " ".join(text.lower().split())
    named = [c for c in partner.contacts if c.phone and c.label and c.label.lower() in words]
    if named:
        return max(named, key=lambda c: len(c.label))
    return next((c for c in partner.contacts if c.hotline), partner.contacts[0] if partner.contacts else None)


def critical_ids(hb: Handbook) -> set[str]:
    """The ids of the dependencies marked critical."""
    return {d.id for d in hb.critical_dependencies}


def survives(channel: Channel, deps: Iterable[str]) -> bool:
    """The channel keeps working when every dependency in ``deps`` is down."""
    return not set(deps).intersection(channel.depends_on)


def survives_critical(hb: Handbook, channel: Channel) -> bool:
    """The channel needs none of the critical dependencies."""
    return survives(channel, critical_ids(hb))


# --- departments ------------------------------------------------------------------------------

def department_partners(hb: Handbook, department_id: str) -> list[str]:
    """The partners a department engages, in the order of partners.yaml: the role that calls
    them is held (as primary) by one of its people, or one of its people owns the relationship."""
    people = {p.id for p in hb.people if p.department == department_id}
    roles = {r.id for r in hb.roles if any(p in people for p in r.people)}
    return [p.id for p in hb.partners if p.engaged_by in roles or p.owner in people]


def department_actions(hb: Handbook, department_id: str) -> list[tuple[tuple, object]]:
    """Every action a department's page prints, with its place in departments.yaml: its playbook
    level by level, ``other_levels``, then each workaround."""
    d = hb.department(department_id)
    places: list[tuple[tuple, object]] = [
        (("playbook", lid, i), a) for lid, actions in d.playbook.items() for i, a in enumerate(actions)]
    places += [(("other_levels", i), a) for i, a in enumerate(d.other_levels)]
    places += [(("degraded_mode", m, "instead", i), a) for m, mode in enumerate(d.degraded_mode)
               for i, a in enumerate(mode.instead)]
    return places


def department_forms(hb: Handbook, department_id: str) -> list[str]:
    """The forms a department's actions name (``forms:``), each once, in the order its page
    first names them; its binder prints each. The built-in ``postmortem`` form is not among
    them: every binder prints it anyway."""
    found: dict[str, None] = {}
    for _, act in department_actions(hb, department_id):
        for fid in getattr(act, "forms", ()):
            if fid in hb.index["forms"]:
                found[fid] = None
    return list(found)


def form_users(hb: Handbook, form_id: str) -> list[str]:
    """The departments whose actions name a form, in the order of departments.yaml."""
    return [d.id for d in hb.departments if form_id in department_forms(hb, d.id)]


def department_call_heads(hb: Handbook, tree: CallTree, department_id: str) -> list[str]:
    """Where the call tree enters a department: its people whose caller is outside it (or who
    have no caller), in the order of people.yaml; none when there is no call tree."""
    if tree.root is None:
        return []
    heads = []
    for p in hb.people:
        if p.department != department_id:
            continue
        caller = tree.caller.get(p.id)
        if caller is None or hb.person(caller).department != department_id:
            heads.append(p.id)
    return heads


# --- levels -----------------------------------------------------------------------------------

LEVEL_CLASS_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}


def level_class(hb: Handbook, level: SeverityLevel) -> str | None:
    """The built-in class a level counts as (critical, high, medium, low), or None for a class the
    organization declared without saying which one it is like."""
    return hb.means("level-classes", level.label)


def is_major(hb: Handbook, level: SeverityLevel) -> bool:
    """A major incident level: as the level says (`major:`), else one of class critical or high."""
    if level.major is not None:
        return level.major
    return level_class(hb, level) in ("critical", "high")


def postmortem_required(level: SeverityLevel | None) -> bool:
    """The level's policy requires a written postmortem (a policy left out requires none)."""
    return bool(level is not None and level.postmortem is not None and level.postmortem.required)


def fastest_update(level: SeverityLevel) -> dt.timedelta | None:
    """The shortest time between two updates the level's policy sets, or None if it sets none."""
    times = ([level.update_every] if level.update_every else []) + [c.every for c in level.updates]
    return min(times, default=None)


PHONE_CHANNEL_KINDS = ("phone-bridge", "voice", "sms")


def is_phone_kind(hb: Handbook, channel: Channel) -> bool:
    """The channel is a phone line by its kind (conference line, voice line, text number), so it
    needs a number to dial; any other kind is found by its address."""
    return hb.means("channel-kinds", channel.kind) in PHONE_CHANNEL_KINDS


def categories_present(hb: Handbook) -> set[str]:
    """The partner categories the organization has partners in, with the built-in ones they count as."""
    return {p.category for p in hb.partners} | {hb.means("partner-categories", p.category) for p in hb.partners}


def counts_as(hb: Handbook, kind: str, value: str, builtin_value: str) -> bool:
    """A value of an extensible list counts as the built-in value (itself, or declared like it)."""
    return hb.means(kind, value) == builtin_value



def requirement_status(hb: Handbook, req: Requirement) -> tuple[int, bool]:
    """How many held runs (and real incidents, where they count) the requirement's window holds,
    and whether one of them is of a type it asks for at least once (True if it asks for none)."""
    start = hb.today - req.within
    runs = [(drill, run) for drill, run in held(hb.drills, hb.today) if start <= run.date <= hb.today
            and (not req.types or drill.type in req.types)]
    real = [i for i in hb.incidents if start <= i.date <= hb.today] if req.real_activations_count else []
    typed = not req.at_least_one_of or any(drill.type in req.at_least_one_of for drill, _ in runs)
    return len(runs) + len(real), typed
