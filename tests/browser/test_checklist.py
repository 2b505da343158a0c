"""Long multiple choices are searchable checkbox lists (issue 16): no Ctrl-click; typing filters the
units, ticked ones stay, the count says how many are ticked; the choice reaches the server."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from .test_accessibility import ORGANIZER, log_in, seed, visit

VISIBLE_UNITS = """() => Array.from(document.querySelectorAll('#units-options .form-check'))
  .filter(e => !e.hidden).map(e => e.innerText.trim())"""


def test_units_are_found_by_typing_and_ticked_with_a_thumb(site, page_factory):
    pages = seed(site)
    page = page_factory("en", width=375)
    log_in(page, site.url, ORGANIZER)
    visit(page, site.url + pages[ORGANIZER]["invite"])
    assert page.locator("select[multiple]").count() == 0, "no Ctrl-click lists left"
    everything = page.evaluate(VISIBLE_UNITS)
    assert len(everything) > 20
    page.fill("#units-options ~ input, input[aria-controls=units-options]", "cheng")
    found = page.evaluate(VISIBLE_UNITS)
    assert found and all("cheng" in name.lower() for name in found), found
    assert len(found) < len(everything)
    page.get_by_label(found[0], exact=True).check()
    assert page.inner_text("[data-checklist]:has(#units-options) .checklist-count") == "1 selected"
    page.fill("input[aria-controls=units-options]", "")
    assert len(page.evaluate(VISIBLE_UNITS)) == len(everything)
    # The filter box is not a form field: Enter there does not submit, and the live count follows.
    page.focus("input[aria-controls=units-options]")
    page.keyboard.press("Enter")
    assert "/invitations/new" in page.url
    expect(page.locator("#live-count")).to_have_text(re.compile(r"^1 selected"))


def test_chinese_labels(site, page_factory):
    pages = seed(site)
    page = page_factory("zh")
    log_in(page, site.url, ORGANIZER)
    visit(page, site.url + pages[ORGANIZER]["new message"])
    box = page.locator("input[aria-controls=units-options]")
    assert box.get_attribute("placeholder") == "输入以筛选"
    box.fill("成都")
    found = page.evaluate(VISIBLE_UNITS)
    assert found and all("成都" in name for name in found), found
    page.get_by_label(found[0], exact=True).check()
    assert page.inner_text("[data-checklist]:has(#units-options) .checklist-count") == "已选 1 项"
