"""The rules every event satisfies, whoever saves it (the form checks first for friendly
messages; these run again in the services so a script or a stale form cannot store what the form
would refuse)."""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import String

from ..core.addresses import AddressError, clean_address
from ..core.dates import check_times
from ..core.numbers import MAX_INT, whole_number
from ..members.choices import country_codes
from .models import DELEGATE_DETAILS, EVENT_KINDS, REGISTRATION_MODES, Event
from .timezones import is_valid_zone

# Automatic invitation reminders: at most this many, each 1..90 days before registration closes.
MAX_REMINDERS, MAX_REMINDER_DAYS = 5, 90


class EventError(Exception):
    """A rule was broken; `message` is ready to show, `field` names the form field (or None)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def check_text(model, values: dict[str, Any]) -> None:
    """Column lengths and no NUL, whoever calls (a form checks too, a script may not)."""
    for column in model.__table__.columns:
        value = values.get(column.key)
        if not isinstance(value, str):
            continue
        if "\x00" in value:
            raise EventError(_("Control characters are not allowed here."), column.key)
        if isinstance(column.type, String) and column.type.length and len(value) > column.type.length:
            raise EventError(_("At most %(n)d characters.", n=column.type.length), column.key)


def check_zone(name: Any) -> None:
    if not isinstance(name, str) or not is_valid_zone(name):
        raise EventError(_("Choose a time zone from the list, e.g. Asia/Shanghai or Europe/Brussels."),
                         "timezone")


def check_event(v: dict[str, Any]) -> None:
    """The rules every event satisfies (times already UTC instants)."""
    check_text(Event, v)
    if v.get("kind") not in EVENT_KINDS:
        raise EventError(_("Choose a valid kind of event."), "kind")
    if not (v.get("title_en") or v.get("title_zh")):
        raise EventError(_("Give the event an English or a Chinese title."), "title_en")
    check_zone(v.get("timezone"))
    if v.get("country") not in country_codes():
        raise EventError(_("Choose a valid country."), "country")
    contact_address(v.get("contact_email"))
    if v.get("registration_mode") not in REGISTRATION_MODES:
        raise EventError(_("Choose who may register."), "registration_mode")
    starts, ends = v.get("starts_at"), v.get("ends_at")
    if starts is None or ends is None:
        raise EventError(_("Give the start and the end."), "starts_at" if starts is None else "ends_at")
    check_times(v, ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at",
                    "edit_deadline"), EventError)
    if ends <= starts:
        raise EventError(_("The end must be after the start."), "ends_at")
    opens, closes, deadline = (v.get("registration_opens_at"), v.get("registration_closes_at"),
                               v.get("edit_deadline"))
    if opens and closes and closes <= opens:
        raise EventError(_("Registration must open before it closes."), "registration_closes_at")
    if opens and opens >= starts:
        raise EventError(_("Registration must open before the event starts."), "registration_opens_at")
    if closes and closes > starts:
        raise EventError(_("Registration must close before the event starts."), "registration_closes_at")
    if deadline and deadline > ends:
        raise EventError(_("The edit deadline cannot be after the end of the event."), "edit_deadline")
    capacity, quota = v.get("capacity"), v.get("default_quota")
    if capacity is not None and capacity < 0:
        raise EventError(_("The capacity cannot be negative."), "capacity")
    if capacity is not None and capacity > MAX_INT:
        raise EventError(_("The capacity is too large."), "capacity")
    if quota is None or not (1 <= quota <= MAX_INT):
        raise EventError(_("The default quota must be at least 1."), "default_quota")
    if capacity is not None and quota > capacity:
        raise EventError(_("The default quota cannot exceed the capacity."), "default_quota")


def normalize_reminder_days(value: Any) -> str:
    """'7, 2' -> '7,2' (largest first, no repeats); refuses anything but up to five whole
    numbers of days from 1 to 90 (empty: no automatic reminders)."""
    text = (value or "").strip() if isinstance(value, str) else ""
    if not text:
        return ""
    numbers = [whole_number(p.strip()) for p in text.split(",")]
    if None in numbers:
        raise EventError(_("Write whole numbers of days separated by commas, e.g. 7,2."),
                         "reminder_days")
    days = sorted(set(numbers), reverse=True)  # type: ignore[type-var]
    if len(days) > MAX_REMINDERS:
        raise EventError(_("At most %(n)d reminders.", n=MAX_REMINDERS), "reminder_days")
    if not all(1 <= d <= MAX_REMINDER_DAYS for d in days):
        raise EventError(_("Each reminder is between 1 and %(n)d days before registration closes.",
                           n=MAX_REMINDER_DAYS), "reminder_days")
    return ",".join(str(d) for d in days)


def normalize_delegate_details(value: Any) -> str:
    """A list or comma-separated text of DELEGATE_DETAILS -> the canonical comma-separated form."""
    items = value.split(",") if isinstance(value, str) else list(value or [])
    chosen = {str(item).strip() for item in items if str(item).strip()}
    if not chosen <= set(DELEGATE_DETAILS):
        raise EventError(_("Choose the details to ask from the list."), "delegate_details")
    return ",".join(d for d in DELEGATE_DETAILS if d in chosen)


def contact_address(value: Any) -> str:
    """The event's contact email as stored (the address rule, core/addresses.py), or ""."""
    if not value:
        return ""
    try:
        return clean_address(value)
    except AddressError as exc:
        raise EventError(str(exc.message), "contact_email") from None


def normalize(values: dict[str, Any]) -> dict[str, Any]:
    """The event's values with the free-form settings in their stored form (raises EventError)."""
    values["contact_email"] = contact_address(values.get("contact_email"))
    values["reminder_days"] = normalize_reminder_days(values.get("reminder_days"))
    values["delegate_details"] = normalize_delegate_details(values.get("delegate_details"))
    return values
