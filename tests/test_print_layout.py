"""What a printed page must never do, on every page of every PDF of the sample's build: print a
word over another (a table row split over the next page's running header did) or outside the
page; and the wallet card's print sheet, and the card that must fit on two sides.

Word boxes come from poppler's ``pdftotext -bbox`` (poppler-utils, which the suite needs anyway).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import pytest
import yaml

from tests.conftest import MINIMAL, TODAY, run_cli

pytestmark = pytest.mark.build

_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">([^<]*)</word>')


def pages_of_words(pdf: Path) -> list[tuple[float, float, list[tuple[float, float, float, float, str]]]]:
    """Each page's width, height and words (x0, y0, x1, y1, text), in points from the top left."""
    if shutil.which("pdftotext") is None:
        pytest.fail("poppler's pdftotext is needed: apt-get install poppler-utils (sh tests/system-packages.sh)")
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [(float(w), float(h), [(float(a), float(b), float(c), float(d), unescape(t)) for a, b, c, d, t in _WORD.findall(body)])
            for w, h, body in _PAGE.findall(out)]


def layout_problems(pdf: Path) -> list[str]:
    """Words outside the page, and words printed over each other (their boxes share more than a
    quarter of the smaller one)."""
    found = []
    for n, (width, height, words) in enumerate(pages_of_words(pdf), start=1):
        for x0, y0, x1, y1, text in words:
            if x0 < -0.5 or y0 < -0.5 or x1 > width + 0.5 or y1 > height + 0.5:
                found.append(f"{pdf.name} page {n}: {text!r} is outside the page")
        words.sort()
        for i, a in enumerate(words):
            for b in words[i + 1:]:
                if b[0] >= a[2]:
                    break
                across, down = min(a[2], b[2]) - max(a[0], b[0]), min(a[3], b[3]) - max(a[1], b[1])
                smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
                if across > 0 and down > 0 and smaller > 0 and across * down > 0.25 * smaller:
                    found.append(f"{pdf.name} page {n}: {a[4]!r} over {b[4]!r}")
    return found


def test_the_scan_finds_words_printed_over_each_other(tmp_path: Path) -> None:
    from weasyprint import HTML

    HTML(string='<p style="margin:0">Report to your caller</p><p style="margin:-1.1em 0 0 1em">Harbor Pine</p>'
                '<p style="margin-left:-30mm">Off the page</p>').write_pdf(tmp_path / "bad.pdf")
    problems = layout_problems(tmp_path / "bad.pdf")
    assert any("over" in p for p in problems), problems
    assert any("is outside the page" in p for p in problems), problems


def test_no_word_over_another_or_outside_the_page_in_any_pdf(built_site: Path) -> None:
    pdfs = sorted((built_site / "pdf").glob("*.pdf"))
    assert len(pdfs) > 10
    problems = [p for pdf in pdfs for p in layout_problems(pdf)]
    assert problems == []


def test_the_print_sheet_holds_eight_cards_fronts_then_backs_aligned(built_site: Path) -> None:
    sheet = built_site / "pdf" / "wallet-cards-sheet.pdf"
    pages = pages_of_words(sheet)
    assert len(pages) == 2
    (w1, h1, front), (w2, h2, back) = pages
    assert (round(w1), round(h1)) == (612, 792) == (round(w2), round(h2))  # the binders' paper: Letter
    card = pages_of_words(built_site / "pdf" / "wallet-card.pdf")
    hotline = next(t for *_, t in card[0][2] if re.fullmatch(r"\d{3}-\d{3}-\d{4}", t))
    assert [t for *_, t in front].count(hotline) == 8
    assert "Print on both sides, flipping on the long edge." in " ".join(t for *_, t in front)
    first_back_word = card[1][2][0][4]
    assert [t for *_, t in back].count(first_back_word) >= 8

    def spread(words: list) -> tuple[float, float]:
        body = [wd for wd in words if wd[1] > 60]  # below the instruction line
        return min(wd[0] for wd in body), max(wd[2] for wd in body)

    left, right = spread(front)
    assert abs(left - (w1 - right)) < 30, "the grid is centred, so a long-edge flip puts each back behind its front"
    back_left, back_right = spread(back)
    assert abs(back_left - left) < 15


def test_a_card_that_needs_a_third_side_stops_the_build(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    sev = yaml.safe_load((data / "severity.yaml").read_text(encoding="utf-8"))
    for level in sev["levels"]:
        # Summaries just short enough to print in full, and long names: the card prints both.
        level["summary"] = ("Customers cannot buy, pay or reach us at all, and staff cannot work either; every "
                            "shop and office is hit.")[:115]
        level["name"] = (f"{level['id']} Customers cannot buy, pay or reach us in any way at all, and staff cannot "
                         "work either; every shop and every office is affected, for hours, with no workaround "
                         "at all")[:195]
    (data / "severity.yaml").write_text(yaml.safe_dump(sev, sort_keys=False), encoding="utf-8")
    # and names of the people to call that even the card without summaries cannot hold
    people = yaml.safe_load((data / "people.yaml").read_text(encoding="utf-8"))
    for person in people["people"]:
        person["name"] = (person["name"] + " " + "Alexandrina-Maximiliana Montgomery-Fitzwilliam " * 4)[:190]
    (data / "people.yaml").write_text(yaml.safe_dump(people, sort_keys=False), encoding="utf-8")
    run = run_cli("build", "--data", str(data), "--today", TODAY, "--site-dir", str(tmp_path / "site"),
                  "--no-offline", cwd=tmp_path, timeout=300)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "the wallet card would print on 3 sides, and it must fit on two (front and back)" in run.stderr
    assert "The previous site was not changed." in run.stderr
    assert not (tmp_path / "site").exists()
