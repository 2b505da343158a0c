"""What a delegate does through their personal link, without an account (pages: personal_views.py).

The link's token is the only credential: 256 random bits, stored as a SHA-256, looked up only
after a cheap plausibility check, and always matched with the event in the URL.
"""
from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace
from typing import Any

from flask_babel import gettext as _

from ...audit.services import record
from ...core.domain import DomainError
from ...core.tokens import hash_token, plausible
from ...extensions import db, now_utc
from .. import notifications
from ..models import LIVE_DELEGATION_STATUSES, Delegate
from ..rules import SELF_FIELDS, Plan, apply_person, check_session_room, clean_person, clean_sessions
from .registration import _lock, atomic, fill_from_waitlist, remove


def find_delegate(event_id: int, raw_token: str | None) -> Delegate | None:
    """The delegate whose personal link this is, or None (unknown token, other event)."""
    if not plausible(raw_token):
        return None
    delegate = db.session.scalar(db.select(Delegate).where(Delegate.token_hash == hash_token(raw_token)))  # type: ignore[arg-type]
    if delegate is None or delegate.event_id != event_id:
        return None
    return delegate


def _as_actor(delegate: Delegate) -> SimpleNamespace:
    """The audit log's actor for a delegate acting through their link (no account)."""
    return SimpleNamespace(id=None, email=f"delegate #{delegate.id} {delegate.email}".strip())


def can_self_edit(delegate: Delegate, now: datetime | None = None) -> bool:
    """Details and session choices: while the delegate is in, until the delegation's edit
    deadline (the same one the liaison has), on a published upcoming event."""
    now = now or now_utc()
    event = delegate.delegation.event
    until = event.changes_until()
    return (delegate.is_active and event.status == "published"
            and now < event.starts_at and now < until)


def can_decline(delegate: Delegate, now: datetime | None = None) -> bool:
    """Declining frees a seat for someone else: possible until the event starts."""
    now = now or now_utc()
    event = delegate.delegation.event
    return (delegate.is_active and event.status == "published"
            and now < event.starts_at)


@atomic
def update_own_details(delegate: Delegate, values: dict[str, Any], session_ids: list[int] | None,
                       now: datetime | None = None) -> dict[str, list]:
    """Correct one's own details (not the role) and session choices; returns the changes.

    `values` like the liaison's form: arrival/departure naive in the event's zone, or aware.
    """
    now = now or now_utc()
    if not can_self_edit(delegate, now):
        raise DomainError(_("Your registration can no longer be changed here. Write to the "
                                "secretariat or to your delegation's liaison."))
    event = delegate.delegation.event
    cleaned = clean_person(event, values, SELF_FIELDS, current=delegate)
    sessions = clean_sessions(event, session_ids)
    check_session_room(event, Plan(edits=[(0, delegate, cleaned, sessions)]))
    changes = apply_person(delegate, cleaned, sessions)
    if changes:
        record("delegate.self_update", delegate, actor=_as_actor(delegate),
               target_label=delegate.display_name(), details={"changes": changes})
        notifications.delegate_changed(delegate, changes)
        db.session.commit()
    return changes


@atomic
def decline(delegate: Delegate, now: datetime | None = None) -> None:
    """The delegate will not come: out of the delegation, the seat to the waiting list, the unit
    told."""
    now = now or now_utc()
    if not can_decline(delegate, now):
        raise DomainError(_("This registration cannot be declined any more."))
    delegation = delegate.delegation
    if not _lock(delegation, LIVE_DELEGATION_STATUSES):
        raise DomainError(_("This registration cannot be declined any more."))
    freed = remove(delegate, "declined", actor=_as_actor(delegate), action="delegate.decline",
                   reason="declined")
    if freed:
        fill_from_waitlist(delegate.event_id, now)
    notifications.to_liaisons(delegation, "declined", people=[delegate])
    db.session.commit()


@atomic
def rotate_link(delegate: Delegate, actor=None) -> str:
    """A new personal link mailed to the delegate (the old one stops working), and a new address
    for their calendar feed (a forwarded link may have shown it); returns the raw token.
    `actor`: the organizer who asked, else the delegate themselves."""
    from ...calendar.feeds import rotate

    rotate(delegate)
    raw = notifications.link_rotated(delegate)
    record("delegate.link_rotate", delegate, actor=actor or _as_actor(delegate),
           target_label=delegate.display_name())
    db.session.commit()
    return raw
