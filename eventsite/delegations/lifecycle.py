"""The moments in a delegate's life that the delegate hears about — and the only place that says so.

Every service that confirms, waitlists, changes or removes a delegate calls one function here,
inside its transaction, after the status has moved. Each writes the delegate's notice to the
outbox, and the calendar part goes with it here, so no code path can forget it (iTIP over iMIP,
docs/calendar.md): a seat (confirmed, promoted, a substitute) brings a METHOD:REQUEST with the
delegate as ATTENDEE; leaving after having held a seat brings a METHOD:CANCEL with the same UID.
Waitlisted and pending people never got a REQUEST, so their notices carry no calendar part.
Changes of the event itself (time, venue, cancellation) are event_changes.py's.

The personal link: a delegate gets a raw token in the first mail we ever send them (only its
hash is stored, so later mails cannot repeat it); a changed address gets a fresh one, so a link
never goes on working in a mailbox the delegate left, and the old address is told (with a
CANCEL of its calendar entry). `rotate_link` issues one on request.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func

from ..calendar.attachments import imip_parts
from ..calendar.builder import Attendee
from ..core.tokens import new_token
from ..core.urls import external_url
from ..extensions import db
from .models import ADMITTED_DELEGATE_STATUSES, Delegate
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


def calendar_message(delegate: Delegate, method: str, *, address: str | None = None,
                     now: datetime | None = None) -> dict[str, Any]:
    """The iMIP parts (REQUEST or CANCEL) of one mail to `delegate`, with that person's SEQUENCE.

    Each calendar message to a person carries a higher SEQUENCE than the last one they got, and
    never less than the event's (RFC 5546: a CANCEL must be newer than the REQUEST it takes
    back; a later REQUEST, taken back or re-registered, newer than that CANCEL). The event's
    own SEQUENCE is not raised for one person: every other delegate's copy stays current. The
    last one sent is kept in `Delegate.calendar_sequence`, in the mail's transaction; every
    calendar mail to a delegate (here and event_changes.py) goes through this function. A person
    registered again (a new delegate of the event at the same address) continues above what
    that address got before."""
    event = delegate.delegation.event
    address = address or delegate.email
    last = delegate.calendar_sequence
    if last is None:
        last = _last_sequence_to(event.id, address)
    sequence = int(event.sequence or 0) if last is None else max(int(event.sequence or 0), last + 1)
    delegate.calendar_sequence = sequence
    language = delegate.language if delegate.language in ("zh", "en") else "en"
    return imip_parts(event, Attendee(address, delegate.display_name(language)),
                      method=method, language=language, now=now, sequence=sequence)


def _last_sequence_to(event_id: int, address: str) -> int | None:
    """The highest SEQUENCE mailed to `address` as another delegate of the event, if any."""
    with db.session.no_autoflush:
        return db.session.scalar(
            db.select(func.max(Delegate.calendar_sequence))
            .where(Delegate.event_id == event_id,
                   func.lower(Delegate.email) == (address or "").lower()))


def _imip(delegate: Delegate, method: str, address: str | None = None) -> dict:
    """The iMIP parts for `delegate` (REQUEST or CANCEL), or none when their calendar has
    nothing to learn: a draft is not on anyone's calendar yet (publishing sends the REQUESTs,
    event_changes.py), and a cancelled event has already sent its CANCEL to everyone."""
    if delegate.delegation.event.status != "published":
        return {}
    return calendar_message(delegate, method, address=address)


def _held_seat(delegate: Delegate) -> bool:
    """True for a delegate who was sent a REQUEST (confirmed at some point)."""
    return delegate.confirmed_at is not None or delegate.status == "confirmed"


def delegate_confirmed(delegate: Delegate, *, promoted: bool = False) -> None:
    """The delegate now holds a seat (registered, approved, promoted from the waiting list, or a
    substitute taking over a seat)."""
    if not delegate.email:
        return
    to_delegate(delegate, "promoted" if promoted else "confirmed", link=_first_link(delegate),
                **_imip(delegate, "REQUEST"))


def delegate_waitlisted(delegate: Delegate) -> None:
    """No seat was free: the delegate waits in line (and may already decline through the link)."""
    if not delegate.email:
        return
    to_delegate(delegate, "waitlisted", link=_first_link(delegate))


def delegate_changed(delegate: Delegate, changes: dict[str, Any]) -> None:
    """The person's details or session choices changed (by the liaison, an organizer or
    themselves). Pending delegates (awaiting approval) have not heard from us yet: no mail.
    The event's calendar entry did not change, so no calendar part, except for a confirmed
    delegate's new address: that mailbox never received the REQUEST."""
    if not delegate.email or delegate.status not in ADMITTED_DELEGATE_STATUSES or not changes:
        return
    if "email" in changes and delegate.token_hash is not None:
        _left_address(delegate, changes["email"][0])
    link = issue_link(delegate)[1] if "email" in changes else _first_link(delegate)
    new_address = "email" in changes and delegate.status == "confirmed"
    calendar = _imip(delegate, "REQUEST") if new_address else {}
    to_delegate(delegate, "changed", link=link, changes=changes, **calendar)


def _left_address(delegate: Delegate, old_address: str | None) -> None:
    """The mailbox a delegate moved away from hears it, once: its calendar entry is taken back
    (METHOD:CANCEL, same UID, that address as ATTENDEE) if it was sent a REQUEST, and its
    owner learns that the registration now writes elsewhere (a change they did not make shows)."""
    if not old_address:
        return
    calendar = _imip(delegate, "CANCEL", address=old_address) if delegate.status == "confirmed" else {}
    to_delegate(delegate, "moved", address=old_address, **calendar)


def delegate_removed(delegate: Delegate, reason: str) -> None:
    """The delegate is out (`reason` one of REMOVAL_REASONS). Only people who heard from us
    before are told; their link keeps showing the cancelled registration. Those who had been
    sent a REQUEST get a METHOD:CANCEL (same UID), so the entry leaves their calendar."""
    if not delegate.email or delegate.token_hash is None:
        return
    calendar = _imip(delegate, "CANCEL") if _held_seat(delegate) else {}
    to_delegate(delegate, "removed", reason=reason if reason in REMOVAL_REASONS else "removed",
                **calendar)


def link_rotated(delegate: Delegate) -> str:
    """A fresh personal link, mailed to the delegate when they have an address; returns the raw
    token (the old link is dead)."""
    raw, link = issue_link(delegate)
    to_delegate(delegate, "link", link=link)
    return raw
