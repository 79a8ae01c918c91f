"""`handbook new drill|partner|person|postmortem ID`: a complete, commented entry to fill in.

The entry is added as text: the file's own comments, order, quoting and line breaks stay exactly
as they were (a YAML round-trip would re-wrap long lines and re-quote values). Its indentation
is read from the list it joins. What only a person can know (a job title, a phone number, what
a partner does) is written as a placeholder, "TODO: …", which `handbook validate` reports as an
error at its line (HB106) until it is replaced: an entry with a made-up number never reaches the
call tree or a printed binder. The ids it fills in (department, manager, facilitator) are real
ones from the data, with a TODO comment to check them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import phonenumbers
import yaml

from preparedness_handbook.validators.calltree import build_call_tree
from preparedness_handbook.validators.engine import validate
from preparedness_handbook.validators.findings import format_text
from preparedness_handbook.validators.handbook import Handbook, load_handbook
from preparedness_handbook.validators.models.common import MAX_ID, SLUG_RE, shown

LISTS = {"person": ("people.yaml", "people"), "drill": ("drills.yaml", "drills"), "partner": ("partners.yaml", "partners")}


@dataclass
class Facts:
    """What the placeholders are made of: ids that exist in this organization's data."""

    department: str
    manager: str | None
    level: str
    lowest_level: str
    im_role: str
    im_person: str
    dependency: str | None
    email_domain: str
    phone: str
    phone_region: str
    timezone: str


def _q(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def _title(ident: str) -> str:
    """``2026-12-payroll-delay`` → ``Payroll Delay``: a placeholder title from the id."""
    words = [w.capitalize() for w in ident.split("-") if not w.isdigit()]
    return " ".join(words) or ident


def facts(hb: Handbook) -> Facts:
    org = hb.organization
    im = hb.incident_manager
    tree = build_call_tree(hb)
    dept = hb.departments[0]
    # The new person reports to someone in the first department who can take one more call
    # without passing the fan-out limit (a warning above warn_fanout is acceptable).
    members = ([dept.head] if dept.head else []) + [p.id for p in hb.people if p.department == dept.id and p.id != dept.head]
    reachable = [m for m in members if m in tree.depth and tree.depth[m] < org.call_tree.max_depth]
    calls = {m: len(tree.children.get(m, [])) for m in reachable}
    manager = (
        next((m for m in reachable if calls[m] < org.call_tree.warn_fanout), None)
        or next((m for m in reachable if calls[m] < org.call_tree.max_fanout), None)
        or tree.root
        or (im.primary if im else hb.people[0].id)
    )
    domains = [c.value.split("@", 1)[1] for p in hb.people for c in p.contacts if c.kind == "work-email"]
    example = phonenumbers.example_number_for_type(org.phone_region, phonenumbers.PhoneNumberType.MOBILE) \
        or phonenumbers.example_number(org.phone_region)
    return Facts(
        department=dept.id,
        manager=manager,
        level=hb.levels[0].id,
        lowest_level=hb.levels[-1].id,
        im_role=im.id if im else hb.roles[0].id,
        im_person=im.primary if im else hb.people[0].id,
        dependency=hb.critical_dependencies[0].id if hb.critical_dependencies else None,
        email_domain=max(set(domains), key=domains.count) if domains else "example.com",
        phone=phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.INTERNATIONAL),
        phone_region=org.phone_region,
        timezone=org.timezone,
    )


def person_entry(ident: str, f: Facts, today: dt.date) -> str:
    name = _title(ident)
    email = f"{ident.replace('-', '.')}@{f.email_domain}"
    return f"""\
# Added with `handbook new person` on {today}. Replace every value marked TODO.
- id: {ident}
  name: {_q(name)}                    # TODO: full name as colleagues know it
  title: "TODO: their job title"
  department: {f.department}               # TODO: department id from departments.yaml
  reports_to: {f.manager}           # TODO: their manager's id; the manager calls them when chat and e-mail are down
  location: ""                         # office or city, e.g. "Chicago HQ" or "remote, Denver"
  # timezone: {f.timezone}         # only if different from the organization's
  contacts:                            # most reliable first
    - kind: mobile                     # mobile, sms, landline, work-phone, work-email, personal-email, secure-messenger, radio
      value: "TODO: their mobile number, e.g. {f.phone}"
      # label: home                    # optional note, e.g. home or Signal
      # private: true                  # mobile, text, home and messenger contacts are private unless you say false
    - kind: work-email
      value: "TODO: their work e-mail, e.g. {email}"
      depends_on: [corp-email, sso]    # what this contact needs to work (ids from organization.yaml)
  last_verified: {today}               # the day they confirmed these contacts are right
  qualifications: []                   # incident roles they are trained for, e.g. [incident-manager]
"""


