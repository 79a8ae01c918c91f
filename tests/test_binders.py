"""The printed binders of the sample organization: sizes, page counts, covers, contents, contents
of each department's binder, the wallet card, the call-tree sheets, and the locked-down fetcher.

The PDFs come from the session's one `handbook build` (tests/site_build.py); only the US Letter
and fetcher tests render anything themselves, and only a few small documents.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import http.server
import re
import threading
import typing
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from tests.conftest import REPO, TODAY

MM = 72 / 25.4
A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)
WALLET = (85.6 * MM, 54 * MM)
DEPARTMENTS = yaml.safe_load((REPO / "data" / "departments.yaml").read_text(encoding="utf-8"))["departments"]


def _squash(text: str) -> str:
    """Text as a reader sees it: one space between words, whatever the line breaks."""
    return re.sub(r"\s+", " ", text).strip()


@functools.lru_cache(maxsize=64)
def reader(path: Path) -> PdfReader:
    return PdfReader(path)


@functools.lru_cache(maxsize=4096)
def page_text(path: Path, index: int) -> str:
    """One page's text (pypdf is slow: each page is read once per session, and only if needed)."""
    return reader(path).pages[index].extract_text() or ""


def page_count(path: Path) -> int:
    return len(reader(path).pages)


def pages_of(path: Path) -> tuple[str, ...]:
    return tuple(page_text(path, i) for i in range(page_count(path)))


@pytest.fixture(scope="module")
def ctx():
    """The sample data as the build saw it (internal profile), for what the PDFs must say."""
    from preparedness_handbook.macros.context import make_context
    from preparedness_handbook.validators.engine import validate

    result = validate(REPO / "data", dt.date.fromisoformat(TODAY))
    assert result.handbook is not None
    return make_context(result.handbook, "internal")


@pytest.fixture(scope="module")
def pdf(built_site: Path) -> Path:
    return built_site / "pdf"


def _size(page) -> tuple[float, float]:
    box = page.mediabox
    return float(box.width), float(box.height)


def test_every_pdf_is_written(pdf: Path) -> None:
    expected = {"handbook.pdf", "wallet-card.pdf", "call-tree.pdf", "postmortem-template.pdf"}
    expected |= {f"{d['id']}.pdf" for d in DEPARTMENTS}
    assert expected <= {p.name for p in pdf.glob("*.pdf")}


def test_pages_are_letter_for_a_us_organization(pdf: Path) -> None:
    """The sample is in Chicago (phone_region US, no paper: set): US Letter, as its printers hold."""
    for path in sorted(pdf.glob("*.pdf")):
        if path.name == "wallet-card.pdf":
            continue
        for n, page in enumerate(reader(path).pages, start=1):
            w, h = _size(page)
            assert abs(w - LETTER[0]) <= 1 and abs(h - LETTER[1]) <= 1, f"{path.name} page {n} is {w:.1f} × {h:.1f} pt"


def test_paper_follows_the_organizations_choice_then_its_country() -> None:
    from preparedness_handbook.validators.models.organization import Organization, paper_for

    def org(**extra: str) -> Organization:
        return Organization.model_validate({"name": "X", "timezone": "UTC", "dependencies": [], **extra})

    assert paper_for(org(phone_region="US")) == "letter"
    assert paper_for(org(phone_region="CA")) == "letter"
    assert paper_for(org(phone_region="GB")) == "a4"
    assert paper_for(org(phone_region="DE")) == "a4"
    assert paper_for(org(phone_region="US", paper="a4")) == "a4"


def test_page_counts(pdf: Path) -> None:
    counts = {p.name: page_count(p) for p in pdf.glob("*.pdf")}
    for d in DEPARTMENTS:
        # A department binder stays a booklet one person reads: under 25 pages (the sample's run
        # 16 to 21, with the forms each department uses and what to say when someone asks).
        assert 6 <= counts[f"{d['id']}.pdf"] <= 24, f"{d['id']}.pdf has {counts[d['id'] + '.pdf']} pages"
    assert 40 <= counts["handbook.pdf"] <= 250
    assert counts["wallet-card.pdf"] == 2
    assert 1 <= counts["postmortem-template.pdf"] <= 4


