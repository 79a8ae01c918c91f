"""Values from YAML are data, never markup or template: hostile values end up as inert text.

One organization (the minimal one with hostile values written into names, Markdown fields,
templates and scenarios) is built once, with PDFs, while a local HTTP server counts requests.
"""

from __future__ import annotations

import http.server
import threading
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from tests.conftest import TODAY, copy_minimal, run_cli

SCRIPT = "<script>window.__pwned = 1</script>"
IMG = '<img src=x onerror="window.__pwned = 2">'
# Rendered, this would print JINJA-RAN and 12012; the source text holds neither.
JINJA = '{{ config.site_name }}{% if true %}{{ "JINJA" ~ "-RAN" }}{{ 6006 * 2 }}{% endif %}'


class _Counter(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's API
        _Counter.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def trap_server():
    _Counter.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory, trap_server) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    data = copy_minimal(root / "data")
    port = trap_server.server_address[1]
    remote = f"![x](http://127.0.0.1:{port}/pixel.png) ![y](file:///etc/passwd) [click](javascript:alert(1))"

    def departments(d):
        dept = d["departments"][0]
        dept["name"] = f"Exec </title>{SCRIPT}"
        dept["purpose"] = f"**Bold** {IMG} <b onclick=alert(1)>raw</b> {JINJA} {remote}"
        dept["playbook"]["sev1"].append(f"Call {SCRIPT} then {JINJA}")

    def people(d):
        d["people"][0]["name"] = f"Ada {IMG}"
        d["people"][0]["title"] = JINJA

    def comms(d):
        d["call_tree"]["script"] = f"Say this. {SCRIPT} {remote} {JINJA}"
        if d.get("templates"):
            d["templates"][0]["body"] = f"Dear {{customer}}, {JINJA} {SCRIPT}"

    def drills(d):
        d["drills"][0]["scenario"]["narrative"] = f"Story {remote} {IMG}"
        # Entities that an unescaping template filter would turn into tags, and an attribute break-out.
        d["drills"][0]["title"] = f'Drill {JINJA} &lt;/title&gt;&lt;script&gt;window.__pwned = 3&lt;/script&gt; " onmouseover="window.__pwned = 4'


    def organization(d):
        d["organization"]["handbook_title"] = f"Handbook {SCRIPT} {JINJA}"

    _edit(data / "organization.yaml", organization)
    _edit(data / "departments.yaml", departments)
    _edit(data / "people.yaml", people)
    _edit(data / "communications.yaml", comms)
    _edit(data / "drills.yaml", drills)
    run = run_cli("build", "--data", "data", "--today", TODAY, "--site-dir", "site", cwd=root, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    return root / "site"


def _html_files(site: Path) -> list[Path]:
    return [p for p in site.rglob("*.html")]


def test_no_request_reached_the_local_server(hostile_site: Path) -> None:
    assert _Counter.hits == []


class _Elements(HTMLParser):
    """Script elements, event-handler attributes and link targets, as a browser would parse them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.handlers: list[str] = []
        self.urls: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._in_script = tag == "script"
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "src") and value:
                self.urls.append(value)

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def test_no_script_or_handler_from_the_data(hostile_site: Path) -> None:
    for path in _html_files(hostile_site):
        s = path.read_text(encoding="utf-8")
        parsed = _Elements()
        parsed.feed(s)
        assert not [x for x in parsed.scripts if "__pwned" in x], path
        assert not parsed.handlers, (path, parsed.handlers)
        assert not [u for u in parsed.urls if "alert(" in u or u.strip().lower().startswith("file:")], path
        assert "127.0.0.1" not in " ".join(parsed.urls), path
        assert "JINJA-RAN" not in s and "12012" not in s, path  # the Jinja in the data never ran


def test_hostile_values_show_as_text(hostile_site: Path) -> None:
    s = (hostile_site / "departments" / "executive" / "index.html").read_text(encoding="utf-8")
    assert "Exec &lt;/title&gt;&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in s
    assert "&#123;&#123; config.site_name &#125;&#125;" in s
    assert "JINJA-RAN" not in s
    assert "<strong>Bold</strong>" in s  # Markdown still works
    assert "&lt;b onclick=alert(1)&gt;raw&lt;/b&gt;" in s


def test_pdf_text_shows_values_literally(hostile_site: Path) -> None:
    from pypdf import PdfReader

    reader = PdfReader(hostile_site / "pdf" / "executive.pdf")
    text = "".join(page.extract_text() or "" for page in reader.pages).replace("\n", "")
    assert "<script>window.__pwned = 1</script>" in text.replace("\n", " ") or "window.__pwned" in text
    assert "JINJA-RAN" not in text and "12012" not in text  # the Jinja in the data never ran
    assert '"JINJA" ~ "-RAN"' in text  # it is shown as the text it is


def test_no_script_runs_in_a_real_browser(hostile_site: Path, browser) -> None:
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for rel in ("departments/executive/index.html", "communications/index.html", "index.html"):
        page.goto((hostile_site / rel).as_uri())
        page.wait_for_timeout(200)
        assert page.evaluate("typeof window.__pwned") == "undefined", rel
        page.click("body")
    assert dialogs == []
    page.close()
