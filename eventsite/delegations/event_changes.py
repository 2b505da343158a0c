"""Who hears what when the event itself changes or is cancelled (issue 6, iTIP over iMIP).

events/services.py calls one function here inside its transaction, after SEQUENCE has moved:

- `notify_event_changed`: a save that changed what a calendar shows (CALENDAR_FIELDS) of a
  published event. Every confirmed delegate with an address gets a METHOD:REQUEST with the same
  UID and the new SEQUENCE, in their language, listing old -> new and the organizer's note.
  Waitlisted and pending people hold no calendar entry and are not written to; the liaisons of
  every live delegation get the same lines and note (no calendar part).
- `notify_event_cancelled`: METHOD:CANCEL to every confirmed delegate, a plain notice to those
  waiting or awaiting approval, and a notice to the liaisons of every live delegation.

One message per person per SEQUENCE (the outbox's dedupe_key is unique), so a save submitted
twice at the same moment fails on commit instead of mailing everyone twice.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from ..core.timefmt import local_time
from ..events.models import CALENDAR_FIELDS
from ..extensions import db
from ..members.choices import country_name
from . import notices
from .lifecycle import calendar_message
from .models import ACTIVE_DELEGATE_STATUSES, LIVE_DELEGATION_STATUSES, Delegate, Delegation

if TYPE_CHECKING:
    from ..events.models import Event

NOTE_MAX = 1000
FIELD_LABELS = {
    "title_en": _l("Title (English)"), "title_zh": _l("Title (Chinese)"),
    "starts_at": _l("Starts"), "ends_at": _l("Ends"), "timezone": _l("Time zone"),
    "venue_name": _l("Venue"), "venue_address": _l("Address"), "city": _l("City"),
    "country": _l("Country"), "status": _l("Status"),
}
EVENT_STATUS_LABELS = {
    "draft": _l("not yet published"), "published": _l("takes place"), "cancelled": _l("cancelled"),
}


@dataclass(frozen=True)
class Change:
    """One line of "what changed", already in the reader's language."""

    label: str
    old: str
    new: str


@dataclass(frozen=True)
class Audience:
    """How many people an event-level notice reaches (shown to the organizer before saving)."""

    confirmed: int  # a calendar message (REQUEST / CANCEL)
    waiting: int  # waitlisted or awaiting approval: a plain notice on cancellation
    units: int  # units with a live delegation: their liaisons, on cancellation


def _delegates(event: Event, statuses: tuple[str, ...]) -> list[Delegate]:
    return list(db.session.scalars(
        db.select(Delegate)
        .where(Delegate.event_id == event.id, Delegate.status.in_(statuses), Delegate.email != "")
        .options(selectinload(Delegate.delegation).selectinload(Delegation.unit))
        .order_by(Delegate.id)
    ))


def _live_delegations(event: Event) -> list[Delegation]:
    return list(db.session.scalars(
        db.select(Delegation)
        .where(Delegation.event_id == event.id, Delegation.status.in_(LIVE_DELEGATION_STATUSES))
        .options(selectinload(Delegation.unit), selectinload(Delegation.delegates))
        .order_by(Delegation.id)
    ))


def audience(event: Event) -> Audience:
    counts = dict(db.session.execute(
        db.select(Delegate.status, db.func.count(Delegate.id))
        .where(Delegate.event_id == event.id, Delegate.email != "")
        .group_by(Delegate.status)
    ).all())
    units = db.session.scalar(
        db.select(db.func.count(Delegation.id))
        .where(Delegation.event_id == event.id, Delegation.status.in_(LIVE_DELEGATION_STATUSES))
    )
    return Audience(confirmed=counts.get("confirmed", 0),
                    waiting=counts.get("waitlisted", 0) + counts.get("pending", 0), units=units or 0)