def test_cover_names_organization_department_version_and_dates(pdf: Path, ctx) -> None:
    from preparedness_handbook.macros.views.common import date

    org = ctx.hb.organization
    for d in ctx.hb.departments:
        cover = _squash(page_text(pdf / f"{d.id}.pdf", 0))
        assert org.name in cover
        assert d.name in cover
        assert f"As of {date(ctx.today)}" in cover
        assert f"Review by {date(ctx.review_by)}" in cover
        version = re.search(r"Version (\S+)", cover)
        assert version and re.fullmatch(r"[0-9a-f]{7,40}(-dirty)?|unversioned", version[1]), cover
        assert f"{org.site_url}departments/{d.id}/" in cover, "the QR code's address is printed under it"
        assert "+1 312-555-0111" in cover, "the incident hotline is on every cover"
    whole = _squash(page_text(pdf / "handbook.pdf", 0))
    assert org.handbook_title in whole and "Review by" in whole


def test_cover_has_a_qr_code_to_the_live_page(ctx) -> None:
    from preparedness_handbook.macros.printing.binders import department_document
    from preparedness_handbook.macros.printing.document import cover_html

    html = cover_html(ctx, department_document(ctx, "sales"))
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in html and "segno" in html


def test_footer_says_page_x_of_y_and_header_the_chapter(pdf: Path) -> None:
    path = pdf / "sales.pdf"
    total = page_count(path)
    for n in range(2, total + 1):
        assert f"Page {n} of {total}" in page_text(path, n - 1)
    assert "Page 1 of" not in page_text(path, 0), "no footer on the cover"
    outline = reader(path).outline
    chapters = [(o.title, reader(path).get_destination_page_number(o)) for o in outline if not isinstance(o, list)]
    ends = [start for _, start in chapters[1:]] + [total]
    for (title, start), end in zip(chapters, ends):
        for index in range(start + 1, end):  # pages that continue a chapter show it in the header
            assert title in _squash(page_text(path, index)), f"page {index + 1} header lacks '{title}'"


_TOC_LINE = re.compile(r"^(?P<title>.+?)\s*(?:\.\s*){3,}(?P<page>\d+)\s*$")


def toc_entries(path: Path) -> list[tuple[str, int]]:
    """(title, page) from the contents pages (they follow the cover)."""
    entries = []
    for index in range(1, page_count(path)):
        lines = [m for m in (_TOC_LINE.match(line.strip()) for line in page_text(path, index).splitlines()) if m]
        if not lines:
            break
        entries += [(_squash(m["title"]), int(m["page"])) for m in lines]
    return entries


@pytest.mark.parametrize("name", ["handbook.pdf", *[f"{d['id']}.pdf" for d in DEPARTMENTS]])
def test_contents_page_numbers_point_at_the_sections(pdf: Path, name: str) -> None:
    path = pdf / name
    entries = toc_entries(path)
    assert len(entries) >= 6, f"{name}: no contents found"
    assert [p for _, p in entries] == sorted(p for _, p in entries), "contents out of page order"
    for title, page in entries:
        assert 2 <= page <= page_count(path), f"{name}: '{title}' on page {page} of {page_count(path)}"
        assert title in _squash(page_text(path, page - 1)), f"{name}: '{title}' is not on page {page}"


def test_contents_of_a_binder_in_order(pdf: Path) -> None:
    titles = [t for t, _ in toc_entries(pdf / "customer-service.pdf")]
    main = ["Recognise and declare an incident", "Customer Service", "Severity levels in detail",
            "Incident manager", "After the incident: Correction of Errors"]
    assert [t for t in titles if t in main] == main
    for part in ("What we do at each level", "When systems are down", "Our call tree", "Message templates", "Our drills"):
        assert part in titles


