"""The hosted handbook in a real browser: home, search, a department page on a phone."""

from __future__ import annotations


def test_home_page_opens_with_the_hotline(browser, site_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site_url)
    assert "Incident Preparedness Handbook" in page.title()
    now = page.locator("ol.hb-now")
    assert now.is_visible()
    assert "+1 312-555-0111" in now.inner_text()
    page.close()


def test_search_finds_a_partner_and_reaches_its_entry(browser, site_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    # Wait for Material's scripts to attach to the search box before typing, as a person would.
    page.goto(site_url, wait_until="networkidle")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator("input.md-search__input").press_sequentially("Northlight Forensics", delay=30)
    result = page.locator(".md-search-result__item a").first
    result.wait_for(timeout=10_000)
    result.click()
    page.wait_for_load_state()
    assert "/partners/" in page.url
    heading = page.locator("h3#partner-northlight-forensics, h4#partner-northlight-forensics, [id='partner-northlight-forensics']").first
    assert heading.is_visible()
    page.close()


def test_department_page_on_a_phone(browser, site_url: str) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.goto(site_url + "departments/customer-service/")
    assert page.locator("h1").inner_text().startswith("Customer Service")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page scrolls sideways on a phone ({width}px)"
    heading = page.locator("h2#at-each-level")
    heading.scroll_into_view_if_needed()
    assert heading.is_visible()
    phone_links = page.locator("a.hb-tel")
    assert phone_links.count() > 5
    assert phone_links.first.get_attribute("href").startswith("tel:+1")
    page.close()
