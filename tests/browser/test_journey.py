"""Issue 7: the whole journey in a real browser, once in English and once in Chinese.

An organizer creates a forum with two sessions and publishes it, invites the units of a tag; a
liaison opens the invitation link from the mail the SMTP server received, sets up an account and
registers three people; a delegate opens their personal link, corrects a detail and downloads
the .ics; the organizer moves the forum and the delegate's iMIP update arrives; the organizer
exports the list as CSV and XLSX. Only the seeding (an organizer, member units with their
contacts) goes through the database; everything else is the UI of the served site. Expected
texts come from the app's catalogues in the page's language (helpers.Texts).
"""
from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from ..factories import PASSWORD, make_contact, make_unit, make_user
from .helpers import Shots, Texts, calendar_part, text_body, wait_for_mail

TAG = "EU-China urbanization partnership pair"
ZONE = "Asia/Shanghai"
OTHER = {"en": "zh", "zh": "en"}


def seed(site, lang: str) -> dict:
    """An organizer with a known password and three tagged units (one untagged unit is not
    invited). The liaison's unit has a receiving contact in `lang` and no liaison account."""
    from eventsite.extensions import db

    with site.app.app_context():
        organizer = make_user("organizer", email=f"organizer-{lang}@example.org",
                              name="Olga Organizer", password=PASSWORD)
        home = make_unit(name_en="Chengdu", name_zh="成都市", tags=[TAG])
        make_contact(home, role="liaison", email=f"liaison-{lang}@example.org",
                     name_latin="Wang Fang", name_zh="王芳", language=lang)
        for n, language in ((1, OTHER[lang]), (2, lang)):
            unit = make_unit(name_en=f"Partner City {n}", name_zh=f"伙伴城市{n}", tags=[TAG])
            make_contact(unit, email=f"mayor{n}-{lang}@example.org", language=language)
        make_contact(make_unit(name_en="Untagged Town", name_zh="无标签镇"),
                     email=f"untagged-{lang}@example.org")
        db.session.commit()
        return {"organizer": organizer.email, "liaison": f"liaison-{lang}@example.org",
                "home_id": home.id}


def flash_text(page) -> str:
    return " ".join(page.locator(".alert").all_inner_texts())


