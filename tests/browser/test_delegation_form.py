"""Issue 16 in a real browser, in English and Chinese: at the quota the disabled "Add another
person" button has its reason written next to it (and loses it when a row is removed), and one
submit of the delegation form shows every problem beside its field (two heads at both role
fields, a shared email address at the second person's, a WTForms length message), each person's
section open where it has a mistake. On a phone the form shows one person at a time."""
from __future__ import annotations

from datetime import timedelta

import pytest

from ..factories import PASSWORD, make_event, make_session, make_unit, make_user
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
    # One person at a time: the second section opens from its summary.
    assert page.locator(".js-person[open]").count() == 1
    page.locator(".js-person").nth(1).locator("summary").click()
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
    # Both sections have a mistake: both are open, and every field with an error is in sight.
    assert page.locator(".js-person[open]").count() == 2
    assert page.locator("#delegation-form .is-invalid").count() >= 4
    for field in page.locator("#delegation-form .is-invalid").all():
        assert field.is_visible(), field.get_attribute("id")
    one_head = texts("Name exactly one head of delegation.")
    assert one_head in page.locator("#people-0-role-error").inner_text()
    assert one_head in page.locator("#people-1-role-error").inner_text()
    assert texts("Another person in this delegation has the email address %(address)s: each person "
                 "needs their own.", address="same@example.org") in page.locator(
        "#people-1-email-error").inner_text()
    long_name = page.locator("#people-0-family_name-error").inner_text()
    assert ("字段长度不能超过 100 个字符" if lang == "zh" else "cannot be longer than 100") in long_name
    assert texts.untranslated() == [] or lang == "en"


PHONE = 375
FORM_HEIGHT = "document.getElementById('delegation-form').getBoundingClientRect().height"


def seed_sessions(site, lang: str) -> dict:
    """A forum asking every detail, with four sessions the delegates choose, and a quota of three."""
    from eventsite.extensions import db

    with site.app.app_context():
        event = make_event(capacity=20, default_quota=3, title_en="Water Forum", title_zh="水务论坛")
        for i in range(4):
            make_session(event, title_en=f"Workshop {i + 1}: water and cities", title_zh=f"第{i + 1}场：城市与水",
                         starts_at=event.starts_at + timedelta(hours=i), delegates_choose=True)
        unit = make_unit(name_en="Chengdu", name_zh="成都市")
        liaison = make_user("liaison", unit=unit, email=f"liaison-{lang}@example.org",
                            password=PASSWORD, locale=lang)
        db.session.commit()
        return {"event": event.id, "liaison": liaison.email}


