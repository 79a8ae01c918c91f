"""The handbook site built from the sample organization: what a reader sees on each page."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
import textstat
import yaml

from tests.conftest import REPO

DATA = REPO / "data"


def load(name: str) -> dict:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


def text_of(page: Path) -> str:
    """The words a reader sees in the page's main content (no nav, no diagrams)."""
    s = page.read_text(encoding="utf-8")
    main = s[s.find("<article"): s.find("</article>")]
    main = re.sub(r"<svg.*?</svg>", " ", main, flags=re.S)
    main = re.sub(r"<a class=\"headerlink\".*?</a>", " ", main, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", main))).strip()


def page(site: Path, rel: str) -> Path:
    path = site / rel / "index.html" if not rel.endswith(".html") else site / rel
    assert path.is_file(), f"missing page {rel}"
    return path


DEPARTMENTS = load("departments.yaml")["departments"]


def said(action: str | dict) -> str:
    """The sentence of an action as written: text, or a mapping's do: (what it uses is printed after it)."""
    return action if isinstance(action, str) else action["do"]
PARTNERS = load("partners.yaml")["partners"]
PEOPLE = load("people.yaml")["people"]
LEVELS = load("severity.yaml")["levels"]
DRILLS = load("drills.yaml")["drills"]


def test_build_log_has_no_mkdocs_warnings(built_site: Path) -> None:
    log = (built_site.parent / "build.log").read_text(encoding="utf-8")
    assert "mkdocs:" not in log
    assert "Built the internal handbook" in log


def test_home_says_what_to_do_right_now(built_site: Path) -> None:
    text = text_of(page(built_site, ""))
    assert "What to do right now" in text
    assert "Call the incident hotline: +1 312-555-0111" in text
    assert "Join the incident bridge: +1 312-555-0100 · PIN 740 291 6#" in text
    assert "Incident manager: Tomás Herrera" in text
    for d in DEPARTMENTS:
        assert d["name"] in text  # "find your department"
    for practice in ("Incident manager and escalation", "Talking when systems are down", "Severity levels",
                     "Root cause analysis", "Drills and exercises", "Partners", "Every department"):
        assert practice in text


def test_a_page_per_department_with_its_own_playbook(built_site: Path) -> None:
    nav = page(built_site, "").read_text(encoding="utf-8")
    for d in DEPARTMENTS:
        text = text_of(page(built_site, f"departments/{d['id']}"))
        assert text.startswith(d["name"])
        for level_id, actions in d["playbook"].items():
            for action in map(said, actions):
                assert action in text, f"{d['id']} misses its {level_id} action {action!r}"
        for other in DEPARTMENTS:
            if other["id"] != d["id"]:
                unique = [said(a) for acts in other["playbook"].values() for a in acts
                          if all(said(a) not in map(said, acts2) for acts2 in d["playbook"].values())]
                assert not any(a in text for a in unique[:3]), f"{d['id']} shows {other['id']}'s playbook"
        for mode in d.get("degraded_mode", []):
            for step in map(said, mode["instead"]):
                assert step in text
        assert f'href="departments/{d["id"]}/"' in nav  # nav entry, with no edit to mkdocs.yml
    assert len(list((built_site / "departments").glob("*/index.html"))) == len(DEPARTMENTS)


@pytest.mark.parametrize("dept", [d["id"] for d in DEPARTMENTS])
def test_department_pages_are_plain_language(built_site: Path, dept: str) -> None:
    score = textstat.flesch_reading_ease(text_of(page(built_site, f"departments/{dept}")))
    assert score >= 60, f"{dept}: Flesch reading ease {score:.1f} < 60"


def test_severity_matrix_and_level_details(built_site: Path) -> None:
    text = text_of(page(built_site, "severity"))
    assert "Severity levels, most severe first" in text
    for lv in LEVELS:
        assert lv["name"] in text
        for criterion in lv["criteria"]:
            assert criterion in text
        for example in lv["examples"]:
            assert example["text"] in text
    assert "15 minutes" in text and "every 30 minutes" in text


def test_escalation_chains_are_diagrams_and_lists(built_site: Path) -> None:
    s = page(built_site, "escalation").read_text(encoding="utf-8")
    chains = load("escalation.yaml")["chains"]
    assert s.count('<svg xmlns="http://www.w3.org/2000/svg" class="hb-diagram"') == len(chains)
    assert s.count('<ol class="hb-steps">') == len(chains)
    assert "<script" not in s.split("<article", 1)[1].split("</article>")[0]
    text = text_of(page(built_site, "escalation"))
    assert "At once. Tell Incident manager" in text


def test_communications_when_systems_are_down(built_site: Path) -> None:
    text = text_of(page(built_site, "communications"))
    org = load("organization.yaml")["organization"]
    for dep in org["dependencies"]:
        if dep.get("critical", True):
            assert f"If this is down: {dep['name']}" in text
    assert "Read this on the call" in text
    assert "Confirm back" in text
    s = page(built_site, "communications").read_text(encoding="utf-8")
    assert s.count('aria-label="Call tree from') >= 3
    for person in PEOPLE:  # the call tree reaches everyone, each with a name on the page
        assert person["name"] in text


def test_partner_directory_marks_expiring_contracts(built_site: Path) -> None:
    text = text_of(page(built_site, "partners"))
    for p in PARTNERS:
        assert p["name"] in text
    assert "contract ends 10 Jan 2027" in text
    assert "Insurance" in text and "Law enforcement" in text


def test_drill_pages_and_calendar(built_site: Path) -> None:
    index = text_of(page(built_site, "drills"))
    for d in DRILLS:
        assert d["title"] in index
        text = text_of(page(built_site, f"drills/{d['id']}"))
        assert text.startswith(d["title"])
        for objective in d["objectives"]:
            assert objective in text
    assert "Open actions from drills" in index


def test_postmortem_pages(built_site: Path) -> None:
    for path in sorted((DATA / "postmortems").glob("*.yaml")):
        pm = yaml.safe_load(path.read_text(encoding="utf-8"))
        text = text_of(page(built_site, f"rca/{pm['id']}"))
        assert text.startswith(pm["title"])
        assert "Five whys" in text and "Corrections of error" in text
    assert "The process" in text_of(page(built_site, "rca"))


def test_forms_page_and_a_page_per_form(built_site: Path) -> None:
    forms = load("forms.yaml")["forms"]
    index = text_of(page(built_site, "forms"))
    assert index.startswith("Forms and signs")
    for f in forms:
        assert f["name"] in index and f["purpose"] in index
        text = text_of(page(built_site, f"forms/{f['id']}"))
        assert text.startswith(f["name"])
        assert all(x["label"] in text for x in f.get("fields", []))
    said = re.sub(r"\s+([,.])", r"\1", index)
    assert "Printed in the binder of Finance." in said  # the manual payment record
    assert "Printed in the binders of" not in said
    door = page(built_site, "forms/door-sign").read_text(encoding="utf-8")
    assert '<div class="hb-sign">' in door
    # An action links to its form's page.
    cs = page(built_site, "departments/customer-service").read_text(encoding="utf-8")
    assert 'form: <a href="../../forms/paper-call-log/">Paper call log</a>' in cs


def test_data_reference_lists_fields_and_codes(built_site: Path) -> None:
    text = text_of(page(built_site, "reference"))
    assert "people.yaml" in text and "last_verified" in text
    assert "When they last confirmed these contacts are right" in text
    for code in ("HB001", "HB104", "HB202", "HB302", "HB501", "HB604", "HB705", "HB801"):
        assert code in text


@pytest.mark.parametrize(
    "term,expected_page",
    [
        ("Lakeshore Mutual", "partners/"),  # a partner
        ("Tomás Herrera", "roles/"),  # a person
        ("Scribe", "roles/"),  # a role
        ("Customer Service", "departments/customer-service/"),  # a department
        ("Tills are down in two", "severity/"),  # a term from a level's criteria
    ],
)
def test_search_index_finds_the_right_page(built_site: Path, term: str, expected_page: str) -> None:
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    hits = {doc["location"].split("#")[0] for doc in index["docs"] if term.lower() in (doc["title"] + " " + doc["text"]).lower()}
    assert expected_page in hits, f"{term!r} found only on {sorted(hits)}"
