"""The printed documents in the organization's words: with other terms in organization.yaml, the
department binders, the wallet card, the call-tree sheets, the postmortem form and the list of
printed files (all from ``print_jobs``/``print_plan``) say them, and not the default words.

The pages a binder prints (the department page, the roles, the severity page …) have their own
tests; here the words of macros/partials/printing/ are checked.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from html.parser import HTMLParser

import pytest

from tests.conftest import REPO, TODAY

TERMS = {"incident_manager": "duty commander", "postmortem": "learning review", "call_tree": "phone cascade",
         "bridge": "war room line", "hotline": "ops desk", "level": "priority class", "drill": "exercise"}
DEFAULTS = ["incident manager", "postmortem", "call tree", "call-tree", "incident bridge", "incident hotline",
            "severity level", "drill"]


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.out: list[str] = []

    def handle_data(self, data: str) -> None:
        self.out.append(data)


def text(html: str) -> str:
    """The words of a document, as a reader sees them (the head's title included)."""
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.out).split())


def defaults_in(words: str) -> list[str]:
    return [d for d in DEFAULTS if re.search(re.escape(d), words, re.IGNORECASE)]


@pytest.fixture(scope="module")
def ctx():
    """The sample with other terms; the data's own names for the lead role and the bridge (which
    the wallet card prints as they are) renamed too, so no default word comes from the data."""
    from preparedness_handbook.macros.context import make_context
    from preparedness_handbook.validators.engine import validate
    from preparedness_handbook.validators.models.organization import Terms

    hb = validate(REPO / "data", dt.date.fromisoformat(TODAY)).handbook
    assert hb is not None
    im = hb.incident_manager
    assert im is not None
    hb = dataclasses.replace(
        hb,
        organization=hb.organization.model_copy(update={"terms": Terms(**TERMS)}),
        roles=[r.model_copy(update={"name": "Duty commander"}) if r.id == im.id else r for r in hb.roles],
        channels=[c.model_copy(update={"name": "War room line"}) if c.id == hb.bridge_id else c for c in hb.channels],
    )
    return make_context(hb, "internal", version="test")


@pytest.fixture(scope="module")
def jobs(ctx) -> dict[str, str]:
    from preparedness_handbook.macros.printing.binders import print_jobs

    return {j.name: j.html for j in print_jobs(ctx)}


def test_wallet_card_says_the_organizations_words(jobs) -> None:
    card = text(jobs["wallet-card.pdf"])
    assert "Wallet card — " in card and "Duty commander" in card and "call in this order" in card
    assert defaults_in(card) == []


def test_call_tree_sheets_say_the_organizations_words(jobs) -> None:
    sheets = text(jobs["call-tree.pdf"])
    assert sheets.startswith("Phone-cascade sheets — ")
    assert "Sheet 1: " in sheets and "Read this on the call" in sheets
    assert defaults_in(sheets) == []


def test_department_binder_cover_and_chapters_say_the_organizations_words(jobs) -> None:
    binder = jobs["sales.pdf"]
    cover = text(binder[: binder.index('<nav class="hb-toc">')])
    assert "War room line: " in cover and "Report an incident, day or night:" in cover
    assert defaults_in(cover) == []
    words = text(binder)
    assert "Recognise and declare an incident" in words and "What to do right now" in words
    assert "Priority classes in detail" in words
    assert "Severity levels in detail" not in words and "Incident bridge:" not in words


def test_postmortem_form_head_says_the_organizations_words(jobs) -> None:
    form = jobs["postmortem-template.pdf"]
    head = text(form[: form.index("</section>")])
    assert head.startswith("Learning review form — ")
    assert "Correction of Errors (learning review)" in head and "the handbook's learning reviews" in head
    assert defaults_in(head) == []


def test_list_of_printed_files_says_the_organizations_words(ctx) -> None:
    from preparedness_handbook.macros.printing.binders import print_plan

    plan = {f.name: f for f in print_plan(ctx)}
    assert plan["handbook.pdf"].who == "Duty commanders, leaders, anyone who wants everything"
    assert plan["call-tree.pdf"].title == "Phone-cascade sheets"
    assert plan["postmortem-template.pdf"].title == "Learning review form"
    for f in plan.values():
        assert defaults_in(f"{f.title} {f.who}") == [], f.name


def test_handbook_volumes_say_the_organizations_words(ctx, monkeypatch) -> None:
    """Printed in volumes, the handbook says where the call tree is, and counts its exercises and
    reviews, in the organization's words."""
    from preparedness_handbook.macros.printing.binders import print_plan

    monkeypatch.setenv("HANDBOOK_PDF_MEMORY_MB", "250")
    ctx.cache.clear()
    try:
        books = [f for f in print_plan(ctx) if f.series == "handbook"]
        assert len(books) >= 2
        holds = " ".join(f.who for f in books)
        # The chapters' titles are the pages' own headings; the runs of item pages are counted here.
        assert re.search(r"\d+ exercises \(“", holds) and re.search(r"\d+ learning reviews \(“", holds), holds
        assert not re.search(r"\b(drill|postmortem)s? [(“]", holds), holds
        assert defaults_in(" ".join(f.title for f in books)) == []
        first = text(str(books[0].make()))
        assert "the phone cascade branch by branch, which is on the phone-cascade sheets (call-tree.pdf)" in first
        assert f"The whole handbook is in {len(books)} volumes. This is volume 1." in first
        book = " ".join(text(str(f.make())) for f in books)
        assert "Every branch of the phone cascade, with everyone's number, is printed on the phone-cascade sheets" in book
    finally:
        ctx.cache.clear()
