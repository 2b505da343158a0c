"""The rules of a delegation's people: one person's details, checked the same way whoever types
them (the forms check first for friendly messages; these run again so a script or a stale form
never stores what the form would refuse; no parallel sessions), and a submitted list checked as a
whole (one head, at least one person, one email address per person, the quota for newcomers,
session capacities) before anything changes."""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String

from ..core.addresses import AddressError, clean_address
from ..core.dates import OutOfRange, check_instant, range_message
from ..core.domain import DomainError, Problems
from ..core.gettext import gettext as _
from ..core.gettext import ngettext
from ..core.i18n import current_language
from ..core.timezones import NonexistentTime, to_utc
from ..core.validators import normalize_email
from ..events.models import AgendaSession, Event
from ..extensions import db
from .models import ACTIVE_DELEGATE_STATUSES, DELEGATE_ROLES, Delegate, delegate_session
from .passports import TRAVEL_DATES, TRAVEL_FIELDS, clean_travel, hide_changes

# What a delegate record holds about the person (the seat and status are the services' business).
PERSON_FIELDS = (
    "role", "family_name", "given_name", "name_zh", "title", "organization", "email", "mobile",
    "language", "dietary", "accessibility", "arrival_at", "arrival_details", "arrival_place",
    "departure_at", "departure_details", "departure_place", "notes", *TRAVEL_FIELDS,
)
# What delegates may correct themselves: everything but their role in the delegation.
SELF_FIELDS = tuple(f for f in PERSON_FIELDS if f != "role")
NAME_FIELDS = ("family_name", "given_name", "name_zh")
TIME_FIELDS = ("arrival_at", "departure_at")
# Header-bound or single-line fields: no line breaks.
LINE_FIELDS = tuple(f for f in PERSON_FIELDS if f not in ("notes", "arrival_at", "departure_at"))
LANGUAGES = ("zh", "en")
# Flight or train numbers: "CA 1234", "G-101"; stored in upper case.
NUMBER_FIELDS = ("arrival_details", "departure_details")
_TRAVEL_NUMBER = re.compile(r"[A-Z0-9][A-Z0-9 -]*")
# The delegate columns behind each optional detail an event may ask for (Event.delegate_details).
DETAIL_FIELDS = {
    "title": ("title",), "organization": ("organization",), "mobile": ("mobile",),
    "dietary": ("dietary",), "accessibility": ("accessibility",),
    "travel": ("arrival_at", "arrival_details", "arrival_place", "departure_at", "departure_details",
               "departure_place"),
    "passport": TRAVEL_FIELDS, "notes": ("notes",),
}


def asked_fields(event: Event, fields: tuple[str, ...] = PERSON_FIELDS) -> tuple[str, ...]:
    """`fields` without the details this event does not ask for: they are never stored."""
    skipped = {f for detail, columns in DETAIL_FIELDS.items() if not event.collects(detail)
               for f in columns}
    return tuple(f for f in fields if f not in skipped)


def _instant(value: Any, zone_name: str, field: str) -> datetime | None:
    """A UTC instant; naive values are wall-clock times in the event's zone."""
    if value is None or value == "":
        return None
    if not isinstance(value, datetime):
        raise DomainError(_("Enter a date and a time."), field)
    try:
        if value.tzinfo is not None:
            check_instant(value)
            return value
        return to_utc(value, zone_name)[0]
    except OutOfRange:
        raise DomainError(range_message(), field) from None
    except NonexistentTime:
        raise DomainError(_("%(time)s does not exist in %(zone)s: the clocks skip that hour "
                            "for daylight saving time.", time=value.strftime("%Y-%m-%d %H:%M"),
                            zone=zone_name), field) from None


