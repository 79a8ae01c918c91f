"""Markup, a <style> block and Jinja in every text field of the sample data stay inert text.

The test walks the models: every field of every data file whose type accepts the hostile text
gets it appended (ids, references, numbers, dates and choices refuse it, and are left as they
are). One organization built from that data, with PDFs, exports and the offline zip, is then
scanned: no element, attribute or stylesheet from the data in any HTML page (site and zip) or in
the search index, no Jinja evaluated anywhere, the text shown as text in the PDFs with every
phone link still there, and the exports parsing to as many events and cards as the sample's.
A real browser opens the pages where names and numbers appear: no script runs, no style from
the data applies.
"""

from __future__ import annotations

import json
import types
import typing
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel, TypeAdapter

from tests.conftest import REPO, TODAY, once_per_run, pdf_text, run_cli

pytestmark = pytest.mark.build

MARK = "hbx"
# An element with a handler, a stylesheet that would hide every phone number, and Jinja that
# would print JINJA-RAN if anything rendered it.
PAYLOAD = (
    f'<img src=x class={MARK} onerror=alert(1)><style>/*{MARK}*/.hb-tel{{display:none}}</style>'
    "{{ 'JINJA' ~ '-RAN' }}"
)
JINJA_RAN = "JINJA-RAN"


def _arms(annotation: typing.Any) -> list[typing.Any]:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return [a for a in typing.get_args(annotation) if a is not type(None)]
    return [annotation]


def _accepts(annotation: typing.Any, text: str) -> bool:
    try:
        TypeAdapter(annotation).validate_python(text)
    except Exception:  # noqa: BLE001 - a type that refuses the text is not a text field
        return False
    return True


def inject(value: typing.Any, annotation: typing.Any, path: str, hit: list[str]) -> typing.Any:
    """The value with PAYLOAD appended to every text it holds that its field accepts."""
    for arm in _arms(annotation):
        base = typing.get_args(arm)[0] if typing.get_origin(arm) is typing.Annotated else arm
        origin = typing.get_origin(base)
        if isinstance(base, type) and issubclass(base, BaseModel) and isinstance(value, dict):
            out = {}
            for key, item in value.items():
                field = base.model_fields.get(key)
                if field is None:
                    out[key] = item
                    continue
                # pydantic keeps a field's own Annotated metadata (an id's pattern…) apart.
                ann = typing.Annotated[(field.annotation, *field.metadata)] if field.metadata else field.annotation
                mine: list[str] = []
                out[key] = inject(item, ann, f"{path}.{key}", mine)
                if isinstance(item, str) and mine:
                    # A value the model checks as a whole (a contact's number, by its kind).
                    try:
                        base.model_validate({**value, **out})
                    except Exception:  # noqa: BLE001
                        out[key], mine = item, []
                hit += mine
            return out
        if origin is list and isinstance(value, list):
            (inner,) = typing.get_args(base)
            return [inject(v, inner, f"{path}[{i}]", hit) for i, v in enumerate(value)]
        if origin is dict and isinstance(value, dict):
            _, inner = typing.get_args(base)
            return {k: inject(v, inner, f"{path}.{k}", hit) for k, v in value.items()}
        if isinstance(value, str) and _accepts(arm, value + " " + PAYLOAD):
            hit.append(path)
            return value + " " + PAYLOAD
    return value


