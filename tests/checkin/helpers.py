"""Shared set-up of the check-in tests: an event running today with badges (the desk's tests and
the browser tests' served site) and the organizers' door."""
from __future__ import annotations

from datetime import timedelta

from eventsite.audit.models import AuditEntry
from eventsite.checkin.models import CheckIn, CheckinAssignment
from eventsite.checkin.services import ensure_badge_code
from eventsite.extensions import db, now_utc

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


def event_today(people: int = 3, capacity: int | None = None) -> dict:
    """A published event that started an hour ago, a session (with `capacity`), one unit's
    delegation of `people` with badge codes, a check-in staff account assigned to the event and
    another one assigned elsewhere. Returns ids and codes (committed)."""
    starts = now_utc().replace(microsecond=0) - timedelta(hours=1)
    event = factories.make_event(starts_at=starts, ends_at=starts + timedelta(days=2))
    other_event = factories.make_event()
    session = factories.make_session(event, capacity=capacity, title_en="Workshop on water",
                                     title_zh="水务研讨会")
    unit = factories.make_unit(name_zh="成都市", name_en="Chengdu")
    _, head = factories.make_delegation(event, unit, people=people)
    delegates = sorted(head.delegation.delegates, key=lambda d: d.position)
    head.dietary, head.accessibility, head.notes = "Vegetarian", "Wheelchair", "Speaks at 10:00"
    for delegate in delegates:
        ensure_badge_code(delegate)
    staff = factories.make_user("checkin", name="Door Staff")
    stranger = factories.make_user("checkin", name="Other Door")
    db.session.add_all([CheckinAssignment(user_id=staff.id, event_id=event.id),
                        CheckinAssignment(user_id=stranger.id, event_id=other_event.id)])
    db.session.commit()
    return {"event_id": event.id, "session_id": session.id, "staff_id": staff.id, "staff": staff.email,
            "stranger_id": stranger.id, "codes": [d.badge_code for d in delegates],
            "delegate_ids": [d.id for d in delegates], "names_zh": [d.name_zh for d in delegates],
            "other_event_id": other_event.id}
