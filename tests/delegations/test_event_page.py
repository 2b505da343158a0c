"""The public event page tells a liaison where their unit stands and leads to registration."""
from __future__ import annotations

from datetime import timedelta

from eventsite.extensions import db, now_utc

from .. import factories


def _liaison(app, login, client):
    with app.app_context():
        unit = factories.make_unit()
        user = factories.make_user("liaison", unit=unit)
        db.session.commit()
        login(client, user)
        return unit.id


def test_liaison_sees_register_button_while_open(app, client, login):
    unit_id = _liaison(app, login, client)
    with app.app_context():
        event = factories.make_event(default_quota=4)
        db.session.commit()
        event_id = event.id
    html = client.get(f"/events/{event_id}").get_data(as_text=True)
    assert "up to 4 people" in html and f"/events/{event_id}/delegation" in html
    with app.app_context():
        factories.make_delegation(db.session.get(type(event), event_id),
                                  db.session.get(factories.MemberUnit, unit_id))
        db.session.commit()
    html = client.get(f"/events/{event_id}").get_data(as_text=True)
    assert "Your unit is registered for this event." in html and "Your delegation" in html


def test_invited_only_event_explains_why_not(app, client, login):
    _liaison(app, login, client)
    with app.app_context():
        event = factories.make_event(registration_mode="invited_only")
        closed = factories.make_event(registration_closes_at=now_utc() - timedelta(days=1))
        db.session.commit()
        ids = event.id, closed.id
    html = client.get(f"/events/{ids[0]}").get_data(as_text=True)
    assert "invited units only" in html and "Register your delegation" not in html
    assert "Registration closed on" in client.get(f"/events/{ids[1]}").get_data(as_text=True)


def test_visitors_and_staff_see_no_unit_box(app, client, organizer_client):
    with app.app_context():
        event_id = factories.make_event().id
        db.session.commit()
    for who in (client, organizer_client):
        assert 'id="unit-registration"' not in who.get(f"/events/{event_id}").get_data(as_text=True)
