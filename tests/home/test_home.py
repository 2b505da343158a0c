"""The home page: what the platform is, the next published events (never drafts, cancelled or
past ones) with their times, links onwards, in both languages, in a constant number of statements."""
from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from eventsite.extensions import db, now_utc

from .. import factories
from ..conftest import count_statements

pytestmark = pytest.mark.both_dbs


def day(n: float):
    return (now_utc() + timedelta(days=n)).replace(minute=0, second=0, microsecond=0)


def event(title_en, start, **fields):
    return factories.make_event(title_en=title_en, title_zh=fields.pop("title_zh", ""), starts_at=start,
                                ends_at=fields.pop("ends_at", start + timedelta(hours=8)), **fields)


def test_home_shows_the_next_published_events_only(app, client):
    with app.app_context():
        event("Running now", day(-1), ends_at=day(1))
        for n in range(1, 8):
            event(f"Upcoming {n}", day(n * 3))
        event("A draft", day(2), status="draft")
        event("Called off", day(4), status="cancelled")
        event("Last month", day(-30))
        db.session.commit()
    html = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    shown = re.findall(r'<h3 class="h5 card-title">\s*<a href="/events/\d+"><span lang="en">([^<]+)<', html)
    assert shown == ["Running now", "Upcoming 1", "Upcoming 2", "Upcoming 3", "Upcoming 4", "Upcoming 5"]
    for hidden in ("A draft", "Called off", "Last month", "Upcoming 6"):
        assert hidden not in html
    assert "exchange platform" in html and "What to do next" not in html


def test_home_in_chinese_with_the_events_clock_and_the_viewers(app, client):
    with app.app_context():
        event("Berlin Seminar", day(10), title_zh="柏林研讨会", timezone="Europe/Berlin", city_en="Berlin",
              country="DE")
        event("English only", day(12))
        db.session.commit()
    html = client.get("/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert 'lang="zh-Hans"' in html and "柏林研讨会" in html and "Berlin Seminar" not in html
    assert '<span lang="en">English only</span>' in html  # the other language stands in, marked
    assert re.search(r'class="event-time">[^<]*(CET|CEST|GMT[+]|UTC[+][12])', html)
    assert 'class="viewer-time-value" title="Asia/Shanghai"' in html
    english = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Berlin Seminar" in english and "Upcoming events" in english


def test_home_links_open(app, client):
    html = client.get("/").get_data(as_text=True)
    assert "No upcoming events yet." in html
    feed = urlsplit(re.search(r'href="(webcal://[^"]+)"', html).group(1))
    assert client.get(f"{feed.path}?{feed.query}").status_code == 200
    for path in ("/events/", "/events/archive", "/alliance/members", "/login"):
        assert f'href="{path}"' in html
        assert client.get(path).status_code == 200, path


def test_home_statements_do_not_grow(app, client):
    counts = []
    for n in (3, 40):
        with app.app_context():
            for i in range(n):
                event(f"Event {i}", day(i + 1))
                event(f"Draft {i}", day(i + 1), status="draft")
            db.session.commit()
        with app.app_context(), count_statements() as seen:
            assert client.get("/").status_code == 200
        counts.append(len(seen))
    assert counts[0] == counts[1] <= 2, counts