def _hostile_data(dest: Path) -> list[str]:
    from preparedness_handbook.validators.models import FILES, POSTMORTEM_DIR, POSTMORTEM_MODEL

    hit: list[str] = []
    src = REPO / "data"
    files = [(name, model) for name, (model, _) in FILES.items()]
    files += [(f"{POSTMORTEM_DIR}/{p.name}", POSTMORTEM_MODEL) for p in sorted((src / POSTMORTEM_DIR).glob("*.yaml"))]
    for name, model in files:
        data = yaml.safe_load((src / name).read_text(encoding="utf-8"))
        out = dest / name
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(yaml.safe_dump(inject(data, model, name, hit), sort_keys=False, allow_unicode=True), encoding="utf-8")
    return hit


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    def make(root: Path) -> None:
        hit = _hostile_data(root / "data")
        (root / "hit.json").write_text(json.dumps(hit), encoding="utf-8")
        # Every name is 110 characters longer: the wallet card cannot fit on two sides, which the
        # build refuses (tests/test_print_layout.py) unless told this is the escaping test.
        run = run_cli("build", "--data", str(root / "data"), "--today", TODAY, "--site-dir", str(root / "site"),
                      cwd=REPO, env={"HANDBOOK_DEBUG_ALLOW_LONG_CARD": "1"}, timeout=900)
        assert run.returncode == 0, f"build failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"

    root = once_per_run(tmp_path_factory, "every-field", make)
    return root / "site", json.loads((root / "hit.json").read_text(encoding="utf-8"))


