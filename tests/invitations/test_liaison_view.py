"""A liaison's own invitations: every invitation of their unit with its status, never another
unit's; answering from the list."""
from __future__ import annotations

from datetime import timedelta

import pytest

from eventsite.accounts.models import User
from eventsite.delegations.models import Delegation
from eventsite.extensions import db, now_utc

from .. import factories
from ..conftest import csrf_token
from .answer_helpers import actions, invitation, snapshot


@pytest.fixture
def units(app, login):
    """Unit A (the liaison's) with five invitations in every state, unit B with one."""
    with app.app_context():
        unit_a = factories.make_unit(name_en="Unit A")
        unit_b = factories.make_unit(name_en="Unit B")
        liaison = factories.make_user("liaison", unit=unit_a)
        ids = {}
        for name, fields in {
            "open": {},
            "declined": {"state": "declined", "decline_reason": "Mayor travelling"},
            "revoked": {"state": "revoked"},
            "expired": {"expires_at": now_utc() - timedelta(days=1)},
            "registered": {"state": "accepted"},
        }.items():
            event = factories.make_event(title_en=f"Event {name}")
            ids[name] = factories.make_invitation(event, unit_a, **fields)[0].id
            if name == "registered":
                db.session.add(Delegation(event_id=event.id, unit_id=unit_a.id, status="submitted"))
        ids["other_unit"] = factories.make_invitation(factories.make_event(title_en="Event of B"), unit_b,
                                                      decline_reason="")[0].id
        db.session.commit()
        user_id = liaison.id
    client = app.test_client()
    with app.app_context():
        login(client, db.session.get(User, user_id))
    return client, ids


@pytest.mark.both_dbs
def test_liaison_sees_all_own_invitations_with_their_status_and_none_of_another_unit(app, units):
    client, ids = units
    response = client.get("/my/invitations")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    for name, status in {"open": "invited", "declined": "declined", "revoked": "revoked",
                         "expired": "no_reply", "registered": "registered"}.items():
        assert f"Event {name}" in html
        row = html.split(f'data-invitation="{ids[name]}"')[1].split("</tr>")[0]
        assert f'data-status="{status}"' in row, name
    assert "Mayor travelling" in html
    assert "Event of B" not in html and f'data-invitation="{ids["other_unit"]}"' not in html
    # Actions only where they make sense.
    open_row = html.split(f'data-invitation="{ids["open"]}"')[1].split("</tr>")[0]
    assert f"/my/invitations/{ids['open']}/accept" in open_row and "/decline" in open_row
    registered_row = html.split(f'data-invitation="{ids["registered"]}"')[1].split("</tr>")[0]
    assert "/delegation" in registered_row and "/decline" not in registered_row
    for name in ("revoked", "expired"):
        row = html.split(f'data-invitation="{ids[name]}"')[1].split("</tr>")[0]
        assert "<form" not in row


@pytest.mark.both_dbs
def test_liaison_cannot_answer_another_units_invitation(app, units):
    client, ids = units
    token = csrf_token(client, "/my/invitations")
    before = snapshot(app)
    for action in ("accept", "decline"):
        response = client.post(f"/my/invitations/{ids['other_unit']}/{action}",
                               data={"csrf_token": token, "reason": "hijack"})
        assert response.status_code == 404
    assert client.post("/my/invitations/99999999999999/accept", data={"csrf_token": token}).status_code == 404
    assert snapshot(app) == before


@pytest.mark.both_dbs
def test_liaison_accepts_and_declines_from_the_list(app, units):
    client, ids = units
    token = csrf_token(client, "/my/invitations")
    response = client.post(f"/my/invitations/{ids['open']}/decline", data={"csrf_token": token, "reason": "No budget"})
    assert response.status_code == 302
    declined = invitation(app, ids["open"])
    assert declined.state == "declined" and declined.decline_reason == "No budget"
    response = client.post(f"/my/invitations/{ids['declined']}/accept", data={"csrf_token": token})
    assert response.headers["Location"].endswith("/delegation")
    assert invitation(app, ids["declined"]).state == "accepted"
    assert actions(app) == ["invitation.decline", "invitation.accept"]
    # Closed or revoked ones cannot be answered from here either.
    before = snapshot(app)
    for name in ("revoked", "expired"):
        client.post(f"/my/invitations/{ids[name]}/accept", data={"csrf_token": token})
        client.post(f"/my/invitations/{ids[name]}/decline", data={"csrf_token": token})
    html = client.get("/my/invitations").get_data(as_text=True)
    assert "can no longer be answered" in html
    assert snapshot(app) == before


def test_bad_reason_from_the_list_changes_nothing(app, units):
    client, ids = units
    token = csrf_token(client, "/my/invitations")
    before = snapshot(app)
    client.post(f"/my/invitations/{ids['open']}/decline", data={"csrf_token": token, "reason": "x" * 5000})
    assert "characters" in client.get("/my/invitations").get_data(as_text=True)
    assert snapshot(app) == before


def test_staff_and_anonymous_do_not_get_the_liaison_list(app, client, organizer_client):
    assert organizer_client.get("/my/invitations").status_code == 403
    response = client.get("/my/invitations")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_empty_list(app, liaison_client):
    html = liaison_client.get("/my/invitations").get_data(as_text=True)
    assert "no invitations yet" in html