def local(day: date, hour: int, minute: int = 0) -> str:
    """A datetime-local input's value."""
    return datetime.combine(day, time(hour, minute)).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_journey(site, page_factory, lang):
    t = Texts(site.app, lang)
    shot = Shots(site.shots)
    people = seed(site, lang)
    first_day = date.today() + timedelta(days=40)
    title = {"en": "Forum on Green Cities", "zh": "绿色城市论坛"}

    # 1. The organizer logs in, in the page's language.
    org = page_factory(lang)
    org.goto(site.url + "/login")
    assert org.locator("html").get_attribute("lang") == ("zh-Hans" if lang == "zh" else "en")
    if lang == "zh":
        assert t("Log in") != "Log in" and t("Log in") in org.inner_text("h1")
    org.fill("#email", people["organizer"])
    org.fill("#password", PASSWORD)
    shot(org, "login")
    org.click("#submit")
    assert t("Event dashboard") in org.inner_text("nav")

    # 2. A forum: the event form, times typed on the event's clock.
    org.goto(site.url + "/organizer/events/new")
    org.select_option("#kind", "forum")
    org.fill("#title_en", title["en"])
    org.fill("#title_zh", title["zh"])
    org.fill("#timezone", ZONE)
    org.fill("#starts_at", local(first_day, 9))
    org.fill("#ends_at", local(first_day + timedelta(days=1), 17))
    org.fill("#venue_name_en", "Tianfu International Conference Center")
    org.fill("#city_en", "Chengdu")
    org.fill("#contact_email", "secretariat@example.org")
    shot(org, "event-form")
    org.click("#submit")
    assert t("The event was created as a draft.") in flash_text(org)
    assert org.locator("h1 ~ .badge").inner_text() == t("Draft")
    event_id = int(re.search(r"/organizer/events/(\d+)$", org.url).group(1))
    uid = org.inner_text("dd code")
    shot(org, "event-created")

    # 3. The agenda editor: two sessions (the second starts where the first ends).
    org.goto(site.url + f"/organizer/events/{event_id}/agenda")
    for n, (start, end) in enumerate(((9, 10), (10, 12)), 1):
        org.fill("#title_en", f"Session {n}: {['Opening', 'Green finance'][n - 1]}")
        org.fill("#title_zh", ["开幕式", "绿色金融"][n - 1])
        org.fill("#starts_at", local(first_day, start))
        org.fill("#ends_at", local(first_day, end))
        org.click("#submit")
        assert t("The session was added.") in flash_text(org)
    assert org.locator("tr[id^=session-]").count() == 2
    shot(org, "agenda")

    # 4. Publish.
    org.goto(site.url + f"/organizer/events/{event_id}")
    org.click(f"form[action$='/{event_id}/publish'] button")
    assert t("The event is published.") in flash_text(org)
    assert org.locator("h1 ~ .badge").inner_text() == t("Published")
    shot(org, "published")

    # 5. Invite the units of a tag: select, preview, issue.
    org.goto(site.url + f"/organizer/events/{event_id}/invitations/new")
    org.locator("#tags-options").get_by_label(TAG, exact=True).check()  # a checkbox list
    org.click("input[name=preview]")
    rows = org.locator("#to-invite tbody tr")
    assert rows.count() == 3
    assert "Untagged" not in org.inner_text("#to-invite") and "无标签镇" not in org.inner_text("#to-invite")
    shot(org, "invitation-preview")
    org.click("input[name=issue]")
    assert t.n("%(num)d invitation was issued; the mails are queued.",
               "%(num)d invitations were issued; the mails are queued.", 3) in flash_text(org)
    shot(org, "invitations-issued")

    # 6. The liaison's mail arrives; its link opens the invitation.
    invitation_mail = wait_for_mail(site, people["liaison"])[-1]
    assert invitation_mail.message["Content-Language"] == ("zh-Hans" if lang == "zh" else "en")
    assert title[lang] in text_body(invitation_mail.message)
    link = re.search(r"https?://\S+/events/\d+/invitation/\S+", text_body(invitation_mail.message))
    assert link, text_body(invitation_mail.message)
    liaison = page_factory(lang)
    liaison.goto(link.group(0))
    assert title[lang] in liaison.inner_text("h1")
    shot(liaison, "invitation-page")

    # 7. No liaison account yet: set one up from the link (this accepts the invitation); the
    #    address is confirmed by the mailed link, where the password is chosen.
    liaison.fill(".setup-form #name", "Wang Fang")
    liaison.fill(".setup-form #email", people["liaison"])
    shot(liaison, "account-setup")
    liaison.click(".setup-form [type=submit]")
    assert t("Your unit accepts the invitation. We have sent a link to %(email)s: open it to "
             "confirm the address and choose your password, then register your delegation.",
             email=people["liaison"]) in flash_text(liaison)
    activation = wait_for_mail(site, people["liaison"],
                               where=lambda mail: "/activate/" in text_body(mail.message))[-1]
    liaison.goto(re.search(r"https?://\S+/activate/\S+", text_body(activation.message)).group(0))
    liaison.fill("#password", "a long liaison password 42")
    liaison.fill("#confirm", "a long liaison password 42")
    liaison.click("form:has(#password) [type=submit]")
    assert t("Your account is active. Welcome!") in flash_text(liaison)
    liaison.goto(f"{site.url}/events/{event_id}/delegation")

    # 8. Register three people: two rows are there, the third comes from "add person" (JS).
    liaison.click(".js-add-person")
    assert liaison.locator("#people .js-person").count() == 3
    delegates = [("Li", "Ming", "李明", "head"), ("Zhao", "Lei", "赵磊", "member"),
                 ("Chen", "Jing", "陈静", "interpreter")]
    for i, (family, given, name_zh, role) in enumerate(delegates):
        row = liaison.locator("#people .js-person").nth(i)
        if not row.evaluate("d => d.open"):  # one person at a time: open their section
            row.locator("summary").click()
        row.locator("select[name$=-role]").select_option(role)
        row.locator("input[name$=-family_name]").fill(family)
        row.locator("input[name$=-given_name]").fill(given)
        row.locator("input[name$=-name_zh]").fill(name_zh)
        row.locator("input[name$=-email]").fill(f"{family.lower()}-{lang}@example.org")
        row.locator("select[name$=-language]").select_option(lang)
    shot(liaison, "delegation-form")
    liaison.click("#delegation-form [name=submit]")
    assert t("Your delegation is registered.") in flash_text(liaison)
    # The receipt: everyone, in both scripts, each with their status.
    assert "/receipt" in liaison.url
    registered = liaison.locator("#receipt-people").inner_text()
    assert registered.count(t("Confirmed")) == 3
    assert all(f"{given} {family.upper()}" in registered and name_zh in registered
               for family, given, name_zh, _role in delegates)
    shot(liaison, "delegation-registered")

    # 9. The head's confirmation mail; the personal link; a corrected detail.
    head = f"li-{lang}@example.org"
    confirmation = wait_for_mail(site, head)[-1].message
    assert confirmation["Content-Language"] == ("zh-Hans" if lang == "zh" else "en")
    first_part = calendar_part(confirmation)
    personal_link = re.search(r"https?://\S+/events/\d+/delegate/\S+", text_body(confirmation))
    assert personal_link, text_body(confirmation)
    delegate = page_factory(lang)
    delegate.goto(personal_link.group(0))
    assert delegate.locator("#delegate-status .badge").inner_text() == t("Confirmed")
    delegate.fill("#title", "Deputy Director")
    delegate.fill("#dietary", "vegetarian")
    shot(delegate, "personal-page")
    delegate.click("[name=submit]")
    assert t("Your details were saved.") in flash_text(delegate)
    assert delegate.input_value("#dietary") == "vegetarian"
    shot(delegate, "details-saved")

    # 10. The .ics download.
    with delegate.expect_download() as download:
        delegate.click("#ics-link")
    assert download.value.suggested_filename.endswith(".ics")
    download.value.save_as(site.shots / download.value.suggested_filename)
    downloaded = parse_ics(download.value.path().read_bytes())
    assert str(downloaded["METHOD"]) == "PUBLISH"
    event_entry = next(c for c in downloaded.walk("VEVENT") if str(c["UID"]) == uid)
    assert event_entry.decoded("DTSTART") == datetime.combine(first_day, time(9),
                                                              ZoneInfo(ZONE))
    first_sequence = int(event_entry.get("SEQUENCE", 0))
    if first_part is not None:
        first_sequence = max(first_sequence, int(parse_ics(first_part.get_payload(decode=True))
                                                 .walk("VEVENT")[0].get("SEQUENCE", 0)))

    # 11. The organizer moves the forum by a day: first the "N delegates" step, then confirm.
    org.goto(site.url + f"/organizer/events/{event_id}/edit")
    org.fill("#starts_at", local(first_day + timedelta(days=1), 9))
    org.fill("#ends_at", local(first_day + timedelta(days=2), 17))
    org.click("#submit")
    assert t.n("%(num)d confirmed delegate will be notified of this change",
               "%(num)d confirmed delegates will be notified of this change", 3) in \
        org.inner_text("#notify-preview h2")
    shot(org, "notify-preview")
    org.click("#confirm_notify")
    assert t("The changes were saved.") in flash_text(org)
    assert t.n("%(num)d confirmed delegate was sent the update.",
               "%(num)d confirmed delegates were sent the update.", 3) in flash_text(org)
    shot(org, "event-moved")

    # 12. The head's update: iMIP REQUEST, same UID, higher SEQUENCE, the new start.
    def is_update(mail):
        part = calendar_part(mail.message)
        if part is None or part.get_param("method") != "REQUEST":
            return False
        entry = parse_ics(part.get_payload(decode=True)).walk("VEVENT")[0]
        return int(entry.get("SEQUENCE", 0)) > first_sequence

    update = wait_for_mail(site, head, where=is_update)[-1].message
    assert update["Content-Language"] == ("zh-Hans" if lang == "zh" else "en")
    request_ics = parse_ics(calendar_part(update).get_payload(decode=True))
    assert str(request_ics["METHOD"]) == "REQUEST"
    entry = request_ics.walk("VEVENT")[0]
    assert str(entry["UID"]) == uid
    assert entry.decoded("DTSTART") == datetime.combine(first_day + timedelta(days=1), time(9),
                                                        ZoneInfo(ZONE))
    assert head in str(entry["ATTENDEE"]).lower()

    # 13. The organizer sees the invitation registered and exports the list.
    org.goto(site.url + f"/organizer/events/{event_id}/invitations")
    home_row = org.locator("#invitations tr[data-status=registered]")
    assert home_row.count() == 1
    assert t("registered") in home_row.locator(".badge").first.inner_text()
    org.goto(site.url + f"/organizer/events/{event_id}/delegations")
    shot(org, "delegations")
    with org.expect_download() as csv_download:
        org.click(f"a[href*='/{event_id}/delegations.csv']")
    assert csv_download.value.suggested_filename == f"delegations-{event_id}.csv"
    csv_download.value.save_as(site.shots / csv_download.value.suggested_filename)
    table = list(csv.reader(io.StringIO(csv_download.value.path().read_bytes().decode("utf-8-sig"))))
    header, body = table[0], table[1:]
    assert t("Family name") in header and t("Dietary needs") in header
    assert sorted(r[header.index(t("Family name"))] for r in body) == ["Chen", "Li", "Zhao"]
    li_row = next(r for r in body if r[header.index(t("Family name"))] == "Li")
    assert li_row[header.index(t("Dietary needs"))] == "vegetarian"
    assert li_row[header.index(t("Title / position"))] == "Deputy Director"
    with org.expect_download() as xlsx_download:
        org.click(f"a[href*='/{event_id}/delegations.xlsx']")
    from openpyxl import load_workbook

    assert xlsx_download.value.suggested_filename == f"delegations-{event_id}.xlsx"
    xlsx_download.value.save_as(site.shots / xlsx_download.value.suggested_filename)
    sheet = load_workbook(io.BytesIO(xlsx_download.value.path().read_bytes()), read_only=True).active
    cells = [[c if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)]
    assert cells[0] == header and sorted(map(tuple, cells[1:])) == sorted(map(tuple, body))
    shot(org, "exported")
    if lang == "zh":  # every text asserted above was the Chinese one, not the English msgid
        assert t.untranslated() == []
    print(f"\njourney screenshots ({lang}): {site.shots}")


def parse_ics(data: bytes):
    from icalendar import Calendar

    return Calendar.from_ical(data)
