"""Issue 17's done-when in a real browser, in English and in Chinese: from the invitation letter to
the arrival. A liaison of a Chinese city enters three members' passport details on the delegation
form of a forum in Brussels (an expiry before the event is refused beside its field, nothing
saved) and requests letters for them; the organizer issues them; the liaison downloads the PDF
from the delegation page, which reads back in both languages with the names and the reference,
and whose QR code opens the public verification page (valid, numbers masked). The organizer
corrects a passport number and re-issues (new reference, the old letter replaced); adds a hotel
and a twin-room block, puts the three in rooms (two share) and downloads the rooming list; the
delegate's personal page shows the hotel.

Only the seeding goes through the database; the rest is the UI of the served site. The liaison's
and delegate's pages are seen at 375 px, the organizer's at 1280 px; every phone problem is
reported together at the end.
"""
from __future__ import annotations

import io
import re
from datetime import date, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from ..factories import PASSWORD, make_delegation, make_event, make_unit, make_user
from ..letters.test_flow import pdf_text, qr_urls
from .helpers import Shots, Texts, phone_problems
from .test_accessibility import visit
from .test_first_week_people import flash, row, submit

PHONE, WIDE = 375, 1280
ZONE = "Europe/Brussels"
# (family, given, Chinese name, name as in the passport, passport number)
MEMBERS = [("Zhang", "Wei", "张伟", "ZHANG WEI", "E12345678"),
           ("Liu", "Yang", "刘洋", "LIU YANG", "G87654321"),
           ("Chen", "Jing", "陈静", "CHEN JING", "EA1122334")]
CORRECTED = "E99887766"  # the organizer's correction of the second member's number
AIRPORT = "Brussels Airport (BRU)"
MEETING = {"en": "Arrivals hall, meeting point sign", "zh": "到达大厅集合点标志处"}


def seed(site, lang: str) -> dict:
    """A forum in Brussels asking for travel documents; Chengdu's confirmed delegation of three
    (no passport details yet), its liaison and an organizer, both reading `lang`."""
    from eventsite.delegations.notifications import issue_link
    from eventsite.extensions import db

    with site.app.app_context():
        event = make_event(title_en="Brussels Forum on Urban Partnerships", title_zh="布鲁塞尔城市伙伴论坛",
                           city_en="Brussels", city_zh="布鲁塞尔", country="BE", timezone=ZONE,
                           delegate_details="title,organization,travel,passport")
        unit = make_unit(name_en="Chengdu", name_zh="成都市")
        liaison = make_user("liaison", unit=unit, email=f"liaison-{lang}@example.org", password=PASSWORD,
                            locale=lang)
        organizer = make_user("organizer", email=f"organizer-{lang}@example.org", password=PASSWORD,
                              locale=lang)
        delegation, _head = make_delegation(event, unit, people=3)
        people = sorted(delegation.delegates, key=lambda d: d.position)
        for delegate, (family, given, name_zh, _p, _n) in zip(people, MEMBERS, strict=True):
            delegate.family_name, delegate.given_name, delegate.name_zh = family, given, name_zh
            delegate.title, delegate.language = "Deputy Director", lang
        # The first lands three hours before the opening (the liaison's own entry, issue 17's
        # travel fields): the pickup run below suggests them.
        people[0].arrival_at = event.starts_at - timedelta(hours=3)
        people[0].arrival_details, people[0].arrival_place = "CA 933", AIRPORT
        link = issue_link(people[0])[1]
        db.session.commit()
        zone = ZoneInfo(ZONE)
        return {"event": event.id, "delegation": delegation.id, "people": [d.id for d in people],
                "liaison": liaison.email, "organizer": organizer.email, "path": "/" + link.split("/", 3)[3],
                "arrival": people[0].arrival_at, "first_day": event.starts_at.astimezone(zone).date(),
                "last_day": event.ends_at.astimezone(zone).date()}


