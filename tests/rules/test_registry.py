"""The rule contract: unique codes, levels, documented with PASS/FAIL examples, all registered."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from preparedness_handbook.validators.codes import DATA_CODES
from preparedness_handbook.validators.rules import AREA_MODULES, REGISTRY, RULES
from preparedness_handbook.validators.rules.base import Rule

AREAS = {
    "3": "people", "4": "severity", "5": "communications", "6": "partners", "7": "drills",
    "8": "postmortems", "9": "departments",
}
INVALID = Path(__file__).resolve().parents[1] / "fixtures" / "invalid"


def test_codes_unique_sorted_and_apart_from_data_codes():
    codes = [r.code for r in RULES]
    assert len(codes) == len(set(codes)) == len(REGISTRY)
    assert codes == sorted(codes)
    assert not set(codes) & set(DATA_CODES)


def test_registry_matches_modules():
    defined = {
        (module.__name__, name): value
        for module in AREA_MODULES
        for name, value in vars(module).items()
        if isinstance(value, Rule)
    }
    assert sorted(r.code for r in defined.values()) == sorted(r.code for r in RULES)
    assert len(defined) == len(RULES)
    assert {id(r) for r in defined.values()} == {id(r) for r in RULES}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_contract(rule: Rule):
    assert re.fullmatch(r"HB[3-9]\d\d", rule.code)
    assert rule.level in ("error", "warning")
    assert rule.area == AREAS[rule.code[2]]
    lines = rule.doc.splitlines()
    assert len(lines) > 4 and lines[0].strip() and not lines[1].strip(), (
        f"{rule.code}: the docstring starts with a one-line summary and a blank line"
    )
    assert lines[0].endswith("."), f"{rule.code}: the summary is a sentence"
    assert "PASS:" in rule.doc and "FAIL:" in rule.doc, f"{rule.code}: PASS and FAIL examples"
    assert rule.doc.index("PASS:") < rule.doc.index("FAIL:")
    why = rule.doc.split("PASS:")[0].splitlines()[2:]
    assert any(line.strip() for line in why), f"{rule.code}: say why before the examples"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_has_a_fixture_case(rule: Rule):
    cases = sorted(INVALID.glob(f"rule-{rule.code.lower()}-*"))
    assert cases, f"add tests/fixtures/invalid/rule-{rule.code.lower()}-<what>/"
    for case in cases:
        expected = (case / "expected.txt").read_text(encoding="utf-8")
        assert re.search(rf"^{rule.code} ", expected, re.MULTILINE), f"{case.name} does not expect {rule.code}"
