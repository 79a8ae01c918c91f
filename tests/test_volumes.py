"""Long documents are printed as volumes: page estimates, where they are cut, what each volume
says on its cover and contents, and the "Printed binders" page that lists them.

The sample organization prints every document whole (its handbook is about 120 pages), so the
cut is forced with a small cap: in-process for the plan, and once through the real command on
the minimal organization, whose handbook is then printed as two short volumes.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import MINIMAL, REPO, TODAY, run_cli
from tests.test_binders import _squash, page_count, page_text, toc_entries


@pytest.fixture(scope="module")
def ctx():
    from preparedness_handbook.macros.context import make_context
    from preparedness_handbook.validators.engine import validate

    result = validate(REPO / "data", dt.date.fromisoformat(TODAY))
    assert result.handbook is not None
    return make_context(result.handbook, "internal")


# --- the cut ----------------------------------------------------------------------------------
def test_pack_keeps_reading_order_stays_under_the_cap_and_evens_out() -> None:
    from preparedness_handbook.macros.printing.volumes import pack, volume_pages

    parts = [(3, 2)] * 50 + [(30, 5), (1, 1)]
    volumes = pack(parts, 40)
    assert [i for v in volumes for i in v] == list(range(len(parts))), "every part once, in order"
    sizes = [volume_pages([parts[i] for i in v]) for v in volumes]
    assert max(sizes) <= 40
    total = sum(p for p, _ in parts)
    assert len(volumes) <= total // 30 + 1, f"too many volumes: {sizes}"
    assert max(sizes) - min(sizes) <= 6, f"volumes of very different length: {sizes}"


def test_pack_gives_a_part_too_big_for_any_volume_a_volume_of_its_own() -> None:
    from preparedness_handbook.macros.printing.volumes import pack

    assert pack([(5, 1), (80, 3), (5, 1)], 40) == [[0], [1], [2]]
    assert pack([], 40) == []
    assert pack([(5, 1), (5, 1)], 40) == [[0, 1]]


def test_pack_also_keeps_each_volume_under_a_size() -> None:
    from preparedness_handbook.macros.printing.volumes import pack

    parts, sizes = [(2, 1)] * 12, [100, 100, 100, 100, 400, 100, 100, 100, 100, 100, 100, 100]
    volumes = pack(parts, 150, sizes=sizes, size_cap=600)
    assert [i for v in volumes for i in v] == list(range(12))
    totals = [sum(sizes[i] for i in v) for v in volumes]
    assert max(totals) <= 600 and len(volumes) == 3, f"the pages fit one volume, the sizes need three: {totals}"
    assert pack(parts, 150, sizes=sizes) == [list(range(12))], "without a size cap, pages alone decide"


def test_volume_size_comes_from_the_memory_limit_and_the_data(monkeypatch) -> None:
    from preparedness_handbook.macros.printing.volumes import MIN_VOLUME_CHARS, max_chars, render_mb

    monkeypatch.delenv("HANDBOOK_PDF_MEMORY_MB", raising=False)
    small, large = max_chars(data_bytes=150_000), max_chars(data_bytes=3_700_000)
    assert large < small, "a bigger build process leaves less room for each document"
    # The 5,000-person benchmark organization's build process holds about 205 MB: its biggest
    # document must render beside it, with room for the estimate's error, under 600 MB.
    assert 205 + render_mb(large) + 35 <= 600
    assert max_chars(300, 150_000) < small, "a lower limit, smaller volumes"
    assert max_chars(1, 150_000) == MIN_VOLUME_CHARS, "never less than about 40 pages of prose"
    monkeypatch.setenv("HANDBOOK_PDF_MEMORY_MB", "300")
    assert max_chars(data_bytes=150_000) == max_chars(300, 150_000)


def test_a_document_too_big_for_memory_is_cut_though_its_pages_fit(ctx) -> None:
    from preparedness_handbook.macros.printing.binders import handbook_document, split_document
    from preparedness_handbook.macros.printing.document import document_html

    whole = handbook_document(ctx)
    cap = max(150, whole.pages("letter") + 10)  # its pages fit under the cap; only its size does not
    assert whole.chars > 300_000
    volumes = split_document(ctx, whole, cap, "handbook", "The whole handbook", chars=150_000)
    assert [n for n, _ in volumes] == [f"handbook-{n}.pdf" for n in range(1, len(volumes) + 1)]
    assert len(volumes) >= 3
    for name, doc in volumes:
        assert len(document_html(ctx, doc)) <= 150_000, f"{name} holds more HTML than planned"
        assert doc.chars <= 150_000


def test_a_lower_memory_limit_prints_the_sample_handbook_in_volumes(ctx, monkeypatch) -> None:
    from preparedness_handbook.macros.printing.binders import print_plan

    ctx.cache.clear()
    try:
        names = [f.name for f in print_plan(ctx)]
        assert "handbook.pdf" in names, "the sample's handbook is printed whole by default"
        monkeypatch.setenv("HANDBOOK_PDF_MEMORY_MB", "250")
        names = [f.name for f in print_plan(ctx)]
        assert [n for n in names if n.startswith("handbook")] == ["handbook-1.pdf", "handbook-2.pdf"]
    finally:
        ctx.cache.clear()


def test_a_volume_says_continued_once(ctx) -> None:
    from preparedness_handbook.macros.printing.binders import split_chapter, volume_summary
    from preparedness_handbook.macros.printing.document import Chapter
    from preparedness_handbook.macros.printing.pages import page_sections
    from preparedness_handbook.macros.site.pages import Linker

    chapter = Chapter("partners", page_sections(ctx, "partners", Linker(mode="print", included={"partners"})))
    parts = split_chapter(ctx, chapter, 3)
    assert len(parts) >= 3
    assert volume_summary(ctx, parts[:1]) == "Partners"
    assert volume_summary(ctx, parts[2:3]) == "Partners (continued)"


def test_contents_keep_a_chapter_with_its_first_section_but_let_a_list_of_sheets_break() -> None:
    from preparedness_handbook.macros.context import make_context
    from preparedness_handbook.macros.printing.document import toc_html
    from preparedness_handbook.validators.engine import validate

    minimal = make_context(validate(MINIMAL, dt.date.fromisoformat(TODAY)).handbook, "internal", version="test")
    body = ('<h1 id="a">A</h1><h2 id="a1">A one</h2><h2 id="a2">A two</h2>'
            '<h1 id="s1">Sheet 1</h1><h1 id="s2">Sheet 2</h1><h1 id="s3">Sheet 3</h1>')
    toc = toc_html(minimal, body, 2)
    classes = re.findall(r'<li class="([^"]+)"><a href="#(\w+)"', toc)
    assert classes == [("hb-toc-l1 hb-toc-keep", "a"), ("hb-toc-l2", "a1"), ("hb-toc-l2", "a2"),
                       ("hb-toc-l1", "s1"), ("hb-toc-l1", "s2"), ("hb-toc-l1", "s3")]
    css = (REPO / "macros" / "printing" / "style" / "print.css").read_text(encoding="utf-8")
    assert ".hb-toc-keep { break-after: avoid; }" in css
    assert not re.search(r"\.hb-toc-l1 \{[^}]*break-after", css), "a run of sheet lines must be free to break"


def test_cap_comes_from_the_argument_or_the_environment(monkeypatch) -> None:
    from preparedness_handbook.macros.printing.volumes import DEFAULT_MAX_PAGES, max_pages

    monkeypatch.delenv("HANDBOOK_PDF_MAX_PAGES", raising=False)
    assert max_pages() == DEFAULT_MAX_PAGES
    monkeypatch.setenv("HANDBOOK_PDF_MAX_PAGES", "60")
    assert max_pages() == 60
    assert max_pages(45) == 45
    with pytest.raises(ValueError, match="at least 10 pages"):
        max_pages(3)


def test_page_estimates_match_the_printed_binders(built_site: Path, ctx) -> None:
    """The estimate decides the cut before anything is printed: it must be close. The plan
    estimates on Letter, which the sample (Chicago) prints on, for the document it chose (the
    whole handbook is printed compact, without the department pages, when it would not fit)."""
    from preparedness_handbook.macros.printing.binders import print_plan

    pdf = built_site / "pdf"
    names = {"handbook.pdf"} | {f"{d.id}.pdf" for d in ctx.hb.departments}
    docs = [(f.name, f.pages) for f in print_plan(ctx) if f.name in names]
    assert len(docs) == len(names)
    for name, estimated in docs:
        printed = page_count(pdf / name)
        assert abs(estimated - printed) <= max(2, printed * 0.05), f"{name}: estimated {estimated}, printed {printed}"


def test_the_sample_prints_one_handbook_and_one_call_tree(ctx) -> None:
    from preparedness_handbook.macros.printing.binders import print_plan
    from preparedness_handbook.macros.printing.volumes import max_pages

    names = [f.name for f in print_plan(ctx)]
    assert "handbook.pdf" in names and "call-tree.pdf" in names
    assert not [n for n in names if re.fullmatch(r"(handbook|call-tree)-\d+\.pdf", n)]
    assert all(f.pages <= max_pages() for f in print_plan(ctx))


def test_a_long_handbook_is_cut_between_chapters_into_numbered_volumes(ctx) -> None:
    from preparedness_handbook.macros.printing.binders import handbook_documents, print_plan

    cap = 40
    plan = print_plan(ctx, cap)
    books = [f for f in plan if f.name.startswith("handbook")]
    assert [f.name for f in books] == [f"handbook-{n}.pdf" for n in range(1, len(books) + 1)]
    assert len(books) >= 2 and "handbook.pdf" not in [f.name for f in plan]
    assert all(f.pages <= cap for f in plan), [(f.name, f.pages) for f in plan if f.pages > cap]
    assert [f.title for f in books][:2] == [f"The whole handbook, volume {n} of {len(books)}" for n in (1, 2)]

    docs = handbook_documents(ctx, cap, ["call-tree.pdf"])
    keys = [ch.key for _, doc in docs for ch in doc.chapters if ch.part <= 1]
    assert keys[0] == "home"
    assert sorted(k for k in keys if k.startswith("drill:")) == sorted(f"drill:{d.id}" for d in ctx.hb.drills)
    assert sorted(k for k in keys if k.startswith("postmortem:")) == sorted(f"postmortem:{p.id}" for p in ctx.hb.postmortems)
    assert len(keys) == len(set(keys)), "every chapter in one volume only"
    assert not [k for k in keys if k.startswith("department:")], "department pages are in the department binders"
    whole = "".join(ch.html() for _, doc in docs for ch in doc.chapters)
    assert "printed on the call-tree sheets (call-tree.pdf)" in whole
    assert "printed in that department&#x27;s own binder" in whole or "printed in that department's own binder" in whole


def test_a_long_binder_is_cut_too_and_a_long_chapter_continues_in_parts(ctx) -> None:
    from preparedness_handbook.macros.printing.binders import (
        PLAN_PAPER,
        department_document,
        split_chapter,
        split_document,
    )
    from preparedness_handbook.macros.printing.document import document_html

    doc = department_document(ctx, "sales")
    assert doc.pages(PLAN_PAPER) > 10
    volumes = split_document(ctx, doc, 10, "sales", "The Retail Sales and Shops binder")
    assert [name for name, _ in volumes] == [f"sales-{n}.pdf" for n in range(1, len(volumes) + 1)]
    assert all(v.pages(PLAN_PAPER) <= 10 for _, v in volumes)
    own = next(ch for ch in doc.chapters if ch.key == "department:sales")
    parts = split_chapter(ctx, own, 2)
    assert len(parts) >= 2 and [p.part for p in parts] == list(range(1, len(parts) + 1))
    assert [p.sections[0].title for p in parts[1:]] == ["Retail Sales and Shops (continued)"] * (len(parts) - 1)
    assert [s.title for p in parts for s in p.sections[1:]] == [s.title for s in own.sections[1:]], "nothing lost"
    assert len({p.html().split(">", 1)[0] for p in parts}) == len(parts), "each part has its own id"
    text = document_html(ctx, volumes[-1][1])
    assert f"The Retail Sales and Shops binder is in {len(volumes)} volumes." in text
    assert "Retail Sales and Shops binder, volume" in text


def test_links_to_another_volume_say_which(ctx) -> None:
    from preparedness_handbook.macros.printing.binders import handbook_documents
    from preparedness_handbook.macros.printing.document import document_html

    docs = handbook_documents(ctx, 40, ["call-tree.pdf"])
    first = document_html(ctx, docs[0][1])
    later = {n for n, (_, doc) in enumerate(docs[1:], start=2) for ch in doc.chapters if ch.key.startswith("drill")}
    assert later, "drills are in a later volume"
    said = set(re.findall(r'class="hb-where">\(in volume (\d+)\)', first))
    assert said and {int(n) for n in said} <= later
    ids = set(re.findall(r'\sid="([^"]+)"', first))
    for target in re.findall(r'<a href="#([^"]+)"', first):
        assert target in ids, f"volume 1 links to #{target}, which it does not hold"


def test_volume_covers_and_contents_say_where_the_rest_is(ctx) -> None:
    from preparedness_handbook.macros.printing.binders import handbook_documents
    from preparedness_handbook.macros.printing.document import document_html

    docs = handbook_documents(ctx, 40, ["call-tree.pdf"])
    total = len(docs)
    for n, (_name, doc) in enumerate(docs, start=1):
        text = html.unescape(re.sub(r"<[^>]+>", " ", document_html(ctx, doc)))
        text = _squash(text)
        assert f"Volume {n} of {total}" in text
        assert "In this volume:" in text
        assert f"The whole handbook is in {total} volumes. This is volume {n}." in text
        for other in range(1, total + 1):
            assert f"handbook-{other}.pdf" in text
        assert "Not in this handbook: each department's own page" in text


def test_a_long_call_tree_is_cut_between_branches(ctx) -> None:
    from preparedness_handbook.macros.printing.binders import calltree_files
    from preparedness_handbook.macros.printing.callsheets import plan_sheets

    sheets = plan_sheets(ctx)
    files = calltree_files(ctx, 5)
    assert [f.name for f in files] == [f"call-tree-{n}.pdf" for n in range(1, len(files) + 1)]
    assert len(files) >= 2
    seen = []
    for n, f in enumerate(files, start=1):
        page = f.make()
        numbers = [int(x) for x in re.findall(r'<section class="hb-sheet" id="sheet-(\d+)"', page)]
        seen += numbers
        assert f"Volume {n} of {len(files)}" in page
        span = f"sheet {numbers[0]}" if len(numbers) == 1 else f"sheets {numbers[0]} to {numbers[-1]}"
        assert f"In this volume:</strong> {span} of {len(sheets)}" in page
        for other in re.findall(r"see sheet (\d+) in volume (\d+)", page):
            assert int(other[1]) != n
    assert seen == list(range(1, len(sheets) + 1)), "every sheet once, in calling order"
    # A branch is never cut: a sheet's sub-branch sheets follow it in the same volume when they fit.
    assert 1 in [int(x) for x in re.findall(r"sheet-(\d+)", files[0].make())], "the calls start in volume 1"


def test_binders_page_lists_every_volume(ctx, monkeypatch) -> None:
    from preparedness_handbook.macros.site.blocks import render_page
    from preparedness_handbook.macros.site.pages import Linker

    monkeypatch.setenv("HANDBOOK_PDF_MAX_PAGES", "40")
    ctx.cache.clear()
    try:
        page = render_page(ctx, "printed", Linker("site", "printed.md"))
    finally:
        ctx.cache.clear()
    listed = re.findall(r'<a href="\.\./pdf/([^"]+)">', page)
    books = [n for n in listed if n.startswith("handbook")]
    assert books == [f"handbook-{n}.pdf" for n in range(1, len(books) + 1)] and len(books) >= 2
    assert "The whole handbook, volume 1 of" in page
    assert "kept to about 40 pages" in page


# --- one real build, with volumes ----------------------------------------------------------------
@pytest.fixture(scope="module")
def volume_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal organization built by the command with a 20-page cap: a handbook in volumes."""
    out = tmp_path_factory.mktemp("volumes")
    site = out / "site"
    run = run_cli("build", "--data", str(MINIMAL), "--today", TODAY, "--site-dir", str(site), "--no-offline",
                  cwd=REPO, env={"HANDBOOK_PDF_MAX_PAGES": "20"}, timeout=900)
    assert run.returncode == 0, f"build failed:\n{run.stdout}\n{run.stderr}"
    return site


