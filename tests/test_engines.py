"""The site built by plain MkDocs and by ProperDocs, with the handbook plugin, in this repository.

`mkdocs build --strict` and `properdocs build --strict` read this repository's mkdocs.yml, whose
handbook plugin adds the pages made once per department, drill and postmortem, the default
settings and the navigation: each must give the same pages as `handbook build`, with every
internal link pointing at a page (and an anchor) that exists.
"""

from __future__ import annotations

import posixpath
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.conftest import REPO, TODAY, _env, once_per_run

pytestmark = pytest.mark.build


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"] or "")
        if tag in ("a", "link") and a.get("href"):
            self.hrefs.append(a["href"] or "")
        if tag in ("script", "img") and a.get("src"):
            self.hrefs.append(a["src"] or "")


def broken_links(site: Path) -> list[str]:
    """Every internal href or src of every page whose file, or anchor on a page, does not exist."""
    pages: dict[Path, _Links] = {}
    for page in site.rglob("*.html"):
        links = pages[page] = _Links()
        links.feed(page.read_text(encoding="utf-8"))
    broken = []
    for page, links in sorted(pages.items()):
        for href in links.hrefs:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith(("mailto:", "tel:", "sms:", "data:", "javascript:")):
                continue
            if parts.path.startswith("/"):  # from the site's root (404.html: it is served at any depth)
                target = Path(posixpath.normpath(str(site / unquote(parts.path).lstrip("/"))))
            elif parts.path:
                target = Path(posixpath.normpath(str(page.parent / unquote(parts.path))))
            else:
                target = page
            if target.is_dir():
                target = target / "index.html"
            where = f"{page.relative_to(site)}: {href}"
            if not target.is_file():
                broken.append(where)
            elif parts.fragment and target in pages and unquote(parts.fragment) not in pages[target].ids:
                broken.append(where + " (no such anchor)")
    return broken


