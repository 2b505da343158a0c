"""Shared set-up of the organizers' door tests."""
from __future__ import annotations

from eventsite.audit.models import AuditEntry
from eventsite.checkin.models import CheckIn
from eventsite.extensions import db

from .. import factories


def walker(n: int = 0, role: str = "member", **values) -> dict:
    return {"family_name": f"Walker{n}", "given_name": "Wu", "name_zh": f"吴{n}", "role": role,
            "email": f"walker{n}@example.org", "language": "en", **values}


def door_event(capacity: int | None = None, quota: int = 3, people: int = 2):
    """(event, unit, head, organizer) committed: a delegation of `people` confirmed."""
    event = factories.make_event(capacity=capacity, default_quota=quota)
    unit = factories.make_unit(name_zh="甲市", name_en="Unit A")
    _delegation, head = factories.make_delegation(event, unit, people=people)
    organizer = factories.make_user("organizer")
    db.session.commit()
    return event, unit, head, organizer


def actions(name: str) -> list[AuditEntry]:
    return db.session.scalars(db.select(AuditEntry).filter_by(action=name).order_by(AuditEntry.id)).all()


def check_ins(event_id: int) -> list[CheckIn]:
    return db.session.scalars(db.select(CheckIn).filter_by(event_id=event_id).order_by(CheckIn.id)).all()