class Journey:
    """The pages of one run and the phone problems seen on them, reported together."""

    def __init__(self, site, page_factory, lang: str, ids: dict):
        self.site, self.page_factory, self.lang, self.ids = site, page_factory, lang, ids
        self.t = Texts(site.app, lang)
        self.shots = Shots(site.shots)
        self.problems: list[str] = []

    def page(self, width: int, email: str | None = None):
        page = self.page_factory(self.lang, width=width, height=800 if width == PHONE else 900)
        if email:
            visit(page, self.site.url + "/login")
            page.fill("#email", email)
            page.fill("#password", PASSWORD)
            submit(page, "form[action='/login'] [type=submit]")
            page.wait_for_load_state("networkidle")
            assert "/login" not in page.url, f"{email} could not log in"
        return page

    def look(self, page, name: str) -> None:
        page.wait_for_load_state("networkidle")
        if page.viewport_size["width"] == PHONE:
            where = f"{name} ({page.url.removeprefix(self.site.url)})"
            self.problems += [f"{where}: {p}" for p in phone_problems(page)]
        self.shots(page, name)

    def open(self, page, path: str, name: str) -> None:
        visit(page, self.site.url + path)
        self.look(page, name)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_from_invitation_letter_to_arrival(site, page_factory, lang):
    ids = seed(site, lang)
    walk = Journey(site, page_factory, lang, ids)
    passports(walk)
    request_letters(walk)
    reference, old_token = issue_and_verify(walk)
    correct_and_reissue(walk, reference, old_token)
    hotel_and_rooms(walk)
    pickup_in_the_feed(walk)
    if lang == "zh":
        assert walk.t.untranslated() == [], walk.t.untranslated()
    assert not walk.problems, f"{lang}:\n" + "\n".join(walk.problems)


def fill_passport(page, n: int, expiry: date, values=MEMBERS) -> None:
    _family, _given, _zh, passport_name, number = values[n]
    section = row(page, n)
    section.locator("input[name$=-passport_name]").fill(passport_name)
    section.locator("input[name$=-passport_number]").fill(number)
    section.locator("select[name$=-nationality]").select_option("CN")
    section.locator("input[name$=-birth_date]").fill(f"198{n}-03-04")
    section.locator("input[name$=-passport_expiry]").fill(expiry.isoformat())


def day_text(walk, day: date) -> str:
    """A day as the server writes it in the page's language."""
    from flask_babel import force_locale

    from eventsite.core.timefmt import short_date

    with walk.site.app.test_request_context(), force_locale(walk.lang):
        return short_date(day)


def stored_passports(walk) -> list:
    from eventsite.delegations.models import Delegate
    from eventsite.extensions import db

    with walk.site.app.app_context():
        return [db.session.get(Delegate, i).passport_number for i in walk.ids["people"]]