def describe(event: Event, changes: dict[str, Any], language: str | None = None) -> list[Change]:
    """`changes` ({field: (old, new)}, real values) as lines in `language` (default: the current
    locale). Times on the event's clock with their offset: old ones in the old zone, new ones in
    the new zone (works before and after the values are applied)."""
    if language is not None:
        with force_locale(language):
            return describe(event, changes)
    from flask_babel import get_locale

    lang = str(get_locale() or "en")[:2]
    old_zone = changes["timezone"][0] if "timezone" in changes else event.timezone
    new_zone = changes["timezone"][1] if "timezone" in changes else event.timezone
    lines = []
    for field in CALENDAR_FIELDS:
        if field not in changes:
            continue
        old, new = changes[field]
        if field in ("starts_at", "ends_at"):
            old, new = local_time(old, old_zone), local_time(new, new_zone)
        elif field == "country":
            old, new = (country_name(c, lang) if c else "" for c in (old, new))
        elif field == "status":
            old, new = (str(EVENT_STATUS_LABELS.get(s, s)) for s in (old, new))
        lines.append(Change(str(FIELD_LABELS[field]), str(old or "—"), str(new or "—")))
    return lines


def _key(event: Event, who: str) -> str:
    """One message per recipient per SEQUENCE; long addresses are hashed to fit the column."""
    key = f"event-update:{event.id}:{event.sequence}:{who}"
    if len(key) <= 200:
        return key
    return f"event-update:{event.id}:{event.sequence}:sha256:{hashlib.sha256(who.encode()).hexdigest()}"


def _language(delegate: Delegate) -> str:
    return delegate.language if delegate.language in ("zh", "en") else "en"


def _imip(delegate: Delegate, method: str, now: datetime | None) -> dict[str, Any]:
    return calendar_message(delegate, method, now=now)


def notify_event_changed(event: Event, changes: dict[str, Any], note: str = "", *,
                         now: datetime | None = None) -> int:
    """METHOD:REQUEST (same UID, new SEQUENCE) to every confirmed delegate; returns how many.

    Only a published event's delegates hold a calendar entry worth updating; a draft (or a
    cancelled event) tells nobody. `changes`: {field: (old, new)} with real values."""
    if event.status != "published" or not set(changes) & set(CALENDAR_FIELDS):
        return 0
    note = (note or "").strip()[:NOTE_MAX]
    lines: dict[str, list[Change]] = {}
    sent = 0
    delegations = _live_delegations(event)
    for delegate in _delegates(event, ("confirmed",)):
        language = _language(delegate)
        if language not in lines:
            lines[language] = describe(event, changes, language)
        notices.to_delegate(delegate, "event_changed",
                            context={"change_lines": lines[language], "note": note},
                            dedupe_key=_key(event, str(delegate.id)),
                            **_imip(delegate, "REQUEST", now))
        sent += 1
    # The units plan their delegations' travel: their liaisons read the same lines, in their
    # own language (each liaison's mail picks its language's lines).
    by_language = {language: describe(event, changes, language) for language in ("en", "zh")}
    # No autoflush while the liaisons are looked up: the queued notices are written at the
    # caller's guarded commit, where a racing save's duplicate dedupe_key is turned into a clear
    # error, not in the middle of this loop.
    with db.session.no_autoflush:
        for delegation in delegations:
            unit_id = delegation.unit_id
            notices.to_liaisons(delegation, "event_changed",
                                context={"event_changes": by_language, "note": note},
                                dedupe=lambda address, u=unit_id: _key(event, f"unit-{u}:{address}"))
    return sent


def notify_event_cancelled(event: Event, note: str = "", *, now: datetime | None = None
                           ) -> dict[str, int]:
    """METHOD:CANCEL (same UID, the raised SEQUENCE, STATUS:CANCELLED) to confirmed delegates,
    a plain notice to waiting and pending ones, and the liaisons of live delegations."""
    note = (note or "").strip()[:NOTE_MAX]
    counts = {"cancel": 0, "notice": 0, "units": 0}
    for delegate in _delegates(event, ACTIVE_DELEGATE_STATUSES):
        held = delegate.status == "confirmed"
        options = _imip(delegate, "CANCEL", now) if held else {}
        notices.to_delegate(delegate, "event_cancelled", context={"note": note},
                            dedupe_key=_key(event, str(delegate.id)), **options)
        counts["cancel" if held else "notice"] += 1
    for delegation in _live_delegations(event):
        unit_id = delegation.unit_id
        notices.to_liaisons(delegation, "event_cancelled", context={"note": note},
                            dedupe=lambda address, u=unit_id: _key(event, f"unit-{u}:{address}"))
        counts["units"] += 1
    return counts