def clean_person(event: Event, values: dict[str, Any], fields: tuple[str, ...] = PERSON_FIELDS,
                 current: Delegate | None = None) -> dict[str, Any]:
    """`values` limited to `fields`, stripped, times in UTC; one DomainError with every problem.
    Fields not given keep `current`'s value (or the default) for the whole-record checks."""
    problems = Problems()
    cleaned = _typed(event, values, asked_fields(event, fields), problems, current is not None)
    if "email" in cleaned:
        cleaned["email"] = normalize_email(cleaned["email"])  # the rule below spells it as stored
    problems.check(_check_lengths, cleaned)
    whole = {f: getattr(current, f) if current is not None else _default(f) for f in PERSON_FIELDS}
    whole |= cleaned
    if not any(whole[f] for f in NAME_FIELDS):
        problems.add("family_name", _("Give a name: the family or given name in Latin letters, or "
                                      "the name in Chinese characters."))
    if whole["role"] not in DELEGATE_ROLES:
        problems.add("role", _("Choose a role."))
    if whole["language"] not in LANGUAGES:
        problems.add("language", _("Choose Chinese or English."))
    if whole["email"] and "email" not in problems:
        try:
            address = clean_address(whole["email"])
        except AddressError as exc:
            problems.add("email", str(exc.message))
        else:
            if "email" in cleaned:
                cleaned["email"] = address
    arrival, departure = whole["arrival_at"], whole["departure_at"]
    if arrival and departure and departure < arrival:
        problems.add("departure_at", _("The departure cannot be before the arrival."))
    problems.raise_if_any()
    return cleaned


def _typed(event: Event, values: dict[str, Any], asked: tuple[str, ...], problems: Problems,
           stored: bool) -> dict[str, Any]:
    """Each asked field given in `values` in its stored form: instants in UTC, travel documents
    checked together, flight and train numbers spelled one way, the rest stripped text."""
    cleaned: dict[str, Any] = {}
    for field in asked:
        if field not in values or field in TRAVEL_FIELDS:  # travel documents: below, all at once
            continue
        value = values[field]
        if field in TIME_FIELDS:
            cleaned[field] = problems.check(_instant, value, event.timezone, field)
        else:
            cleaned[field] = "" if value is None else str(value).strip()
    travel = {f: values[f] for f in asked if f in TRAVEL_FIELDS and f in values}
    cleaned |= problems.check(clean_travel, event, travel, stored) or {}
    for field in NUMBER_FIELDS:
        if cleaned.get(field):
            cleaned[field] = problems.check(travel_number, cleaned[field], field) or ""
    return cleaned


def travel_number(value: str, field: str) -> str:
    """A flight or train number in upper case, one space between parts; DomainError otherwise."""
    number = " ".join(value.upper().split())
    limit = Delegate.__table__.c[field].type.length
    if len(number) > limit or not _TRAVEL_NUMBER.fullmatch(number):
        raise DomainError(_("A flight or train number: letters, digits, spaces and hyphens, at most "
                            "%(n)d characters (e.g. CA 1234 or G101).", n=limit), field)
    return number


def _default(field: str) -> Any:
    return None if field in TIME_FIELDS or field in TRAVEL_DATES else {"role": "member", "language": "zh"}.get(field, "")


def _check_lengths(values: dict[str, Any]) -> None:
    problems = Problems()
    for column in Delegate.__table__.columns:
        value = values.get(column.key)
        if not isinstance(value, str):
            continue
        if "\x00" in value or (column.key in LINE_FIELDS and ("\r" in value or "\n" in value)):
            problems.add(column.key, _("Line breaks and control characters are not allowed here."))
        elif isinstance(column.type, String) and column.type.length and len(value) > column.type.length:
            problems.add(column.key, _("At most %(n)d characters.", n=column.type.length))
    problems.raise_if_any()


def choosable_sessions(event: Event) -> list[AgendaSession]:
    """The sessions delegates pick themselves (everybody attends the others)."""
    return [s for s in event.sessions if s.delegates_choose]


