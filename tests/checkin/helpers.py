"""An event running today with delegates holding badges, for the desk's tests (also seeds the
browser tests' served site)."""
from __future__ import annotations

from datetime import timedelta

from eventsite.checkin.models import CheckinAssignment
from eventsite.checkin.services import ensure_badge_code
from eventsite.extensions import db, now_utc

from .. import factories


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
