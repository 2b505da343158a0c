"""Erasing delegates' personal data once their event is over, by an admin or by the retention
job (jobs.py); erase_event() is the only place that knows what erasure means: what is removed and
what is kept is docs/privacy.md's table. An address still held for another purpose (an account, a
contact, an invitation link, a delegate of an event not yet erased) stays where that purpose needs
it; only the copies tied to this event's people go.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app

from ..accounts import throttle
from ..audit.models import AuditEntry
from ..audit.services import record
from ..core.domain import DomainError
from ..core.gettext import lazy_gettext as _l
from ..core.listing import text_search
from ..core.pagecache import bump
from ..extensions import db, now_utc

ERASED = "(erased)"  # what stands where a value of the person was (the family name too)
ERASED_ADDRESS = "erased@invalid"
# Delegate columns that describe the person; emptied on erasure.
PERSONAL_FIELDS = ("given_name", "name_zh", "title", "organization", "email", "mobile", "dietary",
                   "accessibility", "arrival_details", "arrival_place", "departure_details",
                   "departure_place", "notes",
                   "passport_name", "passport_number", "nationality")  # encrypted (travel documents)
# Dates of the person, emptied too (travel documents; arrival and departure are instants, below).
PERSONAL_DATES = ("birth_date", "passport_expiry")
# Fields of an audit entry's "changes" whose values are the person's ("role", "language" and
# "sessions" are not: they are kept, like the delegate row's own).
CHANGED_PERSONAL = PERSONAL_FIELDS + ("family_name", "arrival_at", "departure_at")
# A string in an erased person's audit entry that is a code ("confirmed", "declined"), not text
# someone typed; anything else there is redacted.
_CODE = re.compile(r"[a-z][a-z0-9_.-]{0,40}")
_DELEGATE_ACTOR = re.compile(r"delegate #(\d+)(?:\s|$)")


def erase_event(event, actor=None, now: datetime | None = None) -> int:
    """Erase the personal data of every delegate of `event` once it has ended (or was cancelled);
    returns how many. A second run finds nothing left to erase."""
    from ..badges.services import erase_event as erase_badges
    from ..certificates.services import erase_event as erase_certificates
    from ..delegations.models import Delegate, Delegation
    from ..letters.services import erase_event as erase_letters

    now = now or now_utc()
    if event.status != "cancelled" and event.ends_at > now:
        raise DomainError(_l("Personal data can be erased only after the event has ended."))
    delegates = db.session.scalars(sa.select(Delegate).where(Delegate.event_id == event.id)).all()
    ids = {d.id for d in delegates}
    delegation_ids = set(db.session.scalars(sa.select(Delegation.id).where(Delegation.event_id == event.id)))
    entries = _entries_about(ids)
    values, addresses = _values_of(delegates, entries)
    erasable = addresses - _held_elsewhere(addresses, event.id)
    _erase_people(delegates, delegation_ids)
    _erase_rooms(event.id)
    _erase_pickups(event.id)
    badges = erase_badges(event.id)  # who printed whose badge, and the fingerprint of the names
    letters = erase_letters(event.id, now)  # they keep reference, status and dates
    certificates = erase_certificates(event.id)  # they print the name: deleted
    messages = _redact_messages(ids, delegation_ids, values, erasable)
    _redact_entries(entries, ids, values, erasable)
    scrubbed = _scrub_other_entries(erasable, {e.id for e in entries})
    for address in erasable:  # throttle counters keyed by the address
        throttle.clear_address(address)
    event.personal_data_erased_at = now
    record("privacy.erase_event", event, actor=actor,
           details={"delegates": len(ids), "messages": messages, "letters": letters, "badges": badges,
                    "certificates": certificates, "audit_entries": len(entries) + scrubbed})
    bump(f"delegations:{event.id}")
    db.session.commit()
    return len(ids)


# --- what there is to erase -------------------------------------------------------------------

def _entries_about(ids: set[int]) -> list[AuditEntry]:
    """Audit entries about the people, or made by them through their personal links."""
    if not ids:
        return []
    found = db.session.scalars(sa.select(AuditEntry).where(sa.or_(
        sa.and_(AuditEntry.target_type == "delegate", AuditEntry.target_id.in_(ids)),
        AuditEntry.actor_label.like("delegate #%"),
    )).order_by(AuditEntry.id)).all()
    return [e for e in found if (e.target_type == "delegate" and e.target_id in ids)
            or _delegate_actor(e) in ids]


def _delegate_actor(entry: AuditEntry) -> int | None:
    match = _DELEGATE_ACTOR.match(entry.actor_label or "")
    return int(match.group(1)) if match else None


def _values_of(delegates, entries) -> tuple[set[str], set[str]]:
    """(every value the people had, casefolded; every address they had, lower-case), from their
    rows and from what the audit log says they had before (an address they moved away from)."""
    values: set[str] = set()
    for delegate in delegates:
        values |= {getattr(delegate, f) for f in CHANGED_PERSONAL if f not in ("arrival_at", "departure_at")}
    for entry in entries:
        changes = (entry.details or {}).get("changes") or {}
        for field in CHANGED_PERSONAL:
            values |= {v for v in changes.get(field) or () if isinstance(v, str)}
        if isinstance((entry.details or {}).get("replaced_name"), str):
            values.add(entry.details["replaced_name"])
    values = {v.strip().casefold() for v in values if v and v.strip() and v != ERASED}
    return values, {v for v in values if "@" in v}


def _held_elsewhere(addresses: set[str], event_id: int) -> set[str]:
    """The addresses among `addresses` still held for another purpose (see the module's doc)."""
    from ..accounts.models import User
    from ..delegations.models import Delegate
    from ..events.models import Event
    from ..invitations.models import InvitationLink
    from ..members.models import Contact

    if not addresses:
        return set()
    live_delegates = (sa.select(sa.func.lower(Delegate.email)).join(Event, Event.id == Delegate.event_id)
                      .where(Delegate.event_id != event_id, Event.personal_data_erased_at.is_(None)))
    held: set[str] = set()
    for query in (sa.select(sa.func.lower(User.email)), sa.select(sa.func.lower(Contact.email)),
                  sa.select(sa.func.lower(InvitationLink.email)), live_delegates):
        column = query.selected_columns[0]
        held |= set(db.session.scalars(query.where(column.in_(addresses))))
    return held


# --- erasing ----------------------------------------------------------------------------------

def _erase_people(delegates, delegation_ids: set[int]) -> None:
    from ..calendar.feeds import rotate
    from ..delegations.models import Delegation

    for delegate in delegates:
        for field in PERSONAL_FIELDS:
            setattr(delegate, field, "")
        delegate.family_name = ERASED
        delegate.arrival_at = delegate.departure_at = None
        for field in PERSONAL_DATES:
            setattr(delegate, field, None)
        delegate.token_hash = None
        delegate.badge_code = None  # a badge found later checks no one in
        rotate(delegate)  # the personal feed's address dies with the link
    if delegation_ids:  # the unit's free text about its people
        db.session.execute(sa.update(Delegation).where(Delegation.id.in_(delegation_ids)).values(notes=""))


def _erase_rooms(event_id: int) -> None:
    """Hotels (hotels/models.py): the notes about each guest's stay and the liaison's room
    requests, and the rows of the rooming lists issued (guest names); the hotels, blocks and
    who-slept-where rows stay (names live on the delegate, erased above)."""
    from ..hotels.models import Hotel, RoomAssignment, RoomingList, RoomRequest

    db.session.execute(sa.update(RoomAssignment).where(RoomAssignment.event_id == event_id).values(notes=""))
    db.session.execute(sa.update(RoomRequest).where(RoomRequest.event_id == event_id).values(note=""))
    hotels = sa.select(Hotel.id).where(Hotel.event_id == event_id)
    db.session.execute(sa.update(RoomingList).where(RoomingList.hotel_id.in_(hotels)).values(rows={}))


def _erase_pickups(event_id: int) -> None:
    """Who rode which run goes (the runs stay as counts of nothing); the drivers' names and
    contacts and the runs' notes go with the people's data."""
    from ..pickups.models import PickupPassenger, PickupRun

    db.session.execute(sa.delete(PickupPassenger).where(PickupPassenger.event_id == event_id))
    db.session.execute(sa.update(PickupRun).where(PickupRun.event_id == event_id)
                       .values(driver_name="", driver_contact="", notes="", seats_taken=0))


def _redact_messages(ids: set[int], delegation_ids: set[int], values: set[str], erasable: set[str]) -> int:
    """Every notice about the delegations (to a delegate or to the unit) and every message to an
    erased address keeps its row, kind, subject and times, and loses its text, calendar part,
    attachments and (when it was the person's) its address. Unsent ones are never sent."""
    from ..mail.models import OutboxAttachment, OutboxMessage

    refs = OutboxMessage.refs
    conditions = [sa.func.lower(OutboxMessage.to_addr).in_(erasable)] if erasable else []
    if ids:
        conditions.append(refs["delegate"].as_integer().in_(ids))
    if delegation_ids:
        conditions.append(refs["delegation"].as_integer().in_(delegation_ids))
    if not conditions:
        return 0
    messages = db.session.scalars(sa.select(OutboxMessage).where(sa.or_(*conditions))).all()
    for message in messages:
        personal = (message.refs or {}).get("delegate") in ids or message.to_addr.lower() in erasable
        if personal:
            message.to_addr, message.to_name = ERASED_ADDRESS, ""
        if _mentions(message.to_name, values):
            message.to_name = ""
        if _mentions(message.subject, values):
            message.subject = ERASED
        if message.dedupe_key and _mentions(message.dedupe_key, erasable):
            message.dedupe_key = None
        message.body_text, message.body_html, message.calendar_ics = ERASED, None, None
        if message.state in ("pending", "sending"):
            message.state, message.last_error = "failed", "personal data erased before sending"
        elif message.last_error:
            message.last_error = ERASED
    if messages:
        db.session.execute(sa.delete(OutboxAttachment).where(
            OutboxAttachment.message_id.in_([m.id for m in messages])))
    return len(messages)


def _redact_entries(entries: list[AuditEntry], ids: set[int], values: set[str], erasable: set[str]) -> None:
    """The people's audit entries keep action, time, actor and which fields changed."""
    for entry in entries:
        acted = _delegate_actor(entry)
        if acted in ids:
            entry.actor_label, entry.ip = f"delegate #{acted}", None
        if entry.target_type == "delegate" and entry.target_id in ids:
            entry.target_label = f"delegate #{entry.target_id}"
        elif _mentions(entry.target_label, values):
            entry.target_label = ERASED
        entry.details = _redacted(entry.details or {}, values)


def _redacted(value: Any, values: set[str], key: str = "") -> Any:
    """`value` (an audit entry's details) without anything the person typed or had."""
    if isinstance(value, dict):
        if key == "changes":
            return {field: [ERASED, ERASED] if field in CHANGED_PERSONAL else _redacted(v, values)
                    for field, v in value.items()}
        return {k: _redacted(v, values, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_redacted(v, values) for v in value]
    if isinstance(value, str) and (not _CODE.fullmatch(value) or value.casefold() in values):
        return ERASED
    return value


def _scrub_other_entries(erasable: set[str], done: set[int]) -> int:
    """Other audit entries naming an erased address (logins tried with it, exports of it) keep
    everything but the address."""
    if not erasable:
        return 0
    columns = (AuditEntry.target_label, AuditEntry.actor_label, sa.cast(AuditEntry.details, sa.Text))
    mention = sa.or_(*(text_search(a, *columns) for a in erasable))
    entries = [e for e in db.session.scalars(sa.select(AuditEntry).where(mention)) if e.id not in done]
    for entry in entries:
        entry.target_label = _without(entry.target_label, erasable)
        entry.actor_label = _without(entry.actor_label, erasable)
        entry.details = _without(entry.details or {}, erasable)
    return len(entries)


def _without(value: Any, addresses: set[str]) -> Any:
    if isinstance(value, dict):
        return {k: _without(v, addresses) for k, v in value.items()}
    if isinstance(value, list):
        return [_without(v, addresses) for v in value]
    for address in addresses if isinstance(value, str) else ():
        value = re.sub(re.escape(address), ERASED_ADDRESS, value, flags=re.IGNORECASE)
    return value


def _mentions(text: str | None, values: set[str]) -> bool:
    folded = (text or "").casefold()
    return any(value in folded for value in values)


# --- the retention setting --------------------------------------------------------------------

def retention_days() -> int:
    return int(current_app.config.get("PRIVACY_RETENTION_DAYS", 180))


def erasable_events():
    """Ended (or cancelled) events still holding delegates' data, with their delegate counts."""
    from ..delegations.models import Delegate
    from ..events.models import Event

    counts = sa.select(Delegate.event_id, sa.func.count().label("n")).group_by(Delegate.event_id).subquery()
    return db.session.execute(
        sa.select(Event, counts.c.n).join(counts, counts.c.event_id == Event.id)
        .where(Event.personal_data_erased_at.is_(None),
               sa.or_(Event.ends_at <= now_utc(), Event.status == "cancelled"))
        .order_by(Event.ends_at)).all()


def erase_due(now: datetime | None = None) -> list[int]:
    """Erase every event ended more than the retention period ago (0 days or less: off)."""
    from ..events.models import Event

    if retention_days() <= 0:
        return []
    cutoff = (now or now_utc()) - timedelta(days=retention_days())
    events = db.session.scalars(sa.select(Event).where(
        Event.personal_data_erased_at.is_(None), Event.ends_at < cutoff,
        Event.status.in_(("published", "cancelled"))).order_by(Event.ends_at)).all()
    for event in events:
        erase_event(event, actor=None, now=now)
    return [event.id for event in events]
