"""CSRF on every state-changing route, and secrets kept out of the logs.

Every POST route of `app.url_map`, as an admin (who may do everything): without a token, with a
token from another session, and with a forged one -> 400 and the database unchanged. GET never
changes state (the access matrix walks every GET with hostile values and compares the database).
"""
from __future__ import annotations

import logging

import pytest

from .. import factories
from ..conftest import csrf_token
from .test_access_matrix import _urls, snapshot, world  # noqa: F401  (the world fixture)


@pytest.mark.both_dbs
def test_every_post_route_refuses_missing_foreign_and_forged_tokens(app, admin_client, client, world):  # noqa: F811
    foreign = csrf_token(client, "/login")  # a valid token of another (anonymous) session
    csrf_token(admin_client, "/account")  # the admin's session has its own token
    before = snapshot(app)
    checked = 0
    for endpoint, method, url in _urls(app, world, {"static", "bootstrap.static"}):
        if method != "POST":
            continue
        for token in (None, foreign, "forged." + "A" * 40):
            data = {"name": "x", "email": "x@example.org"} | ({"csrf_token": token} if token else {})
            response = admin_client.post(url, data=data)
            assert response.status_code == 400, (endpoint, token and token[:8], response.status_code)
        checked += 1
    assert checked >= 40
    assert snapshot(app) == before


def test_tokens_in_links_never_reach_the_application_log(app, client, caplog):
    """Links carry their secret in the path; the app logs neither the path nor the token, also
    when the link is refused."""
    from eventsite.extensions import db

    with app.app_context():
        event = factories.make_event()
        unit = factories.make_unit()
        factories.make_contact(unit)
        _invitation, raw = factories.make_invitation(event, unit)
        db.session.commit()
        event_id = event.id
    with caplog.at_level(logging.DEBUG):
        assert client.get(f"/events/{event_id}/invitation/{raw}").status_code == 200
        assert client.get(f"/events/{event_id + 1}/invitation/{raw}").status_code == 404
        assert client.post(f"/events/{event_id}/invitation/{raw}/decline").status_code == 400
        assert client.get(f"/events/{event_id}/delegate/{raw}").status_code == 404
    assert all(raw not in record.getMessage() for record in caplog.records)
