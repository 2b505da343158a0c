"""The range of dates the app accepts, one rule for every date and time anyone types.

Every typed day lies in FIRST_DAY..LAST_DAY: Python's datetime stops at the years 1 and 9999, and
a value near either end cannot be shown in every zone, shifted or written to a calendar. Instants
stored before the rule are read back clamped to EARLIEST..LATEST (extensions.UTCDateTime).
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from wtforms.validators import StopValidation

from .gettext import gettext as _

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)
# Every instant whose wall-clock day is in range in some zone (UTC-12 to UTC+14) lies within these.
EARLIEST = datetime.combine(FIRST_DAY, datetime.min.time(), timezone.utc) - timedelta(days=1)
LATEST = datetime.combine(LAST_DAY, datetime.min.time(), timezone.utc) + timedelta(days=2)


class OutOfRange(ValueError):
    """A date or time outside FIRST_DAY..LAST_DAY."""


def range_message() -> str:
    """The message every form and service shows for a date out of range (reader's language)."""
    return _("Enter a date between %(first)s and %(last)s.", first=FIRST_DAY.isoformat(),
             last=LAST_DAY.isoformat())


def day_in_range(day: date) -> bool:
    return FIRST_DAY <= (day.date() if isinstance(day, datetime) else day) <= LAST_DAY


def check_wall_clock(local: datetime) -> None:
    if not day_in_range(local):
        raise OutOfRange(local.isoformat())


def check_instant(instant: datetime) -> None:
    if not EARLIEST <= instant <= LATEST:
        raise OutOfRange(instant.isoformat())


def check_times(values: dict, fields: tuple[str, ...]) -> None:
    """For the services: a DomainError naming every instant in `values` that is out of range (a
    script or a stale form may pass aware instants the forms never saw)."""
    from .domain import DomainError

    wrong = [f for f in fields if isinstance(values.get(f), datetime) and values[f].tzinfo is not None
             and not EARLIEST <= values[f] <= LATEST]
    if wrong:
        raise DomainError(problems={field: [range_message()] for field in wrong})


def clamped(instant: datetime) -> datetime:
    return min(max(instant, EARLIEST), LATEST)


def parse_day(text: str | None) -> date | None:
    try:
        day = datetime.strptime(text or "", "%Y-%m-%d").date()
    except ValueError:
        return None
    return day if day_in_range(day) else None


def in_range(form, field) -> None:
    """WTForms validator for every DateField and DateTimeLocalField: refuse days out of range."""
    if isinstance(field.data, date) and not day_in_range(field.data):
        raise StopValidation(range_message())
