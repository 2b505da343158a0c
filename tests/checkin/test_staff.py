"""Check-in staff of an event: assign an existing check-in account, create one (activation link
mailed), unassign; each step audited; only check-in accounts."""
from __future__ import annotations

import pytest

from eventsite.accounts.models import User
from eventsite.checkin import door
from eventsite.checkin.models import CheckinAssignment
from eventsite.core.domain import DomainError
from eventsite.extensions import db

from .. import factories
from ..conftest import csrf_token
from .helpers import actions


def _assigned(event_id: int) -> list[int]:
    return sorted(db.session.scalars(db.select(CheckinAssignment.user_id).filter_by(event_id=event_id)))


def test_assign_create_unassign_audited(app, organizer_client, outbox):
    with app.app_context():
        event = factories.make_event()
        staff = factories.make_user("checkin", name="Gate One")
        factories.make_user("organizer", email="boss@example.org")
        db.session.commit()
        event_id, staff_id = event.id, staff.id
    url = f"/organizer/events/{event_id}/checkin/staff"
    page = organizer_client.get(url).get_data(as_text=True)
    assert "Gate One" in page and "boss@example.org" not in page  # only check-in accounts offered
    token = csrf_token(organizer_client, url)
    assert organizer_client.post(f"{url}/assign", data={"csrf_token": token, "user_id": staff_id}).status_code == 302
    bad = organizer_client.post(f"{url}/new", data={"csrf_token": token, "email": "gate1@example.org",
                                                    "name": "", "language": "en"})
    assert bad.status_code == 200
    made = organizer_client.post(f"{url}/new", data={"csrf_token": token, "email": "gate2@example.org",
                                                     "name": "Gate Two", "language": "en"})
    assert made.status_code == 302
    with app.app_context():
        new = db.session.scalar(db.select(User).filter_by(email="gate2@example.org"))
        assert new.role == "checkin" and new.password_hash is None and new.locale == "en"
        assert _assigned(event_id) == sorted([staff_id, new.id])
        assert any(m.to_addr == "gate2@example.org" for m in outbox())
        assert len(actions("checkin.staff_assign")) == 2 and len(actions("user.create")) == 1
        new_id = new.id
    page = organizer_client.get(url).get_data(as_text=True)
    assert "Gate Two" in page
    assert organizer_client.post(f"{url}/{new_id}/unassign", data={"csrf_token": token}).status_code == 302
    with app.app_context():
        assert _assigned(event_id) == [staff_id]
        assert len(actions("checkin.staff_unassign")) == 1


def test_only_check_in_accounts_are_assigned(app):
    with app.app_context():
        event = factories.make_event()
        organizer = factories.make_user("organizer")
        liaison = factories.make_user("liaison", unit=factories.make_unit())
        db.session.commit()
        with pytest.raises(DomainError):
            door.assign_staff(event, liaison, organizer)
        staff = factories.make_user("checkin")
        db.session.commit()
        door.assign_staff(event, staff, organizer)
        with pytest.raises(DomainError):
            door.assign_staff(event, staff, organizer)
        assert _assigned(event.id) == [staff.id]


def test_address_taken_is_shown_nothing_made(app):
    with app.app_context():
        event = factories.make_event()
        organizer = factories.make_user("organizer", email="taken@example.org")
        db.session.commit()
        with pytest.raises(DomainError) as refused:
            door.create_staff(event, email="taken@example.org", name="", language="fr", actor=organizer)
        assert {"email", "name", "language"} <= set(refused.value.problems)
        assert _assigned(event.id) == []