class _Live(HTMLParser):
    """Collects what the data made live: elements, handlers and styles carrying the mark."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.live: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {k for k, _ in attrs}
        if any(k.startswith("on") and MARK in (v or "") or k == "onerror" for k, v in attrs):
            self.live.append(f"<{tag}> with a handler")
        if tag == "img" and dict(attrs).get("src") == "x":
            self.live.append("<img src=x>")
        if MARK in " ".join(v or "" for k, v in attrs if k == "class") and tag != "span":
            self.live.append(f"<{tag} class={MARK}>")
        if "style" in names and MARK in (dict(attrs).get("style") or ""):
            self.live.append(f"<{tag} style=…{MARK}>")
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style and MARK in data:
            self.live.append("<style> from the data")


def live_markup(html: str) -> list[str]:
    parser = _Live()
    parser.feed(html)
    return parser.live


def test_every_text_field_was_injected(hostile):
    _, hit = hostile
    # Names, titles, Markdown fields, templates, scenarios… in every file.
    for expected in ("people.yaml.people[0].name", "organization.yaml.organization.name", "departments.yaml.departments[0].name",
                     "communications.yaml.templates[0].body", "drills.yaml.drills[0].scenario.narrative",
                     "partners.yaml.partners[0].name", "severity.yaml.levels[0].name", "roles.yaml.roles[0].name"):
        assert expected in hit, f"{expected} was not injected"
    files = {p.split(".yaml")[0] for p in hit}
    assert len(files) >= 11, files
    assert len(hit) > 300


def _html_files(site: Path):
    for path in sorted(site.rglob("*.html")):
        yield str(path.relative_to(site)), path.read_text(encoding="utf-8")
    with zipfile.ZipFile(site / "offline" / "handbook-offline.zip") as zf:
        for name in zf.namelist():
            if name.endswith(".html"):
                yield f"offline zip: {name}", zf.read(name).decode("utf-8")


def test_no_live_markup_in_any_page(hostile):
    site, _ = hostile
    bad, pages = [], 0
    for name, html in _html_files(site):
        pages += 1
        bad += [f"{name}: {x}" for x in live_markup(html)]
        if JINJA_RAN in html:
            bad.append(f"{name}: Jinja from the data ran")
    assert pages > 50
    assert not bad, "\n".join(bad[:30])
    # …and the hostile text is there, shown as text, where a name is shown.
    comms = (site / "communications" / "index.html").read_text(encoding="utf-8")
    assert f"&lt;img src=x class={MARK} onerror=alert(1)&gt;" in comms


def test_search_index_holds_text_only(hostile):
    site, _ = hostile
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    bad = [f"{d['location']}: {x}" for d in docs for x in live_markup(d["title"] + " " + d["text"])]
    assert not bad, "\n".join(bad[:30])
    assert not any(JINJA_RAN in d["text"] or JINJA_RAN in d["title"] for d in docs)


def _tel_links(pdf: Path) -> int:
    from pypdf import PdfReader

    n = 0
    for page in PdfReader(pdf).pages:
        for annot in page.get("/Annots") or []:
            uri = (annot.get_object().get("/A") or {}).get("/URI")
            n += bool(uri and str(uri).startswith("tel:"))
    return n


def test_pdfs_show_the_text_and_keep_every_number(hostile, built_site):
    site, _ = hostile
    pdfs = sorted((site / "pdf").glob("*.pdf"))
    # Every binder is written; the whole handbook may come in volumes (handbook-1.pdf, …) here,
    # where every text is longer than the sample's.
    def binder_names(folder: Path) -> set[str]:
        return {p.name for p in folder.glob("*.pdf") if not p.name.startswith("handbook")}

    assert binder_names(site / "pdf") == binder_names(built_site / "pdf")
    assert any(p.name.startswith("handbook") for p in pdfs)
    for pdf in pdfs:
        text = pdf_text(pdf)
        assert JINJA_RAN not in text, pdf.name
        assert "onerror=alert(1)" in text.replace("\n", ""), f"{pdf.name}: the hostile name is not shown as text"
    # The data's <style> would hide every number: each tel: link the sample prints is still there.
    # (The whole handbook grows past its page cap with the longer texts and leaves out the
    # department pages, which the department binders print: it is not compared.)
    binders = sorted(p.name for p in pdfs if not p.name.startswith("handbook") and p.name != "postmortem-template.pdf")
    assert len(binders) >= 10
    for name in binders:
        assert _tel_links(site / "pdf" / name) == _tel_links(built_site / "pdf" / name) > 0, name


def test_exports_parse_to_the_same_items(hostile, built_site):
    import icalendar
    import vobject

    site, _ = hostile
    for rel in ("exports/drills.ics",):
        mine = icalendar.Calendar.from_ical((site / rel).read_bytes())
        theirs = icalendar.Calendar.from_ical((built_site / rel).read_bytes())
        assert len(mine.walk("VEVENT")) == len(theirs.walk("VEVENT")) > 0
    for vcf in sorted((built_site / "exports" / "contacts").glob("*.vcf")):
        mine = list(vobject.readComponents((site / "exports" / "contacts" / vcf.name).read_text(encoding="utf-8")))
        theirs = list(vobject.readComponents(vcf.read_text(encoding="utf-8")))
        assert len(mine) == len(theirs), vcf.name
        assert all(MARK in c.fn.value for c in mine), vcf.name
    exported = json.loads((site / "exports" / "handbook.json").read_text(encoding="utf-8"))
    assert MARK in json.dumps(exported)  # data stays data in JSON, as JSON strings
    for path in site.rglob("*"):
        if path.suffix in (".json", ".xml", ".ics", ".vcf", ".txt") and path.is_file():
            assert JINJA_RAN not in path.read_text(encoding="utf-8", errors="replace"), path


@pytest.mark.browser
def test_no_script_runs_and_no_style_applies_in_a_browser(hostile, browser):
    import functools
    import http.server
    import threading

    site, _ = hostile

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    dialogs: list[str] = []
    try:
        page = browser.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        numbers = 0
        for rel in ("", "communications/", "roles/", "departments/sales/", "partners/", "severity/", "drills/"):
            page.goto(base + rel, wait_until="load")
            page.wait_for_timeout(100)
            assert page.locator(f"img.{MARK}, img[src='x']").count() == 0, rel
            hidden = page.evaluate(
                "() => [...document.querySelectorAll('.hb-tel')].filter(a => getComputedStyle(a).display === 'none').length"
            )
            assert hidden == 0, f"{rel}: a style from the data hid {hidden} phone numbers"
            assert page.evaluate(f"() => [...document.styleSheets].some(s => s.ownerNode && s.ownerNode.textContent.includes('{MARK}'))") is False
            numbers += page.locator(".hb-tel").count()
        assert numbers > 20
        page.close()
    finally:
        server.shutdown()
        server.server_close()
    assert dialogs == [], f"a script from the data ran: {dialogs}"