def test_bookmarks_follow_the_chapters(pdf: Path) -> None:
    outline = reader(pdf / "sales.pdf").outline
    top = [o.title for o in outline if not isinstance(o, list)]
    assert top[:3] == ["Contents", "Recognise and declare an incident", "Retail Sales and Shops"]
    assert any(isinstance(o, list) for o in outline), "sections nest under their chapter"


def _said(action: str | dict) -> str:
    """The sentence of an action as written: text, or a mapping's do: (what it uses is printed after it)."""
    return action if isinstance(action, str) else action["do"]


def _actions(dept: dict) -> set[str]:
    return {_squash(_said(a)) for acts in dept.get("playbook", {}).values() for a in acts}


@pytest.mark.parametrize("dept", DEPARTMENTS, ids=[d["id"] for d in DEPARTMENTS])
def test_department_binder_holds_its_own_playbook_only(pdf: Path, dept: dict) -> None:
    text = _squash(" ".join(pages_of(pdf / f"{dept['id']}.pdf")))
    own = _actions(dept)
    missing = [a for a in own if a not in text]
    assert not missing, f"{dept['id']}.pdf lacks its own actions: {missing[:3]}"
    workarounds = {_squash(_said(x)) for m in dept.get("degraded_mode", []) for x in m["instead"]}
    assert not [w for w in workarounds if w not in text]
    others = set().union(*(_actions(d) for d in DEPARTMENTS if d["id"] != dept["id"])) - own
    leaked = [a for a in others if a in text]
    assert not leaked, f"{dept['id']}.pdf holds other departments' actions: {leaked[:3]}"


def test_department_binder_has_incident_manager_and_backups_with_numbers(pdf: Path, ctx) -> None:
    from preparedness_handbook.validators.models.common import format_phone
    from preparedness_handbook.validators.queries import best_phone

    im = ctx.hb.incident_manager
    for d in ctx.hb.departments:
        text = _squash(" ".join(pages_of(pdf / f"{d.id}.pdf")))
        for pid in (im.primary, *im.backups):
            person = ctx.hb.person(pid)
            assert person.name in text
            assert format_phone(best_phone(person).value) in text
        assert "Correction of Errors" in text and "Five whys" in text


def test_department_binder_has_its_call_tree_with_numbers(pdf: Path, ctx) -> None:
    from preparedness_handbook.validators.models.common import format_phone
    from preparedness_handbook.validators.queries import best_phone

    for d in ctx.hb.departments:
        text = _squash(" ".join(pages_of(pdf / f"{d.id}.pdf")))
        for p in ctx.hb.people:
            if p.department == d.id:
                assert p.name in text, f"{d.id}.pdf: {p.name} missing from the call tree"
                assert format_phone(best_phone(p).value) in text


def test_wallet_card_is_card_sized_with_hotline_bridge_and_pin(pdf: Path, ctx) -> None:
    from preparedness_handbook.validators.models.common import format_phone

    texts = pages_of(pdf / "wallet-card.pdf")
    assert len(texts) == 2, "front and back, nothing spilled onto a third card"
    for page in reader(pdf / "wallet-card.pdf").pages:
        w, h = _size(page)
        assert abs(w - WALLET[0]) <= 1 and abs(h - WALLET[1]) <= 1, f"card is {w / MM:.1f} × {h / MM:.1f} mm"
    front, back = (_squash(t) for t in texts)
    assert format_phone(ctx.hb.hotline.number) in front
    assert format_phone(ctx.hb.bridge.number) in front
    assert f"PIN {ctx.hb.bridge.pin}" in front
    im = ctx.hb.incident_manager
    for pid in (im.primary, *im.backups):
        assert ctx.hb.person(pid).name in back
    for lv in ctx.hb.levels:
        assert lv.name in back


def test_wallet_card_type_is_at_least_6pt(ctx) -> None:
    css = (REPO / "macros" / "printing" / "style" / "print.css").read_text(encoding="utf-8")
    wallet = css[css.index("/* Wallet card"):]
    sizes = [float(s) for s in re.findall(r"font-size:\s*([\d.]+)pt", wallet)]
    assert sizes and min(sizes) >= 6


