"""The browser harness itself: the served site answers in both languages and renders Chinese."""
from __future__ import annotations


def test_home_page_in_both_languages(site, page_factory):
    for language, text in (("en", "Events"), ("zh", "活动")):
        page = page_factory(language)
        page.goto(site.url + "/")
        assert text in page.inner_text("nav")
        page.screenshot(path=str(site.shots / f"home-{language}.png"), full_page=True)
