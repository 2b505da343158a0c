"""Issue 16 in a real browser, in English and Chinese: at the quota the disabled "Add another
person" button has its reason written next to it (and loses it when a row is removed), and one
submit of the delegation form shows every problem beside its field (two heads at both role
fields, a shared email address at the second person's, a WTForms length message)."""
from __future__ import annotations

import pytest

from ..factories import PASSWORD, make_event, make_unit, make_user
from .helpers import Shots, Texts


def seed(site, lang: str) -> dict:
    from eventsite.extensions import db

    with site.app.app_context():
        event = make_event(capacity=20, default_quota=2, title_en="Water Forum", title_zh="水务论坛")
        unit = make_unit(name_en="Chengdu", name_zh="成都市")
        liaison = make_user("liaison", unit=unit, email=f"liaison-{lang}@example.org",
                            password=PASSWORD, locale=lang)
        db.session.commit()
        return {"event": event.id, "liaison": liaison.email}


def log_in(site, page, email: str) -> None:
    page.goto(site.url + "/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.locator("form[action='/login'] [type=submit]").click()
    page.wait_for_load_state()
    assert "/login" not in page.url


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_quota_reason_and_every_problem_at_once(site, page_factory, lang):
    ids, texts, shots = seed(site, lang), Texts(site.app, lang), Shots(site.shots)
    page = page_factory(lang)
    log_in(site, page, ids["liaison"])
    page.goto(f"{site.url}/events/{ids['event']}/delegation")
    page.wait_for_load_state("networkidle")
    add, reason = page.locator(".js-add-person"), page.locator("#quota-reached")
    # Two rows for a quota of two: the button is disabled and says why, in words.
    assert add.is_disabled() and reason.is_visible()
    assert reason.inner_text().strip() == texts.n(
        "Your unit's quota of %(num)d person is reached: to add someone else, remove a person first.",
        "Your unit's quota of %(num)d people is reached: to add someone else, remove a person first.", 2)
    shots(page, "at-quota")
    page.locator(".js-person").nth(1).locator(".js-remove-person").click()
    assert add.is_enabled() and not reason.is_visible()
    add.click()
    assert add.is_disabled() and reason.is_visible()

    # One submit, every problem beside its field.
    # The field's maxlength stops a browser; without it, WTForms' own message answers.
    page.evaluate("document.getElementById('people-0-family_name').removeAttribute('maxlength')")
    page.fill("#people-0-family_name", "W" * 101)
    page.fill("#people-0-email", "same@example.org")
    second = page.locator(".js-person").nth(1)
    second.locator("input[name$='-family_name']").fill("Li")
    second.locator("input[name$='-email']").fill("SAME@example.org")
    second.locator("select[name$='-role']").select_option("head")
    page.locator("#delegation-form [name=submit]").click()
    page.wait_for_load_state("networkidle")
    shots(page, "every-problem")
    one_head = texts("Name exactly one head of delegation.")
    assert one_head in page.locator("#people-0-role-error").inner_text()
    assert one_head in page.locator("#people-1-role-error").inner_text()
    assert texts("Another person in this delegation has the email address %(address)s: each person "
                 "needs their own.", address="same@example.org") in page.locator(
        "#people-1-email-error").inner_text()
    long_name = page.locator("#people-0-family_name-error").inner_text()
    assert ("字段长度不能超过 100 个字符" if lang == "zh" else "cannot be longer than 100") in long_name
    assert texts.untranslated() == [] or lang == "en"
