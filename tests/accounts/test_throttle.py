"""Failed-login throttling in the database: per address, per client IP, across processes and threads."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventsite.accounts.models import LoginThrottle, User
from eventsite.audit.models import AuditEntry
from eventsite.extensions import db, now_utc

from ..conftest import csrf_token
from ..factories import PASSWORD, make_user
from .helpers import post_login

pytestmark = pytest.mark.both_dbs

EMAIL = "target@example.org"


def _make_target(app):
    with app.app_context():
        make_user(email=EMAIL)
        db.session.commit()


def _row(app, key):
    with app.app_context():
        return db.session.scalar(sa.select(LoginThrottle).filter_by(key=key))


def _fail(client, times, email=EMAIL, ip="10.0.0.1"):
    for _ in range(times):
        response = post_login(client, email, "wrong password!", environ_base={"REMOTE_ADDR": ip})
        assert response.status_code == 200


def test_email_is_locked_after_max_failures_even_with_the_right_password(app, client):
    _make_target(app)
    _fail(client, app.config["LOGIN_MAX_FAILURES"])
    with app.app_context():
        audit_before = db.session.scalar(sa.select(sa.func.count(AuditEntry.id)))
    response = post_login(client, EMAIL, environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert response.status_code == 429
    assert "Too many failed attempts" in response.get_data(as_text=True)
    assert client.get("/account").status_code == 302
    # Nothing else happened: no audit entry, no login time, no extra count.
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id))) == audit_before
        assert db.session.scalar(sa.select(User).filter_by(email=EMAIL)).last_login_at is None
    assert _row(app, f"email:{EMAIL}").failures == app.config["LOGIN_MAX_FAILURES"]
    # Another address (another person in the same office) still logs in.
    with app.app_context():
        make_user(email="colleague@example.org")
        db.session.commit()
    other = app.test_client()
    response = post_login(other, "colleague@example.org", environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert response.status_code == 302


def test_lock_also_refuses_in_chinese(app, client):
    _make_target(app)
    _fail(client, app.config["LOGIN_MAX_FAILURES"])
    response = post_login(client, EMAIL, headers={"Accept-Language": "zh-CN"}, environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert response.status_code == 429


def test_address_is_locked_after_a_higher_number_of_failures(app, client):
    _make_target(app)
    limit = app.config["LOGIN_MAX_FAILURES"] * 4
    for n in range(limit):  # many different addresses from one client: no email key reaches its limit
        _fail(client, 1, email=f"guess{n}@example.org", ip="10.0.0.9")
    assert _row(app, "ip:10.0.0.9").locked_until is not None
    response = post_login(client, EMAIL, environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert response.status_code == 429
    response = post_login(app.test_client(), EMAIL, environ_base={"REMOTE_ADDR": "10.0.0.10"})
    assert response.status_code == 302


def test_lock_ends_after_the_lock_time_and_success_clears_the_count(app, client):
    _make_target(app)
    _fail(client, app.config["LOGIN_MAX_FAILURES"])
    assert post_login(client, EMAIL, environ_base={"REMOTE_ADDR": "10.0.0.1"}).status_code == 429
    past = now_utc() - timedelta(minutes=app.config["LOGIN_LOCK_MINUTES"] + 1)
    with app.app_context():
        db.session.execute(
            sa.update(LoginThrottle).values(locked_until=past, window_start=past - timedelta(minutes=1))
        )
        db.session.commit()
    assert post_login(client, EMAIL, environ_base={"REMOTE_ADDR": "10.0.0.1"}).status_code == 302
    assert _row(app, f"pair:{EMAIL}|10.0.0.1") is None


def test_failures_outside_the_window_start_a_new_count(app, client):
    _make_target(app)
    _fail(client, app.config["LOGIN_MAX_FAILURES"] - 1)
    old = now_utc() - timedelta(minutes=app.config["LOGIN_WINDOW_MINUTES"] + 1)
    with app.app_context():
        db.session.execute(sa.update(LoginThrottle).values(window_start=old))
        db.session.commit()
    _fail(client, 1)
    row = _row(app, f"pair:{EMAIL}|10.0.0.1")
    assert row.failures == 1 and row.locked_until is None
    assert post_login(client, EMAIL, environ_base={"REMOTE_ADDR": "10.0.0.1"}).status_code == 302


def test_lock_holds_across_two_app_processes(app_factory):
    first, second = app_factory(), app_factory()
    _make_target(first)
    limit = first.config["LOGIN_MAX_FAILURES"]
    _fail(first.test_client(), limit - 2)
    _fail(second.test_client(), 2)
    assert _row(second, f"pair:{EMAIL}|10.0.0.1").failures == limit
    there = {"REMOTE_ADDR": "10.0.0.1"}
    assert post_login(first.test_client(), EMAIL, environ_base=there).status_code == 429
    assert post_login(second.test_client(), EMAIL, environ_base=there).status_code == 429


def _race(apps, attempts):
    """`attempts` wrong-password logins at once, spread over `apps`; returns the status codes."""
    clients = []
    for n in range(attempts):
        client = apps[n % len(apps)].test_client()
        clients.append((client, csrf_token(client, "/login")))
    barrier = threading.Barrier(attempts)
    statuses, errors = [], []

    def attempt(client, token):
        try:
            barrier.wait(timeout=10)
            response = client.post(
                "/login", data={"csrf_token": token, "email": EMAIL, "password": "wrong password!"}
            )
            statuses.append(response.status_code)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=attempt, args=pair) for pair in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return statuses


def test_concurrent_failures_are_all_counted(app_factory):
    apps = [app_factory(LOGIN_MAX_FAILURES=100), app_factory(LOGIN_MAX_FAILURES=100)]
    _make_target(apps[0])
    statuses = _race(apps, 16)
    assert statuses == [200] * 16
    assert _row(apps[0], f"email:{EMAIL}").failures == 16
    assert _row(apps[0], "ip:127.0.0.1").failures == 16


def test_concurrent_failures_lock_the_account(app_factory):
    apps = [app_factory(), app_factory()]
    _make_target(apps[0])
    statuses = _race(apps, 12)
    assert set(statuses) <= {200, 429}
    row = _row(apps[0], f"pair:{EMAIL}|127.0.0.1")
    # Every attempt that was not refused as locked was counted, and the count locked the key.
    assert row.failures == statuses.count(200)
    assert row.failures >= apps[0].config["LOGIN_MAX_FAILURES"]
    assert row.locked_until is not None
    assert post_login(apps[1].test_client(), EMAIL, PASSWORD).status_code == 429