def test_build_writes_the_volumes_instead_of_one_handbook(volume_site: Path) -> None:
    names = sorted(p.name for p in (volume_site / "pdf").glob("*.pdf"))
    assert "handbook.pdf" not in names
    assert [n for n in names if n.startswith("handbook")] == ["handbook-1.pdf", "handbook-2.pdf"]
    for n in ("handbook-1.pdf", "handbook-2.pdf"):
        assert page_count(volume_site / "pdf" / n) <= 20


@pytest.mark.parametrize("n", [1, 2])
def test_each_volume_has_its_cover_contents_and_page_numbers(volume_site: Path, n: int) -> None:
    path = volume_site / "pdf" / f"handbook-{n}.pdf"
    cover = _squash(page_text(path, 0))
    assert f"Volume {n} of 2" in cover and "In this volume:" in cover
    assert "Minimal Example Incident Handbook" in cover
    total = page_count(path)
    for index in range(1, total):
        assert f"Page {index + 1} of {total}" in page_text(path, index)
    entries = toc_entries(path)
    assert len(entries) >= 2
    for title, number in entries:
        assert title in _squash(page_text(path, number - 1)), f"'{title}' is not on page {number}"
    contents = _squash(page_text(path, 1))
    assert f"The whole handbook is in 2 volumes. This is volume {n}." in contents
    assert PdfReader(path).metadata.title.startswith(f"The whole handbook, volume {n} of 2")


