"""Password reset by emailed link: same answer for everyone, single use, expiry, newest link only."""
from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from eventsite.accounts import services
from eventsite.accounts.models import AccountToken, User
from eventsite.audit.models import AuditEntry
from eventsite.extensions import db, now_utc

from ..conftest import csrf_token
from ..factories import PASSWORD, make_user
from .helpers import client_with_cookie, link_from, post_login, session_cookie

NEW_PASSWORD = "a brand new passphrase"
ANSWER = "If an account exists for that address"


def _ask(client, email, **kwargs):
    if "base_url" in kwargs:  # a request under another Host: fetch the form there too
        html = client.get("/forgot-password", base_url=kwargs["base_url"]).get_data(as_text=True)
        token = html.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    else:
        token = csrf_token(client, "/forgot-password")
    return client.post("/forgot-password", data={"csrf_token": token, "email": email}, **kwargs)


def _set(client, path, password=NEW_PASSWORD, confirm=None, **kwargs):
    token = csrf_token(client, path)
    data = {"csrf_token": token, "password": password, "confirm": confirm or password}
    return client.post(path, data=data, **kwargs)


@pytest.fixture
def user_id(app):
    with app.app_context():
        user = make_user(email="mei@example.org", locale="zh")
        db.session.commit()
        return user.id


def _reset_link(app, outbox):
    with app.app_context():
        message = outbox(kind="password_reset")[-1]
        return link_from(message.body_text)


def test_same_answer_for_known_unknown_and_inactive(app, client, outbox, user_id):
    with app.app_context():
        make_user(email="off@example.org", is_active_flag=False)
        db.session.commit()
    pages = []
    for email in ("mei@example.org", "nobody@example.org", "off@example.org"):
        response = _ask(client, email, follow_redirects=True)
        assert response.status_code == 200
        pages.append(ANSWER in response.get_data(as_text=True))
    assert pages == [True, True, True]
    with app.app_context():
        assert [m.to_addr for m in outbox(kind="password_reset")] == ["mei@example.org"]


def test_reset_email_in_users_language_with_link_from_server_name(app, client, outbox, user_id):
    response = _ask(client, " MEI@example.org ", base_url="http://attacker.example")
    assert response.status_code == 302
    with app.app_context():
        (message,) = outbox(kind="password_reset")
        assert message.language == "zh"
        link = link_from(message.body_text)
        assert urlsplit(link).netloc == "eventsite.test"
        assert link in message.body_html
        assert "attacker.example" not in message.body_text + message.body_html
        raw = urlsplit(link).path.rsplit("/", 1)[1]
        # Only the hash is stored; the raw token is in no audit entry.
        assert db.session.scalar(sa.select(AccountToken.token_hash)) != raw
        assert raw not in str(db.session.scalars(sa.select(AuditEntry.details)).all())


def test_default_locale_when_user_has_none(app, client, outbox):
    with app.app_context():
        make_user(email="plain@example.org", locale=None)
        db.session.commit()
    _ask(client, "plain@example.org", headers={"Accept-Language": "zh-CN"})
    with app.app_context():
        assert outbox(kind="password_reset")[0].language == app.config["BABEL_DEFAULT_LOCALE"]


def test_reset_sets_password_logs_in_and_ends_other_sessions(app, client, outbox, user_id):
    other = app.test_client()
    post_login(other, "mei@example.org")
    old_cookie = session_cookie(other)
    _ask(client, "mei@example.org")
    path = urlsplit(_reset_link(app, outbox)).path
    assert client.get(path).status_code == 200
    response = _set(client, path, headers={"Accept-Language": "zh-CN"})
    assert response.status_code == 302
    assert client.get("/account").status_code == 200  # logged in by the reset
    assert client_with_cookie(app, old_cookie).get("/account").status_code == 302
    assert post_login(app.test_client(), "mei@example.org", NEW_PASSWORD).status_code == 302
    with app.app_context():
        actions = db.session.scalars(sa.select(AuditEntry.action)).all()
        assert "user.password_reset" in actions
    # Single use: the same link is now refused with a clear page.
    assert client.get(path).status_code == 400
    assert _set(app.test_client(), path, password="another passphrase").status_code == 400


@pytest.mark.parametrize(
    "password, confirm",
    [("short", "short"), ("long enough pass", "does not match!"), ("MEI@example.org", "MEI@example.org")],
)
def test_bad_new_password_changes_nothing(app, client, outbox, user_id, password, confirm):
    _ask(client, "mei@example.org")
    path = urlsplit(_reset_link(app, outbox)).path
    response = _set(client, path, password=password, confirm=confirm)
    assert response.status_code == 200
    assert "invalid-feedback" in response.get_data(as_text=True)
    assert client.get(path).status_code == 200  # the link still works
    with app.app_context():
        assert db.session.scalar(sa.select(AccountToken.used_at)) is None


