"""The organizers' live page and its live.json: arrived / expected per unit (reader's order) and in
all, sessions with their capacity, no-shows, latest check-ins; statements do not grow with data."""
from __future__ import annotations

from datetime import timedelta

import pytest

from eventsite.checkin.services import check_in
from eventsite.extensions import db, now_utc

from .. import factories
from ..conftest import count_statements


@pytest.fixture
def app(app_factory):
    return app_factory(PAGE_CACHE_SECONDS=0)


def _event(units: int = 2, people: int = 3):
    """An event with a 2-seat session and `units` delegations; the first unit's people checked in
    (the door), the first two of them at the session too."""
    event = factories.make_event()
    session = factories.make_session(event, capacity=2)
    factories.make_session(event, starts_at=event.starts_at + timedelta(hours=2))
    organizer = factories.make_user("organizer", name="Door Keeper")
    names = [("北京", "Beijing"), ("安阳", "Anyang"), ("重庆", "Chongqing")]
    delegations = []
    for n in range(units):
        zh, en = names[n % 3]
        unit = factories.make_unit(name_zh=f"{zh}{n}", name_en=f"{en} {n}")
        delegations.append(factories.make_delegation(event, unit, people=people)[0])
    seen = now_utc()
    for i, delegate in enumerate(delegations[0].delegates):
        check_in(delegate, by=organizer, scanned_at=seen + timedelta(minutes=i), method="scan")
        if i < 2:
            check_in(delegate, by=organizer, scanned_at=seen, session=session)
    db.session.commit()
    return event, delegations


def test_live_json_numbers(app, organizer_client):
    with app.app_context():
        event, delegations = _event(units=2, people=3)
        event_id = event.id
        first_unit = delegations[0].unit_id
    data = organizer_client.get(f"/organizer/events/{event_id}/checkin/live.json").get_json()
    assert (data["arrived"], data["expected"]) == (3, 6)
    by_unit = {u["unit_id"]: (u["arrived"], u["expected"]) for u in data["units"]}
    assert by_unit[first_unit] == (3, 3) and sorted(by_unit.values()) == [(0, 3), (3, 3)]
    full, other = data["sessions"]
    assert (full["checked_in"], full["capacity"], full["full"]) == (2, 2, True)
    assert (other["checked_in"], other["full"]) == (0, False)
    assert len(data["no_shows"]) == 3 and len(data["recent"]) == 3
    latest = data["recent"][0]
    assert latest["by"] == "Door Keeper" and latest["method"] == "Badge scanned"


def test_units_in_pinyin_order_for_chinese_readers(app, login):
    with app.app_context():
        event, _delegations = _event(units=3, people=1)
        reader = factories.make_user("organizer", locale="zh")
        db.session.commit()
        client = login(app.test_client(), reader)
        event_id = event.id
    data = client.get(f"/organizer/events/{event_id}/checkin/live.json").get_json()
    assert [u["name"][:2] for u in data["units"]] == ["安阳", "北京", "重庆"]
    assert data["recent"][0]["method"] != "Badge scanned"  # labels in the reader's language


def test_live_page_shows_the_numbers_and_loads_live_js(app, organizer_client):
    with app.app_context():
        event, _delegations = _event()
        event_id = event.id
    html = organizer_client.get(f"/organizer/events/{event_id}/checkin").get_data(as_text=True)
    assert 'id="live-arrived">3<' in html and 'id="live-expected">6<' in html
    assert "checkin/live.js" in html and "<script>" not in html
    found = organizer_client.get(f"/organizer/events/{event_id}/checkin?q=Li").get_data(as_text=True)
    assert 'id="found"' in found and "/check-in" in found


@pytest.mark.both_dbs
def test_live_statements_do_not_grow(app, organizer_client):
    counts = []
    for units in (2, 12):
        with app.app_context():
            event, _delegations = _event(units=units, people=3)
            event_id = event.id
            engine = db.engine
        organizer_client.get(f"/organizer/events/{event_id}/checkin")  # warm the session's user
        pair = []
        for path in ("checkin", "checkin/live.json", "checkin?q=Li", "checkin/attendance.xlsx"):
            with count_statements(engine) as seen:
                assert organizer_client.get(f"/organizer/events/{event_id}/{path}").status_code == 200
            pair.append(len(seen))
        counts.append(pair)
    assert counts[0] == counts[1], counts
    assert max(counts[0]) <= 12, counts
