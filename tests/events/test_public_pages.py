"""Public event pages: what is listed where, filters, pagination, bad query strings, the event
page, language fallback, Markdown and hostile text, and the number of SQL statements."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from bs4 import BeautifulSoup

from eventsite.extensions import db, now_utc

from .. import factories
from ..conftest import count_statements

UTC = timezone.utc


def day(n: int) -> datetime:
    """n days from now, on the hour."""
    return (now_utc() + timedelta(days=n)).replace(minute=0, second=0, microsecond=0)


def event(**fields):
    start = fields.pop("start", None) or day(30)
    return factories.make_event(starts_at=start, ends_at=fields.pop("end", None) or start + timedelta(hours=8),
                                **fields)


def titles(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    return [a.get_text(strip=True) for a in soup.select(".event-list h2 a")]




# --- what is public, and where ------------------------------------------------------------------


def test_upcoming_archive_and_drafts(app, client):
    with app.app_context():
        soon = event(title_en="Soon", start=day(3))
        event(title_en="Later", start=day(40))
        event(title_en="Running now", start=day(-1), end=day(1))
        event(title_en="Draft", status="draft", start=day(5))
        gone = event(title_en="Off", status="cancelled", start=day(10), cancel_reason_en="The venue burned down.")
        event(title_en="Cancelled long ago", status="cancelled", start=day(-60))
        event(title_en="Last month", start=day(-30))
        event(title_en="Last year", start=day(-300))
        db.session.commit()
        ids = {"soon": soon.id, "gone": gone.id}
    assert titles(client, "/events/") == ["Running now", "Soon", "Off", "Later"]
    assert titles(client, "/events/archive") == ["Last month", "Last year"]
    html = client.get("/events/").get_data(as_text=True)
    soup = BeautifulSoup(html, "html.parser")
    cancelled_card = [li for li in soup.select(".event-list li") if "Off" in li.get_text()][0]
    assert "Cancelled" in cancelled_card.select_one(".badge").get_text()
    assert client.get(f"/events/{ids['soon']}").status_code == 200
    page = client.get(f"/events/{ids['gone']}").get_data(as_text=True)
    assert "This event has been cancelled." in page and "The venue burned down." in page


def test_drafts_and_unknown_ids_are_404(app, client):
    with app.app_context():
        draft = event(status="draft", title_en="Secret plan")
        db.session.commit()
        draft_id = draft.id
    assert client.get(f"/events/{draft_id}").status_code == 404
    for url in ("/events/999999", "/events/99999999999999999999", "/events/0", "/events/-1", "/events/abc"):
        assert client.get(url).status_code == 404, url
    assert "Secret plan" not in client.get("/events/").get_data(as_text=True)


def test_cancel_reason_in_the_readers_language_with_fallback(app, client):
    with app.app_context():
        both = event(status="cancelled", cancel_reason_en="Postponed.", cancel_reason_zh="推迟举行。")
        only_en = event(status="cancelled", cancel_reason_en="Postponed to spring.")
        db.session.commit()
        both_id, only_en_id = both.id, only_en.id
    assert "推迟举行。" in client.get(f"/events/{both_id}", headers={"Accept-Language": "zh"}).get_data(as_text=True)
    soup = BeautifulSoup(client.get(f"/events/{only_en_id}", headers={"Accept-Language": "zh"}).get_data(
        as_text=True), "html.parser")
    reason = soup.select_one(".cancel-reason")
    assert reason.get_text(strip=True) == "Postponed to spring." and reason["lang"] == "en"


# --- filters and pages --------------------------------------------------------------------------


def test_filters(app, client):
    next_year = now_utc().year + 1
    with app.app_context():
        # 1 July, 01:00 in Shanghai is still 30 June in UTC: the month is the event's own.
        event(title_en="Chengdu forum", kind="forum", city_en="Chengdu", country="CN", timezone="Asia/Shanghai",
              start=datetime(next_year, 6, 30, 17, tzinfo=UTC))
        event(title_en="Brussels seminar", kind="seminar", city_en="Brussels", country="BE",
              timezone="Europe/Brussels", start=datetime(next_year, 6, 30, 20, tzinfo=UTC),
              end=datetime(next_year, 6, 30, 21, 30, tzinfo=UTC))  # until 23:30 in Brussels
        event(title_en="Lyon seminar", kind="seminar", city_en="Lyon", country="FR", timezone="Europe/Paris",
              start=datetime(next_year, 8, 3, 8, tzinfo=UTC))
        db.session.commit()
    assert titles(client, "/events/?kind=seminar") == ["Brussels seminar", "Lyon seminar"]
    assert titles(client, "/events/?country=BE") == ["Brussels seminar"]
    assert titles(client, "/events/?country=fr") == ["Lyon seminar"]
    assert titles(client, "/events/?city=chengdu") == ["Chengdu forum"]
    assert titles(client, f"/events/?month={next_year}-07") == ["Chengdu forum"]
    assert titles(client, f"/events/?month={next_year}-06") == ["Brussels seminar"]
    # An event is in every month it takes place in.
    with app.app_context():
        event(title_en="Long tour", start=datetime(next_year, 9, 28, tzinfo=UTC),
              end=datetime(next_year, 10, 5, tzinfo=UTC))
        db.session.commit()
    assert titles(client, f"/events/?month={next_year}-10") == ["Long tour"]
    assert titles(client, f"/events/?month={next_year}-09") == ["Long tour"]
    assert titles(client, f"/events/?month={next_year}-08&kind=seminar&country=FR&city=Lyon") == ["Lyon seminar"]
    assert titles(client, "/events/?kind=forum&country=BE") == []
    # Country names in the reader's language, from the events' countries only.
    soup = BeautifulSoup(client.get("/events/", headers={"Accept-Language": "zh"}).get_data(as_text=True),
                         "html.parser")
    options = {o["value"]: o.get_text() for o in soup.select("#f-country option") if o["value"]}
    assert options == {"CN": "中国", "BE": "比利时", "FR": "法国"}  # Shanghai too is in CN
    assert [o["value"] for o in soup.select("#f-city option")] == ["", "Brussels", "Chengdu", "Lyon", "Shanghai"]


def test_filters_in_the_archive(app, client):
    with app.app_context():
        event(title_en="Old forum", kind="forum", start=day(-20))
        event(title_en="Old seminar", kind="seminar", city_en="Wuhan", start=day(-10))
        db.session.commit()
    assert titles(client, "/events/archive?kind=seminar") == ["Old seminar"]
    assert titles(client, "/events/archive?city=Wuhan&kind=forum") == []


def test_pagination(app, client):
    with app.app_context():
        for n in range(25):
            event(title_en=f"Event {n:02d}", start=day(10 + n))
        db.session.commit()
    first = titles(client, "/events/")
    assert first == [f"Event {n:02d}" for n in range(20)]
    assert titles(client, "/events/?page=2") == [f"Event {n:02d}" for n in range(20, 25)]
    assert titles(client, "/events/?page=3") == []
    assert "page=2" in client.get("/events/").get_data(as_text=True)


@pytest.mark.both_dbs
def test_garbage_query_strings_never_fail(app, client):
    with app.app_context():
        event(title_en="Visible")
        db.session.commit()
    garbage = ["<script>alert(1)</script>", "x" * 5000, "-1", "99999999999999999999", "'; DROP TABLE event; --",
               "😀" * 30, "2026-13", "0000-00", "9999-99", "2026-1", "%", "_", "\r\nX-Injected: 1", ""]
    for value in garbage:
        for url in ("/events/", "/events/archive"):
            for name in ("kind", "country", "city", "month", "page"):
                response = client.get(url, query_string={name: value})
                assert response.status_code == 200, (url, name, value[:20])
    assert client.get("/events/?city=%00").status_code == 400
    assert titles(client, "/events/?month=2026-13&kind=nope&country=ZZ") == ["Visible"]


# --- the event page -----------------------------------------------------------------------------


def test_event_page_shows_details_and_agenda(app, client):
    start = day(20).replace(hour=1)  # 09:00 in Shanghai
    with app.app_context():
        e = event(title_en="Forum", summary_en="The summary.", venue_name_en="Expo Centre", venue_address_en="1 Road",
                  city_en="Chengdu", contact_name="Ms Li", contact_email="li@example.org", contact_phone="+86 1",
                  description_en="## Programme\n\nWith **many** cities.", start=start, end=start + timedelta(days=1, hours=8))
        factories.make_session(e, title_en="Opening", starts_at=start, ends_at=start + timedelta(hours=1))
        for track in "ABC":
            factories.make_session(e, title_en=f"Track talk {track}", kind="parallel", track=track, room_en=f"Room {track}",
                                   speakers=f"Speaker {track}", capacity=40, delegates_choose=True,
                                   starts_at=start + timedelta(hours=2), ends_at=start + timedelta(hours=3))
        factories.make_session(e, title_en="Site visit", kind="site_visit", starts_at=start + timedelta(days=1),
                               ends_at=start + timedelta(days=1, hours=3))
        db.session.commit()
        event_id = e.id
    soup = BeautifulSoup(client.get(f"/events/{event_id}").get_data(as_text=True), "html.parser")
    text = soup.get_text(" ", strip=True)
    for expected in ("Forum", "The summary.", "Expo Centre", "1 Road", "Chengdu, China", "Ms Li", "+86 1",
                     "Speaker A", "Room C", "40 seats", "Delegates choose", "Asia/Shanghai"):
        assert expected in text, expected
    assert soup.select_one('a[href="mailto:li@example.org"]')
    assert soup.select_one(".event-description h3").get_text() == "Programme"
    assert soup.select_one(".event-description strong").get_text() == "many"
    days = soup.select(".agenda h3")
    assert len(days) == 2
    parallel = soup.select(".agenda-parallel .agenda-session")
    assert [p.select_one(".badge").get_text(strip=True) for p in parallel] == ["Track A", "Track B", "Track C"]
    assert soup.select(".agenda-slot")[0].select_one(".event-time").get_text(strip=True) == "09:00 – 10:00 CST (UTC+8)"


def test_cover_is_linked_when_there_is_one(app, client):
    with app.app_context():
        with_cover = event(cover_file="abc.jpg", cover_content_type="image/jpeg")
        without = event()
        db.session.commit()
        ids = with_cover.id, without.id
    covered = BeautifulSoup(client.get(f"/events/{ids[0]}").get_data(as_text=True), "html.parser")
    with app.test_request_context():
        from flask import url_for

        expected = url_for("event_admin.cover", event_id=ids[0])
    assert covered.select_one("img.event-cover")["src"] == expected
    plain = BeautifulSoup(client.get(f"/events/{ids[1]}").get_data(as_text=True), "html.parser")
    assert plain.select_one("img.event-cover") is None


@pytest.mark.parametrize("reader, missing, note", [
    ("en", "en", "Shown in Chinese: no English version yet."),
    ("zh", "zh", None),
])
def test_language_fallback_is_said(app, client, reader, missing, note):
    other = "zh" if missing == "en" else "en"
    with app.app_context():
        e = event(**{f"title_{missing}": "", f"title_{other}": "只有一种" if other == "zh" else "Only one",
                     f"summary_{missing}": "", f"summary_{other}": "摘要" if other == "zh" else "Summary",
                     f"description_{missing}": "", f"description_{other}": "正文" if other == "zh" else "Body"})
        factories.make_session(e, **{f"title_{missing}": "", f"title_{other}": "开幕" if other == "zh" else "Opening"})
        db.session.commit()
        event_id = e.id
    html_lang = "zh-Hans" if other == "zh" else "en"
    for url in (f"/events/{event_id}", "/events/"):
        soup = BeautifulSoup(client.get(url, headers={"Accept-Language": reader}).get_data(as_text=True),
                             "html.parser")
        title = soup.select_one("h1 span[lang]") or soup.select_one(".event-list h2 a span[lang]")
        assert title["lang"] == html_lang
    soup = BeautifulSoup(client.get(f"/events/{event_id}", headers={"Accept-Language": reader}).get_data(
        as_text=True), "html.parser")
    notes = [p.get_text(strip=True) for p in soup.select(".fallback-note")]
    assert notes, "no fallback note"
    if note:
        assert note in notes
    assert soup.select_one(".event-description div[lang]")["lang"] == html_lang
    assert soup.select_one(".agenda-session h4 span[lang]")["lang"] == html_lang
    # Nothing missing: no note.
    with app.app_context():
        full = event()
        db.session.commit()
        full_id = full.id
    soup = BeautifulSoup(client.get(f"/events/{full_id}", headers={"Accept-Language": reader}).get_data(
        as_text=True), "html.parser")
    assert soup.select(".fallback-note") == []


XSS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "\"><svg onload=alert(1)>",
    "[click](javascript:alert(1))",
    "javascript:alert(1)",
    "<a href=\"javascript:alert(1)\" onclick=\"alert(1)\">x</a>",
    "[x](JaVaScRiPt:alert(1)) <iframe src=//evil.example></iframe>",
]
EVENT_TEXT = ("title_en", "title_zh", "summary_en", "summary_zh", "description_en", "description_zh",
              "venue_name_en", "venue_address_en", "city_en", "contact_name", "contact_email", "contact_phone",
              "cancel_reason_en", "cancel_reason_zh")
SESSION_TEXT = ("title_en", "title_zh", "description_en", "description_zh", "track", "room_en", "speakers")


def assert_harmless(html: str):
    soup = BeautifulSoup(html, "html.parser")
    for script in soup.find_all("script"):
        assert script.get("src", "").startswith(("/static/", "/bootstrap/")) and not script.string, script
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            assert not name.lower().startswith("on"), tag
            if name in ("href", "src", "action", "formaction", "xlink:href"):
                assert not re.match(r"\s*javascript:", value, re.I), tag
    assert not soup.find_all(["iframe", "svg", "img"], src=re.compile("evil|^x$"))


@pytest.mark.both_dbs
@pytest.mark.parametrize("payload", XSS)
def test_hostile_text_in_every_field_is_neutralized(app, client, payload):
    with app.app_context():
        e = event(status="cancelled", **{f: payload for f in EVENT_TEXT})
        factories.make_session(e, kind="parallel", **{f: payload for f in SESSION_TEXT})
        factories.make_session(e, kind="parallel", **{f: payload for f in SESSION_TEXT})
        db.session.commit()
        event_id = e.id
    for lang in ("en", "zh"):
        for url in (f"/events/{event_id}", "/events/", f"/events/?city={payload}"):
            response = client.get(url, headers={"Accept-Language": lang})
            assert response.status_code == 200
            assert_harmless(response.get_data(as_text=True))


# --- statements ---------------------------------------------------------------------------------


def _events(n: int, sessions: int = 1):
    for i in range(n):
        e = event(title_en=f"E{i}", start=day(5 + i % 50), city_en=f"City {i % 7}", cover_file="c.jpg" if i % 2 else None)
        past = event(title_en=f"P{i}", start=day(-5 - i % 50), city_en=f"City {i % 5}")
        for s in range(sessions):
            factories.make_session(e, title_en=f"S{s}")
            factories.make_session(past, title_en=f"S{s}")


@pytest.mark.both_dbs
@pytest.mark.parametrize("url", ["/events/", "/events/archive", "/events/?kind=forum&month=2099-01&country=CN",
                                 "/events/?page=2"])
def test_list_statements_do_not_grow_with_events(app, client, url):
    with app.app_context():
        _events(5)
        db.session.commit()
        with count_statements() as few:
            assert client.get(url).status_code == 200
        _events(195)
        db.session.commit()
        with count_statements() as many:
            assert client.get(url).status_code == 200
    assert len(few) == len(many) <= 4, (few, many)


@pytest.mark.both_dbs
def test_event_page_statements_do_not_grow_with_sessions(app, client):
    with app.app_context():
        small, big = event(), event()
        for n in range(3):
            factories.make_session(small, title_en=f"S{n}", starts_at=small.starts_at + timedelta(minutes=10 * n))
        for n in range(60):
            factories.make_session(big, title_en=f"S{n}", track="ABC"[n % 3], kind="parallel",
                                   starts_at=big.starts_at + timedelta(hours=n // 3))
        db.session.commit()
        ids = small.id, big.id
        counts = []
        for event_id in ids:
            with count_statements() as seen:
                assert client.get(f"/events/{event_id}").status_code == 200
            counts.append(len(seen))
    assert counts[0] == counts[1] <= 2, counts


def test_event_page_shows_the_registration_period_on_the_events_clock(app, client):
    from datetime import datetime, timezone

    with app.app_context():
        event = factories.make_event(
            timezone="Europe/Brussels", status="published",
            starts_at=datetime(2027, 6, 10, 7, 0, tzinfo=timezone.utc),
            ends_at=datetime(2027, 6, 11, 15, 0, tzinfo=timezone.utc),
            registration_opens_at=datetime(2027, 3, 1, 8, 0, tzinfo=timezone.utc),
            registration_closes_at=datetime(2027, 5, 31, 16, 0, tzinfo=timezone.utc))
        db.session.commit()
        event_id = event.id
    html = client.get(f"/events/{event_id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "opens Mar 1, 2027 09:00 CET (UTC+1)" in html
    assert "closes May 31, 2027 18:00 CEST (UTC+2)" in html
