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

from tests.conftest import FIXTURES, REPO, TODAY, once_per_run, run_cli

OVERRIDES = FIXTURES / "overrides"
MINIMAL = FIXTURES / "valid" / "minimal" / "data"
HOSTILE = "Tills down <script>alert(1)</script> {{ 7*7 }}"


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _pdf(path: Path) -> str:
    return " ".join(" ".join(page.extract_text() or "" for page in PdfReader(path).pages).split())


@pytest.fixture(scope="module")
def org(tmp_path_factory: pytest.TempPathFactory) -> Path:
    def make(root: Path) -> None:
        shutil.copytree(MINIMAL, root / "data")
        shutil.copytree(OVERRIDES / "docs", root / "docs")
        shutil.copytree(OVERRIDES / "partials", root / "partials")
        shutil.copyfile(OVERRIDES / "mkdocs.yml", root / "mkdocs.yml")
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
        (root / "build.log").write_text(run.stderr, encoding="utf-8")

    return once_per_run(tmp_path_factory, "overrides", make) / "site"


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


def _material_config(html: str) -> dict:
    import json

    start = html.index('<script id="__config" type="application/json">') + len('<script id="__config" type="application/json">')
    return json.loads(html[start:html.index("</script>", start)])


def test_its_small_mkdocs_yml_merges_over_the_defaults(org: Path) -> None:
    home = (org / "index.html").read_text(encoding="utf-8")
    assert 'data-md-color-primary="indigo"' in home  # its colours
    assert 'data-md-color-primary="red"' not in home
    assert "md-tabs" in home  # its feature: navigation.tabs
    assert 'href="assets/ours.css"' in home and 'href="assets/handbook.css"' in home  # both stylesheets
    assert (org / "assets" / "ours.css").is_file() and (org / "assets" / "handbook.css").is_file()
    assert '<link rel="canonical" href="https://handbook.fixture.example/">' in home  # its site_url
    assert "<title>Minimal Example Incident Handbook</title>" in home  # the name still comes from the data
    # the defaults it did not write: no web fonts, the Markdown extensions (a heading's permalink)
    assert "fonts.googleapis.com" not in home
    assert 'class="headerlink"' in (org / "severity" / "index.html").read_text(encoding="utf-8")


def test_its_extra_page_is_built_and_in_the_navigation_and_its_readme_is_not(org: Path) -> None:
    page = (org / "after-hours" / "index.html").read_text(encoding="utf-8")
    text = _text(page)
    assert "After hours at Minimal Example Co" in text
    assert "the night desk answers on the service desk" in text  # its macros and terms work
    assert 'class="admonition note"' in page
    home = (org / "index.html").read_text(encoding="utf-8")
    nav = home[home.index("md-nav--primary"):]
    assert 'href="after-hours/"' in nav
    assert not (org / "README" / "index.html").exists()
    assert "README" not in (org / "sitemap.xml").read_text(encoding="utf-8")
    assert "mkdocs: " not in (org.parent / "build.log").read_text(encoding="utf-8")  # no MkDocs warning


def test_mkdocs_build_in_its_repository_gives_the_same_pages(org: Path) -> None:
    import subprocess
    import sys

    from tests.conftest import _env

    root = org.parent
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(root / "by-mkdocs")],
                         cwd=root, env=_env({"HANDBOOK_TODAY": TODAY, "NO_MKDOCS_2_WARNING": "1"}),
                         capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr
    ours = {p.relative_to(org).as_posix() for p in org.rglob("*.html")}
    theirs = {p.relative_to(root / "by-mkdocs").as_posix() for p in (root / "by-mkdocs").rglob("*.html")}
    assert theirs == ours
    assert _text((root / "by-mkdocs" / "severity" / "index.html").read_text(encoding="utf-8")) == \
        _text((org / "severity" / "index.html").read_text(encoding="utf-8"))
