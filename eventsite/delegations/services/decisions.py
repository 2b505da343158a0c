"""What only organizers decide: approve or reject a delegation, force a promotion, remove a
person (they edit and withdraw through registration.py with `as_organizer=True`)."""
from __future__ import annotations

from datetime import datetime

from ...audit.services import record
from ...core.domain import DomainError, atomic
from ...core.gettext import gettext as _
from ...core.pagecache import bump
from ...extensions import db, now_utc
from .. import notifications, seats
from ..models import Delegate, Delegation
from .registration import _label, _lock, end_delegation, fill_from_waitlist, remove, seat_pending

REASON_MAX = 2000


def _checked_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if "\x00" in reason or len(reason) > REASON_MAX:
        raise DomainError(_("At most %(n)d characters.", n=REASON_MAX), "reason")
    return reason


@atomic
def approve(delegation: Delegation, actor, now: datetime | None = None) -> None:
    """Its people get seats in form order; the rest wait behind anyone already waiting."""
    now = now or now_utc()
    if not _lock(delegation, ("submitted",)):
        raise DomainError(_("Only a delegation awaiting approval can be approved."))
    delegation.status = "confirmed"
    delegation.decided_at, delegation.decided_by_id = now, getattr(actor, "id", None)
    seat_pending(delegation, now, actor)
    statuses = [d.status for d in delegation.delegates]
    record("delegation.approve", delegation, actor=actor, target_label=_label(delegation),
           details={"confirmed": statuses.count("confirmed"),
                    "waitlisted": statuses.count("waitlisted")})
    notifications.to_liaisons(delegation, "approved")
    bump(f"delegations:{delegation.event_id}", f"unit:{delegation.unit_id}")
    db.session.commit()


@atomic
def reject(delegation: Delegation, reason: str, actor, now: datetime | None = None) -> None:
    """Not accepted, with a reason the unit reads: everyone removed, seats (if any) freed."""
    now = now or now_utc()
    reason = _checked_reason(reason)
    if not reason:
        raise DomainError(_("Give the reason for the rejection: the unit will read it."), "reason")
    end_delegation(delegation, "rejected", actor=actor, now=now, reason=reason,
                   details={"reason": reason[:500]})
    notifications.to_liaisons(delegation, "rejected", reason=reason)
    bump(f"delegations:{delegation.event_id}", f"unit:{delegation.unit_id}")
    db.session.commit()


@atomic
def promote(delegate: Delegate, actor, now: datetime | None = None) -> None:
    """Confirm a waiting delegate out of turn — only into a free seat, never beyond capacity."""
    now = now or now_utc()
    if delegate.status != "waitlisted" or delegate.delegation.status != "confirmed":
        raise DomainError(_("Only a delegate on the waiting list can be promoted."))
    if not seats.take(delegate.event_id):
        raise DomainError(_("No seat is free. Raise the event's capacity, or wait until "
                                "someone withdraws."))
    if not seats.move(delegate, "confirmed", confirmed_at=now):
        db.session.rollback()
        raise DomainError(_("This person was changed at the same moment elsewhere. Reload "
                                "the page."))
    record("delegate.promote", delegate, actor=actor, target_label=delegate.display_name())
    notifications.delegate_confirmed(delegate, promoted=True)
    notifications.to_liaisons(delegate.delegation, "promoted", people=[delegate])
    seats.announce_confirmed([delegate], actor=actor)  # e.g. letters issue what was requested
    bump(f"delegations:{delegate.event_id}")
    db.session.commit()


@atomic
def remove_delegate(delegate: Delegate, actor, reason: str = "", now: datetime | None = None) -> None:
    """The seat goes to the waiting list. The head stays until another head is named or the
    whole delegation is withdrawn."""
    now = now or now_utc()
    reason = _checked_reason(reason)
    delegation = delegate.delegation
    if delegate.role == "head" and any(d.is_active and d.id != delegate.id for d in delegation.delegates):
        raise DomainError(_("Name another head of delegation first, or withdraw the whole "
                                "delegation."))
    freed = remove(delegate, "removed", actor=actor, action="delegate.remove", reason=reason)
    if freed:
        fill_from_waitlist(delegate.event_id, now)
    notifications.to_liaisons(delegation, "updated", people=[delegate], reason=reason)
    bump(f"delegations:{delegation.event_id}", f"unit:{delegation.unit_id}")
    db.session.commit()