def test_call_tree_has_one_sheet_per_branch(pdf: Path, ctx) -> None:
    from preparedness_handbook.macros.printing.callsheets import plan_sheets
    from preparedness_handbook.validators.models.common import format_phone
    from preparedness_handbook.validators.queries import best_phone

    sheets = plan_sheets(ctx)
    texts = pages_of(pdf / "call-tree.pdf")
    assert len(texts) == len(sheets), "every sheet fits on one page"
    heads = [s.head for s in sheets]
    assert set(ctx.tree.branches) <= set(heads), "every branch of the call tree has its sheet"
    for n, (sheet, text) in enumerate(zip(sheets, texts), start=1):
        flat = _squash(text)
        assert f"Sheet {n}:" in flat and ctx.hb.person(sheet.head).name in flat
        for needed in ("Read this on the call", "Confirm back", "If someone does not answer", "If that caller is out"):
            assert needed in flat
    everyone = _squash(" ".join(texts))
    for p in ctx.hb.people:
        assert p.name in everyone and format_phone(best_phone(p).value) in everyone


def test_call_tree_sheets_print_the_next_number_and_the_stand_in_s_number(pdf: Path, ctx) -> None:
    """When the first number does not answer (the rules say: their home line), and when the
    usual caller is out, the sheet alone has the number to dial."""
    from preparedness_handbook.macros.printing.callsheets import plan_sheets, sheet_html
    from preparedness_handbook.macros.views.common import kind_label
    from preparedness_handbook.validators.models.common import format_phone
    from preparedness_handbook.validators.queries import best_phone, second_phone

    printed = _squash(" ".join(pages_of(pdf / "call-tree.pdf")))
    sheets = plan_sheets(ctx)
    html = _squash(re.sub(r"<[^>]+>", " ", "".join(sheet_html(ctx, sheets, i) for i in range(len(sheets)))))
    on_sheets = {pid for sheet in sheets for pid, _ in sheet.rows}
    seconds = [p for p in ctx.hb.people if p.id in on_sheets and second_phone(p) is not None]
    assert seconds, "the sample has people with a second number"
    for p in seconds:
        second = second_phone(p)
        assert format_phone(second.value) in printed, p.name
        assert f"Next: {kind_label(ctx, second.kind)} {format_phone(second.value)}" in html, p.name
    stand_ins = {alt for pid, alt in ctx.tree.alternate.items() if pid in on_sheets}
    assert stand_ins
    for alt in stand_ins:
        person = ctx.hb.person(alt)
        number = format_phone(best_phone(person).value)
        assert number in printed and f"{person.name} {number}" in html, person.name


def test_postmortem_form_has_every_field(pdf: Path, ctx) -> None:
    from preparedness_handbook.macros.views.rca import form_html

    labels = [html.unescape(x) for x in re.findall(r'<div class="hb-field-label">(.*?)</div>', form_html(ctx, 1.0))]
    assert len(labels) >= 16 and "Incident date and severity level" in labels
    text = _squash(" ".join(pages_of(pdf / "postmortem-template.pdf")))
    for label in labels:
        assert label in text


def test_binder_prints_the_forms_its_actions_name_and_says_on_which_page(pdf: Path, ctx) -> None:
    """Each form a department's actions name is a page of its binder, whole (its purpose and
    every field's label, or a sign's words, on that one page); the action says which page."""
    from preparedness_handbook.validators.queries import department_forms

    assert department_forms(ctx.hb, "customer-service") == ["tracking-sheet", "paper-call-log", "order-form-b"]
    for d in ctx.hb.departments:
        path = pdf / f"{d.id}.pdf"
        texts = [_squash(t) for t in pages_of(path)]
        everything = " ".join(texts)
        for f in ctx.hb.forms:
            if f.id not in department_forms(ctx.hb, d.id):
                assert _squash(f.purpose) not in everything, f"{d.id}.pdf prints {f.id}, which no action of it names"
                continue
            needed = [_squash(f.purpose), *(x.label for x in f.fields), *(x for c in f.fields for x in c.columns),
                      *(x for c in f.fields for x in c.choices)] or []
            needed += [_squash(f.sign)] if f.sign else []
            on = [n for n, t in enumerate(texts, start=1) if _squash(f.purpose) in t]
            assert len(on) == 1, f"{d.id}.pdf: {f.id} on pages {on}"
            page = texts[on[0] - 1]
            assert page.startswith(f.name) or f" {f.name} " in page[:200]
            assert [x for x in needed if x not in page] == [], f"{d.id}.pdf: {f.id} is not whole on page {on[0]}"
            assert f"form: {f.name} (page {on[0]})" in everything, f"{d.id}.pdf: no action points at page {on[0]}"
    finance = _squash(" ".join(pages_of(pdf / "finance.pdf")))
    assert "Lakeview Commerce Bank: +1 800-555-0193" in finance  # "the bank's fraud line"
    assert "Lakeview Commerce Bank: +1 312-555-0194" in finance  # "the bank's business line"


