"""The rules every event and session satisfies, whoever saves it (the form checks first for
friendly messages; these run again in the services so a script or a stale form cannot store what
the form would refuse), and an event's registration state."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String

from ..core.addresses import AddressError, clean_address
from ..core.dates import check_times
from ..core.domain import DomainError, Problems
from ..core.gettext import gettext as _
from ..core.numbers import MAX_INT, whole_number
from ..core.timezones import is_valid_zone, to_local
from ..extensions import now_utc
from ..members.labels import country_codes
from .models import (
    DELEGATE_DETAILS,
    EVENT_KINDS,
    EVENT_TIMES,
    REGISTRATION_MODES,
    SESSION_KINDS,
    AgendaSession,
    Event,
)

# Automatic invitation reminders: at most this many, each 1..90 days before registration closes.
MAX_REMINDERS, MAX_REMINDER_DAYS = 5, 90


def check_text(model, values: dict[str, Any]) -> None:
    """Column lengths and no NUL, whoever calls (a form checks too, a script may not)."""
    problems = Problems()
    for column in model.__table__.columns:
        value = values.get(column.key)
        if not isinstance(value, str):
            continue
        if "\x00" in value:
            problems.add(column.key, _("Control characters are not allowed here."))
        elif isinstance(column.type, String) and column.type.length and len(value) > column.type.length:
            problems.add(column.key, _("At most %(n)d characters.", n=column.type.length))
    problems.raise_if_any()


def check_zone(name: Any) -> None:
    if not isinstance(name, str) or not is_valid_zone(name):
        raise DomainError(_("Choose a time zone from the list, e.g. Asia/Shanghai or Europe/Brussels."),
                          "timezone")


def check_event(v: dict[str, Any], problems: Problems | None = None) -> None:
    """The rules every event satisfies (times already UTC instants), every problem in one DomainError."""
    problems = Problems() if problems is None else problems
    _check_item(Event, v, EVENT_KINDS, _("Choose a valid kind of event."), problems)
    if "timezone" not in problems:
        problems.check(check_zone, v.get("timezone"))
    if v.get("country") not in country_codes():
        problems.add("country", _("Choose a valid country."))
    problems.check(contact_address, v.get("contact_email"))
    if v.get("registration_mode") not in REGISTRATION_MODES:
        problems.add("registration_mode", _("Choose who may register."))
    _check_dates(v, problems)
    capacity, quota = v.get("capacity"), v.get("default_quota")
    _check_capacity(capacity, problems)
    if quota is None or not (1 <= quota <= MAX_INT):
        problems.add("default_quota", _("The default quota must be at least 1."))
    elif capacity is not None and quota > capacity:
        problems.add("default_quota", _("The default quota cannot exceed the capacity."))
    problems.raise_if_any()


def check_session(event: Event, v: dict[str, Any], warnings: list[str],
                  problems: Problems | None = None) -> None:
    """Like check_event; a session outside the event's days is only a warning."""
    problems = Problems() if problems is None else problems
    _check_item(AgendaSession, v, SESSION_KINDS, _("Choose a valid kind of session."), problems)
    if _check_span(v, ("starts_at", "ends_at"), problems):
        first = to_local(event.starts_at, event.timezone).date()
        last = to_local(event.ends_at, event.timezone).date()
        if outside_days(event.starts_at, event.ends_at, event.timezone, v["starts_at"], v["ends_at"]):
            warnings.append(_("This session is outside the event's days (%(first)s to %(last)s). It "
                              "was saved anyway.", first=first.isoformat(), last=last.isoformat()))
    _check_capacity(v.get("capacity"), problems)
    problems.raise_if_any()


def outside_days(event_start: datetime, event_end: datetime, zone_name: str, start: datetime,
                 end: datetime) -> bool:
    """Whether a session from `start` to `end` leaves the event's days (read in its zone)."""
    return (to_local(start, zone_name).date() < to_local(event_start, zone_name).date()
            or to_local(end, zone_name).date() > to_local(event_end, zone_name).date())


def _check_item(model, v: dict[str, Any], kinds: tuple[str, ...], wrong_kind: str,
                problems: Problems) -> None:
    """What events and sessions share: text lengths, a known kind, a title."""
    problems.check(check_text, model, v)
    if v.get("kind") not in kinds:
        problems.add("kind", wrong_kind)
    if not (v.get("title_en") or v.get("title_zh")):
        problems.add("title_en", _("Give an English or a Chinese title."))


