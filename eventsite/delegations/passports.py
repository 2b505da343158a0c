"""Travel documents (the event's "passport" detail, for visa invitation letters): the rules of
the five encrypted delegate columns, and what may be said about them where the reader is neither
an organizer nor the person (docs/delegations.md, "Travel documents").

An empty value never erases a stored one: the liaison's form does not send the stored number and
date of birth back (the liaison sees them masked), so "empty" means "keep what is on file". The
values never go into audit entries, mails or logs: a change is recorded as "travel documents
changed" (`TRAVEL_CHANGE`)."""
from __future__ import annotations

import re
from datetime import date
from typing import Any

from ..core.dates import FIRST_DAY
from ..core.domain import DomainError, Problems
from ..core.gettext import gettext as _
from ..core.timefmt import short_date
from ..core.timezones import to_local
from ..events.models import Event
from ..extensions import now_utc
from ..members.labels import country_codes
from .models import PASSPORT_DATES, PASSPORT_FIELDS

# The one key of an audit entry's "changes" (and of the mail saying what changed) for all five.
TRAVEL_CHANGE = "travel_documents"

_LATIN_NAME = re.compile(r"[A-Z](?:[A-Z' -]*[A-Z])?")
_NUMBER = re.compile(r"[A-Z0-9]{5,20}")


def _passport_name(value: Any, event: Event) -> str:
    name = " ".join(str(value).split()).upper()
    if not _LATIN_NAME.fullmatch(name):
        raise DomainError(_("Write the name exactly as in the passport, in Latin letters (A–Z, "
                            "spaces, hyphens and apostrophes)."), "passport_name")
    return name


def _passport_number(value: Any, event: Event) -> str:
    number = "".join(str(value).split()).upper()
    if not _NUMBER.fullmatch(number):
        raise DomainError(_("A passport number has 5 to 20 letters and digits."), "passport_number")
    return number


def _nationality(value: Any, event: Event) -> str:
    code = str(value).strip().upper()
    if code not in country_codes():
        raise DomainError(_("Choose the nationality from the list."), "nationality")
    return code


def _day(value: Any, field: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise DomainError(_("Enter a date."), field) from None


def _birth_date(value: Any, event: Event) -> date:
    day = _day(value, "birth_date")
    if not FIRST_DAY <= day < now_utc().date():
        raise DomainError(_("The date of birth must be in the past and not before 1900."), "birth_date")
    return day


def _passport_expiry(value: Any, event: Event) -> date:
    day = _day(value, "passport_expiry")
    last_day = to_local(event.ends_at, event.timezone).date()
    if day <= last_day:
        raise DomainError(_("This passport expires before the event ends (%(day)s): a visa is "
                            "refused for such a passport. Give the details of a passport valid "
                            "beyond the trip.", day=short_date(last_day)), "passport_expiry")
    return day


_RULES = {"passport_name": _passport_name, "passport_number": _passport_number,
          "nationality": _nationality, "birth_date": _birth_date, "passport_expiry": _passport_expiry}


def clean_passport(event: Event, values: dict[str, Any], keep: bool) -> dict[str, Any]:
    """The travel documents among `values`, checked and in their stored form (names and numbers
    in capitals); one DomainError with every problem. `keep`: a stored person, whose empty
    fields keep what is on file (left out of the result)."""
    cleaned: dict[str, Any] = {}
    problems = Problems()
    for field in PASSPORT_FIELDS:
        if field not in values:
            continue
        value = values[field]
        if value is None or (isinstance(value, str) and not value.strip()):
            if not keep:
                cleaned[field] = None if field in PASSPORT_DATES else ""
            continue
        cleaned[field] = problems.check(_RULES[field], value, event)
    problems.raise_if_any()
    return cleaned


def hide_changes(changes: dict[str, list]) -> dict[str, Any]:
    """`changes` ({field: [old, new]}) with the travel documents as one "changed" entry."""
    hidden = {f: v for f, v in changes.items() if f not in PASSPORT_FIELDS}
    if len(hidden) < len(changes):
        hidden[TRAVEL_CHANGE] = "changed"
    return hidden
