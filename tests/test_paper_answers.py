"""A binder read with nothing else at hand answers the questions of a tabletop: who leads and who
is their backup, with numbers; what to do if nobody calls; whose branch a stand-in calls; which
partner must be told within how many hours, by whom. Asserted on the sample's session build."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.build


def text(pdf: Path) -> str:
    return " ".join(" ".join(page.extract_text() or "" for page in PdfReader(pdf).pages).split())


@pytest.fixture(scope="module")
def binders(built_site: Path) -> dict[str, str]:
    return {p.stem: text(p) for p in (built_site / "pdf").glob("*.pdf")}


def test_every_department_binder_names_the_incident_manager_and_each_backup_with_numbers(binders) -> None:
    for name in ("sales", "finance", "customer-service", "legal", "communications"):
        assert ("Incident manager: Tomás Herrera, Incident and Resilience Manager · IT — Mobile: +1 773-555-0123. "
                "If they do not answer, call Rahul Desai, IT Director · IT — Mobile: +1 708-555-0108, then Grace Liu"
                ) in binders[name], name


def test_every_department_binder_says_what_to_do_when_no_call_comes(binders) -> None:
    for name in ("sales", "hr", "marketing"):
        assert ("No call within 30 minutes? Call the person who should have called you (your manager). "
                "If they do not answer, call the incident hotline.") in binders[name], name


def test_the_stand_in_finds_the_branch_in_their_own_binder(binders) -> None:
    assert ("If you stand in for another caller Claire Donovan: if Tomás Herrera cannot call them, you call "
            "Renata Alvarez, Chief Executive Officer · Executive team — Mobile: +1 773-555-0101. "
            "They then call their 44 people.") in binders["communications"]


def test_a_callee_with_a_second_number_shows_it_and_the_stand_in_caller_has_a_number(binders) -> None:
    comms = binders["communications"]
    assert re.search(r"If their caller is out, [A-ZÁ-Ú][\w\s]+ \(\+1 \d{3}-\d{3}-\d{4}\) calls\.", comms)
    handbook = binders["call-tree"] + " ".join(binders.values())
    assert re.search(r"Mobile: \+1 [\d-]+\. (Home|Landline|Work phone)[^:]*: \+1 [\d-]+\.", handbook)


def test_the_notification_deadlines_are_one_table_in_exact_hours(binders) -> None:
    for name in ("legal", "executive"):
        b = binders[name]
        assert "Deadlines to tell partners" in b, name
        assert "Each clock starts at the moment named in its row (most start when the incident is found, not when it is declared)" in b
        assert "Tillwise Payments Key vendors 24 hours from when the incident is found Technical lead: Mohammed Al-Sayed" in b
        assert "72 hours (3 calendar days, weekends included)" in b
        assert "3 days" not in b.replace("(3 calendar days", "")
    assert "Deadlines to tell partners" not in binders["sales"]
    assert "Deadlines to tell them" in binders["handbook"]


def test_a_partners_main_number_no_longer_reads_call_this_partner_first(binders) -> None:
    assert "Call first:" not in binders["handbook"]
    assert "Their main number:" in binders["handbook"]


def test_the_department_page_on_the_site_has_the_right_now_block(built_site: Path) -> None:
    page = (built_site / "departments" / "sales" / "index.html").read_text(encoding="utf-8")
    assert 'id="right-now"' in page
    body = " ".join(re.sub(r"<[^>]+>", " ", page[page.index('id="right-now"'):]).split())
    assert "What to do right now" in page
    assert "Call the incident hotline: +1 312-555-0111" in body
    assert "Join the incident bridge: +1 312-555-0100 · PIN 740 291 6#" in body


def _steps(dept):
    """Every action of a department that names what it uses (a Step), at every level and when
    systems are down."""
    from preparedness_handbook.validators.models.departments import Step

    actions = [a for acts in dept.playbook.values() for a in acts] + list(dept.other_levels)
    actions += [a for mode in dept.degraded_mode for a in mode.instead]
    return [a for a in actions if isinstance(a, Step)]


def test_each_binder_carries_the_number_of_everything_its_actions_tell_the_reader_to_call(binders) -> None:
    """The tabletop's first finding: "call the payments line" with no number in the binder. Each
    partner, person, role holder and channel an action names is printed with its number in that
    department's own binder."""
    from preparedness_handbook.validators.models.common import format_phone
    from preparedness_handbook.validators.queries import best_phone
    from tests.test_privacy import sample

    hb = sample()
    checked, missing = 0, []
    for dept in hb.departments:
        binder = binders[dept.id]
        for step in _steps(dept):
            wanted: list[tuple[str, list[str]]] = []
            for pid in step.partners:
                partner = hb.partner(pid)
                wanted.append((partner.name, [format_phone(c.phone) for c in partner.contacts if c.phone]))
            people = list(step.people) + [r for rid in step.roles for r in hb.role(rid).people[:1]]
            for pid in people:
                best = best_phone(hb.person(pid))
                wanted.append((hb.person(pid).name, [format_phone(best.value)] if best else []))
            for cid in step.channels:
                channel = hb.channel(cid)
                wanted.append((channel.name, [format_phone(n) for n in [channel.number, *channel.other_numbers] if n]))
            for name, numbers in wanted:
                checked += 1
                if numbers and not any(n in binder for n in numbers):
                    missing.append(f"{dept.id}: {step.do[:50]!r} names {name}, whose number is not in the binder")
    assert checked >= 5, "the sample's actions name what they use"
    assert not missing, "\n".join(missing)


def test_everyone_in_every_department_is_reached_by_the_call_tree() -> None:
    """No department's reader waits for a call nobody makes: the call tree (from its root, by
    reporting lines, overrides and alternates) reaches every person in the data."""
    from tests.test_privacy import sample

    hb = sample()
    from preparedness_handbook.macros.context import make_context

    tree = make_context(hb, "internal").tree
    reached = {tree.root, *tree.caller}
    never = sorted(f"{p.name} ({p.department})" for p in hb.people if p.id not in reached)
    assert not never, "never called: " + ", ".join(never)


def test_every_department_binder_says_what_to_say_when_someone_outside_asks(binders) -> None:
    """"What may I say?" was the question every persona of the tabletop struggled with. Each
    binder has the words for each kind of asker, what to write down, and whom to pass them to,
    with that person's number."""
    from preparedness_handbook.validators.models.common import format_phone
    from preparedness_handbook.validators.queries import best_phone
    from tests.test_privacy import sample

    hb = sample()
    assert hb.enquiries
    for dept in hb.departments:
        binder = binders[dept.id]
        assert "If someone asks you" in binder, dept.id
        for q in hb.enquiries:
            assert " ".join(q.say.split()) in binder, (dept.id, q.audience)
            holder = hb.person(hb.role(q.pass_to).first)
            assert f"{holder.name}" in binder and format_phone(best_phone(holder).value) in binder, (dept.id, q.pass_to)
