"""Issue 19 (cooperation) in a real browser, in English and Chinese: a liaison fills the unit's
cooperation profile and submits a project, an organizer approves it, and it appears in the public
catalogue; the liaison's pages and the catalogue fit a 375 px phone."""
from __future__ import annotations

import pytest

from ..cooperation.helpers import make_topics
from ..factories import PASSWORD, make_unit, make_user
from .helpers import Shots, Texts, phone_problems
from .test_delegation_form import log_in


def seed(site, lang: str) -> dict:
    from eventsite.extensions import db

    with site.app.app_context():
        topics = make_topics()
        unit = make_unit(name_en="Yibin", name_zh="宜宾市")
        liaison = make_user("liaison", unit=unit, email=f"coop-{lang}@example.org", password=PASSWORD, locale=lang)
        organizer = make_user("organizer", email=f"coop-organizer-{lang}@example.org", password=PASSWORD,
                              locale=lang)
        db.session.commit()
        return {"liaison": liaison.email, "organizer": organizer.email, "topic": topics[0].id}


def _open(page, url):
    page.goto(url)
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_profile_project_review_catalogue(site, page_factory, lang):
    ids, texts, shots = seed(site, lang), Texts(site.app, lang), Shots(site.shots)
    page = page_factory(lang, width=375, height=740)
    log_in(site, page, ids["liaison"])
    _open(page, f"{site.url}/cooperation/profile")
    assert phone_problems(page) == []
    page.fill("#text_en", "A river port city.")
    page.fill("#text_zh", "长江港口城市。")
    page.check("#offers-0")
    page.check("#seeks-1")
    page.locator("#profile-form [type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert texts("The cooperation profile was saved.") in page.content()
    _open(page, f"{site.url}/cooperation/projects/new")
    assert phone_problems(page) == []
    page.fill("#title_en", "Riverside logistics park")
    page.fill("#title_zh", "滨江物流园")
    page.fill("#description_en", "A logistics park by the Yangtze.")
    page.select_option("#sector", "trade")
    page.select_option("#stage", "planning")
    page.select_option("#size_band", "large")
    page.select_option("#province", "CN-SC")
    page.check("#topics-0")
    page.fill("#contact_email", "invest@example.org")
    page.locator("#project-form [type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert texts("The project was saved.") in page.content()
    page.locator("#my-projects form button").first.click()  # submit for review
    page.wait_for_load_state("networkidle")
    assert texts("The project was sent to the secretariat for review.") in page.content()
    shots(page, f"cooperation-liaison-{lang}")
    assert phone_problems(page) == []

    organizer = page_factory(lang)
    log_in(site, organizer, ids["organizer"])
    _open(organizer, f"{site.url}/organizer/cooperation/projects")
    organizer.locator("#review-queue a").first.click()
    organizer.wait_for_load_state("networkidle")
    organizer.locator("#review-form [name=approve]").click()
    organizer.wait_for_load_state("networkidle")
    assert texts("The project was published.") in organizer.content()

    public = page_factory(lang, width=375, height=740)
    _open(public, f"{site.url}/projects")
    title = "滨江物流园" if lang == "zh" else "Riverside logistics park"
    assert title in public.locator("#catalogue").inner_text()
    assert phone_problems(public) == []
    public.locator("#catalogue a").first.click()
    public.wait_for_load_state("networkidle")
    assert title in public.locator("h1").inner_text()
    shots(public, f"cooperation-project-{lang}")
    assert phone_problems(public) == []
