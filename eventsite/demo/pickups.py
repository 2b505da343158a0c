"""Demo pickups: two runs for the flagship forum in Brussels, an arrival run from the airport
and a departure run back to it, each with the people the organizer's page suggests."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from ..accounts.models import User
from ..core.timezones import local_naive
from ..delegations.models import Delegate
from ..events.models import Event
from ..extensions import db
from ..pickups import queries, services
from . import data

RUNS = {
    "arrival": {"vehicle": "Minibus (VW Crafter) 1-ABC-123", "capacity": 8,
                "meeting_point_en": "Arrivals hall, meeting point under the clock (level 0)",
                "meeting_point_zh": "到达大厅0层时钟下方集合点", "driver_name": "Jan Peeters",
                "driver_contact": "+32 470 12 34 56", "notes": "Sign: EU-China Forum / 欧中论坛"},
    "departure": {"vehicle": "Coach (Van Hool) 1-XYZ-789", "capacity": 12,
                  "meeting_point_en": "Hotel lobby, main entrance", "meeting_point_zh": "酒店大堂正门",
                  "driver_name": "Sofie Claes", "driver_contact": "+32 471 65 43 21", "notes": ""},
}
# The run leaves this long after the first landing it waits for, or before the first flight home.
WAIT, AHEAD = timedelta(minutes=60), timedelta(hours=2, minutes=30)


def add_pickups(title: str, organizer: User) -> int:
    """The two runs of the event titled `title` (its delegates' travel is already there); returns
    how many people were put on them."""
    event = db.session.scalar(sa.select(Event).where(Event.title_en == title))
    if event is None:
        return 0
    placed = 0
    for direction, shift in (("arrival", WAIT), ("departure", -AHEAD)):
        column = getattr(Delegate, f"{direction}_at")
        first = db.session.scalar(sa.select(sa.func.min(column)).where(
            Delegate.event_id == event.id, Delegate.status == "confirmed",
            getattr(Delegate, f"{direction}_place") == data.BRU))
        if first is None:
            continue
        run = services.create_run(event, {"direction": direction, "place": data.BRU,
                                          "starts_at": local_naive(first + shift, event.timezone),
                                          **RUNS[direction]}, organizer)
        fitting = [t.delegate.id for t in queries.suggestions(run, "en") if t.delegate.status == "confirmed"]
        if fitting:
            placed += len(services.add_passengers(run, fitting[:run.capacity], organizer))
    return placed