def clean_sessions(event: Event, session_ids: list[int] | None) -> list[AgendaSession] | None:
    """The chosen sessions, all of them choosable sessions of this event; None = leave as is."""
    if session_ids is None:
        return None
    allowed = {s.id: s for s in choosable_sessions(event)}
    chosen = []
    for session_id in dict.fromkeys(session_ids):
        if session_id not in allowed:
            raise DomainError(_("Choose sessions from this event's agenda."), "sessions")
        chosen.append(allowed[session_id])
    check_overlaps(chosen)
    return chosen


def check_overlaps(sessions: list[AgendaSession]) -> None:
    """One person cannot attend two sessions at once (one ending as the next starts is fine)."""
    ordered = sorted(sessions, key=lambda s: (s.starts_at, s.ends_at))
    for index, first in enumerate(ordered):
        for second in ordered[index + 1:]:
            if second.starts_at >= first.ends_at:
                break
            language = current_language()
            raise DomainError(_("“%(first)s” and “%(second)s” take place at the same time: "
                                "choose one of them.", first=first.text("title", language)[0],
                                second=second.text("title", language)[0]), "sessions")


def check_unique_emails(people: list[tuple[str | None, str]]) -> None:
    """No two people of one delegation share an email address (case and spaces aside): the
    problem goes to the later one's field. `people`: (field name, address); the people who are
    not on the form (None) come first."""
    problems, seen = Problems(), set()
    for field, address in sorted(people, key=lambda person: person[0] is not None):
        address = str(address or "").strip()
        key = address.casefold()
        if not key:
            continue
        if key in seen and field is not None:
            problems.add(field, _("Another person in this delegation has the email address "
                                  "%(address)s: each person needs their own.", address=address))
        seen.add(key)
    problems.raise_if_any()


def apply_person(delegate: Delegate, values: dict[str, Any],
                 sessions: list[AgendaSession] | None) -> dict[str, list]:
    """Set the cleaned values (and sessions); returns {field: [old, new]} of what changed (the
    travel documents only as "changed": the result goes to the audit log and mails)."""
    changes: dict[str, list] = {}
    for field, new in values.items():
        old = getattr(delegate, field)
        if old != new:
            setattr(delegate, field, new)
            changes[field] = [_jsonable(old), _jsonable(new)]
    if sessions is not None:
        old_ids = sorted(s.id for s in delegate.sessions)
        new_ids = sorted(s.id for s in sessions)
        if old_ids != new_ids:
            delegate.sessions = list(sessions)
            changes["sessions"] = [old_ids, new_ids]
    return hide_changes(changes)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, str) and len(value) > 200:
        return value[:200] + "…"
    return value


@dataclass
class PersonRow:
    """One person as submitted: `id` of an existing delegate (None = new); `substitute`: the
    values describe another person taking this one's place and seat; `session_ids` None leaves
    the session choices as they are."""

    values: dict[str, Any]
    id: int | None = None
    substitute: bool = False
    remove: bool = False
    session_ids: list[int] | None = None


@dataclass
class Plan:
    """The checked changes: (row index, delegate, values, sessions) per kind."""

    removals: list[tuple[int, Delegate]] = dataclasses.field(default_factory=list)
    edits: list[tuple[int, Delegate, dict, list | None]] = dataclasses.field(default_factory=list)
    substitutes: list[tuple[int, Delegate, dict, list | None]] = dataclasses.field(default_factory=list)
    additions: list[tuple[int, dict, list | None]] = dataclasses.field(default_factory=list)