def test_a4(tmp_path: Path, ctx) -> None:
    from preparedness_handbook.macros.printing.binders import fetch_roots, print_jobs
    from preparedness_handbook.macros.printing.callsheets import plan_sheets
    from preparedness_handbook.macros.printing.document import stylesheet
    from preparedness_handbook.macros.printing.renderers import Job, render_all

    jobs = [Job(j.name, j.html, str(tmp_path / j.name)) for j in print_jobs(ctx)
            if j.name in ("call-tree.pdf", "wallet-card.pdf")]
    results = render_all(jobs, stylesheet("a4"), tmp_path.as_uri() + "/", fetch_roots(tmp_path, None), workers=1)
    pages = {r.name: r.pages for r in results}
    assert pages == {"call-tree.pdf": len(plan_sheets(ctx)), "wallet-card.pdf": 2}
    sheet = PdfReader(tmp_path / "call-tree.pdf").pages[0]
    assert abs(_size(sheet)[0] - A4[0]) <= 1 and abs(_size(sheet)[1] - A4[1]) <= 1
    card = PdfReader(tmp_path / "wallet-card.pdf").pages[0]
    assert abs(_size(card)[0] - WALLET[0]) <= 1, "the card keeps its size on A4 paper"


def test_public_binders_hold_no_personal_contact(ctx) -> None:
    """The public edition's documents, checked as the HTML the PDFs are rendered from."""
    from preparedness_handbook.macros.context import make_context
    from preparedness_handbook.macros.printing.binders import print_jobs
    from preparedness_handbook.validators.engine import validate
    from preparedness_handbook.validators.models.common import format_phone

    result = validate(REPO / "data", dt.date.fromisoformat(TODAY))
    public = make_context(result.handbook, "public")
    secrets = set()
    for p in ctx.hb.people:
        for c in p.contacts:
            secrets |= {c.value, format_phone(c.value)} if c.is_voice or c.kind == "sms" else {c.value}
    secrets.add(ctx.hb.bridge.pin)
    jobs = print_jobs(public)
    assert len(jobs) == 5 + len(ctx.hb.departments)  # handbook, card, card sheet, call tree, form
    for job in jobs:
        leaked = sorted(s for s in secrets if s and s in job.html)
        assert not leaked, f"{job.name} (public) holds {leaked[:5]}"
        assert "in the internal edition" in job.html or job.name == "postmortem-template.pdf"


def test_stylesheet_refuses_an_unknown_paper() -> None:
    from preparedness_handbook.macros.printing.document import stylesheet

    with pytest.raises(ValueError, match="unknown paper"):
        stylesheet("a5")


class _Counting(http.server.BaseHTTPRequestHandler):
    hits: typing.ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Counting.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def local_server():
    _Counting.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Counting.hits
    server.shutdown()
    server.server_close()


