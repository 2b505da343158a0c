"""Event pages around daylight-saving changes, read from Beijing (Asia/Shanghai).

Every expected string is written by hand from the calendar (2026: Europe changes on 29 March and
25 October at 01:00 UTC, New York on 8 March at 07:00 UTC and 1 November at 06:00 UTC; Beijing
stays at UTC+8 all year).
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from bs4 import BeautifulSoup

from eventsite.extensions import db

from .. import factories

UTC = timezone.utc


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def agenda(client, event_id, lang="en"):
    """[(day heading, event-zone time, viewer time or '')] in page order."""
    html = client.get(f"/events/{event_id}", headers={"Accept-Language": lang}).get_data(as_text=True)
    soup = BeautifulSoup(html, "html.parser")
    rows, day = [], None
    for node in soup.select(".agenda h3, .agenda .agenda-session"):
        if node.name == "h3":
            day = node.get_text(strip=True)
            continue
        viewer = node.select_one(".viewer-time-value")
        rows.append((day, node.select_one(".event-time").get_text(strip=True),
                     viewer.get_text(strip=True) if viewer else ""))
    return rows


def make(app, zone, start, end, sessions):
    """An event in `zone` with one-hour-or-so sessions given as (utc start, minutes)."""
    with app.app_context():
        event = factories.make_event(timezone=zone, starts_at=start, ends_at=end, city_en="X", country="BE")
        for begin, minutes in sessions:
            factories.make_session(event, starts_at=begin, ends_at=begin + timedelta(minutes=minutes))
        db.session.commit()
        return event.id


@pytest.fixture
def beijing(client):
    with client.session_transaction() as session:
        session["viewer_tz"] = "Asia/Shanghai"
    return client


def test_brussels_end_of_march(app, beijing):
    event_id = make(app, "Europe/Brussels", utc(2026, 3, 28, 8), utc(2026, 3, 29, 22), [
        (utc(2026, 3, 28, 8, 30), 60),   # Saturday 09:30 CET
        (utc(2026, 3, 29, 0, 0), 45),    # Sunday 01:00 CET, an hour before the change
        (utc(2026, 3, 29, 0, 30), 60),   # 01:30 CET until 03:30 CEST: across the change
        (utc(2026, 3, 29, 7, 30), 90),   # 09:30 CEST
        (utc(2026, 3, 29, 21, 0), 30),   # 23:00 CEST = Monday morning in Beijing
    ])
    assert agenda(beijing, event_id) == [
        ("Saturday, March 28, 2026", "09:30 – 10:30 CET (UTC+1)", "16:30 – 17:30 CST (UTC+8)"),
        ("Sunday, March 29, 2026", "01:00 – 01:45 CET (UTC+1)", "08:00 – 08:45 CST (UTC+8)"),
        ("Sunday, March 29, 2026", "01:30 CET (UTC+1) – 03:30 CEST (UTC+2)", "08:30 – 09:30 CST (UTC+8)"),
        ("Sunday, March 29, 2026", "09:30 – 11:00 CEST (UTC+2)", "15:30 – 17:00 CST (UTC+8)"),
        ("Sunday, March 29, 2026", "23:00 – 23:30 CEST (UTC+2)", "Mon, Mar 30, 05:00 – 05:30 CST (UTC+8)"),
    ]


def test_brussels_end_of_october(app, beijing):
    event_id = make(app, "Europe/Brussels", utc(2026, 10, 24, 7), utc(2026, 10, 25, 16), [
        (utc(2026, 10, 24, 8, 0), 60),   # Saturday 10:00 CEST
        (utc(2026, 10, 25, 0, 30), 15),  # 02:30 CEST, the first of the two 02:30s
        (utc(2026, 10, 25, 1, 30), 15),  # 02:30 CET, the second
        (utc(2026, 10, 25, 9, 0), 60),   # 10:00 CET
    ])
    assert agenda(beijing, event_id) == [
        ("Saturday, October 24, 2026", "10:00 – 11:00 CEST (UTC+2)", "16:00 – 17:00 CST (UTC+8)"),
        ("Sunday, October 25, 2026", "02:30 – 02:45 CEST (UTC+2)", "08:30 – 08:45 CST (UTC+8)"),
        ("Sunday, October 25, 2026", "02:30 – 02:45 CET (UTC+1)", "09:30 – 09:45 CST (UTC+8)"),
        ("Sunday, October 25, 2026", "10:00 – 11:00 CET (UTC+1)", "17:00 – 18:00 CST (UTC+8)"),
    ]


def test_new_york_in_march(app, beijing):
    event_id = make(app, "America/New_York", utc(2026, 3, 7, 14), utc(2026, 3, 9, 2), [
        (utc(2026, 3, 7, 15, 0), 60),   # Saturday 10:00 EST
        (utc(2026, 3, 8, 6, 0), 30),    # Sunday 01:00 EST
        (utc(2026, 3, 8, 14, 0), 60),   # 10:00 EDT
        (utc(2026, 3, 9, 0, 0), 60),    # 20:00 EDT = Monday 08:00 in Beijing
    ])
    assert agenda(beijing, event_id) == [
        ("Saturday, March 7, 2026", "10:00 – 11:00 EST (UTC-5)", "23:00 – Sun, Mar 8, 00:00 CST (UTC+8)"),
        ("Sunday, March 8, 2026", "01:00 – 01:30 EST (UTC-5)", "14:00 – 14:30 CST (UTC+8)"),
        ("Sunday, March 8, 2026", "10:00 – 11:00 EDT (UTC-4)", "22:00 – 23:00 CST (UTC+8)"),
        ("Sunday, March 8, 2026", "20:00 – 21:00 EDT (UTC-4)", "Mon, Mar 9, 08:00 – 09:00 CST (UTC+8)"),
    ]


def test_new_york_in_november(app, beijing):
    event_id = make(app, "America/New_York", utc(2026, 10, 31, 13), utc(2026, 11, 1, 20), [
        (utc(2026, 10, 31, 14, 0), 60),  # Saturday 10:00 EDT
        (utc(2026, 11, 1, 5, 30), 20),   # 01:30 EDT, the first
        (utc(2026, 11, 1, 6, 30), 20),   # 01:30 EST, the second
        (utc(2026, 11, 1, 15, 0), 60),   # 10:00 EST
        (utc(2026, 11, 1, 17, 0), 60),   # 12:00 EST = Monday 01:00 in Beijing
    ])
    assert agenda(beijing, event_id) == [
        ("Saturday, October 31, 2026", "10:00 – 11:00 EDT (UTC-4)", "22:00 – 23:00 CST (UTC+8)"),
        ("Sunday, November 1, 2026", "01:30 – 01:50 EDT (UTC-4)", "13:30 – 13:50 CST (UTC+8)"),
        ("Sunday, November 1, 2026", "01:30 – 01:50 EST (UTC-5)", "14:30 – 14:50 CST (UTC+8)"),
        ("Sunday, November 1, 2026", "10:00 – 11:00 EST (UTC-5)", "23:00 – Mon, Nov 2, 00:00 CST (UTC+8)"),
        ("Sunday, November 1, 2026", "12:00 – 13:00 EST (UTC-5)", "Mon, Nov 2, 01:00 – 02:00 CST (UTC+8)"),
    ]


def test_chinese_reader_sees_brussels_and_beijing_times(app, beijing):
    event_id = make(app, "Europe/Brussels", utc(2026, 3, 29, 7), utc(2026, 3, 29, 22), [
        (utc(2026, 3, 29, 7, 30), 90), (utc(2026, 3, 29, 21, 0), 30),
    ])
    assert agenda(beijing, event_id, "zh-CN") == [
        ("2026年3月29日星期日", "09:30 – 11:00 CEST (UTC+2)", "15:30 – 17:00 CST (UTC+8)"),
        ("2026年3月29日星期日", "23:00 – 23:30 CEST (UTC+2)", "3月30日周一 05:00 – 05:30 CST (UTC+8)"),
    ]


def test_event_dates_in_both_zones(app, beijing):
    event_id = make(app, "Europe/Brussels", utc(2026, 3, 28, 8), utc(2026, 3, 29, 16), [])
    soup = BeautifulSoup(beijing.get(f"/events/{event_id}").get_data(as_text=True), "html.parser")
    when = soup.select_one("dl .event-time").get_text(strip=True)
    assert when == "Sat, Mar 28, 2026, 09:00 CET (UTC+1) – Sun, Mar 29, 2026, 18:00 CEST (UTC+2)"
    assert soup.select_one("dl .viewer-time-value").get_text(strip=True) == (
        "Sat, Mar 28, 2026, 16:00 – Mon, Mar 30, 2026, 00:00 CST (UTC+8)")


def test_no_second_time_when_the_viewer_is_in_the_event_zone(app, client):
    event_id = make(app, "Europe/Brussels", utc(2026, 3, 29, 7), utc(2026, 3, 29, 16),
                    [(utc(2026, 3, 29, 7, 30), 90)])
    with client.session_transaction() as session:
        session["viewer_tz"] = "Europe/Paris"  # another name, the same clock
    assert agenda(client, event_id) == [
        ("Sunday, March 29, 2026", "09:30 – 11:00 CEST (UTC+2)", ""),
    ]
