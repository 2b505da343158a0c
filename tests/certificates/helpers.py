"""An event that ended yesterday, with delegates of two units, some checked in at the door."""
from __future__ import annotations

from datetime import timedelta

from eventsite.checkin.services import check_in
from eventsite.extensions import db, now_utc

from .. import factories


def ended_event(checked: int = 2, absent: int = 1, **event_fields):
    """(event, checked-in delegates, absent delegates, organizer), committed. The first checked-in
    person has a Chinese name and a Latin one; units A and B."""
    starts = (now_utc() - timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    event = factories.make_event(starts_at=starts, ends_at=starts + timedelta(days=2), **event_fields)
    unit_a = factories.make_unit(name_zh="甲市友协", name_en="City A Friendship Association")
    unit_b = factories.make_unit(name_zh="乙市友协", name_en="City B Friendship Association")
    _, head = factories.make_delegation(event, unit_a, people=max(checked, 1))
    people = list(head.delegation.delegates)
    _, other = factories.make_delegation(event, unit_b, people=absent) if absent else (None, None)
    away = list(other.delegation.delegates) if other else []
    came = people[:checked]
    for person in came:
        check_in(person, by=None, scanned_at=starts + timedelta(minutes=30))
    organizer = factories.make_user("organizer")
    db.session.commit()
    return event, came, away, organizer


def check_in_now(delegate) -> None:
    check_in(delegate, by=None, scanned_at=now_utc())
    db.session.commit()
