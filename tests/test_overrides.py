"""An organization's own pages, partials and terms, on the site and in the PDFs.

The organization keeps ``docs/`` (pages) and ``partials/`` (Jinja partials) beside its ``data/``
folder, each file at the same relative path as the default it replaces, and its words in
``organization.yaml`` under ``terms:``. One build of the minimal organization with the files of
tests/fixtures/overrides shows them on the site and in the printed binders, escaped as every
other value, while the pages it did not write stay the defaults.
"""

from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from tests.conftest import FIXTURES, REPO, TODAY, run_cli

OVERRIDES = FIXTURES / "overrides"
MINIMAL = FIXTURES / "valid" / "minimal" / "data"
HOSTILE = "Tills down <script>alert(1)</script> {{ 7*7 }}"


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _pdf(path: Path) -> str:
    return " ".join(" ".join(page.extract_text() or "" for page in PdfReader(path).pages).split())


@pytest.fixture(scope="module")
def org(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("org")
    shutil.copytree(MINIMAL, root / "data")
    shutil.copytree(OVERRIDES / "docs", root / "docs")
    shutil.copytree(OVERRIDES / "partials", root / "partials")
    org_file = root / "data" / "organization.yaml"
    data = yaml.safe_load(org_file.read_text(encoding="utf-8"))
    data["organization"].update(yaml.safe_load((OVERRIDES / "terms.yaml").read_text(encoding="utf-8")))
    org_file.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    sev_file = root / "data" / "severity.yaml"
    sev = yaml.safe_load(sev_file.read_text(encoding="utf-8"))
    sev["levels"][0]["summary"] = HOSTILE
    sev_file.write_text(yaml.safe_dump(sev, sort_keys=False, allow_unicode=True), encoding="utf-8")
    run = run_cli("build", "--data", str(root / "data"), "--today", TODAY, "--site-dir", str(root / "site"),
                  "--no-offline", cwd=REPO, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    return root / "site"


def test_the_organizations_page_replaces_the_default_on_the_site(org: Path) -> None:
    page = _text((org / "severity" / "index.html").read_text(encoding="utf-8"))
    assert "Priorities at Fixture & Co" in page
    assert ("Our own words: ring the service desk first, then decide the priority with the "
            "incident commander.") in page
    assert "Pick the level that matches" not in page  # the default page's prose


def test_the_organizations_partial_replaces_the_default_on_the_site(org: Path) -> None:
    page = _text((org / "severity" / "index.html").read_text(encoding="utf-8"))
    assert "Who to wake up" in page
    assert "Write a post-incident review: yes." in page
    assert "You are here if" not in page  # the default partial's heading
    # the partial the organization did not replace (the matrix) is still the default one
    assert "Who may declare" in page


def test_pages_it_did_not_write_stay_the_defaults(org: Path) -> None:
    roles = _text((org / "roles" / "index.html").read_text(encoding="utf-8"))
    assert "Our own words" not in roles
    assert (org / "communications" / "index.html").is_file()


def test_the_navigation_uses_the_organizations_terms(org: Path) -> None:
    home = (org / "index.html").read_text(encoding="utf-8")
    start = home.index("md-nav--primary")
    nav = _text(home[start:home.index('class="md-content"', start)])
    assert "Priorities" in nav
    assert "Incident commander and roles" in nav
    assert "Exercises" in nav
    assert "Severity levels" not in nav and "Incident manager and roles" not in nav


def test_a_value_from_the_data_is_escaped_in_an_organizations_partial(org: Path) -> None:
    html = (org / "severity" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&#123;&#123; 7*7 &#125;&#125;" in html  # braces as entities: never a template
    assert " 49 " not in _text(html)


def test_the_binders_print_the_organizations_page_and_partial(org: Path) -> None:
    handbook = _pdf(org / "pdf" / "handbook.pdf")
    assert "Our own words: ring the service desk first" in handbook
    assert "Who to wake up" in handbook
    assert "Pick the level that matches" not in handbook
    assert "<script>" in handbook  # printed as text, as written
    department = next(p for p in (org / "pdf").glob("*.pdf")
                      if p.name not in ("handbook.pdf", "wallet-card.pdf", "postmortem-template.pdf")
                      and not p.name.startswith("call-tree"))
    assert "Who to wake up" in _pdf(department)
