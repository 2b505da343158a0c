"""Small helpers for the accounts tests: log in through the real form, read the session cookie."""
from __future__ import annotations

import re

from ..conftest import csrf_token
from ..factories import PASSWORD


def post_login(client, email, password=PASSWORD, next_url=None, **kwargs):
    """Submit the login form with a valid CSRF token."""
    token = csrf_token(client, "/login")
    data = {"csrf_token": token, "email": email, "password": password}
    if next_url is not None:
        data["next"] = next_url
    return client.post("/login", data=data, **kwargs)


def session_cookie(client):
    cookie = client.get_cookie("eventsite_session", domain="eventsite.test")
    assert cookie is not None, "no session cookie"
    return cookie.value


def client_with_cookie(app, value):
    """A fresh client (another browser) carrying a copy of a session cookie."""
    other = app.test_client()
    other.set_cookie("eventsite_session", value, domain="eventsite.test")
    return other


def link_from(text: str) -> str:
    match = re.search(r"https?://\S+/(?:reset-password|activate)/[A-Za-z0-9_\-]+", text)
    assert match, "no link in the email"
    return match.group(0)


def path_of(app, endpoint, **values):
    """The path of an endpoint (other features own these URLs; do not hard-code them)."""
    from flask import url_for

    with app.test_request_context():
        return url_for(endpoint, **values)
