"""Demo events: `flask demo load` adds a year of alliance events around today."""
from __future__ import annotations

from datetime import timedelta

from eventsite.core.timezones import to_local
from eventsite.events.models import EVENT_KINDS, Event
from eventsite.extensions import db, now_utc


def test_demo_events(app, runner, client):
    result = runner.invoke(args=["demo", "load", "--password", "demo-pass-123"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        events = db.session.scalars(db.select(Event)).all()
        now = now_utc()
        assert {e.kind for e in events} == set(EVENT_KINDS)
        phases = [e.phase(now) for e in events]
        assert phases.count("past") >= 3 and phases.count("published") >= 4
        assert phases.count("cancelled") == 1 and phases.count("draft") == 1
        assert len({e.timezone for e in events}) >= 4
        assert {"Europe/Brussels", "America/New_York", "Asia/Shanghai"} <= {e.timezone for e in events}
        assert all(e.sequence == 0 and e.created_by is not None for e in events)
        assert all(now - timedelta(days=366) < e.starts_at < now + timedelta(days=366) for e in events)
        cancelled = next(e for e in events if e.status == "cancelled")
        assert cancelled.cancel_reason_en and cancelled.cancel_reason_zh and cancelled.ends_at > now
        assert any(e.title_en and not e.title_zh and e.status == "published" for e in events)
        assert all(e.description_en.startswith("The China") and "**" in e.description_en for e in events)
        assert {e.registration_mode for e in events} == {"all_members", "invited_only"}
        assert any(e.approval_required for e in events)

        brussels = next(e for e in events if e.city_en == "Brussels")
        assert brussels.kind == "forum" and brussels.timezone == "Europe/Brussels" and brussels.starts_at > now
        assert {s.track for s in brussels.sessions if s.kind == "parallel"} == {"A", "B", "C"}
        assert any(s.kind == "site_visit" for s in brussels.sessions)
        days = {to_local(s.starts_at, "Europe/Brussels").date() for s in brussels.sessions}
        assert len(days) == 2
        opening = brussels.sessions[0]
        assert to_local(opening.starts_at, "Europe/Brussels").strftime("%H:%M") == "09:00"
        ids = {e.status: e.id for e in events}
        brussels_id = brussels.id
        past_titles = [e.title_en for e in events if e.phase(now) == "past"]
    upcoming = client.get("/events/").get_data(as_text=True)
    assert "EU–China Urbanization Partnership Forum" in upcoming and "Yellow River" not in upcoming
    assert client.get(f"/events/{ids['draft']}").status_code == 404
    assert all(t in client.get("/events/archive").get_data(as_text=True) for t in past_titles)
    page = client.get(f"/events/{brussels_id}").get_data(as_text=True)
    assert "Track C" in page and "CE" in page