def _check_capacity(capacity: int | None, problems: Problems) -> None:
    if capacity is not None and capacity < 0:
        problems.add("capacity", _("The capacity cannot be negative."))
    elif capacity is not None and capacity > MAX_INT:
        problems.add("capacity", _("The capacity is too large."))


def _check_span(v: dict[str, Any], fields: tuple[str, ...], problems: Problems) -> bool:
    """False when a time is missing or unreadable (comparing the others would only confuse)."""
    for name in ("starts_at", "ends_at"):
        if v.get(name) is None and name not in problems:
            problems.add(name, _("Give the start and the end."))
    problems.check(check_times, v, fields)
    if any(f in problems for f in (*fields, "timezone")):
        return False
    if v["ends_at"] <= v["starts_at"]:
        problems.add("ends_at", _("The end must be after the start."))
    return True


def _check_dates(v: dict[str, Any], problems: Problems) -> None:
    if not _check_span(v, EVENT_TIMES, problems):
        return
    starts, ends = v["starts_at"], v["ends_at"]
    opens, closes, deadline = (v.get("registration_opens_at"), v.get("registration_closes_at"),
                               v.get("edit_deadline"))
    if opens and closes and closes <= opens:
        problems.add("registration_closes_at", _("Registration must open before it closes."))
    if opens and opens >= starts:
        problems.add("registration_opens_at", _("Registration must open before the event starts."))
    if closes and closes > starts:
        problems.add("registration_closes_at", _("Registration must close before the event starts."))
    if deadline and deadline > ends:
        problems.add("edit_deadline", _("The edit deadline cannot be after the end of the event."))


def normalize_reminder_days(value: Any) -> str:
    """'7, 2' -> '7,2' (largest first, no repeats; empty: no automatic reminders)."""
    text = (value or "").strip() if isinstance(value, str) else ""
    if not text:
        return ""
    numbers = [whole_number(p.strip()) for p in text.split(",")]
    if None in numbers:
        raise DomainError(_("Write whole numbers of days separated by commas, e.g. 7,2."), "reminder_days")
    days = sorted(set(numbers), reverse=True)  # type: ignore[type-var]
    if len(days) > MAX_REMINDERS:
        raise DomainError(_("At most %(n)d reminders.", n=MAX_REMINDERS), "reminder_days")
    if not all(1 <= d <= MAX_REMINDER_DAYS for d in days):
        raise DomainError(_("Each reminder is between 1 and %(n)d days before registration closes.",
                           n=MAX_REMINDER_DAYS), "reminder_days")
    return ",".join(str(d) for d in days)


def normalize_delegate_details(value: Any) -> str:
    """A list or comma-separated text of DELEGATE_DETAILS -> the canonical comma-separated form."""
    items = value.split(",") if isinstance(value, str) else list(value or [])
    chosen = {str(item).strip() for item in items if str(item).strip()}
    if not chosen <= set(DELEGATE_DETAILS):
        raise DomainError(_("Choose the details to ask from the list."), "delegate_details")
    if "passport" in chosen:  # the letter names the person's position
        chosen.add("title")
    return ",".join(d for d in DELEGATE_DETAILS if d in chosen)


def contact_address(value: Any) -> str:
    """The event's contact email as stored (the address rule, core/addresses.py), or ""."""
    if not value:
        return ""
    try:
        return clean_address(value)
    except AddressError as exc:
        raise DomainError(str(exc.message), "contact_email") from None


def normalize(values: dict[str, Any], problems: Problems) -> dict[str, Any]:
    """The event's values with the free-form settings in their stored form (problems noted)."""
    for field, rule in (("contact_email", contact_address), ("reminder_days", normalize_reminder_days),
                        ("delegate_details", normalize_delegate_details)):
        values[field] = problems.check(rule, values.get(field)) or ""
    return values


def registration_state(event: Event, now: datetime | None = None) -> str:
    """none (no policy dates, or not a live event), not_open, open or closed."""
    now = now or now_utc()
    opens, closes = event.registration_opens_at, event.registration_closes_at
    if event.status != "published" or (opens is None and closes is None):
        return "none"
    if opens and now < opens:
        return "not_open"
    if (closes and now >= closes) or now >= event.starts_at:
        return "closed"
    return "open"
