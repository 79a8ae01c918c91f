"""The offline copy: a zip of the site that opens and searches from file://, loading nothing remote.

The browser test uses Debian's Chromium through the session `browser` fixture (tests/browser.py):
it fails, rather than skips, when Chromium is missing.
"""

from __future__ import annotations

import html.parser
import re
import urllib.parse
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from preparedness_handbook.handbook.build import _EXTERNAL_LOADS

PARTNER = "Northlight Forensics"
PARTNER_ID = "partner-northlight-forensics"


@pytest.fixture(scope="module")
def offline_site(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The offline zip unpacked, as someone would on a laptop or USB stick."""
    dest = tmp_path_factory.mktemp("offline")
    with zipfile.ZipFile(built_site / "offline" / "handbook-offline.zip") as zf:
        zf.extractall(dest)
    return dest / "handbook"


def test_zip_holds_the_site_with_search_for_file_urls(offline_site: Path) -> None:
    assert (offline_site / "index.html").is_file()
    assert (offline_site / "partners.html").is_file(), "file:// needs page.html, not page/ URLs"
    assert (offline_site / "search" / "search_index.js").is_file(), "the offline plugin inlines the index"
    shim = offline_site / "assets" / "javascripts" / "iframe-worker-shim.js"
    assert shim.is_file() and (shim.parent / "iframe-worker-LICENSE.txt").is_file()
    index = (offline_site / "index.html").read_text(encoding="utf-8")
    assert '<script src="assets/javascripts/iframe-worker-shim.js"></script>' in index


def test_nothing_in_the_zip_loads_from_the_internet(offline_site: Path) -> None:
    hits = []
    for path in sorted(offline_site.rglob("*")):
        if path.suffix in (".html", ".css", ".js"):
            text = path.read_text(encoding="utf-8", errors="replace")
            hits += [f"{path.name}: {m.group(0)[:100]}" for rx in _EXTERNAL_LOADS for m in rx.finditer(text)]
            if path.suffix == ".html":
                hits += [f"{path.name}: {m}" for m in re.findall(r"unpkg\.com|cdn\.jsdelivr|fonts\.googleapis", text)]
    assert not hits, "\n".join(hits[:20])


def test_check_catches_a_remote_script() -> None:
    page = '<script src="https://unpkg.com/iframe-worker/shim"></script><link rel="stylesheet" href="//cdn.example/x.css">'
    assert sum(1 for rx in _EXTERNAL_LOADS for _ in rx.finditer(page)) == 2
    assert not any(rx.search('<a href="https://example.com">x</a><link rel="canonical" href="https://x/">') for rx in _EXTERNAL_LOADS)


def test_search_works_from_file_url(browser, offline_site: Path) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    remote: list[str] = []
    page.on("request", lambda r: remote.append(r.url) if re.match(r"https?:", r.url) else None)
    page.goto((offline_site / "index.html").as_uri())
    assert page.url.startswith("file://")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    box = page.locator("input.md-search__input")
    result = page.locator(".md-search-result__item a").first
    # From file:// the index loads through a script and an iframe worker; keys typed before it is
    # ready are not searched again, so type again if nothing came (as a person would).
    for _ in range(4):
        box.fill("")
        box.press_sequentially(PARTNER, delay=30)
        try:
            result.wait_for(timeout=5_000)
            break
        except PlaywrightTimeout:
            continue
    result.wait_for(timeout=1_000)
    assert PARTNER in page.locator(".md-search-result").inner_text()
    result.click()
    page.wait_for_load_state()
    assert page.url.startswith("file://") and "partners.html" in page.url
    entry = page.locator(f"[id='{PARTNER_ID}']").first
    entry.wait_for(timeout=5_000)
    assert entry.is_visible() and PARTNER in entry.inner_text()
    assert remote == [], f"the offline copy asked the network for {remote}"
    page.close()


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.found.append(value)


def test_every_link_in_the_zip_resolves_inside_it(offline_site: Path) -> None:
    """No link of the offline copy leads to a PDF, an export or a page that is not in the zip."""
    missing = []
    for path in sorted(offline_site.rglob("*.html")):
        if path.name == "404.html" and path.parent == offline_site:
            continue  # a web server's page, with site-absolute links; a browser opening files never shows it
        parser = _Links()
        parser.feed(path.read_text(encoding="utf-8"))
        for ref in parser.found:
            target = urllib.parse.urlsplit(ref)
            if target.scheme or target.netloc or not target.path:  # other sites, mailto:, tel:, #anchors
                continue
            resolved = (path.parent / urllib.parse.unquote(target.path)).resolve()
            if resolved.is_dir():
                resolved = resolved / "index.html"
            if not resolved.is_file() or not resolved.is_relative_to(offline_site.resolve()):
                missing.append(f"{path.relative_to(offline_site)}: {ref}")
    assert not missing, "links that lead nowhere in the offline copy:\n" + "\n".join(sorted(set(missing))[:40])
    printed = (offline_site / "printed.html").read_text(encoding="utf-8")
    assert "The PDFs are not in this offline copy" in printed
    assert "handbook.pdf" in printed  # the files are still named, for printing from elsewhere
