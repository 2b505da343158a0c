"""The rules of a pickup run's values, checked the same way for a new run and an edit (the form
checks types first; these run again so a script never stores what the form would refuse)."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from ..core.dates import OutOfRange, range_message
from ..core.domain import DomainError, Problems
from ..core.gettext import gettext as _
from ..core.timezones import NonexistentTime, to_utc
from .models import DIRECTIONS, PickupRun

RUN_FIELDS = ("direction", "starts_at", "vehicle", "meeting_point_en", "meeting_point_zh", "place",
              "capacity", "driver_name", "driver_contact", "notes")
LINE_FIELDS = tuple(f for f in RUN_FIELDS if f not in ("direction", "starts_at", "capacity", "notes"))
MAX_CAPACITY = 500  # a coach and then some; a typo of 5000 is refused
MAX_NOTES = 2000
# Who is suggested for a run: arriving at its place up to this long before it leaves (arrivals);
# for departures, leaving its place up to twice this long after the run gets there.
SUGGEST_WINDOW = timedelta(minutes=90)
# Changes a passenger's calendar entry shows (SEQUENCE goes up, the person is told).
SHOWN_FIELDS = ("starts_at", "place", "meeting_point_en", "meeting_point_zh", "vehicle",
                "driver_name", "driver_contact")


def starts_at(value: Any, zone_name: str) -> datetime:
    """A naive wall-clock time in the event's zone as a UTC instant."""
    if not isinstance(value, datetime):
        raise DomainError(_("Enter a date and a time."), "starts_at")
    try:
        return value if value.tzinfo is not None else to_utc(value, zone_name)[0]
    except OutOfRange:
        raise DomainError(range_message(), "starts_at") from None
    except NonexistentTime:
        raise DomainError(_("%(time)s does not exist in %(zone)s: the clocks skip that hour for "
                            "daylight saving time.", time=value.strftime("%Y-%m-%d %H:%M"),
                            zone=zone_name), "starts_at") from None


def clean_run(zone_name: str, values: dict[str, Any]) -> dict[str, Any]:
    """`values` checked and cleaned (times in UTC); one DomainError with every problem."""
    problems = Problems()
    cleaned: dict[str, Any] = {}
    if values.get("direction") not in DIRECTIONS:
        problems.add("direction", _("Choose arrival or departure."))
    cleaned["direction"] = values.get("direction")
    cleaned["starts_at"] = problems.check(starts_at, values.get("starts_at"), zone_name)
    for field in LINE_FIELDS + ("notes",):
        text = "" if values.get(field) is None else str(values[field]).strip()
        limit = MAX_NOTES if field == "notes" else PickupRun.__table__.c[field].type.length
        if "\x00" in text or (field in LINE_FIELDS and ("\r" in text or "\n" in text)):
            problems.add(field, _("Line breaks and control characters are not allowed here."))
        elif len(text) > limit:
            problems.add(field, _("At most %(n)d characters.", n=limit))
        cleaned[field] = text
    if not cleaned["meeting_point_en"] and not cleaned["meeting_point_zh"]:
        problems.add("meeting_point_en", _("Give the meeting point in English or in Chinese."))
    capacity = values.get("capacity")
    if not isinstance(capacity, int) or isinstance(capacity, bool) or not 1 <= capacity <= MAX_CAPACITY:
        problems.add("capacity", _("A number of seats from 1 to %(n)d.", n=MAX_CAPACITY))
    cleaned["capacity"] = capacity
    problems.raise_if_any()
    return cleaned


def shown_change(run: PickupRun, cleaned: dict[str, Any]) -> list[str]:
    """The fields a passenger's calendar entry shows that `cleaned` changes."""
    return [f for f in SHOWN_FIELDS if f in cleaned and getattr(run, f) != cleaned[f]]


def suggestion_window(run: PickupRun) -> tuple[datetime, datetime]:
    """The travel times that fit the run: arrivals landing up to 90 minutes before it leaves the
    airport or station; departures whose train or plane leaves up to 3 hours after the run."""
    if run.direction == "arrival":
        return run.starts_at - SUGGEST_WINDOW, run.starts_at
    return run.starts_at, run.starts_at + 2 * SUGGEST_WINDOW
