"""The home, roles and escalation pages speak in the organization's words.

The pages' copy is in docs/ and macros/partials/ (home, roles, escalation, common). With other
terms in organization.yaml every generated mention follows them, and the default words remain
only where the data itself says them (a role named "Incident manager", a duty that mentions
"the severity level"). The practices' partner kinds and departments come from the data, and an
organization's partials/common/_words.html changes the contact words on every page.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re
from pathlib import Path

import pytest

from preparedness_handbook.macros.context import BuildContext, make_context
from preparedness_handbook.macros.site.blocks import render_page
from preparedness_handbook.macros.site.pages import Linker, doc_path
from preparedness_handbook.validators.engine import validate
from preparedness_handbook.validators.handbook import Handbook
from preparedness_handbook.validators.models.organization import Terms

REPO = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 12, 2)
BUILT = dt.datetime(2026, 12, 2, 1, 0, tzinfo=dt.UTC)

# The organization's words, chosen so that the sample data never says them.
OURS = Terms(
    incident_manager="incident commander",
    postmortem="post-incident review",
    call_tree="phone cascade",
    bridge="war room line",
    hotline="report line",
    level="incident class",
    drill="game day",
)
DEFAULTS = Terms()
NAMES = ["incident_manager", "postmortem", "call_tree", "bridge", "hotline", "level", "drill"]

# What each page must say in the organization's words (plain text, whitespace collapsed).
EXPECTED = {
    "home": [
        "Call the report line:", "Incident commander:", "Join the war room line:",
        "Check the incident classes", "Incident commander and escalation", "Incident classes",
        "Game days and exercises",
    ],
    "roles": ["Incident commander and roles", "Every incident has one **incident commander**",
              "decide the incident class"],
    "escalation": ["Each incident class follows one escalation chain"],
}


@pytest.fixture(scope="module")
def sample() -> Handbook:
    result = validate(REPO / "data", TODAY)
    assert result.handbook is not None and not result.errors
    return result.handbook


def with_terms(hb: Handbook, terms: Terms) -> Handbook:
    return dataclasses.replace(hb, organization=hb.organization.model_copy(update={"terms": terms}))


def context(hb: Handbook, profile: str = "internal") -> BuildContext:
    return make_context(hb, profile, built=BUILT, version="test")


def text(ctx: BuildContext, key: str) -> str:
    """The page's rendered source without tags, entities read, whitespace collapsed."""
    out = render_page(ctx, key, Linker("site", doc_path(key), True))
    out = re.sub(r"<svg\b.*?</svg>", " ", out, flags=re.S)  # the diagram's labels are render/svg.py's
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", out)).split())


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_the_page_says_the_organizations_words(sample: Handbook, key: str) -> None:
    ours = text(context(with_terms(sample, OURS)), key)
    for phrase in EXPECTED[key]:
        assert phrase in ours, f"{key}: {phrase!r} missing"


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_the_default_words_stay_only_where_the_data_says_them(sample: Handbook, key: str) -> None:
    """Every generated mention of a default term turns into the organization's term: the page
    with the defaults mentions each default as often as the data does plus as often as the page
    with the organization's terms mentions those."""
    default = text(context(with_terms(sample, DEFAULTS)), key).lower()
    ours = text(context(with_terms(sample, OURS)), key).lower()
    replaced = 0
    for name in NAMES:
        old, new = getattr(DEFAULTS, name), getattr(OURS, name)
        assert new not in default, f"{key}: the sample data says {new!r}; choose another test term"
        generated = ours.count(new)
        assert ours.count(old) == default.count(old) - generated, (
            f"{key}: {old!r} is still generated with {name} = {new!r}"
        )
        replaced += generated
    assert replaced, f"{key}: no term on the page"


def test_the_sample_reads_as_before(sample: Handbook) -> None:
    home = text(context(sample), "home")
    assert "Call the incident hotline:" in home and "Join the incident bridge:" in home
    assert "Check the severity levels" in home and "Four levels." in home
    assert "Incident manager and escalation" in home and "Drills and exercises" in home
    roles = text(context(sample), "roles")
    assert "Every incident has one **incident manager**. They run the response, decide the severity level," in roles
    assert "Each severity level follows one escalation chain." in text(context(sample), "escalation")


def practices(ctx: BuildContext) -> tuple[str, str]:
    page = text(ctx, "home")
    partners = re.search(r"Partners (.*?)(?: Every department |$)", page)
    departments = re.search(r"Every department (.*)$", page)
    assert partners and departments
    return partners.group(1), departments.group(1)


def test_the_practices_name_the_partner_kinds_and_departments_the_data_has(sample: Handbook) -> None:
    partners, departments = practices(context(sample))
    # the categories organization.yaml requires, in its order, named as a reader says them
    assert partners == "Insurer, broker, lawyers, forensics, PR, police, regulators: whom to call and when."
    assert departments == "All 11 departments, each with its own page and binder: not only the technical teams."

    no_forensics = dataclasses.replace(sample, partners=[p for p in sample.partners if p.category != "forensics"])
    partners, _ = practices(context(no_forensics))
    assert "forensics" not in partners and partners.startswith("Insurer, broker, lawyers, PR, police")

    none_required = dataclasses.replace(
        sample, organization=sample.organization.model_copy(update={"required_partner_categories": []}))
    partners, _ = practices(context(none_required))
    assert "key vendors" in partners and "cloud providers" in partners  # every category it has

    first = sample.departments[0]
    many = [first.model_copy(update={"id": f"dept-{n}", "name": f"Team {n}"}) for n in range(1, 21)]
    _, departments = practices(context(dataclasses.replace(sample, departments=many)))
    assert departments == "All 20 departments, each with its own page and binder: not only the technical teams."
    _, departments = practices(context(dataclasses.replace(sample, departments=many[:1])))
    assert departments == "One department, with its own page and binder."


def test_an_organizations_common_words_replace_the_defaults(sample: Handbook, tmp_path: Path) -> None:
    """partials/common/_words.html beside data/ changes the contact words on every page."""
    words = tmp_path / "partials" / "common" / "_words.html"
    words.parent.mkdir(parents=True)
    default = (REPO / "macros" / "partials" / "common" / "_words.html").read_text(encoding="utf-8")
    assert '"mobile": "Mobile"' in default and '"in the internal edition"' in default
    words.write_text(
        default.replace('"mobile": "Mobile"', '"mobile": "Cell phone"')
        .replace('"in the internal edition"', '"kept by the service desk"'),
        encoding="utf-8",
    )
    (tmp_path / "data").mkdir()
    moved = dataclasses.replace(sample, data_dir=tmp_path / "data")

    internal = text(context(moved), "roles")
    assert "Cell phone: +1 773-555-0123" in internal and "Mobile:" not in internal
    assert "Cell phone:" in text(context(moved), "home")

    public = text(context(moved, "public"), "roles")
    assert "(contacts kept by the service desk)" in public and "internal edition" not in public
    # the sample's own folder still has the defaults
    assert "(contacts in the internal edition)" in text(context(sample, "public"), "roles")
