"""Shared set-up for the pickup tests: an event with delegates arriving at an airport."""
from __future__ import annotations

from datetime import datetime

from eventsite.core.timezones import to_utc
from eventsite.extensions import db
from eventsite.pickups import services

from ..factories import make_delegation, make_event, make_unit, make_user

ZONE = "Europe/Brussels"
BRU = "Brussels Airport (BRU)"


def local(text: str, zone: str = ZONE) -> datetime:
    return to_utc(datetime.fromisoformat(text), zone)[0]


def arriving(event, people: int = 3, at: str = "2030-06-01 09:15", place: str = BRU, unit=None):
    """A delegation whose people land at `place` at `at` (event's clock); returns its delegates."""
    delegation, _head = make_delegation(event, unit or make_unit(), people=people)
    for n, delegate in enumerate(delegation.delegates):
        delegate.arrival_at = local(at, event.timezone)
        delegate.arrival_details = f"SN {100 + n}"
        delegate.arrival_place = place
        delegate.language = "en"
    db.session.flush()
    return list(delegation.delegates)


def event_with_arrivals(**fields):
    """(event, organizer, delegates) committed, in Brussels unless `fields` say otherwise."""
    event = make_event(**{"timezone": ZONE, "city_en": "Brussels", "country": "BE",
                          "starts_at": local("2030-06-01 14:00"), "ends_at": local("2030-06-02 18:00"), **fields})
    organizer = make_user(role="organizer")
    delegates = arriving(event)
    db.session.commit()
    return event, organizer, delegates


def run_values(**values) -> dict:
    return {"direction": "arrival", "starts_at": datetime(2030, 6, 1, 10, 30), "place": BRU,
            "meeting_point_en": "Exit 3, arrivals hall", "meeting_point_zh": "到达大厅3号出口",
            "vehicle": "Minibus B-123", "capacity": 3, "driver_name": "Jan Peeters",
            "driver_contact": "+32 470 00 00 00", "notes": "", **values}


def make_run(event, organizer, **values):
    return services.create_run(event, run_values(**values), organizer)
