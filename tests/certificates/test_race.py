"""Two organizers pressing "issue" at the same moment, through two app instances and real threads:
each checked-in person gets one certificate, no number is given twice, one issue is audited and
each person is mailed once (the event's row lock; the unique constraints behind it)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from eventsite.accounts.models import User
from eventsite.audit.models import AuditEntry
from eventsite.certificates import services
from eventsite.certificates.jobs import mail_new_certificates
from eventsite.certificates.models import Certificate
from eventsite.events.models import Event
from eventsite.extensions import db
from eventsite.mail.models import OutboxMessage

from ..races import at_once
from .helpers import ended_event

pytestmark = pytest.mark.both_dbs


def _press_at_once(apps, event_id, organizer_id):
    return at_once(
        apps, [(event_id, organizer_id)] * len(apps),
        load=lambda event_id, user_id: (db.session.get(Event, event_id), db.session.get(User, user_id)),
        act=lambda event, organizer: len(services.issue_all(event, actor=organizer)))


def test_two_organizers_issuing_at_once_make_one_certificate_each(app_factory):
    apps = [app_factory(), app_factory()]
    with apps[0].app_context():
        event, came, _away, organizer = ended_event(checked=4, absent=1)
        event_id, organizer_id, people = event.id, organizer.id, {p.id for p in came}

    outcomes = _press_at_once(apps, event_id, organizer_id)

    # The second waited for the first (the lock), then found everyone served: no error at all.
    assert sorted(outcomes, key=str) == [0, 4], outcomes
    with apps[1].app_context():
        made = db.session.scalars(sa.select(Certificate).where(Certificate.event_id == event_id)).all()
        assert {c.delegate_id for c in made} == people and len(made) == 4
        assert sorted(c.sequence for c in made) == [1, 2, 3, 4]
        assert len({c.number for c in made}) == 4
        assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(
            AuditEntry.action == "certificate.issue_all")) == 1
        assert mail_new_certificates() == 4
        assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id)).where(
            OutboxMessage.kind == "certificate")) == 4
