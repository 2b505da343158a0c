"""What an invitation means to the rest of the system (delegations ask these questions).

Kept apart from issuing and answering so that delegations depend on a few small functions,
not on the invitation screens.
"""
from __future__ import annotations

from datetime import datetime

from ..extensions import db, now_utc
from .models import Invitation

# States in which an invitation still lets its unit register.
OPEN_STATES = ("pending", "accepted")


def invitation_for(event_id: int, unit_id: int) -> Invitation | None:
    return db.session.scalar(
        db.select(Invitation).where(Invitation.event_id == event_id, Invitation.unit_id == unit_id)
    )


def is_open(invitation: Invitation | None, now: datetime | None = None) -> bool:
    """Not revoked or declined, and not past its expiry."""
    return (
        invitation is not None
        and invitation.state in OPEN_STATES
        and invitation.expires_at > (now or now_utc())
    )


def quota_for(event, unit_id: int) -> int:
    """The unit's seats: its invitation's quota, else the event's default quota."""
    invitation = invitation_for(event.id, unit_id)
    return invitation.quota if invitation is not None else event.default_quota


def may_register(event, unit_id: int, now: datetime | None = None) -> bool:
    """Invitation rule only (the registration period is the delegations' rule).

    Open events admit every active member unit; "invited units only" events admit units holding
    an open invitation.
    """
    if event.registration_mode != "invited_only":
        return True
    return is_open(invitation_for(event.id, unit_id), now)


def note_registration(invitation: Invitation | None, user=None, now: datetime | None = None) -> None:
    """A unit that registers has accepted its invitation (no separate click needed).

    Called by delegations inside their transaction; the caller commits (and audits the
    registration itself).
    """
    if invitation is not None and invitation.state == "pending":
        invitation.state = "accepted"
        invitation.responded_at = now or now_utc()
        invitation.responded_by_id = getattr(user, "id", None)