def passports(walk) -> None:
    # 1. The liaison (phone) enters three members' passports; one expires before the event.
    t, ids = walk.t, walk.ids
    page = walk.liaison = walk.page(PHONE, ids["liaison"])
    walk.open(page, f"/events/{ids['event']}/delegation", "delegation-form")
    valid_until = date.today() + timedelta(days=3 * 365)
    for n in range(3):
        fill_passport(page, n, ids["first_day"] - timedelta(days=3) if n == 1 else valid_until)
    submit(page, "#delegation-form [name=submit]")
    walk.look(page, "passport-expiry-refused")
    message = page.locator("#people-1-passport_expiry-error")
    assert message.count() == 1 and message.is_visible(), page.inner_text("main")[:1500]
    assert t("Passport valid until") in page.locator("label[for=people-1-passport_expiry]").inner_text()
    assert t("This passport expires before the event ends (%(day)s): a visa is refused for such a passport. "
             "Give the details of a passport valid beyond the trip.",
             day=day_text(walk, ids["last_day"])) in message.inner_text()
    assert page.locator(".invalid-feedback:visible").count() == 1, page.inner_text("main")[:1500]
    assert not any(stored_passports(walk)), stored_passports(walk)  # nothing saved
    for n in range(3):
        fill_passport(page, n, valid_until)
    submit(page, "#delegation-form [name=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("main .invalid-feedback:visible").count() == 0, page.inner_text("main")[:1500]
    assert stored_passports(walk) == [m[4] for m in MEMBERS]
    walk.look(page, "passports-saved")


def request_letters(walk) -> None:
    # 2. The letters page, from the delegation page's link: the three members ticked.
    t, ids, page = walk.t, walk.ids, walk.liaison
    visit(page, f"{walk.site.url}/events/{ids['event']}/delegation")
    with page.expect_navigation():
        page.click("#letters-link")
    walk.look(page, "letters-request")
    for delegate_id in ids["people"]:
        page.check(f"#person-{delegate_id}")
    page.fill("#purpose", "Schengen visa for the forum")
    submit(page, "main form [type=submit]")
    assert t.n("A letter was requested for %(num)d member.", "Letters were requested for %(num)d members.",
               3) in flash(page), page.inner_text("main")[:1500]
    walk.look(page, "letters-requested")


def issue_and_verify(walk) -> tuple[str, str]:
    # 3. The organizer issues; the liaison downloads the PDF through the delegation page.
    t, ids, site = walk.t, walk.ids, walk.site
    org = walk.organizer = walk.page(WIDE, ids["organizer"])
    walk.open(org, f"/organizer/events/{ids['event']}/letters", "organizer-letters")
    boxes = org.locator("#decide-form input[name=requests]")
    assert boxes.count() == 3, org.inner_text("main")[:1500]
    for box in boxes.all():
        box.check()
    submit(org, "#decide-form [name=issue]")
    assert t.n("%(num)d letter issued and mailed.", "%(num)d letters issued and mailed.", 1) in flash(org), \
        flash(org)
    walk.look(org, "letters-issued")
    page = walk.liaison
    visit(page, f"{site.url}/events/{ids['event']}/delegation")
    with page.expect_navigation():
        page.click("#letters-link")
    walk.look(page, "letters-issued-liaison")
    reference = re.search(rf"E{ids['event']}-\d{{4}}-\d{{4}}", page.inner_text("main")).group(0)
    with page.expect_download() as download:
        page.get_by_role("link", name=t("Download PDF")).first.click()
    data = download.value.path().read_bytes()
    text = pdf_text(data)
    assert "邀请函" in text and "Invitation letter" in text, text[:500]
    assert "布鲁塞尔城市伙伴论坛" in text and "Brussels Forum on Urban Partnerships" in text
    assert reference in text
    for member in MEMBERS:
        assert member[3] in text, member[3]
    (url,) = qr_urls(data)
    assert url.startswith(f"{site.url}/letters/verify/"), url
    body = verify_page(walk, url, "valid")
    assert reference in body and "E1****678" in body and "G8****321" in body, body[:1500]
    assert not any(member[4] in body for member in MEMBERS), body[:1500]  # never the full numbers
    return reference, url.rsplit("/", 1)[-1]


def verify_page(walk, url: str, state: str) -> str:
    """The public page in a new context (no login, no cookies): the answer in both languages."""
    words = {"valid": "This letter is valid.",
             "replaced": "This letter was replaced by a newer letter and is no longer valid."}[state]
    public = walk.page(PHONE)
    visit(public, url)
    assert "/login" not in public.url
    body = public.locator("body").inner_text()
    assert words in body and walk.t(words) in body, body[:1500]
    walk.look(public, f"verify-{state}")
    return body


def correct_and_reissue(walk, reference: str, old_token: str) -> None:
    # 4. The organizer corrects the second member's number; the letters page offers a re-issue.
    t, ids, site, org = walk.t, walk.ids, walk.site, walk.organizer
    walk.open(org, f"/organizer/events/{ids['event']}/delegations/{ids['delegation']}/delegates/"
                   f"{ids['people'][1]}/edit", "organizer-edit-delegate")
    assert org.input_value("#passport_number") == MEMBERS[1][4]  # organizers see the full number
    org.fill("#passport_number", CORRECTED)
    submit(org, "main form [type=submit]")
    assert t("The changes were saved.") in flash(org), org.inner_text("main")[:1500]
    walk.open(org, f"/organizer/events/{ids['event']}/letters", "reissue-offered")
    assert t("Details changed since issue — re-issue") in org.inner_text("main")
    submit(org, "main form[action$='/reissue'] [type=submit]")
    message = flash(org)
    new = re.search(rf"E{ids['event']}-\d{{4}}-\d{{4}}", message.replace(reference, ""))
    assert new and new.group(0) != reference, message
    assert t("Letter %(new)s issued and mailed; %(old)s is marked replaced.", new=new.group(0),
             old=reference) in message
    walk.look(org, "reissued")
    body = verify_page(walk, f"{site.url}/letters/verify/{old_token}", "replaced")
    assert reference in body
    # The valid letter now names the corrected number, masked; the old one kept its own, masked.
    assert "E1****678" in body and MEMBERS[0][4] not in body and MEMBERS[1][4] not in body


def hotel_and_rooms(walk) -> None:
    # 5. A hotel, a twin-room block, three people in rooms (two share), the rooming list.
    t, ids, org = walk.t, walk.ids, walk.organizer
    walk.open(org, f"/organizer/events/{ids['event']}/hotels", "hotels")
    with org.expect_navigation():
        org.get_by_role("link", name=t("Add a hotel")).click()
    for field, value in (("name_en", "Hotel Mont des Arts"), ("name_zh", "艺术山酒店"),
                         ("address_en", "Rue de la Madeleine 1, 1000 Brussels"),
                         ("address_zh", "布鲁塞尔马德莱娜街1号"), ("phone", "+32 2 555 0100")):
        org.fill(f"#{field}", value)
    org.select_option("#list_language", walk.lang)
    submit(org, "main form [type=submit]")
    assert t("The hotel was saved.") in flash(org), org.inner_text("main")[:1500]
    with org.expect_navigation():
        org.get_by_role("link", name=t("Add a room block")).click()
    org.fill("#room_type_en", "Twin room")
    org.fill("#room_type_zh", "双床房")
    org.select_option("#beds", "2")
    org.fill("#check_in", (ids["first_day"] - timedelta(days=1)).isoformat())
    org.fill("#check_out", (ids["last_day"] + timedelta(days=1)).isoformat())
    org.fill("#rooms", "2")
    submit(org, "main form [type=submit]")
    assert t("The room block was saved.") in flash(org), org.inner_text("main")[:1500]
    walk.look(org, "hotel-and-block")
    with org.expect_navigation():
        org.get_by_role("link", name=t("Assign rooms")).click()
    first, second, third = ids["people"]
    for delegate_id, mate in ((first, second), (second, first), (third, None)):
        line = org.locator(f"#delegate-{delegate_id}")
        block = line.locator("select[name$=-block] option").nth(1).get_attribute("value")
        line.locator("select[name$=-block]").select_option(block)
        if mate:
            line.locator("select[name$=-mate]").select_option(str(mate))
    submit(org, "main form [name=submit]")
    assert t("Saved: %(assigned)d assigned, %(moved)d moved, %(dates)d with new dates, %(removed)d removed. "
             "Each of them was told by email.", assigned=3, moved=0, dates=0, removed=0) in flash(org), \
        org.inner_text("main")[:1500]
    walk.look(org, "rooms-assigned")
    walk.open(org, f"/organizer/events/{ids['event']}/hotels", "hotels-with-guests")
    with org.expect_download() as download:
        org.get_by_role("link", name=t("Rooming list (XLSX)")).click()
    rooming_list(walk, download.value.path().read_bytes())

    personal = walk.page(PHONE)
    walk.open(personal, ids["path"], "delegate-personal-page")
    stay = personal.locator("#hotel-stay").inner_text()
    assert t("Your hotel") in stay, stay
    assert ("艺术山酒店" if walk.lang == "zh" else "Hotel Mont des Arts") in stay, stay
    assert t("Shared with") in stay and MEMBERS[1][2 if walk.lang == "zh" else 1] in stay, stay


def rooming_list(walk, data: bytes) -> None:
    """The XLSX in the hotel's language (here the page's): the three guests as in their passports,
    the two sharing named as each other's roommate, the third alone."""
    from openpyxl import load_workbook

    t = walk.t
    sheet = load_workbook(io.BytesIO(data)).active
    rows = [[cell if cell is not None else "" for cell in r] for r in sheet.iter_rows(values_only=True)]
    header = next(i for i, r in enumerate(rows) if t("Guest name") in r)
    columns = rows[header]
    guests = {r[columns.index(t("Guest name"))]: r for r in rows[header + 1:] if any(r)}
    names = [m[3] for m in MEMBERS]
    assert set(names) <= set(guests), (names, list(guests))
    shared = columns.index(t("Shared with"))
    first, second, third = (guests[name] for name in names)
    assert names[1] in str(first[shared]) and names[0] in str(second[shared]), (first, second)
    assert not str(third[shared]).strip() or str(third[shared]).strip() == "—", third


def pickup_in_the_feed(walk) -> None:
    # 6. A pickup run from the airport; the first member on it; their calendar feed carries it.
    from icalendar import Calendar

    t, ids, org = walk.t, walk.ids, walk.organizer
    walk.open(org, f"/organizer/events/{ids['event']}/pickups", "pickup-runs")
    with org.expect_navigation():
        org.get_by_role("link", name=t("New run")).click()
    leaves = ids["arrival"] + timedelta(minutes=45)  # 45 minutes after the plane lands
    org.select_option("#direction", "arrival")
    org.fill("#starts_at", leaves.astimezone(ZoneInfo(ZONE)).strftime("%Y-%m-%dT%H:%M"))
    for field, value in (("place", AIRPORT), ("meeting_point_en", MEETING["en"]),
                         ("meeting_point_zh", MEETING["zh"]), ("vehicle", "Minibus"), ("capacity", "8"),
                         ("driver_name", "Jan Peeters"), ("driver_contact", "+32 470 12 34 56")):
        org.fill(f"#{field}", value)
    submit(org, "main form [type=submit]")
    assert re.search(r"/pickups/\d+$", org.url), org.inner_text("main")[:1500]
    walk.look(org, "pickup-run")
    first = ids["people"][0]
    box = org.locator(f"#d-{first}")
    assert box.is_checked(), org.inner_text("main")[:1500]  # suggested: same airport, fitting time
    for other in org.locator("#add-people input[name=delegates]").all():
        other.set_checked(other.get_attribute("value") == str(first))
    submit(org, "#add-people [type=submit]")
    assert MEMBERS[0][1] in org.inner_text("main"), org.inner_text("main")[:1500]
    walk.look(org, "pickup-run-with-passenger")

    personal = walk.page(PHONE)
    walk.open(personal, ids["path"], "delegate-pickup")
    assert t("My pickup") in personal.locator("#my-pickups").inner_text()
    feed = personal.input_value("#delegate-feed-url")
    assert feed.startswith(walk.site.url + "/calendar/delegates/"), feed
    response = personal.request.get(feed)
    assert response.ok and response.headers["content-type"].startswith("text/calendar"), response.status
    calendar = Calendar.from_ical(response.body())
    summary = t("Pickup: %(place)s", place=AIRPORT)
    entries = [e for e in calendar.walk("VEVENT") if str(e.get("SUMMARY")) == summary]
    assert len(entries) == 1, [str(e.get("SUMMARY")) for e in calendar.walk("VEVENT")]
    start = entries[0].decoded("DTSTART")
    assert start.utcoffset() == timedelta(0) and start == leaves.astimezone(timezone.utc), start
    assert str(entries[0].get("LOCATION")) == MEETING[walk.lang], entries[0].get("LOCATION")