def test_binders_page_of_the_build_lists_what_was_written(volume_site: Path) -> None:
    page = (volume_site / "printed" / "index.html").read_text(encoding="utf-8")
    listed = re.findall(r'href="\.\./pdf/([^"]+\.pdf)"', page)
    written = sorted(p.name for p in (volume_site / "pdf").glob("*.pdf"))
    assert sorted(listed) == written
    assert "The whole handbook, volume 2 of 2" in html.unescape(page)


def test_binders_page_of_the_sample_lists_what_was_written(built_site: Path) -> None:
    page = (built_site / "printed" / "index.html").read_text(encoding="utf-8")
    listed = re.findall(r'href="\.\./pdf/([^"]+\.pdf)"', page)
    assert sorted(listed) == sorted(p.name for p in (built_site / "pdf").glob("*.pdf"))


# --- the renderer's memory limit ---------------------------------------------------------------
def test_scheduler_starts_the_biggest_document_that_fits() -> None:
    from preparedness_handbook.macros.printing.renderers import Job, _pick

    jobs = [Job("big.pdf", "x" * 257_000, ""), Job("small.pdf", "x" * 51_000, ""), Job("middle.pdf", "x" * 143_000, "")]
    assert [round(j.memory_mb) for j in jobs] == [240, 96, 160]
    assert _pick([0, 2, 1], jobs, used=140, budget=250, idle=False) == 1, "only the small one fits beside the big one"
    assert _pick([0, 2, 1], jobs, used=0, budget=400, idle=True) == 0, "biggest first"
    assert _pick([0], jobs, used=50, budget=100, idle=False) is None, "waits until it fits"
    assert _pick([0], jobs, used=0, budget=100, idle=True) == 0, "too big for the limit: renders alone"