def drill_entry(ident: str, f: Facts, today: dt.date) -> str:
    failed = f"[{f.dependency}]" if f.dependency else "[]"
    planned = today + dt.timedelta(days=30)
    return f"""\
# Added with `handbook new drill` on {today}. Replace every value marked TODO.
- id: {ident}
  title: {_q(_title(ident))}              # TODO: a short title
  type: tabletop                       # tabletop, game-day, call-tree-test, failover, comms-outage, functional or full-scale
  scenario:
    narrative: "TODO: the story the facilitator tells at the start, in plain words: what has happened, when, and what people can see"
    failed_dependencies: {failed}       # systems that are down in the scenario (ids from organization.yaml)
  levels: [{f.level}]                      # severity levels the drill exercises
  objectives:                          # what the drill must show, one per line
    - "TODO: an objective, e.g. Declare the incident and open the bridge within 15 minutes"
  departments: [{f.department}]               # TODO: department ids taking part
  facilitator: {f.im_person}           # TODO: person id of whoever runs it
  cadence: 365d                        # how often it repeats; delete the line for a one-off
  length: 2h                           # how long it takes
  injects:                             # surprises during the exercise, in time order
    - at: 0m
      message: "TODO: what the facilitator says or hands out"
      expected_action: "TODO: what a good response does"
      role: {f.im_role}              # role id expected to act
  runs:                                # past and planned runs
    - date: {planned}                  # TODO: the date it is planned for
      start: "10:00"                   # start time, in quotes
      status: planned                  # planned, done or cancelled
      # After the drill, set status: done and fill in:
      # participants: [{f.department}]          # department ids that took part
      # people_count: 12                  # how many people took part
      # reached_percent: 95               # call-tree tests: share of people reached
      # minutes_to_reach: 25              # call-tree tests: minutes until the last person confirmed
      # notes: ""
      # findings:                         # what was learnt, each with a corrective action
      #   - text: Nobody knew where the policy number was kept.
      #     action:
      #       text: Print the policy number in every binder.
      #       owner: {f.im_person}
      #       due: {today + dt.timedelta(days=60)}
      #       status: open                # open, done or wont-do
      #       ticket: ""
"""


def partner_entry(ident: str, f: Facts, today: dt.date) -> str:
    return f"""\
# Added with `handbook new partner` on {today}. Replace every value marked TODO.
- id: {ident}
  name: {_q(_title(ident))}               # TODO: company or agency name
  category: vendor                     # insurer, broker, breach-counsel, forensics, pr, law-enforcement, regulator, isac, vendor, cloud or msp
  services:                            # what they do for us, one per line
    - "TODO: what they do for us in an incident"
  contacts:                            # the number to call first at the top
    - label: 24x7 hotline
      name: ""                         # a named contact, if any
      phone: "TODO: their hotline number, e.g. {f.phone}"
      email: null                      # e-mail address, if any
      url: ""                          # web address of a reporting portal, if any
      hours: 24x7                      # 24x7 or business-hours
      hotline: true                    # true for the number to call first
  engage_when:
    levels: [{f.level}]                    # severity levels at which to call them
    scenarios:                         # situations in plain words
      - "TODO: when to call them"
  engaged_by: {f.im_role}           # role id that makes the call
  owner: {f.im_person}                 # TODO: person id who keeps this entry current
  contract:
    kind: none                         # retainer, panel, policy, msa or none
    number: ""                         # policy or contract number; never shown on the public site
    start: {today}                     # TODO: when the contract started
    end: null                          # when it ends; the checks warn 60 days ahead
    sla: ""                            # what they promise, e.g. "On site within 24 hours"
  # notification_deadline: 72h         # how soon they must be told after an incident is found
  pre_approved: false                  # on the insurer's panel or otherwise pre-approved
  last_verified: {today}               # the day someone confirmed these contacts
  notes: ""
"""


