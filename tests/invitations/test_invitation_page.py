"""The page behind an invitation link: what it shows, and every way a token can be wrong."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventsite.extensions import db, now_utc
from eventsite.invitations.models import InvitationLink

from .. import factories
from ..conftest import csrf_token
from .answer_helpers import invitation, invite, snapshot


@pytest.mark.both_dbs
def test_page_shows_event_unit_quota_and_deadline_and_keeps_the_link_private(app, client):
    invited = invite(app, unit_fields={"name_en": "Chengdu", "name_zh": "成都市"},
                     event_fields={"title_en": "Cities Forum", "title_zh": "城市论坛", "timezone": "Europe/Brussels"})
    response = client.get(invited.url)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Cities Forum" in html and "Chengdu" in html and "Expo Centre" in html
    assert "4 delegates" in html
    assert "UTC+" in html  # deadline and dates carry their offset
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    # No account yet: the holder may decline, or set up the unit's account to accept.
    assert "decline-form" in html and "setup-form" in html
    assert f'value="{invited.contact_email}"' in html
    with app.app_context():
        link = db.session.scalar(sa.select(InvitationLink).filter_by(invitation_id=invited.invitation_id))
        assert link.last_used_at is not None


def test_page_follows_the_language_switch(app, client):
    invited = invite(app, unit_fields={"name_en": "Chengdu", "name_zh": "成都市"},
                     event_fields={"title_en": "Cities Forum", "title_zh": "城市论坛"})
    client.post("/language", data={"lang": "zh", "next": invited.url,
                                   "csrf_token": csrf_token(client, "/")})
    html = client.get(invited.url).get_data(as_text=True)
    assert 'lang="zh-Hans"' in html and "城市论坛" in html and "成都市" in html
    # A title missing in Chinese falls back to English with a note.
    other = invite(app, event_fields={"title_en": "English Only Forum", "title_zh": ""})
    html = client.get(other.url).get_data(as_text=True)
    assert "English Only Forum" in html and 'lang="en"' in html


@pytest.mark.both_dbs
@pytest.mark.parametrize("token", ["x" * 43, "a" * 150, "%00", "not-a-token", "短"])
def test_unknown_or_mistyped_tokens_get_a_clear_404(app, client, token):
    invited = invite(app)
    before = snapshot(app)
    response = client.get(f"/events/{invited.event_id}/invitation/{token}")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "This link is not valid" in html
    assert response.headers["Cache-Control"] == "no-store"
    for method_path in ("accept", "decline", "account"):
        response = client.post(f"/events/{invited.event_id}/invitation/{token}/{method_path}",
                               data={"csrf_token": csrf_token(client, "/"), "reason": "x"})
        assert response.status_code == 404
    assert snapshot(app) == before


@pytest.mark.both_dbs
def test_a_link_used_for_another_event_reveals_nothing(app, client):
    invited = invite(app, unit_fields={"name_en": "Secret Unit A"},
                     event_fields={"title_en": "Event One", "contact_email": "one@example.org"})
    with app.app_context():
        other = factories.make_event(title_en="Event Two")
        db.session.commit()
        other_id = other.id
    before = snapshot(app)
    response = client.get(f"/events/{other_id}/invitation/{invited.token}")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "does not belong to this event" in html
    for secret in ("Secret Unit A", "Event One", "one@example.org", "Event Two"):
        assert secret not in html
    token = csrf_token(client, "/")
    response = client.post(f"/events/{other_id}/invitation/{invited.token}/decline",
                           data={"csrf_token": token, "reason": "x"})
    assert response.status_code == 404
    assert snapshot(app) == before


@pytest.mark.both_dbs
def test_revoked_invitation_says_withdrawn_and_cannot_be_answered(app, client):
    invited = invite(app, unit_fields={"name_en": "Secret Unit A"}, state="revoked",
                     revoked_at=now_utc())
    before = snapshot(app)
    response = client.get(invited.url)
    html = response.get_data(as_text=True)
    assert response.status_code == 410
    assert "withdrawn" in html and "Secret Unit A" not in html
    response = client.post(invited.url + "/decline", data={"csrf_token": csrf_token(client, "/"), "reason": "x"})
    assert response.status_code == 410
    assert snapshot(app) == before


@pytest.mark.both_dbs
def test_expired_invitation_says_closed_with_the_secretariats_contact(app, client):
    invited = invite(app, unit_fields={"name_en": "Secret Unit A"},
                     expires_at=now_utc() - timedelta(minutes=1))
    before = snapshot(app)
    response = client.get(invited.url)
    html = response.get_data(as_text=True)
    assert response.status_code == 410
    assert "Registration is closed" in html and "desk@example.org" in html
    assert "Secret Unit A" not in html
    assert client.post(invited.url + "/decline",
                       data={"csrf_token": csrf_token(client, "/")}).status_code == 410
    assert snapshot(app) == before


def test_cancelled_event_closes_its_invitations(app, client):
    invited = invite(app, event_fields={"status": "cancelled"})
    response = client.get(invited.url)
    assert response.status_code == 410 and "Registration is closed" in response.get_data(as_text=True)


def test_error_pages_in_chinese(app, client):
    invited = invite(app, state="revoked")
    client.post("/language", data={"lang": "zh", "next": "/", "csrf_token": csrf_token(client, "/")})
    for url in (invited.url, f"/events/{invited.event_id}/invitation/nonsense"):
        html = client.get(url).get_data(as_text=True)
        assert 'lang="zh-Hans"' in html


@pytest.mark.both_dbs
def test_another_units_liaison_and_staff_read_only(app, client, login):
    invited = invite(app, unit_fields={"name_en": "Unit A"})
    with app.app_context():
        other_unit = factories.make_unit(name_en="Unit B")
        outsider = factories.make_user("liaison", unit=other_unit)
        staff = factories.make_user("organizer")
        db.session.commit()
    before = snapshot(app)
    for user in (outsider, staff):
        visitor = app.test_client()
        with app.app_context():
            login(visitor, db.session.merge(user))
        html = visitor.get(invited.url).get_data(as_text=True)
        assert "read-only" in html
        assert "accept-form" not in html and "decline-form" not in html and "setup-form" not in html
        token = csrf_token(visitor, "/account")
        for action in ("accept", "decline", "account"):
            response = visitor.post(f"{invited.url}/{action}", data={
                "csrf_token": token, "reason": "no", "name": "X", "email": "x@example.org",
                "password": "long enough password", "confirm": "long enough password"})
            assert response.status_code == 403, (user.role, action)
    assert snapshot(app) == before
    assert invitation(app, invited.invitation_id).state == "pending"
