"""Many registrations at the same moment, through two app instances and real threads.

Each thread submits the liaison form of its own unit; a Barrier releases them together. On SQLite
(a file shared by every connection) and on PostgreSQL the seats taken never exceed the capacity,
every seat is held by exactly one confirmed delegate, the rest wait in line, and nobody sees a
server error.
"""
from __future__ import annotations

import threading

import pytest

from eventsite.accounts.models import User
from eventsite.delegations.models import Delegate, Delegation
from eventsite.events.models import Event
from eventsite.extensions import db

from ..factories import make_event
from .helpers import count, unit_with_liaison
from .test_views import URL, form_fields, person_fields

pytestmark = pytest.mark.both_dbs

UNITS, CAPACITY, EACH = 20, 10, 2


def _prepared_clients(apps, login, event_id, liaison_ids):
    """One logged-in client per liaison, spread over the apps, each with the form's fields."""
    prepared = []
    for n, user_id in enumerate(liaison_ids):
        app = apps[n % len(apps)]
        client = app.test_client()
        with app.app_context():
            login(client, db.session.get(User, user_id))
        html = client.get(URL.format(event_id)).get_data(as_text=True)
        data = form_fields(html) | person_fields(0, "head", f"Head{n}", f"head{n}@example.org") \
            | person_fields(1, "member", f"Member{n}", f"member{n}@example.org")
        prepared.append((client, data))
    return prepared


def _all_at_once(prepared, event_id):
    barrier = threading.Barrier(len(prepared))
    statuses, errors = [], []
    lock = threading.Lock()

    def submit(client, data):
        try:
            barrier.wait(timeout=30)
            response = client.post(URL.format(event_id), data=data)
            with lock:
                statuses.append(response.status_code)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=submit, args=pair) for pair in prepared]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return statuses


def test_simultaneous_registrations_never_overbook(app_factory, login):
    apps = [app_factory(), app_factory()]
    with apps[0].app_context():
        event = make_event(capacity=CAPACITY, default_quota=EACH)
        liaison_ids = [unit_with_liaison()[1].id for _n in range(UNITS)]
        event_id = event.id
    prepared = _prepared_clients(apps, login, event_id, liaison_ids)
    statuses = _all_at_once(prepared, event_id)
    assert statuses == [302] * UNITS  # every submission saved, none refused or failed
    with apps[1].app_context():
        seats_taken = db.session.get(Event, event_id).seats_taken
        assert count(event_id, "confirmed") == seats_taken == CAPACITY
        assert count(event_id, "waitlisted") == UNITS * EACH - CAPACITY
        assert db.session.scalar(db.select(db.func.count(Delegation.id))) == UNITS
        # The queue is in the order people joined it, each with the moment they did.
        waiting = db.session.scalars(db.select(Delegate).filter_by(status="waitlisted")).all()
        assert all(d.waitlisted_at is not None for d in waiting)


def test_a_double_click_makes_one_delegation(app_factory, login):
    apps = [app_factory(), app_factory()]
    with apps[0].app_context():
        event = make_event(capacity=CAPACITY, default_quota=EACH)
        liaison_id = unit_with_liaison()[1].id
        event_id = event.id
    client, data = _prepared_clients(apps, login, event_id, [liaison_id])[0]
    # The same browser session posting the same form four times at once (through both apps).
    copies = []
    for n in range(4):
        copy = apps[n % 2].test_client()
        with client.session_transaction() as mine, copy.session_transaction() as theirs:
            theirs.update(dict(mine))
        copies.append((copy, data))
    statuses = _all_at_once(copies, event_id)
    assert set(statuses) <= {200, 302} and statuses.count(302) >= 1
    with apps[0].app_context():
        assert db.session.scalar(db.select(db.func.count(Delegation.id))) == 1
        assert db.session.scalar(db.select(db.func.count(Delegate.id))) == EACH
        assert db.session.get(Event, event_id).seats_taken == EACH
