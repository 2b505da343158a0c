"""The moments in a delegate's life that the delegate hears about — and the only place that says so.

Every service that confirms, waitlists, changes or removes a delegate calls one function here,
inside its transaction, after the status has moved. Today they write the delegate's notice to the
outbox (with the event's PUBLISH calendar file on confirmation); the calendar issue adds iMIP
REQUEST / CANCEL parts in these same functions, so no code path can forget them.

The personal link: a delegate gets a raw token in the first mail we ever send them (only its
hash is stored, so later mails cannot repeat it); a changed address gets a fresh one, so a link
never goes on working in a mailbox the delegate left. `rotate_link` issues one on request.
"""
from __future__ import annotations

from typing import Any

from ..core.tokens import new_token
from ..core.urls import external_url
from .models import Delegate
from .notices import to_delegate

# Why a delegate is out, as told in their notice.
REMOVAL_REASONS = ("removed", "declined", "withdrawn", "rejected", "substituted")


def issue_link(delegate: Delegate) -> tuple[str, str]:
    """A new personal link (the old one stops working): (raw token, URL)."""
    raw, digest = new_token()
    delegate.token_hash = digest
    return raw, external_url("delegate.personal", event_id=delegate.event_id, token=raw)


def _first_link(delegate: Delegate) -> str | None:
    return issue_link(delegate)[1] if delegate.email and delegate.token_hash is None else None


def _calendar(delegate: Delegate) -> list:
    """The event's PUBLISH file in the delegate's language (issue 6 turns this into iMIP)."""
    try:
        from ..calendar.attachments import event_attachment
    except ImportError:  # the calendar feature is optional for delegations
        return []
    return [event_attachment(delegate.delegation.event, delegate.language)]


def delegate_confirmed(delegate: Delegate, *, promoted: bool = False) -> None:
    """The delegate now holds a seat (registered, approved, promoted from the waiting list, or a
    substitute taking over a seat)."""
    if not delegate.email:
        return
    to_delegate(delegate, "promoted" if promoted else "confirmed", link=_first_link(delegate),
                attachments=_calendar(delegate))


def delegate_waitlisted(delegate: Delegate) -> None:
    """No seat was free: the delegate waits in line (and may already decline through the link)."""
    if not delegate.email:
        return
    to_delegate(delegate, "waitlisted", link=_first_link(delegate))


def delegate_changed(delegate: Delegate, changes: dict[str, Any]) -> None:
    """The person's details or session choices changed (by the liaison, an organizer or
    themselves). Pending delegates (awaiting approval) have not heard from us yet: no mail."""
    if not delegate.email or delegate.status not in ("confirmed", "waitlisted") or not changes:
        return
    link = issue_link(delegate)[1] if "email" in changes else _first_link(delegate)
    to_delegate(delegate, "changed", link=link, changes=changes)


def delegate_removed(delegate: Delegate, reason: str) -> None:
    """The delegate is out (`reason` one of REMOVAL_REASONS). Only people who heard from us
    before are told; their link keeps showing the cancelled registration."""
    if not delegate.email or delegate.token_hash is None:
        return
    to_delegate(delegate, "removed", reason=reason if reason in REMOVAL_REASONS else "removed")


def link_rotated(delegate: Delegate) -> str:
    """A fresh personal link, mailed to the delegate when they have an address; returns the raw
    token (the old link is dead)."""
    raw, link = issue_link(delegate)
    to_delegate(delegate, "link", link=link)
    return raw