def postmortem_file(ident: str, f: Facts, today: dt.date) -> str:
    return f"""\
# yaml-language-server: $schema=../../schemas/postmortem.schema.json
#
# Postmortem (Correction of Errors), added with `handbook new postmortem` on {today}.
#
# How to edit:
# - Replace every value marked TODO. Write for someone who was not there. Blame no one:
#   ask what made the mistake easy.
# - Put this id in incidents.yaml under the incident it is about (postmortem: {ident}).
# - Timeline times use the full date, time and UTC offset: 2026-03-03T04:41:00-06:00.
# - Every action item needs an owner (person id), a due date and a status.

id: {ident}
title: {_q(_title(ident))}                # TODO: short title
incident_date: {today}                 # TODO: the day the incident began
level: {f.lowest_level}                            # TODO: severity level id it was declared at
status: draft                          # draft, in-review or closed
owner: {f.im_person}                   # TODO: person id who writes it
# review_meeting: {today}              # the date of the review meeting, once held
# approved_by: []                      # person ids who approved it, where the level's policy names approvers

summary: "TODO: what happened, in three sentences"

impact: "TODO: who was affected and how much: customers, orders, money, staff"

timeline:                              # key moments in order
  - at: {today}                        # TODO: 2026-03-03T04:41:00-06:00
    text: "TODO: what happened at this moment"

detection: ""                          # how we found out
trigger: ""                            # what set it off
contributing_factors: []               # conditions that made it worse, one per line
five_whys: []                          # "Why?" asked until the root cause, one per line
root_cause: ""                         # the root cause in one sentence
resolution: ""                         # how it was resolved

lessons:
  went_well: []
  went_wrong: []
  got_lucky: []

action_items: []                       # corrections of error, for example:
#  - type: prevent                     # mitigate, prevent, detect, process or document
#    text: Add a second approval for sends above 10,000 people.
#    owner: {f.im_person}
#    due: {today + dt.timedelta(days=30)}
#    status: open                      # open, done or wont-do
#    ticket: ""
#    priority: priority                # one of organization.yaml's action_priorities, if it has any
"""


ENTRIES = {"person": person_entry, "drill": drill_entry, "partner": partner_entry}


class ScaffoldError(Exception):
    """The entry cannot be added; the message says why and what to do."""


def align_comments(block: str, column: int = 40) -> str:
    """Line up the comments after values (written as ``value  # comment``) at one column."""
    out = []
    for line in block.splitlines():
        value, sep, comment = line.partition("  # ")
        if sep and value.strip():
            line = f"{value.rstrip().ljust(column - 2)}  # {comment.strip()}"
        out.append(line)
    return "\n".join(out) + "\n"


def _reindent(block: str, dash_col: int, offset: int) -> str:
    out = []
    for line in block.splitlines():
        if not line.strip():
            out.append("")
            continue
        if line.startswith("- "):
            line = "-" + " " * (offset - 1) + line[2:]
        elif line.startswith("  "):
            line = " " * offset + line[2:]
        out.append(" " * dash_col + line)
    return "\n".join(out) + "\n"


