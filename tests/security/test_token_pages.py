"""Every page reached by a secret link sends `Cache-Control: no-store` and `Referrer-Policy:
no-referrer`, whatever it answers: the page, a redirect after an answer, a refused form, a refused
CSRF token, the page for an unknown token. The routes are found by walking `app.url_map` (every
rule with a `token` argument), so a new token route is checked without anyone adding it here.
"""
from __future__ import annotations

import pytest

from eventsite.accounts import tokens
from eventsite.certificates.models import Certificate
from eventsite.core.security import is_token_page
from eventsite.core.tokens import new_token
from eventsite.extensions import db

from .. import factories
from ..conftest import csrf_token

# Calendar feeds carry a token too, but they are calendar files for calendar programs, not pages:
# they must stay revalidatable (`private, no-cache` with an ETag; `no-store` would make every
# subscriber download the whole file on each poll), and a calendar file sends no Referer.
FEEDS = {"calendar.unit_feed", "calendar.delegate_feed"}
METHODS = ("GET", "POST")


def _token_rules(app):
    return [rule for rule in app.url_map.iter_rules() if "token" in rule.arguments]


def test_every_token_route_is_a_token_page(app):
    rules = _token_rules(app)
    endpoints = {rule.endpoint for rule in rules}
    assert {"accounts.reset_password", "accounts.activate", "invitations.show",
            "delegate.personal"} <= endpoints  # the walk finds them
    for rule in rules:
        if rule.endpoint in FEEDS:
            assert rule.rule.endswith(".ics"), rule.rule  # the exception is for calendar files only
            continue
        assert is_token_page(app, rule.endpoint), f"{rule.rule} does not use core.security.token_page"


@pytest.fixture
def links(app):
    """A working token for each kind of link: reset, activation, invitation, delegate."""
    with app.test_request_context():
        event = factories.make_event()
        unit = factories.make_unit()
        factories.make_contact(unit, receives_invitations=True)
        invitation, invitation_token = factories.make_invitation(event, unit)
        _delegation, head = factories.make_delegation(event, unit, invitation=invitation)
        delegate_token, head.token_hash = new_token()
        active = factories.make_user("liaison", unit=unit, email="liaison@example.org")
        pending = factories.make_user(email="pending@example.org", password=None)
        reset_token = tokens.issue(active, "reset", 2)
        activate_token = tokens.issue(pending, "activate", 2)
        certificate_token, certificate_hash = new_token()
        db.session.add(Certificate(event_id=event.id, delegate_id=head.id, sequence=1, number="2026-0001",
                                   token_hash=certificate_hash, token=certificate_token))
        db.session.commit()
        return {"event_id": event.id, "accounts.reset_password": reset_token,
                "accounts.activate": activate_token, "invitations": invitation_token,
                "delegate": delegate_token, "certificates.verify": certificate_token,
                "certificates.delegate_pdf": delegate_token}


def _valid_token(links, endpoint: str) -> str | None:
    return links.get(endpoint) or links.get(endpoint.split(".")[0])


def _url(rule, links, token: str) -> str:
    values = {name: links["event_id"] if name.endswith("_id") else token for name in rule.arguments}
    return rule.build(values)[1]


def _check(response, what: str) -> None:
    assert response.headers.get("Cache-Control") == "no-store", what
    assert response.headers.get("Referrer-Policy") == "no-referrer", what


@pytest.mark.both_dbs
def test_every_answer_of_every_token_page_is_private(app, links):
    checked = 0
    for rule in _token_rules(app):
        if rule.endpoint in FEEDS:
            continue
        for method in METHODS:
            if method not in rule.methods:
                continue
            tokens_to_try = {"unknown": "x" * 43, "overlong": "y" * 500}
            if (valid := _valid_token(links, rule.endpoint)) is not None:
                tokens_to_try["valid"] = valid
            for kind, token in tokens_to_try.items():
                client = app.test_client()
                url = _url(rule, links, token)
                what = f"{method} {rule.endpoint} ({kind} token)"
                if method == "GET":
                    _check(client.get(url), what)
                else:
                    _check(client.post(url, data={}), what + " without a CSRF token")
                    _check(client.post(url, data={"csrf_token": csrf_token(client, "/login")}),
                           what)
                checked += 1
    assert checked >= 18
