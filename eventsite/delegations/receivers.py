"""Who hears what when the event itself changes or is cancelled (issue 6, iTIP over iMIP).

Receivers of events/signals.py, connected by create_app; they run inside the sending service's
transaction, after SEQUENCE has moved. Confirmed delegates get a METHOD:REQUEST (or CANCEL) with
the same UID; waitlisted and pending people hold no calendar entry and get a plain notice (on
cancellation only); the liaisons of every live delegation are told too. One message per person per
SEQUENCE (the outbox's dedupe_key is unique), so a save submitted twice at the same moment fails
on commit instead of mailing everyone twice.
"""
from __future__ import annotations

import hashlib
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import selectinload

from ..events import signals
from ..events.labels import agenda_text, describe
from ..events.models import CALENDAR_FIELDS
from ..extensions import db
from .models import ACTIVE_DELEGATE_STATUSES, LIVE_DELEGATION_STATUSES, Delegate, Delegation
from .notifications import calendar_message, issue_link, to_delegate, to_liaisons

if TYPE_CHECKING:
    from ..events.models import Event


def connect() -> None:
    """Idempotent: blinker keeps one connection per receiver."""
    signals.event_changed.connect(notify_event_changed)
    signals.event_cancelled.connect(notify_event_cancelled)


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


def _key(event: Event, who: str) -> str:
    """One message per recipient per SEQUENCE; long addresses are hashed to fit the column."""
    key = f"event-update:{event.id}:{event.sequence}:{who}"
    if len(key) <= 200:
        return key
    return f"event-update:{event.id}:{event.sequence}:sha256:{hashlib.sha256(who.encode()).hexdigest()}"


def _unit_key(event: Event, delegation: Delegation):
    return lambda address, unit_id=delegation.unit_id: _key(event, f"unit-{unit_id}:{address}")


def notify_event_changed(event: Event, changes: dict[str, Any], note: str = "", *,
                         now: datetime | None = None, agenda: dict[str, Any] | None = None) -> int:
    """METHOD:REQUEST to every confirmed delegate of a published event, with a new personal link;
    returns how many. The liaisons read the same lines (they plan the travel).
    `changes`: {field: (old, new)}."""
    if event.status != "published" or not set(changes) & set(CALENDAR_FIELDS):
        return 0
    note = (note or "").strip()[:signals.NOTE_MAX]
    lines = {language: describe(event, changes, language, reader=True) for language in ("en", "zh")}
    agenda_lines = {language: agenda_text(agenda, language) for language in ("en", "zh")}
    delegations = _live_delegations(event)
    delegates = _delegates(event, ("confirmed",))
    for delegate in delegates:
        # Their personal link, so "the time changed" opens their page: only its hash is stored,
        # so the link is issued anew (the one in earlier mails stops working; the mail says so).
        to_delegate(delegate, "event_changed", link=issue_link(delegate)[1],
                    context={"change_lines": lines[delegate.mail_language], "note": note,
                             "link_replaces": True, "agenda_line": agenda_lines[delegate.mail_language]},
                    dedupe_key=_key(event, str(delegate.id)),
                    **calendar_message(delegate, "REQUEST", now=now))
    # No autoflush while the liaisons are looked up: the queued notices are written at the
    # caller's guarded commit, where a racing save's duplicate dedupe_key becomes a clear error.
    with db.session.no_autoflush:
        for delegation in delegations:
            to_liaisons(delegation, "event_changed", context={"event_changes": lines, "note": note,
                                                               "event_agenda": agenda_lines},
                        dedupe=_unit_key(event, delegation))
    return len(delegates)


def notify_event_cancelled(event: Event, note: str = "", *, now: datetime | None = None
                           ) -> dict[str, int]:
    """METHOD:CANCEL to confirmed delegates, a plain notice to waiting and pending ones."""
    note = (note or "").strip()[:signals.NOTE_MAX]
    counts = {"cancel": 0, "notice": 0, "units": 0}
    for delegate in _delegates(event, ACTIVE_DELEGATE_STATUSES):
        held = delegate.status == "confirmed"
        to_delegate(delegate, "event_cancelled", context={"note": note},
                    dedupe_key=_key(event, str(delegate.id)),
                    **(calendar_message(delegate, "CANCEL", now=now) if held else {}))
        counts["cancel" if held else "notice"] += 1
    for delegation in _live_delegations(event):
        to_liaisons(delegation, "event_cancelled", context={"note": note},
                    dedupe=_unit_key(event, delegation))
        counts["units"] += 1
    return counts
