"""A unit's answer to its invitation: find the link, accept, decline, set up the liaison account.

A link lets its holder read its invitation and decline it; accepting is the unit's liaison's
(logged in, or with the account set up once from the link). Each answer is one conditional
UPDATE, so an answer racing a revocation or the deadline never revives the invitation."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from ...accounts.models import User
from ...accounts.services import create_liaison_account
from ...audit.services import record
from ...core.domain import DomainError
from ...core.gettext import lazy_gettext as _l
from ...core.pagecache import bump
from ...core.tokens import hash_token, plausible
from ...delegations.models import LIVE_DELEGATION_STATUSES, Delegation
from ...extensions import db, now_utc
from ...members.models import MemberUnit
from ..models import Invitation, InvitationLink
from ..rules import INACTIVE_UNIT, active_unit

MAX_REASON_LENGTH = 2000
# From these states an answer may move the invitation (while it is open).
ACCEPT_FROM = ("pending", "declined")
DECLINE_FROM = ("pending", "accepted")


@dataclass(frozen=True)
class Resolved:
    """What a token leads to: `problem` None, "invalid", "mismatch" (another event's link),
    "inactive", "revoked" or "closed"."""

    link: InvitationLink | None
    problem: str | None


def resolve_link(event_id: int, raw: str | None, now: datetime | None = None) -> Resolved:
    """Another event's link reads like an unknown one: a changed event id tells nothing."""
    if not plausible(raw):
        return Resolved(None, "invalid")
    link = db.session.scalar(db.select(InvitationLink).filter_by(token_hash=hash_token(raw)))
    if link is None:
        return Resolved(None, "invalid")
    invitation = link.invitation
    if invitation.event_id != event_id:
        return Resolved(None, "mismatch")
    if not invitation.unit.is_active:
        return Resolved(link, "inactive")
    if invitation.state == "revoked":
        return Resolved(link, "revoked")
    if is_closed(invitation, now):
        return Resolved(link, "closed")
    return Resolved(link, None)


def touch(link: InvitationLink, now: datetime | None = None) -> None:
    """The link was opened (the organizer's tracking; not audited)."""
    db.session.execute(
        sa.update(InvitationLink).where(InvitationLink.id == link.id)
        .values(last_used_at=now or now_utc()).execution_options(synchronize_session=False))
    db.session.commit()


def is_closed(invitation: Invitation, now: datetime | None = None) -> bool:
    """Past its deadline, or its event cancelled: nothing can be answered."""
    return invitation.expires_at <= (now or now_utc()) or invitation.event.status == "cancelled"


def delegation_status(invitation: Invitation) -> str | None:
    return db.session.scalar(db.select(Delegation.status).where(
        Delegation.event_id == invitation.event_id, Delegation.unit_id == invitation.unit_id))


def can_accept(invitation: Invitation, now: datetime | None = None) -> bool:
    return invitation.state in ACCEPT_FROM and not is_closed(invitation, now)


def can_decline(invitation: Invitation, delegation: str | None, now: datetime | None = None) -> bool:
    """A unit with a registered delegation withdraws it on the registration page instead."""
    return (invitation.state in DECLINE_FROM and not is_closed(invitation, now)
            and delegation not in LIVE_DELEGATION_STATUSES)


def is_unit_liaison(user, invitation: Invitation) -> bool:
    """Only the unit's own liaison answers for it; staff use the organizer pages."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active
                and user.role == "liaison" and user.unit_id == invitation.unit_id)


def may_set_up_account(invitation: Invitation, now: datetime | None = None) -> bool:
    """The link may set up the unit's first liaison account (which accepts): never once
    accepted, never a second account."""
    return (can_accept(invitation, now) and invitation.unit.is_active
            and not unit_has_liaison(invitation.unit_id))


def unit_has_liaison(unit_id: int) -> bool:
    """Any liaison account, in any state."""
    return db.session.scalar(db.select(sa.func.count(User.id)).where(
        User.role == "liaison", User.unit_id == unit_id)) > 0


def accept(invitation: Invitation, user: User, *, link: InvitationLink | None = None,
           now: datetime | None = None) -> bool:
    """The unit's liaison accepts; False when it was accepted already."""
    now = now or now_utc()
    if not is_unit_liaison(user, invitation):
        raise DomainError(_l("Only a liaison of the invited unit can accept this invitation."))
    if not invitation.unit.is_active:
        raise DomainError(INACTIVE_UNIT)
    if invitation.state == "accepted" and not is_closed(invitation, now):
        return False
    _accept(invitation, user, link, now)
    db.session.commit()
    return True


def _accept(invitation: Invitation, user: User, link: InvitationLink | None, now: datetime) -> None:
    previous = invitation.state
    _transition(invitation, ACCEPT_FROM, now, state="accepted", decline_reason="",
                responded_by_id=user.id, responded_by_label=user.email)
    bump(f"unit:{invitation.unit_id}")  # whoever commits (accepting may be part of a registration)
    record("invitation.accept", invitation, actor=user, target_label=invitation.audit_label,
           details={"previous": previous, "via": "link" if link is not None else "list",
                    "link_id": getattr(link, "id", None)})


def decline(invitation: Invitation, reason: str, *, user: User | None = None,
            link: InvitationLink | None = None, now: datetime | None = None) -> None:
    """By the unit's liaison or whoever holds one of the invitation's links."""
    now = now or now_utc()
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON_LENGTH:
        raise DomainError(_l("Keep the reason under %(n)s characters.", n=MAX_REASON_LENGTH))
    if "\x00" in reason:
        raise DomainError(_l("Control characters are not allowed here."))
    holder = link is not None and link.invitation_id == invitation.id
    if not (is_unit_liaison(user, invitation) if user is not None else holder):
        raise DomainError(_l("Only the invited unit can answer this invitation."))
    if not invitation.unit.is_active:
        raise DomainError(INACTIVE_UNIT)
    if not can_decline(invitation, delegation_status(invitation), now):
        if invitation.state == "declined":
            raise DomainError(_l("This invitation has already been declined."))
        if not is_closed(invitation, now) and invitation.state in DECLINE_FROM:
            raise DomainError(_l("Your unit has registered a delegation. Withdraw it on the "
                                 "registration page instead."))
        raise DomainError(_l("This invitation can no longer be answered."))
    if user is not None:
        label = user.email
    else:  # the link's contact, else its address
        name = (link.contact.name_latin or link.contact.name_zh) if link.contact else ""
        email = link.email or (link.contact.email if link.contact else "")
        label = (f"{name} <{email}>" if name and email else name or email)[:400]
    previous = invitation.state
    _transition(invitation, DECLINE_FROM, now, state="declined", decline_reason=reason,
                responded_by_id=getattr(user, "id", None), responded_by_label=label)
    record("invitation.decline", invitation, actor=user, target_label=invitation.audit_label,
           details={"previous": previous, "reason": reason, "by": label,
                    "via": "link" if link is not None else "list", "link_id": getattr(link, "id", None)})
    bump(f"unit:{invitation.unit_id}")
    db.session.commit()


def _transition(invitation: Invitation, from_states: tuple[str, ...], now: datetime, **values) -> None:
    """Only if still in `from_states`, open and its unit active: one UPDATE."""
    if invitation.event.status == "cancelled":
        raise DomainError(_l("This invitation can no longer be answered."))
    result = db.session.execute(
        sa.update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.state.in_(from_states),
               Invitation.expires_at > now, active_unit(Invitation.unit_id))
        .values(responded_at=now, **values)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        db.session.rollback()
        raise DomainError(_l("This invitation can no longer be answered."))
    db.session.refresh(invitation)


def setup_liaison_account(link: InvitationLink, *, name: str, email: str, locale: str | None,
                          timezone: str | None = None, now: datetime | None = None) -> User:
    """The unit's first liaison account, set up from its link, accepts in the same commit. It has
    no password until the link mailed to its address is used (no personal data before proving the
    address); the unit's row is locked first, so two link holders cannot both create one."""
    now = now or now_utc()
    invitation = link.invitation
    if not may_set_up_account(invitation, now):
        raise DomainError(setup_refusal(invitation, now))
    db.session.execute(
        sa.update(MemberUnit).where(MemberUnit.id == invitation.unit_id)
        .values(updated_at=MemberUnit.updated_at).execution_options(synchronize_session=False))
    if unit_has_liaison(invitation.unit_id):
        db.session.rollback()
        raise DomainError(setup_refusal(invitation, now))
    try:
        user = create_liaison_account(invitation.unit, email=email, name=name, locale=locale,
                                      timezone=timezone)
    except DomainError:
        db.session.rollback()
        raise
    _accept(invitation, user, link, now)
    db.session.commit()
    return user


def setup_refusal(invitation: Invitation, now: datetime | None = None):
    """Why the link may not set up an account."""
    if not invitation.unit.is_active:
        return INACTIVE_UNIT
    if unit_has_liaison(invitation.unit_id):
        return _l("Your unit already has a liaison account. Log in with it, or ask the "
                  "secretariat for help.")
    if invitation.state == "accepted" and not is_closed(invitation, now):
        return _l("Your unit has already accepted this invitation. The unit's liaison registers "
                  "the delegation; ask the secretariat if you need an account.")
    return _l("This invitation can no longer be answered.")