def test_documents_render_one_at_a_time_under_a_tight_limit_and_no_process_stays(tmp_path: Path) -> None:
    import multiprocessing

    from preparedness_handbook.macros.printing.renderers import Job, render_all

    jobs = [Job(f"{n}.pdf", f"<html><body>{'<p>text</p>' * n * 40}</body></html>", str(tmp_path / f"{n}.pdf"))
            for n in (1, 3, 2)]
    results = render_all(jobs, "p { margin: 0 }", tmp_path.as_uri() + "/", (str(tmp_path),), workers=2, memory_mb=1)
    assert [r.name for r in results] == ["1.pdf", "3.pdf", "2.pdf"], "results in job order"
    assert all((tmp_path / j.name).stat().st_size > 0 for j in jobs)
    assert multiprocessing.active_children() == [], "every renderer exited, giving its memory back"


def test_a_document_that_fails_stops_the_step_with_its_error(tmp_path: Path) -> None:
    from preparedness_handbook.macros.printing.renderers import Job, render_all

    jobs = [Job("ok.pdf", "<p>fine</p>", str(tmp_path / "ok.pdf")),
            Job("bad.pdf", "<p>fine</p>", str(tmp_path / "missing" / "bad.pdf"))]
    with pytest.raises(FileNotFoundError):
        render_all(jobs, "", tmp_path.as_uri() + "/", (str(tmp_path),), workers=2)
