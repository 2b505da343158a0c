"""Nobody can lock the owner out: failures from elsewhere slow an attacker, not the account's owner.

The owner is tried as a real browser through the login form (device cookie and all); attackers
are other clients, each with its own address. Counters live in the database, so two app
processes (two apps on one database) see the same ones.
"""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from eventsite.accounts import devices
from eventsite.accounts.models import LoginThrottle
from eventsite.audit.models import AuditEntry
from eventsite.extensions import db

from ..factories import make_user
from .helpers import link_from, post_login
from .test_reset import NEW_PASSWORD, _ask, _set

pytestmark = pytest.mark.both_dbs

OWNER = "owner@example.org"
HOME = {"REMOTE_ADDR": "192.0.2.10"}  # the owner's usual address


def _at(ip: str) -> dict:
    return {"REMOTE_ADDR": ip}


@pytest.fixture
def owner(app):
    with app.app_context():
        make_user(email=OWNER)
        db.session.commit()


def _attack(app, times: int, *, start: int = 1, email: str = OWNER) -> None:
    """`times` wrong passwords for `email`, each from another address (a botnet)."""
    for n in range(start, start + times):
        response = post_login(app.test_client(), email, "wrong password!",
                              environ_base=_at(f"198.51.100.{n}"))
        assert response.status_code in (200, 429)


def _device_cookie(client):
    return client.get_cookie(devices.COOKIE, domain="eventsite.test", path="/login")


def _known_browser(app):
    """The owner's browser after one successful login (it now carries a device cookie)."""
    browser = app.test_client()
    assert post_login(browser, OWNER, environ_base=HOME).status_code == 302
    assert _device_cookie(browser) is not None
    browser.delete_cookie("eventsite_session", domain="eventsite.test")
    return browser


def _account_limit(app) -> int:
    with app.app_context():
        from eventsite.accounts.throttle import email_key, limit_for

        return limit_for(email_key(OWNER))


def test_failures_from_other_addresses_do_not_lock_the_owner_out(app, owner):
    # The reported case: five failures from elsewhere, then the owner's right password.
    _attack(app, app.config["LOGIN_MAX_FAILURES"])
    assert post_login(app.test_client(), OWNER, environ_base=HOME).status_code == 302


def test_a_known_browser_gets_in_even_while_the_account_is_under_attack(app, owner):
    browser = _known_browser(app)
    _attack(app, _account_limit(app) + 3)
    # Unknown browsers (wherever they are, the owner's address included) are slowed...
    assert post_login(app.test_client(), OWNER, environ_base=HOME).status_code == 429
    # ...the browser the owner logged in with before is not, from any address.
    assert post_login(browser, OWNER, environ_base=HOME).status_code == 302
    browser.delete_cookie("eventsite_session", domain="eventsite.test")
    assert post_login(browser, OWNER, environ_base=_at("203.0.113.7")).status_code == 302


def test_an_attacker_from_many_addresses_is_still_slowed(app, owner):
    limit = _account_limit(app)
    _attack(app, limit)
    # Every further guess from yet another address is refused before the password is checked.
    with app.app_context():
        failures_before = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                                            .where(AuditEntry.action == "auth.login_failed"))
    for n in range(3):
        response = post_login(app.test_client(), OWNER, environ_base=_at(f"203.0.113.{n + 1}"))
        assert response.status_code == 429
        assert "Forgot password?" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                                 .where(AuditEntry.action == "auth.login_failed")) == failures_before
        row = db.session.scalar(sa.select(LoginThrottle).filter_by(key=f"email:{OWNER}"))
        assert row.failures == limit and row.locked_until is not None


def test_one_address_is_locked_for_that_account_only(app, owner):
    attacker = app.test_client()
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        post_login(attacker, OWNER, "wrong password!", environ_base=_at("198.51.100.1"))
    assert post_login(attacker, OWNER, environ_base=_at("198.51.100.1")).status_code == 429
    assert post_login(app.test_client(), OWNER, environ_base=HOME).status_code == 302


def test_a_stolen_or_known_browser_still_has_a_limit_of_its_own(app, owner):
    browser = _known_browser(app)
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        assert post_login(browser, OWNER, "wrong password!", environ_base=HOME).status_code == 200
    assert post_login(browser, OWNER, environ_base=HOME).status_code == 429
    # Its failures were its own: other browsers, the owner's address included, are untouched.
    assert post_login(app.test_client(), OWNER, environ_base=HOME).status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(LoginThrottle).filter_by(key=f"email:{OWNER}")) is None


def test_a_device_cookie_counts_only_for_its_account_and_only_when_genuine(app, owner):
    with app.app_context():
        make_user(email="other@example.org")
        db.session.commit()
    other = app.test_client()
    assert post_login(other, "other@example.org", environ_base=HOME).status_code == 302
    genuine = _device_cookie(other).value
    _attack(app, _account_limit(app))
    # Known to another account: a stranger to this one.
    other.delete_cookie("eventsite_session", domain="eventsite.test")
    assert post_login(other, OWNER, environ_base=HOME).status_code == 429
    for forged in (genuine[:-2] + "xx", "x" * 4000, "", "\u00e9t\u00e9", genuine + "." + genuine):
        stranger = app.test_client()
        stranger.set_cookie(devices.COOKIE, forged, domain="eventsite.test", path="/login")
        assert post_login(stranger, OWNER, environ_base=HOME).status_code == 429


def test_a_completed_password_reset_lets_the_owner_in_and_clears_the_counters(app, owner, outbox):
    _attack(app, _account_limit(app) + 2)
    stuck = app.test_client()
    assert post_login(stuck, OWNER, environ_base=HOME).status_code == 429
    _ask(stuck, OWNER, environ_base=HOME)
    with app.app_context():
        link = link_from(outbox(kind="password_reset")[-1].body_text)
    path = link.split("eventsite.test", 1)[1]
    response = _set(stuck, path, environ_base=HOME)
    assert response.status_code == 302
    assert stuck.get("/account").status_code == 200  # in, at once
    with app.app_context():
        keys = db.session.scalars(sa.select(LoginThrottle.key)).all()
        assert not [k for k in keys if OWNER in k]  # the account's counters are gone
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                                 .where(AuditEntry.action == "user.password_reset")) == 1
    # Any browser, anywhere, logs in with the new password; this one is known from now on.
    assert post_login(app.test_client(), OWNER, NEW_PASSWORD,
                      environ_base=_at("203.0.113.9")).status_code == 302
    assert _device_cookie(stuck) is not None


def test_counters_and_device_cookies_hold_across_app_processes(app_factory):
    first, second = app_factory(), app_factory()
    with first.app_context():
        make_user(email=OWNER)
        db.session.commit()
    browser = _known_browser(first)  # known through the first process
    limit = _account_limit(first)
    _attack(first, limit // 2)
    _attack(second, limit - limit // 2, start=100)
    assert post_login(second.test_client(), OWNER, environ_base=HOME).status_code == 429
    assert post_login(first.test_client(), OWNER, environ_base=HOME).status_code == 429
    cookie = _device_cookie(browser).value
    same_browser = second.test_client()
    same_browser.set_cookie(devices.COOKIE, cookie, domain="eventsite.test", path="/login")
    assert post_login(same_browser, OWNER, environ_base=HOME).status_code == 302
