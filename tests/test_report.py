"""`handbook report` and the Readiness page: what the sample data makes overdue, the scores and
how they are computed, the three formats, and the same content on the site."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import json
import re
from pathlib import Path

import pytest

from preparedness_handbook.macros.context import make_context
from preparedness_handbook.macros.render.html import e
from preparedness_handbook.macros.site.blocks import render_page
from preparedness_handbook.macros.site.pages import Linker
from preparedness_handbook.macros.views.readiness import (
    md_escape,
    readiness,
    render_markdown,
    render_report,
)
from preparedness_handbook.validators.engine import validate
from preparedness_handbook.validators.handbook import Handbook
from tests.conftest import REPO, TODAY, run_cli

BUILT = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)


def load(today: str = TODAY) -> Handbook:
    result = validate(REPO / "data", dt.date.fromisoformat(today))
    assert result.handbook is not None
    return result.handbook


@pytest.fixture(scope="module")
def hb() -> Handbook:
    return load()


@pytest.fixture(scope="module")
def later() -> Handbook:
    """The sample a year on, with nothing updated: much is overdue."""
    return load("2027-12-31")


def page_html(hb: Handbook) -> str:
    ctx = make_context(hb, "internal", built=BUILT, version="test")
    return render_page(ctx, "readiness", Linker("site", "readiness.md", True))


# --- the command -----------------------------------------------------------------------------

def test_text_report_on_the_sample() -> None:
    run = run_cli("report", "--today", TODAY, cwd=REPO)
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert out.startswith("Readiness of Harbor & Pine Outfitters as of 27 Nov 2026\n")
    assert "Overall readiness: 98/100 (the average of the area scores, each area counted equally)" in out
    assert re.search(r"Contact details\s+98/100\s+51 of 52 people checked their phone numbers in the last 180 days", out)
    assert re.search(r"Channels\s+90/100\s+10 of 11 channels were tested", out)
    assert "1. Ask these 5 people to check their numbers:" in out
    assert ("- Tyler Johnson (Engineering): last checked 2 Apr 2026, 239 days ago (ask via Lars Eriksson)") in out
    assert "2. Renew these contracts:\n     - Prairie IT Services: contract ends 10 Jan 2027 (ask Rahul Desai)" in out
    assert "[NEVER] Direct phone call — primary; never tested; owner Tomás Herrera" in out
    assert "[not required] SEV 4 — Low — never exercised (not required)" in out


def test_report_is_deterministic_for_one_today() -> None:
    first = run_cli("report", "--today", TODAY, "--format", "json", cwd=REPO)
    second = run_cli("report", "--today", TODAY, "--format", "json", cwd=REPO)
    assert first.returncode == 0 and first.stdout == second.stdout
    data = first.json
    assert data["as_of"] == TODAY
    assert data["overall"] == {"score": 98, "how": "the average of the area scores, each area counted equally"}
    assert [a["key"] for a in data["areas"]] == ["contacts", "drills", "partners", "actions", "templates", "channels"]
    contacts = data["areas"][0]
    assert (contacts["passed"], contacts["total"], contacts["score"]) == (51, 52, 98)
    overdue = contacts["groups"][0]["entries"]
    assert [(x["subject"], x["state"], x["date"], x["who"]) for x in overdue] == [
        ("Tyler Johnson (Engineering)", "overdue", "2026-04-02", "Lars Eriksson")
    ]
    assert [x["subject"] for x in contacts["groups"][1]["entries"]] == [
        "Jake Morrison (Customer Service)", "Nadia Ivanova (People and Workplace)",
        "Olga Petrenko (Finance)", "Diego Ramírez (Marketing)",
    ]
    assert len(data["contact_verification_age_days"]) == 52
    assert [t["title"] for t in data["todo"]] == [
        "Ask these 5 people to check their numbers", "Renew these contracts", "Test these channels end to end",
    ]


def test_markdown_report() -> None:
    run = run_cli("report", "--today", TODAY, "--format", "markdown", cwd=REPO)
    assert run.returncode == 0
    out = run.stdout
    assert out.startswith("# Readiness of Harbor & Pine Outfitters as of 27 Nov 2026\n")
    assert "| Area | Score | How it is computed |" in out
    assert "| Contact details | 98 |" in out
    assert "## Channels: 90/100" in out
    assert "- **NEVER** Direct phone call — primary; never tested; owner Tomás Herrera" in out


def test_report_refuses_broken_data(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    run = run_cli("report", "--data", "data", "--today", TODAY, cwd=tmp_path)
    assert run.returncode == 1
    assert "HB010" in run.stderr and "Traceback" not in run.stderr


# --- what the data makes overdue a year later ---------------------------------------------------

def test_a_year_later_everything_overdue_is_listed(later: Handbook) -> None:
    r = readiness(later)
    by_key = {a.key: a for a in r.areas}
    assert by_key["templates"].score == 0
    assert all(x.state == "expired" for x in by_key["templates"].groups[0].entries)
    contracts = {x.subject: x.state for x in by_key["partners"].groups[0].entries}
    assert contracts["Prairie IT Services"] == "expired"
    assert contracts["Lakeshore Mutual Insurance — Cyber Claims"] == "expired"
    drills = by_key["drills"]
    levels = {x.subject: x.state for x in drills.groups[0].entries}
    # The last SEV 1 drill, 18 Nov 2026, is more than 365 days before 31 Dec 2027.
    assert levels["SEV 1 — Critical"] == "overdue"
    assert drills.score < 100
    programme = {x.subject: x for x in drills.groups[3].entries}
    tree = programme["Quarterly call-tree test"]
    assert tree.state == "overdue"
    assert "planned for 3 Dec 2026 but not recorded as done" in tree.detail
    actions = by_key["actions"]
    overdue = [x.subject for x in actions.groups[0].entries]
    assert "Move the order system's backups to a separate cloud account with its own login." in overdue
    assert actions.score == 0
    titles = [t.title for t in r.todos]
    assert "Book these drills" in titles and "Chase these overdue actions" in titles
    assert "Re-approve these message templates" in titles
    assert r.overall < 50


def test_scores_round_down_and_empty_areas_score_full(hb: Handbook) -> None:
    r = readiness(hb)
    contacts = r.area("contacts")
    assert contacts.score == 98  # 51/52 = 98.08
    quiet = dataclasses.replace(hb, templates=[])
    assert readiness(quiet).area("templates").score == 100
    assert r.overall == sum(a.score for a in r.areas) // len(r.areas)


def test_never_run_drill_and_never_drilled_department(hb: Handbook) -> None:
    drills = [d.model_copy(update={"runs": [r for r in d.runs if "security" not in (r.participants or d.departments)]})
              if "security" in d.departments else d for d in hb.drills]
    r = readiness(dataclasses.replace(hb, drills=drills))
    departments = {x.subject: (x.state, x.detail) for x in r.area("drills").groups[1].entries}
    assert departments["Security"] == ("never", "never took part")
    programme = {x.subject: x for x in r.area("drills").groups[3].entries}
    assert programme["Ransomware in the shops and the order system"].state == "never"
    book = next(t for t in r.todos if t.title == "Book these drills")
    assert "A drill with Security (last: never)" in book.items


def test_markdown_escapes_the_data(hb: Handbook) -> None:
    people = [p.model_copy(update={"name": "Tyler *Bold* | [link](http://x) <b>"}) if p.id == "tyler-johnson" else p
              for p in hb.people]
    out = render_markdown(readiness(dataclasses.replace(hb, people=people)))
    assert "Tyler \\*Bold\\* \\| \\[link\\](http://x) \\<b\\>" in out
    assert md_escape("R&D & more &amp;") == "R\\&D & more \\&amp;"


# --- the page ---------------------------------------------------------------------------------

def test_page_says_what_the_report_says(hb: Handbook) -> None:
    page = page_html(hb)
    r = readiness(hb)
    assert f"Overall readiness: {r.overall}/100" in page
    for todo in r.todos:
        assert e(todo.title) in page
        for item in todo.items:
            assert e(item) in page
    for a in r.areas:
        assert e(a.how) in page
        for g in a.groups:
            for x in g.entries:
                assert e(x.detail) in page
    assert page.count("<svg") == 3
    assert 'aria-label="People by days since they last checked their contacts"' in page


def test_histogram_counts_everyone(hb: Handbook) -> None:
    page = page_html(hb)
    histogram = page[page.index('aria-label="People by days since'):]
    histogram = histogram[: histogram.index("</svg>")]
    counts = [int(n) for n in re.findall(r"<title>[^<]*: (\d+)</title>", histogram)]
    assert sum(counts) == len(hb.people)
    assert "<title>over 180: 1</title>" in histogram


def test_page_escapes_names_and_never_runs_them(hb: Handbook) -> None:
    people = [p.model_copy(update={"name": "<script>alert(1)</script>{{ x }}"}) if p.id == "tyler-johnson" else p
              for p in hb.people]
    page = page_html(dataclasses.replace(hb, people=people))
    assert "<script>" not in page and "{{" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&#123;&#123; x &#125;&#125;" in page


def test_built_dashboard(built_site: Path) -> None:
    page = (built_site / "readiness" / "index.html").read_text(encoding="utf-8")
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    assert "Overall readiness: 98/100" in text
    assert "Ask these 5 people to check their numbers" in text
    assert "Tyler Johnson (Engineering)" in text
    assert page.count("<svg") >= 2
    assert 'href="../exports/drills.ics"' in page


def test_json_format_is_json(hb: Handbook) -> None:
    data = json.loads(render_report(hb, "json"))
    assert data["organization"] == "Harbor & Pine Outfitters"
    assert sum(q["done"] + q["planned"] for q in data["drills_by_quarter"]) > 0
