"""What a delegate does through their personal link, without an account. The token is the only
credential: 256 random bits, stored as a SHA-256, looked up only after a cheap plausibility check,
always matched with the event in the URL."""
from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace
from typing import Any

from ...audit.services import record
from ...core.domain import DomainError, Problems, atomic
from ...core.gettext import gettext as _
from ...core.pagecache import bump
from ...core.tokens import hash_token, plausible
from ...extensions import db, now_utc
from .. import notifications
from ..models import LIVE_DELEGATION_STATUSES, Delegate
from ..rules import (
    SELF_FIELDS,
    Plan,
    apply_person,
    check_session_room,
    check_unique_emails,
    clean_person,
    clean_sessions,
)
from .registration import _lock, fill_from_waitlist, remove


def find_delegate(event_id: int, raw_token: str | None) -> Delegate | None:
    """The delegate whose personal link this is, or None (unknown token, other event)."""
    if not plausible(raw_token):
        return None
    delegate = db.session.scalar(db.select(Delegate).where(Delegate.token_hash == hash_token(raw_token)))  # type: ignore[arg-type]
    return delegate if delegate is not None and delegate.event_id == event_id else None


def _as_actor(delegate: Delegate) -> SimpleNamespace:
    """The audit log's actor for a delegate (no account)."""
    return SimpleNamespace(id=None, email=f"delegate #{delegate.id} {delegate.email}".strip())


def can_self_edit(delegate: Delegate, now: datetime | None = None) -> bool:
    """Details and session choices: until the liaison's edit deadline."""
    return can_decline(delegate, now) and (now or now_utc()) < delegate.delegation.event.changes_until()


def can_decline(delegate: Delegate, now: datetime | None = None) -> bool:
    """Declining frees a seat for someone else: possible until the event starts."""
    event = delegate.delegation.event
    return delegate.is_active and event.status == "published" and (now or now_utc()) < event.starts_at


def check_own_details(delegate: Delegate, values: dict[str, Any], session_ids: list[int] | None
                      ) -> tuple[dict[str, Any], list | None]:
    """The rules of update_own_details, every problem in one DomainError; nothing is written
    (the page also calls it when its form has mistakes of its own). Returns (values, sessions)."""
    event = delegate.delegation.event
    problems = Problems()
    cleaned = problems.check(clean_person, event, values, SELF_FIELDS, delegate)
    sessions = problems.check(clean_sessions, event, session_ids)
    if cleaned is not None and "email" in cleaned:
        others = [(None, d.email) for d in delegate.delegation.delegates
                  if d.is_active and d.id != delegate.id]
        problems.check(check_unique_emails, [*others, ("email", cleaned["email"])])
    problems.raise_if_any()
    check_session_room(event, Plan(edits=[(0, delegate, cleaned, sessions)]))
    return cleaned, sessions


@atomic
def update_own_details(delegate: Delegate, values: dict[str, Any], session_ids: list[int] | None,
                       now: datetime | None = None) -> dict[str, list]:
    """Correct one's own details (not the role) and session choices; returns the changes."""
    now = now or now_utc()
    if not can_self_edit(delegate, now):
        raise DomainError(_("Your registration can no longer be changed here. Write to the "
                                "secretariat or to your delegation's liaison."))
    cleaned, sessions = check_own_details(delegate, values, session_ids)
    changes = apply_person(delegate, cleaned, sessions)
    if changes:
        record("delegate.self_update", delegate, actor=_as_actor(delegate),
               target_label=delegate.display_name(), details={"changes": changes})
        notifications.delegate_changed(delegate, changes)
        bump(f"delegations:{delegate.event_id}")
        db.session.commit()
    return changes


@atomic
def decline(delegate: Delegate, now: datetime | None = None) -> None:
    """Out of the delegation, the seat to the waiting list, the unit told."""
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
    bump(f"delegations:{delegation.event_id}", f"unit:{delegation.unit_id}")
    db.session.commit()


@atomic
def rotate_link(delegate: Delegate, actor=None) -> str:
    """A new personal link mailed (the old one dies) and a new calendar-feed address (a forwarded
    link may have shown it); returns the raw token. `actor`: an organizer, else the delegate."""
    from ...calendar.feeds import rotate

    rotate(delegate)
    raw, link = notifications.issue_link(delegate)
    notifications.to_delegate(delegate, "link", link=link)
    record("delegate.link_rotate", delegate, actor=actor or _as_actor(delegate),
           target_label=delegate.display_name())
    bump(f"delegations:{delegate.event_id}")
    db.session.commit()
    return raw