def insert_into_list(text: str, key: str, block: str) -> str:
    """The file text with ``block`` (an item at column 0, continuation lines indented by two)
    added as the last item of the top-level list ``key``."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(root, yaml.MappingNode):
        raise ScaffoldError("the file does not hold a mapping at the top")
    keys = [k.value for k, _ in root.value]
    if key not in keys:
        raise ScaffoldError(f"the file has no '{key}:' list")
    index = keys.index(key)
    key_node, seq = root.value[index]
    if not isinstance(seq, yaml.SequenceNode):
        raise ScaffoldError(f"'{key}:' is not a list")
    lines = text.splitlines(keepends=True)
    if not seq.value or seq.flow_style:
        if seq.value:
            raise ScaffoldError(f"'{key}:' is written on one line ([...]); write it as a list of '- ' items first")
        # `people: []` becomes a block list holding the new entry.
        head = text[: key_node.end_mark.index] + ":"
        tail = text[seq.end_mark.index:]
        return head + "\n" + _reindent(block, 2, 2) + tail.lstrip(" ").removeprefix("\n")
    dash_col = seq.start_mark.column
    offset = seq.value[0].start_mark.column - dash_col if isinstance(seq.value[0], yaml.MappingNode) else 2
    offset = max(offset, 2)
    entry = _reindent(block, dash_col, offset)
    if index == len(keys) - 1:
        # The list ends the file: append, after any comments at the end.
        return text + ("" if text.endswith("\n") else "\n") + "\n" + entry
    # Another key follows: insert before it and before the comments that introduce it.
    at = root.value[index + 1][0].start_mark.line
    while at > 0 and (not lines[at - 1].strip() or lines[at - 1].lstrip().startswith("#")):
        at -= 1
    return "".join(lines[:at]) + "\n" + entry + "".join(lines[at:])


def existing_ids(path: Path, key: str) -> set[str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    items = data.get(key) if isinstance(data, dict) else None
    return {i.get("id") for i in items or [] if isinstance(i, dict)}


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def id_problem(ident: str) -> str | None:
    """Why ``ident`` cannot be the id of a new entry, or None.

    fullmatch, not match: the ``$`` of SLUG_RE also matches before a final line break, so
    ``$'evil\n'`` passed and wrote ``postmortems/evil<newline>.yaml`` and a broken entry. The
    length is the models' own bound: the id names a file of the site and of postmortems/.
    """
    if len(ident) > MAX_ID:
        short = re.sub(r"[^a-z0-9]+", "-", ident.lower()[:MAX_ID]).strip("-") or "my-id"
        return (f"the id is {len(ident):,} characters long, more than the {MAX_ID} an id may have: "
                f"shorten it, e.g. '{short}'")
    if not SLUG_RE.fullmatch(ident):
        suggestion = re.sub(r"[^a-z0-9]+", "-", ident.lower()).strip("-")[:MAX_ID].strip("-") or "my-id"
        return f"{shown(ident)} is not an id: use lowercase letters, digits and hyphens, e.g. '{suggestion}'"
    return None


def new_entry(kind: str, data_dir: Path, ident: str, today: dt.date | None = None) -> int:
    """Add the entry, validate, print the findings; 0 when its placeholders are the only errors."""
    today = today or dt.date.today()
    problem = id_problem(ident)
    if problem is not None:
        print(f"handbook new: {problem}", file=sys.stderr)
        return 2
    # Loading is enough to know the ids; the rules run once, on the result.
    before = load_handbook(data_dir, today)
    if before.handbook is None:
        print(format_text(before.findings, before.files))
        if all(x.code == "HB106" for x in before.findings if x.level == "error"):
            print("handbook new: write the TODO: values above first (the entry added last), then add the next "
                  "one; the entry was not added.", file=sys.stderr)
        else:
            print("handbook new: fix the errors above first; the entry was not added.", file=sys.stderr)
        return 1
    f = facts(before.handbook)
    try:
        if kind == "postmortem":
            folder = data_dir / "postmortems"
            path = folder / f"{ident}.yaml"
            if path.exists() or ident in before.handbook.index["postmortems"]:
                raise ScaffoldError(f"a postmortem with the id '{ident}' already exists; choose another id")
            folder.mkdir(exist_ok=True)
            path.write_text(align_comments(postmortem_file(ident, f, today)), encoding="utf-8")
        else:
            fname, key = LISTS[kind]
            path = data_dir / fname
            if ident in existing_ids(path, key):
                raise ScaffoldError(f"{fname} already has an entry with the id '{ident}'; choose another id")
            text = path.read_text(encoding="utf-8")
            block = align_comments(ENTRIES[kind](ident, f, today))
            path.write_text(insert_into_list(text, key, block), encoding="utf-8")
    except ScaffoldError as exc:
        print(f"handbook new: {exc}", file=sys.stderr)
        return 1
    after = validate(data_dir, today)
    mine = [x for x in after.findings if x.code == "HB106" and Path(x.file).resolve() == path.resolve()]
    others = [x for x in after.findings if x not in mine]
    print(f"Added {kind} '{ident}' to {_display(path)}. Write the values marked TODO: ({len(mine)} in the file); "
          "until then, handbook validate reports each one as an error at its line:")
    print(format_text(mine + others, after.files))
    if any(x.level == "error" for x in others):
        print("handbook new: the data has other errors too; fix the errors above.", file=sys.stderr)
        return 1
    return 0
