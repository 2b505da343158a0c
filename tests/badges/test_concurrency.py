"""Two organizers printing the same people at the same moment: one print row per person, and
both printouts carry the same, working codes."""
from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from eventsite.badges import queries, services
from eventsite.badges.models import BadgePrint
from eventsite.badges.queries import Selection
from eventsite.checkin.services import badge_url
from eventsite.delegations.models import Delegate
from eventsite.events.models import Event
from eventsite.extensions import db

from .helpers import make_people, qr_texts


@pytest.mark.both_dbs
def test_two_organizers_printing_at_once(app, monkeypatch):
    with app.app_context():
        event, _people = make_people(people=3)
        event_id = event.id
    both_read = threading.Barrier(2, timeout=10)
    overview = queries.overview

    def overview_then_wait(*args, **kwargs):
        found = overview(*args, **kwargs)
        both_read.wait()  # each has chosen its people before either writes
        return found

    monkeypatch.setattr(queries, "overview", overview_then_wait)
    results, errors = [], []

    def organizer():
        with app.test_request_context():
            try:
                event = db.session.get(Event, event_id)
                results.append(services.print_badges(event, Selection(), "a6", actor=None, lang="en"))
            except Exception as error:  # noqa: BLE001  (reported below)
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=organizer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors and len(results) == 2
    with app.app_context():
        codes = sorted(d.badge_code for d in db.session.scalars(sa.select(Delegate)))
        assert db.session.scalar(sa.select(sa.func.count()).select_from(BadgePrint)) == 3
    with app.test_request_context():
        expected = sorted(badge_url(code) for code in codes)
    for pdf in results:
        assert sorted(qr_texts(pdf)) == expected