def make_plan(event: Event, current_people: list[Delegate], rows: list[PersonRow],
              quota: int | None) -> Plan:
    """Check every row and the delegation as a whole before anything changes: one DomainError
    with every problem, a row's named `people-<index>-<field>` (index in `rows`)."""
    current = {d.id: d for d in current_people}
    plan, seen, problems = Plan(), set(), Problems()
    # Everyone in the delegation after the save: (field prefix or None when not on the form,
    # role, email); the people on the form replace their stored selves below.
    final: dict[Any, tuple[str | None, str, str]] = {d.id: (None, d.role, d.email) for d in current.values()}
    for index, row in enumerate(rows):
        prefix = f"people-{index}-"
        if row.id is not None:
            delegate = current.get(row.id)
            if delegate is None or row.id in seen:
                problems.add(f"{prefix}family_name", _("This person is no longer in the delegation. "
                                                       "Reload the page."))
                continue
            seen.add(row.id)
            if row.remove:
                plan.removals.append((index, delegate))
                final.pop(row.id)
                continue
        else:
            delegate = None
        values = problems.check(clean_person, event, row.values,
                                PERSON_FIELDS, None if row.substitute else delegate, rename=prefix)
        sessions = problems.check(clean_sessions, event, row.session_ids, rename=prefix)
        # A row with problems counts with the role it asks for (no second, misleading problem).
        given = values or row.values
        kept = delegate if delegate is not None and not row.substitute else None
        final[row.id if delegate else f"new{index}"] = (
            prefix, given.get("role", delegate.role if delegate else "member"),
            given.get("email", kept.email if kept else ""))
        if values is None:
            continue
        if delegate is None:
            plan.additions.append((index, values, sessions))
        else:
            (plan.substitutes if row.substitute else plan.edits).append((index, delegate, values, sessions))
    if not final:
        problems.add(None, _("Register at least one person."))
    _check_heads(list(final.values()), problems)
    problems.check(check_unique_emails, [(prefix and f"{prefix}email", email)
                                         for prefix, _role, email in final.values()])
    # A quota lowered below the people registered refuses newcomers, never corrections.
    newcomers = [key for key in final if isinstance(key, str)]
    if quota is not None and newcomers and len(final) > quota:
        problems.add(None, ngettext(
            "Your unit may register at most %(num)d person: remove someone before adding another "
            "person.", "Your unit may register at most %(num)d people: remove someone before "
            "adding another person.", quota))
    problems.raise_if_any()
    check_session_room(event, plan)
    return plan


def _check_heads(people: list[tuple[str | None, str, str]], problems: Problems) -> None:
    """Exactly one head: the problem goes to the role field of the heads (too many) or of the
    first person on the form (none)."""
    heads = [prefix for prefix, role, _email in people if role == "head"]
    if not people or len(heads) == 1:
        return
    message = (_("Name exactly one head of delegation.") if heads else
               _("Name the head of delegation (exactly one person)."))
    shown = [prefix for prefix in heads if prefix] or [
        next((prefix for prefix, _role, _email in people if prefix), None)]
    for prefix in shown:
        problems.add(f"{prefix}role" if prefix else None, message)


def check_session_room(event: Event, plan: Plan) -> None:
    """A save may not push a session beyond its capacity (a plain count, not a seat-style lock:
    session places are soft, the organizers see the totals)."""
    before = dict(db.session.execute(  # {session id: active delegates who chose it}
        db.select(delegate_session.c.session_id, db.func.count())
        .join(Delegate, Delegate.id == delegate_session.c.delegate_id)
        .where(Delegate.event_id == event.id, Delegate.status.in_(ACTIVE_DELEGATE_STATUSES))
        .group_by(delegate_session.c.session_id)
    ).all())
    after = dict(before)

    def count(sessions, step: int) -> None:
        for session in sessions:
            after[session.id] = after.get(session.id, 0) + step

    for _index, delegate in plan.removals:
        count(delegate.sessions, -1)
    for _index, delegate, _values, sessions in [*plan.edits, *plan.substitutes]:
        if sessions is not None:
            count(delegate.sessions, -1)
            count(sessions, 1)
    for _index, _values, sessions in plan.additions:
        count(sessions or [], 1)
    for session in event.sessions:
        n = after.get(session.id, 0)
        if session.capacity is not None and n > session.capacity and n > before.get(session.id, 0):
            raise DomainError(_("The session “%(title)s” is full.",
                                    title=session.title_en or session.title_zh), "sessions")