def test_fetcher_refuses_network_and_files_outside_the_build(tmp_path: Path, local_server, caplog) -> None:
    from preparedness_handbook.macros.printing.renderers import BuildFetcher, Job, Renderer

    url, hits = local_server
    inside = tmp_path / "build" / "ok.svg"
    inside.parent.mkdir()
    inside.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', encoding="utf-8")
    html = (
        f'<html><head><link rel="stylesheet" href="{url}/style.css"><style>@import "{url}/import.css";'
        f' body {{ background: url("{url}/bg.png") }} p {{ background: url("file:///etc/passwd") }}</style></head>'
        f'<body><p>hello</p><img src="{url}/pixel.png"><img src="file:///etc/passwd">'
        f'<img src="{inside.as_uri()}"><img src="data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22/%3E">'
        f'<iframe src="{url}/frame"></iframe><object data="{url}/object"></object></body></html>'
    )
    renderer = Renderer("p { color: black }", (tmp_path / "build").as_uri() + "/", (str(tmp_path / "build"),))
    result = renderer.render(Job("probe.pdf", html, str(tmp_path / "probe.pdf")))
    assert result.pages == 1
    assert hits == [], f"the local server was asked for {hits}"
    assert "file:///etc/passwd" in caplog.text and "outside the build" in caplog.text
    refused = [m for m in result.messages if "not fetched" in m]
    assert any(f"{url}/pixel.png" in m and "binders use only files of the build" in m for m in refused), result.messages
    assert any("file:///etc/passwd" in m and "outside the build" in m for m in refused), result.messages

    fetcher = BuildFetcher((str(tmp_path / "build"),))
    for bad in (f"{url}/x", "https://example.com/x", "file:///etc/passwd", "ftp://example.com/x",
                f"file://{tmp_path}/build/../outside", "file://otherhost/etc/passwd"):
        with pytest.raises(ValueError):
            fetcher.fetch(bad)
    assert hits == []
    assert fetcher.fetch(inside.as_uri()).read().startswith(b"<svg")
    assert fetcher.fetch("data:text/plain,hi").read() == b"hi"


def test_weasyprint_messages_come_back_from_the_forked_renderers(tmp_path: Path) -> None:
    """A refused resource is not silent: the renderer process reports it with the document's result."""
    from preparedness_handbook.macros.printing.renderers import Job, render_all

    # Tagged PDFs need the document's language: WeasyPrint says so when it is missing.
    jobs = [Job("clean.pdf", '<html lang="en"><p>fine</p></html>', str(tmp_path / "clean.pdf")),
            Job("remote.pdf", '<html lang="en"><p>logo</p><img src="https://example.com/logo.png"></html>',
                str(tmp_path / "remote.pdf"))]
    clean, remote = render_all(jobs, "", tmp_path.as_uri() + "/", (str(tmp_path),), workers=2)
    assert clean.messages == ()
    assert len(remote.messages) == 1
    assert "https://example.com/logo.png" in remote.messages[0]
    assert "not fetched" in remote.messages[0] and "binders use only files of the build" in remote.messages[0]


def _structure_roles(reader: PdfReader) -> set[str]:
    """The structure types (H1, P, Table, …) of a tagged PDF's structure tree."""
    roles: set[str] = set()
    stack: list[typing.Any] = [reader.trailer["/Root"]["/StructTreeRoot"].get_object().get("/K")]
    while stack:
        node = stack.pop()
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            if "/S" in node:
                roles.add(str(node["/S"]))
            if "/K" in node:
                stack.append(node["/K"])
    return roles


def test_pdfs_are_tagged_for_screen_readers(pdf: Path) -> None:
    """Every PDF carries a structure tree (headings, paragraphs, lists, tables) and says so, in
    the document's language: a screen reader reads it in order, not as loose text."""
    files = sorted(pdf.glob("*.pdf"))
    assert files
    for path in files:
        root = PdfReader(path).trailer["/Root"]
        assert bool(root.get("/MarkInfo", {}).get("/Marked")), f"{path.name} is not marked as tagged"
        assert "/StructTreeRoot" in root, f"{path.name} has no structure tree"
        assert str(root.get("/Lang", "")).startswith("en"), f"{path.name} names no language"
    roles = _structure_roles(PdfReader(pdf / "handbook.pdf"))
    assert {"/H1", "/H2", "/P", "/L", "/LI", "/Table", "/TH", "/TD", "/Link"} <= roles, sorted(roles)