def open_section(row) -> None:
    if not row.evaluate("d => d.open"):
        row.locator("summary").click()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_three_people_on_a_phone_one_at_a_time(site, page_factory, lang):
    ids, texts, shots = seed_sessions(site, lang), Texts(site.app, lang), Shots(site.shots)
    page = page_factory(lang, width=PHONE, height=800)
    log_in(site, page, ids["liaison"])
    url = f"{site.url}/events/{ids['event']}/delegation"
    page.goto(url)
    page.wait_for_load_state("networkidle")
    rows = page.locator("#people .js-person")
    # The first person is open, the second folded; a third, added, opens with the focus in it.
    assert [r.evaluate("d => d.open") for r in rows.all()] == [True, False]
    page.click(".js-add-person")
    assert rows.nth(2).evaluate("d => d.open && d.contains(document.activeElement)")
    # Session checkboxes sit beside their labels (Bootstrap form-check), not above them.
    box = rows.nth(0).locator("input[name$='-sessions']").first.bounding_box()
    label = rows.nth(0).locator("input[name$='-sessions'] + label, input[name$='-sessions'] ~ label").first.bounding_box()
    assert box["x"] + box["width"] <= label["x"] and box["y"] < label["y"] + label["height"] and label["y"] < box["y"] + box["height"], (box, label)

    people = [("Li", "Ming", "李明", "head"), ("Zhao", "Lei", "赵磊", "member"), ("Chen", "Jing", "陈静", "interpreter")]
    for i, (family, given, name_zh, role) in enumerate(people):
        row = rows.nth(i)
        open_section(row)
        row.locator("select[name$=-role]").select_option(role)
        row.locator("input[name$=-family_name]").fill(family)
        row.locator("input[name$=-given_name]").fill(given)
        row.locator("input[name$=-name_zh]").fill(name_zh)
        row.locator("input[name$=-email]").fill(f"{family.lower()}-{lang}@example.org")
    # The summary names the person and their role as they are typed.
    summary = rows.nth(1).locator("summary").inner_text()
    assert "Lei ZHAO" in summary and "赵磊" in summary and texts("Member") in summary, summary
    page.click("#delegation-form [name=submit]")
    page.wait_for_load_state("networkidle")
    assert "/receipt" in page.url, page.inner_text("main")[:500]

    # Back on the form, three people: one open section, each summary saying who is who.
    page.goto(url)
    page.wait_for_load_state("networkidle")
    assert [r.evaluate("d => d.open") for r in rows.all()] == [True, False, False]
    summary = rows.nth(2).locator("summary").inner_text()
    assert "Jing CHEN" in summary and "陈静" in summary and texts("Interpreter") in summary, summary
    shots(page, "three-people-phone")
    folded = page.evaluate(FORM_HEIGHT)
    page.evaluate("document.querySelectorAll('#people details').forEach(d => d.open = true)")
    unfolded = page.evaluate(FORM_HEIGHT)
    print(f"three-person form at {PHONE} px ({lang}): {folded:.0f} px, every section open: {unfolded:.0f} px")
    assert folded < unfolded / 2, (folded, unfolded)

    # A mistake in the third person (folded): after the submit its section is open, the
    # mistake in sight, and the sections without a mistake are folded.
    page.goto(url)
    page.wait_for_load_state("networkidle")
    open_section(rows.nth(2))
    rows.nth(2).locator("input[name$=-email]").fill("not an address")
    page.click("#delegation-form [name=submit]")
    page.wait_for_load_state("networkidle")
    assert [r.evaluate("d => d.open") for r in rows.all()] == [False, False, True]
    error = page.locator("#people-2-email-error")
    assert error.is_visible() and page.locator("#people-2-email").is_visible()
    shots(page, "mistake-in-sight")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_travel_documents_on_a_phone(site, page_factory, lang):
    """An event asking for travel documents: at 375 px the five fields fit (no sideways
    scrolling), an expiry before the event ends is refused beside its field, and once saved the
    liaison sees the number masked in the hint, the field itself empty."""
    from eventsite.extensions import db

    with site.app.app_context():
        event = make_event(default_quota=2, title_en="UN side meeting", title_zh="联合国边会",
                           delegate_details="title,passport")
        unit = make_unit(name_en="Wuhan", name_zh="武汉市")
        liaison = make_user("liaison", unit=unit, email=f"visa-{lang}@example.org",
                            password=PASSWORD, locale=lang)
        db.session.commit()
        event_id, email, last_day = event.id, liaison.email, event.ends_at.date()
    shots = Shots(site.shots)
    page = page_factory(lang, width=PHONE, height=800)
    log_in(site, page, email)
    url = f"{site.url}/events/{event_id}/delegation"
    page.goto(url)
    page.wait_for_load_state("networkidle")
    row = page.locator("#people .js-person").first
    row.locator("input[name$=-family_name]").fill("Li")
    row.locator("input[name$=-given_name]").fill("Ming")
    row.locator("input[name$=-title]").fill("Mayor")
    row.locator("input[name$=-passport_name]").fill("li ming")
    row.locator("input[name$=-passport_number]").fill("E12345678")
    row.locator("select[name$=-nationality]").select_option("CN")
    row.locator("input[name$=-birth_date]").fill("1980-02-29")
    row.locator("input[name$=-passport_expiry]").fill(last_day.isoformat())
    page.click("#delegation-form [name=submit]")
    page.wait_for_load_state("networkidle")
    error = page.locator("#people-0-passport_expiry-error")
    assert error.is_visible() and {"en": "a visa is refused", "zh": "拒签"}[lang] in error.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    shots(page, "travel-documents-phone")
    row = page.locator("#people .js-person").first
    row.locator("input[name$=-passport_expiry]").fill((last_day + timedelta(days=3650)).isoformat())
    row.locator("input[name$=-passport_number]").fill("E12345678")
    row.locator("input[name$=-birth_date]").fill("1980-02-29")
    page.click("#delegation-form [name=submit]")
    page.wait_for_load_state("networkidle")
    assert "/receipt" in page.url, page.inner_text("main")[:500]
    page.goto(url)
    page.wait_for_load_state("networkidle")
    number = page.locator("#people-0-passport_number")
    assert number.input_value() == "" and "E1****678" in page.locator("#people-0-passport_number-hint").inner_text()
    assert "E12345678" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