def test_expired_link_is_refused(app, client, outbox, user_id):
    _ask(client, "mei@example.org")
    path = urlsplit(_reset_link(app, outbox)).path
    with app.app_context():
        db.session.execute(sa.update(AccountToken).values(expires_at=now_utc() - timedelta(seconds=1)))
        db.session.commit()
    assert client.get(path).status_code == 400
    assert _set(client, path).status_code == 400


def test_newer_link_invalidates_older(app, client, outbox, user_id):
    _ask(client, "mei@example.org")
    first = urlsplit(_reset_link(app, outbox)).path
    _ask(client, "mei@example.org")
    second = urlsplit(_reset_link(app, outbox)).path
    assert first != second
    assert client.get(first).status_code == 400
    assert client.get(second).status_code == 200


@pytest.mark.parametrize("token", ["nope", "x" * 500, "%00abc", "a%0D%0Ab"])
def test_unknown_token_is_a_clear_page(client, token):
    response = client.get(f"/reset-password/{token}")
    assert response.status_code == 400
    assert "not valid" in response.get_data(as_text=True)


def test_consuming_twice_succeeds_once(app, user_id):
    with app.test_request_context():
        from eventsite.accounts import tokens

        user = db.session.get(User, user_id)
        raw = tokens.issue(user, "reset", 2)
        db.session.commit()
        services.use_token(raw, "reset", NEW_PASSWORD)
        with pytest.raises(services.InvalidToken):
            services.use_token(raw, "reset", "yet another passphrase")
        # An activation token is not a reset token.
        raw = tokens.issue(user, "activate", 2)
        db.session.commit()
        with pytest.raises(services.InvalidToken):
            services.use_token(raw, "reset", NEW_PASSWORD)


@pytest.mark.both_dbs
def test_reset_requests_for_one_address_are_limited(app, client, outbox, user_id):
    """The form answers the same every time, but it can't be used to flood someone's inbox."""
    limit = app.config.get("RESET_MAX_REQUESTS", 3)
    for _ in range(limit + 3):
        response = _ask(client, "mei@example.org", follow_redirects=True)
        assert response.status_code == 200 and ANSWER in response.get_data(as_text=True)
    with app.app_context():
        assert len(outbox(kind="password_reset")) == limit
        # Another address is not affected.
        make_user(email="other@example.org")
        db.session.commit()
    _ask(client, "other@example.org")
    with app.app_context():
        assert len(outbox(kind="password_reset", to_addr="other@example.org")) == 1


# --- a new password voids every link mailed before it -------------------------------------------


def _change_password(client):
    token = csrf_token(client, "/account")
    return client.post("/account/password", data={
        "csrf_token": token, "current_password": PASSWORD, "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD})


@pytest.mark.both_dbs
def test_changing_the_password_voids_a_reset_link_issued_before(app, client, outbox, user_id):
    """The owner asked for a link, then remembered the password and changed it while logged in:
    the link in the mailbox must not set a password any more."""
    _ask(app.test_client(), "mei@example.org")
    path = urlsplit(_reset_link(app, outbox)).path
    post_login(client, "mei@example.org")
    assert _change_password(client).status_code == 302
    stranger = app.test_client()
    assert stranger.get(path).status_code == 400
    assert _set(stranger, path, password="the attackers passphrase").status_code == 400
    assert post_login(app.test_client(), "mei@example.org", "the attackers passphrase").status_code == 200
    assert post_login(app.test_client(), "mei@example.org", NEW_PASSWORD).status_code == 302


@pytest.mark.both_dbs
def test_a_reset_voids_every_other_reset_link(app, user_id):
    """Two requests handled at the same moment by two processes can leave two live links (each
    voided the older ones before the other's was written); using one ends the other."""
    from eventsite.accounts import tokens
    from eventsite.core.tokens import new_token

    with app.test_request_context():
        user = db.session.get(User, user_id)
        first = tokens.issue(user, "reset", 2)
        second, digest = new_token()
        db.session.add(AccountToken(user_id=user.id, purpose="reset", token_hash=digest,
                                    expires_at=now_utc() + timedelta(hours=2)))
        db.session.commit()
        services.use_token(first, "reset", NEW_PASSWORD)
        assert services.token_user(second, "reset") is None
        with pytest.raises(services.InvalidToken):
            services.use_token(second, "reset", "yet another passphrase")


def test_deactivation_voids_links_so_a_reactivation_does_not_revive_them(app, client, outbox, user_id):
    from eventsite.accounts import services

    _ask(client, "mei@example.org")
    path = urlsplit(_reset_link(app, outbox)).path
    with app.test_request_context():
        admin = make_user(role="admin", email="lead@example.org")
        db.session.commit()
        services.deactivate_user(db.session.get(User, user_id), admin)
        services.reactivate_user(db.session.get(User, user_id))
    assert client.get(path).status_code == 400
    assert _set(client, path).status_code == 400
