"""What an invitation means to delegations: a few small functions, apart from the screens."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from ..core.gettext import lazy_gettext as _l
from ..extensions import db, now_utc
from ..members.models import MemberUnit
from .models import Invitation

# A deactivated unit answers no invitation, registers and changes no delegation and is shown
# none of its invitations (existing registrations stay, flagged for the organizers).
INACTIVE_UNIT = _l("Your unit is not an active member of the alliance at present, so it cannot "
                   "answer invitations or register or change a delegation. Please contact the "
                   "secretariat.")


def active_unit(unit_id) -> sa.ColumnElement[bool]:
    """SQL: the unit `unit_id` (a value or a column) is active, so that queries and conditional
    UPDATEs see a deactivation committed a moment earlier."""
    return sa.exists().where(MemberUnit.id == unit_id, MemberUnit.is_active.is_(True))


def unit_is_active(unit_id: int) -> bool:
    return bool(db.session.scalar(sa.select(active_unit(unit_id))))


def invitation_for(event_id: int, unit_id: int) -> Invitation | None:
    return db.session.scalar(
        db.select(Invitation).where(Invitation.event_id == event_id, Invitation.unit_id == unit_id))


def quota_for(event, unit_id: int) -> int:
    """Its invitation's quota, else the event's default."""
    invitation = invitation_for(event.id, unit_id)
    return invitation.quota if invitation is not None else event.default_quota


def may_register(event, unit_id: int, now: datetime | None = None) -> bool:
    """Open events admit every unit; "invited units only" events those holding an open
    invitation (the registration period is the delegations' rule)."""
    if event.registration_mode != "invited_only":
        return True
    invitation = invitation_for(event.id, unit_id)  # open: not revoked or declined, unexpired
    return invitation is not None and invitation.is_open and invitation.expires_at > (now or now_utc())


def note_registration(invitation: Invitation | None, user=None, now: datetime | None = None) -> None:
    """A unit that registers has accepted its invitation (in the caller's transaction)."""
    if invitation is not None and invitation.state == "pending":
        invitation.state = "accepted"
        invitation.responded_at = now or now_utc()
        invitation.responded_by_id = getattr(user, "id", None)