@pytest.fixture(scope="module")
def repo_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This repository as an engine reads it: mkdocs.yml, docs/ and data/ (nothing else needed)."""
    root = tmp_path_factory.mktemp("repo")
    shutil.copyfile(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copytree(REPO / "data", root / "data")
    return root


def _engine(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    run = subprocess.run(args, cwd=cwd, env=_env({"HANDBOOK_TODAY": TODAY, "NO_MKDOCS_2_WARNING": "1"}),
                         capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    return run


@pytest.fixture(scope="module")
def mkdocs_site(repo_copy: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return once_per_run(tmp_path_factory, "mkdocs-site", lambda out: _engine(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out / "site")], repo_copy)) / "site"


@pytest.fixture(scope="module")
def properdocs_site(repo_copy: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    properdocs = shutil.which("properdocs", path=str(Path(sys.executable).parent))
    assert properdocs, "ProperDocs is a test dependency: pip install -e '.[test]'"
    return once_per_run(tmp_path_factory, "properdocs-site", lambda out: _engine(
        [properdocs, "build", "--strict", "-f", "mkdocs.yml", "-d", str(out / "site")], repo_copy)) / "site"


def _pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def test_the_link_check_finds_a_broken_link(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text('<a href="a/">ok</a> <a href="b/">no</a> <a href="#top">x</a>'
                                         '<h1 id="here">h</h1><a href="#here">ok</a>', encoding="utf-8")
    (tmp_path / "a" / "index.html").write_text('<a href="../#here">ok</a><a href="../#gone">no</a>'
                                               '<a href="/a/">ok</a><a href="/c/">no</a>', encoding="utf-8")
    assert broken_links(tmp_path) == ["a/index.html: ../#gone (no such anchor)", "a/index.html: /c/", "index.html: b/",
                                      "index.html: #top (no such anchor)"]


def test_mkdocs_build_gives_every_page_of_handbook_build(mkdocs_site: Path, built_site: Path) -> None:
    made_by_handbook = {p for p in _pages(built_site) if not p.startswith("pdf/")}
    assert _pages(mkdocs_site) == made_by_handbook
    assert "departments/sales/index.html" in _pages(mkdocs_site)  # a page made for a data item
    assert (mkdocs_site / "exports" / "handbook.json").is_file()  # the plugin writes the exports too


def test_mkdocs_build_has_no_broken_internal_link(mkdocs_site: Path) -> None:
    assert broken_links(mkdocs_site) == []


def test_handbook_build_has_no_broken_internal_link(built_site: Path) -> None:
    assert broken_links(built_site) == []


def test_properdocs_builds_the_same_pages_with_no_broken_link(properdocs_site: Path, mkdocs_site: Path) -> None:
    assert _pages(properdocs_site) == _pages(mkdocs_site)
    assert broken_links(properdocs_site) == []
    sales = (properdocs_site / "departments" / "sales" / "index.html").read_text(encoding="utf-8")
    assert sales.count("<h1") == 1 and "Sales" in sales


def test_the_same_text_from_each_engine(mkdocs_site: Path, properdocs_site: Path, built_site: Path) -> None:
    import re

    def main(site: Path, page: str) -> str:
        html = (site / page).read_text(encoding="utf-8")
        body = html[html.index('<article'):html.index("</article>")]
        return " ".join(re.sub(r"<[^>]+>", " ", body).split())

    for page in ("severity/index.html", "departments/sales/index.html", "roles/index.html"):
        assert main(mkdocs_site, page) == main(built_site, page), page
        assert main(properdocs_site, page) == main(mkdocs_site, page), page


def test_no_block_stand_in_is_left_on_any_page(built_site: Path, mkdocs_site: Path) -> None:
    # While Python-Markdown converts a page, each data block stands in it as one word, put back
    # after (macros/site/plugin.py): no word may be left, and every block is back in its frame.
    for site in (built_site, mkdocs_site):
        pages = {p: p.read_text(encoding="utf-8") for p in site.rglob("*.html")}
        assert [p for p, html in pages.items() if "hbblock" in html] == []
        sales = pages[site / "departments" / "sales" / "index.html"]
        assert sales.count('<div class="hb-block" markdown="0">\n') >= 5


def _article(html: str) -> str:
    import re

    body = html[html.index("<article"):html.index("</article>")]
    return re.sub(r"\d\d:\d\d UTC", "HH:MM UTC", body)  # the time of the build


def test_an_organizations_own_macros_module_gives_the_same_pages(tmp_path: Path) -> None:
    # With a main.py of its own (mkdocs-macros' local module), mkdocs-macros runs every page's
    # macros, not the handbook plugin: the pages must be the same, and the organization's macro works.
    plain, own = tmp_path / "plain", tmp_path / "own"
    for root in (plain, own):
        root.mkdir()
        shutil.copyfile(REPO / "mkdocs.yml", root / "mkdocs.yml")
        shutil.copytree(REPO / "tests" / "fixtures" / "valid" / "minimal" / "data", root / "data")
        (root / "docs").mkdir()
        (root / "docs" / "extra.md").write_text("# Extra\n\nThe {{ term('incident_manager') }} leads.\n",
                                                encoding="utf-8")
    (own / "main.py").write_text("def define_env(env):\n    env.variables['motto'] = 'Ready <b>now</b>'\n",
                                 encoding="utf-8")
    (own / "docs" / "motto.md").write_text("# Motto\n\n{{ motto }}\n", encoding="utf-8")
    for root in (plain, own):
        _engine([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(root / "site")], root)
    pages = sorted(p.relative_to(plain / "site") for p in (plain / "site").rglob("index.html"))
    assert len(pages) > 20
    for page in pages:
        html = (plain / "site" / page).read_text(encoding="utf-8")
        assert _article(html) == _article((own / "site" / page).read_text(encoding="utf-8")), page
    assert "Ready <b>now</b>" in (own / "site" / "motto" / "index.html").read_text(encoding="utf-8")
