"""HB506 on call trees far deeper than any organization has: one finding per line of calls, a
ceiling on max_depth, no recursion anywhere from the data to the finding.

A `reports_to` chain 450 deep used to pass with `max_depth: 1000` and then end the build in a
RecursionError in the views that draw the tree; the chains here are generated, not committed.
"""

from __future__ import annotations

import time
from pathlib import Path

from preparedness_handbook.validators.calltree import DEPTH_CEILING, build_call_tree
from tests.conftest import copy_minimal, run_validate

from .conftest import said

# In the minimal organization jon-park is called 3 hand-offs after the incident manager
# (ben-cole → ada-king → eva-moss → jon-park); the chain hangs below him.
JON_DEPTH = 3


def chain(n: int):
    def edit(docs) -> None:
        prev = "jon-park"
        for i in range(n):
            pid = f"chain-{i:04d}"
            docs["people.yaml"]["people"].append({
                "id": pid, "name": f"Chain Person {i}", "title": "Support Agent",
                "department": "customer-service", "reports_to": prev,
                "contacts": [{"kind": "mobile", "value": f"+1 312 555 {2000 + i % 4000:04d}"},
                             {"kind": "landline", "value": f"+1 312 555 {6000 + i % 4000:04d}"}],
                "last_verified": "2026-10-01", "qualifications": [],
            })
            prev = pid
    return edit


def with_max_depth(limit: int, n: int):
    def edit(docs) -> None:
        chain(n)(docs)
        docs["organization.yaml"]["organization"]["call_tree"]["max_depth"] = limit
    return edit


def test_a_450_deep_chain_is_one_finding_at_the_first_person_beyond_the_limit(make) -> None:
    hb = make(chain(450))
    # chain-0001 is 5 hand-offs away (the limit); chain-0002 is the 6th, and 447 people follow.
    assert said(hb, "HB506") == [
        "people.yaml people[12].reports_to: error Chain Person 2 (chain-0002) is called 6 hand-offs after the "
        "incident manager, more than the limit of 5, and so are the 447 people called after them (give them "
        "or someone above them a caller nearer the top with an override)"
    ]


def test_one_person_below_the_first_beyond_the_limit(make) -> None:
    hb = make(chain(4))
    assert said(hb, "HB506") == [
        "people.yaml people[12].reports_to: error Chain Person 2 (chain-0002) is called 6 hand-offs after the "
        "incident manager, more than the limit of 5, and so is the person called after them (give them "
        "or someone above them a caller nearer the top with an override)"
    ]


def test_max_depth_above_the_ceiling_is_an_error_and_the_ceiling_holds(make) -> None:
    hb = make(with_max_depth(1000, 450))
    first_beyond = DEPTH_CEILING + 1 - JON_DEPTH - 1  # chain-NNNN is JON_DEPTH + NNNN + 1 hand-offs away
    assert said(hb, "HB506") == [
        "organization.yaml organization.call_tree.max_depth: error max_depth is 1000, more than the 20 "
        "hand-offs a call tree may have (set max_depth to 20 or less; a longer line of calls reaches its "
        "last person too late)",
        f"people.yaml people[{10 + first_beyond}].reports_to: error Chain Person {first_beyond} "
        f"(chain-{first_beyond:04d}) is called 21 hand-offs after the incident manager, more than the limit "
        f"of 20, and so are the {450 - first_beyond - 1} people called after them (give them or someone "
        "above them a caller nearer the top with an override)",
    ]


def test_max_depth_at_the_ceiling_with_a_tree_that_fits(make) -> None:
    hb = make(with_max_depth(DEPTH_CEILING, DEPTH_CEILING - JON_DEPTH))
    assert max(build_call_tree(hb).depth.values()) == DEPTH_CEILING
    assert said(hb, "HB506") == []


def test_a_chain_of_5000_is_walked_without_recursion(make) -> None:
    # Five times Python's recursion limit: a walk that recursed per hand-off would fail here.
    hb = make(chain(5000))
    start = time.perf_counter()
    tree = build_call_tree(hb)
    assert tree.depth["chain-4999"] == JON_DEPTH + 5000
    assert len(tree.subtree("jon-park")) == 5001
    assert tree.path_to("chain-4999")[:2] == ["ben-cole", "ada-king"]
    assert tree.branch_of("chain-4999") == "ada-king"
    assert len(said(hb, "HB506")) == 1
    assert time.perf_counter() - start < 2.0


def test_the_command_stops_before_building_a_450_deep_tree(tmp_path: Path) -> None:
    # The same case through `handbook validate`, as a pull request would meet it.
    data = copy_minimal(tmp_path / "data")
    people = (data / "people.yaml").read_text(encoding="utf-8")
    prev, rows = "jon-park", []
    for i in range(450):
        rows.append(
            f"  - id: chain-{i:04d}\n    name: Chain Person {i}\n    title: Support Agent\n"
            f"    department: customer-service\n    reports_to: {prev}\n    contacts:\n"
            f"      - kind: mobile\n        value: \"+1 312 555 {2000 + i:04d}\"\n"
            f"      - kind: landline\n        value: \"+1 312 555 {6000 + i:04d}\"\n"
            "    last_verified: 2026-10-01\n    qualifications: []\n"
        )
        prev = f"chain-{i:04d}"
    (data / "people.yaml").write_text(people + "".join(rows), encoding="utf-8")
    org = data / "organization.yaml"
    org.write_text(org.read_text(encoding="utf-8").replace("max_depth: 5", "max_depth: 1000"), encoding="utf-8")

    run = run_validate(tmp_path, "--format", "text")

    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
    assert run.stdout.splitlines()[:2] == [
        "data/organization.yaml:38:16: error HB506 organization.call_tree.max_depth: max_depth is 1000, more "
        "than the 20 hand-offs a call tree may have (set max_depth to 20 or less; a longer line of calls "
        "reaches its last person too late)",
        "data/people.yaml:341:17: error HB506 people[27].reports_to: Chain Person 17 (chain-0017) is called 21 "
        "hand-offs after the incident manager, more than the limit of 20, and so are the 432 people called "
        "after them (give them or someone above them a caller nearer the top with an override)",
    ]
    assert run.stdout.splitlines()[2] == "2 errors, 0 warnings in 11 files"
