"""Every page type in a real Chromium at a phone's width (390 px) and a desktop's (1280 px).

- Nothing is cut off: no element of a page's main content reaches past the viewport unless it is
  inside a box that scrolls sideways and itself fits; every diagram shown draws its text at 12 px
  or more (on a phone, those with a text version after them give way to it).
- axe-core (WCAG 2.0–2.2 A and AA rules) finds no serious or critical violation, in the light
  scheme at both widths and for contrast in the dark one (at 390 px) (the palette follows the device).
- The keyboard alone does what a mouse does: the first Tab lands on "Skip to content"; every stop
  of the content shows where the focus is, in both schemes; a folded diagram opens with Enter;
  search opens with "/", and a result is reached with the arrow keys and opened with Enter.
- A full-page screenshot of each page at each width (and in the dark scheme on a phone) is
  written for a person to look at, into $HANDBOOK_SCREENSHOTS when set, else the test run's
  temporary folder (kept as an artifact, never committed).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.npm import npm_package

AXE = "axe-core@4.11.0"
WIDTHS = {390: 844, 1280: 900}
# One page of each type: the fixed pages, an index and an item of each kind.
PAGES = ["", "severity/", "roles/", "escalation/", "communications/", "partners/", "departments/",
         "departments/customer-service/", "drills/", "drills/ransomware-tabletop/", "rca/",
         "rca/2026-03-checkout-outage/", "readiness/", "printed/", "contributing/", "reference/"]
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Elements of the main content that end past the viewport, unless a sideways-scrolling ancestor
# that fits holds them.
OVERFLOW = """() => {
  const vw = document.documentElement.clientWidth, out = [];
  const scrolls = (el) => ['auto', 'scroll', 'hidden'].includes(getComputedStyle(el).overflowX);
  for (const el of document.querySelectorAll('.md-content *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || (r.right <= vw + 1 && r.left >= -1)) continue;
    let p = el.parentElement, held = false;
    for (; p && !held; p = p.parentElement) {
      const pr = p.getBoundingClientRect();
      held = scrolls(p) && pr.right <= vw + 1 && pr.left >= -1;
    }
    if (!held) out.push(`${el.tagName.toLowerCase()}.${el.className} ends at ${Math.round(r.right)}px`);
  }
  return {page: document.documentElement.scrollWidth, over: out.slice(0, 10)};
}"""

# The smallest text of each diagram shown, in CSS pixels as drawn (its font size times its scale).
DIAGRAM_TEXT = """() => [...document.querySelectorAll('.md-content svg.hb-diagram')]
  .filter(svg => svg.getClientRects().length && svg.querySelector('text'))
  .map(svg => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const sizes = [...svg.querySelectorAll('text')].map(t => parseFloat(t.getAttribute('font-size')) * scale);
    return [svg.getAttribute('aria-label'), Math.min(...sizes)];
  })"""

AXE_RUN = """async ({rules, tags}) => {
  const options = {runOnly: rules ? {type: 'rule', values: rules} : {type: 'tag', values: tags}};
  const r = await axe.run(document, options);
  return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.id} (${v.impact}) ×${v.nodes.length}: ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`);
}"""


@pytest.fixture(scope="session")
def axe_source() -> str:
    return (npm_package(AXE, "axe-core", "axe.min.js") / "axe.min.js").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = os.environ.get("HANDBOOK_SCREENSHOTS")
    folder = Path(where) if where else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _shot_name(path: str, width: int, scheme: str = "") -> str:
    return f"{path.strip('/').replace('/', '_') or 'home'}-{width}{scheme}.png"


@pytest.mark.parametrize("path", PAGES, ids=[p.strip("/") or "home" for p in PAGES])
def test_page_fits_and_passes_axe(browser, site_url: str, axe_source: str, screenshots: Path, path: str) -> None:
    problems: list[str] = []
    for width, height in WIDTHS.items():
        # Colours do not depend on the width: the dark scheme is checked on the phone only.
        for scheme in ("light", "dark") if width < 600 else ("light",):
            context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme,
                                          is_mobile=width < 600, has_touch=width < 600)
            page = context.new_page()
            page.goto(site_url + path)
            if scheme == "light":
                fit = page.evaluate(OVERFLOW)
                if fit["page"] > width or fit["over"]:
                    problems.append(f"{width}px: page {fit['page']}px wide; " + "; ".join(fit["over"]))
                small = [f"{label} {size:.1f}px" for label, size in page.evaluate(DIAGRAM_TEXT) if size < 11.95]
                if small:
                    problems.append(f"{width}px: diagram text under 12 px: " + "; ".join(small))
                page.screenshot(path=str(screenshots / _shot_name(path, width)), full_page=True)
            else:
                page.screenshot(path=str(screenshots / _shot_name(path, width, "-dark")), full_page=True)
            page.add_script_tag(content=axe_source)
            # The dark scheme changes colours only: run the colour rules there.
            rules = None if scheme == "light" else ["color-contrast", "link-in-text-block"]
            found = page.evaluate(AXE_RUN, {"rules": rules, "tags": WCAG})
            problems += [f"{width}px {scheme}: {v}" for v in found]
            context.close()
    assert not problems, f"/{path}:\n" + "\n".join(problems)


def test_the_palette_follows_the_device(browser, site_url: str) -> None:
    for scheme, expected in (("light", "default"), ("dark", "slate")):
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        page.goto(site_url)
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == expected
        context.close()


def test_the_keyboard_reaches_the_content(browser, site_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site_url + "severity/")
    page.keyboard.press("Tab")
    first = page.evaluate("[document.activeElement.className, document.activeElement.getAttribute('href')]")
    assert "md-skip" in first[0], f"the first Tab lands on {first}, not on 'Skip to content'"
    assert page.locator("a.md-skip").is_visible()
    page.keyboard.press("Enter")
    # From the content, Tab reaches the first link of the severity matrix, with a visible outline.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('.md-content')"):
            break
    focused = page.evaluate("""() => { const e = document.activeElement, s = getComputedStyle(e);
        return {inContent: !!e.closest('.md-content'), outline: s.outlineStyle, width: s.outlineWidth}; }""")
    assert focused["inContent"], "Tab never reached the page's content"
    assert focused["outline"] != "none" and focused["width"] != "0px", f"focus is not visible: {focused}"
    page.close()


# Where the focus is, for the element that has it: an outline or a ring drawn as a box shadow.
FOCUS = """() => { const e = document.activeElement, s = getComputedStyle(e);
  const seen = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
  return {inContent: !!e.closest('.md-content'), seen, what: e.tagName.toLowerCase() + '.' + e.className
          + ' ' + (e.textContent || '').trim().slice(0, 40)}; }"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_tab_stop_in_the_content_shows_the_focus(browser, site_url: str, scheme: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.goto(site_url + "communications/")
    page.locator("a.md-skip").focus()
    page.keyboard.press("Enter")
    stops, unseen = 0, []
    for _ in range(400):
        page.keyboard.press("Tab")
        now = page.evaluate(FOCUS)
        if not now["inContent"]:
            if stops:
                break  # past the content, into the footer
            continue
        stops += 1
        if not now["seen"]:
            unseen.append(now["what"])
    context.close()
    assert stops > 20, f"only {stops} tab stops in the communications page's content"
    assert not unseen, f"{scheme}: focus not shown on " + "; ".join(unseen[:10])


def test_a_folded_diagram_opens_from_the_keyboard(browser, site_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site_url + "communications/")
    summary = page.locator("details.hb-diagram-details > summary").first
    assert page.locator("details.hb-diagram-details svg").first.is_hidden()
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator("details.hb-diagram-details svg").first.is_visible()
    page.close()


def test_search_works_from_the_keyboard(browser, site_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site_url)
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.getAttribute('data-md-component')") == "search-query"
    page.keyboard.type("ransomware")
    page.locator(".md-search-result__item").first.wait_for(timeout=15000)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert "ransomware" in page.url.lower() or "ransomware" in page.locator("h1").first.inner_text().lower(), page.url
    page.close()
