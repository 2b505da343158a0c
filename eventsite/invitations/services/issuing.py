"""Issuing invitations (plan, then issue in one transaction) and acting on one: resend, revoke,
change a quota. Issuing twice never duplicates: the round's `submission_key` makes a resubmitted
form find its first round, and the unique (event, unit) pair skips units already invited even when
two submissions race (the loser is rolled back and planned again)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError

from ...audit.services import record
from ...core.domain import DomainError
from ...core.gettext import gettext as _
from ...core.numbers import whole_number
from ...core.pagecache import bump
from ...extensions import db, now_utc
from ...mail.services import Content, check_content
from ...members.audience import Audience, units_query
from ...members.models import MemberUnit
from .. import notifications
from ..models import Invitation, InvitationLink, InvitationReminder, InvitationRound

MAX_QUOTA = 10_000


def deadline_of(event) -> datetime:
    """When an invitation to `event` expires: registration close, else the event's start."""
    return event.registration_closes_at or event.starts_at


def check_can_issue(event, now: datetime | None = None) -> None:
    now = now or now_utc()
    if event.status != "published":
        raise DomainError(_("Invitations can only be issued for a published event: units must "
                                "be able to see it."))
    if event.ends_at <= now:
        raise DomainError(_("This event is over."))
    if deadline_of(event) <= now:
        raise DomainError(_("Registration for this event has closed: no invitation can be "
                                "issued any more."))


@dataclass
class PlannedUnit:
    unit: MemberUnit
    recipients: list[notifications.Recipient]
    reinvite: bool = False  # a revoked invitation that issuing turns back to pending


@dataclass
class Plan:
    to_invite: list[PlannedUnit]
    already: list[MemberUnit]  # skipped: they hold an invitation (pending, accepted, declined)

    @property
    def no_address(self) -> list[PlannedUnit]:
        return [p for p in self.to_invite if not p.recipients]

    def counts(self) -> dict[str, int]:
        return {"selected": len(self.to_invite) + len(self.already), "to_invite": len(self.to_invite),
                "already": len(self.already), "no_address": len(self.no_address),
                "recipients": sum(len(p.recipients) for p in self.to_invite)}


def plan(event, audience: Audience) -> Plan:
    """Who would be invited, who is skipped and who has no address (three queries)."""
    if audience.is_empty():
        return Plan([], [])
    units = db.session.scalars(units_query(audience)).all()
    states = dict(db.session.execute(
        db.select(Invitation.unit_id, Invitation.state).where(Invitation.event_id == event.id)).all())
    fresh = [u for u in units if states.get(u.id) in (None, "revoked")]
    contacts = notifications.receiving_contacts([u.id for u in fresh])
    return Plan(to_invite=[PlannedUnit(u, contacts[u.id], states.get(u.id) == "revoked") for u in fresh],
                already=[u for u in units if states.get(u.id) not in (None, "revoked")])


def check_quotas(quotas: dict[int, Any]) -> dict[int, int]:
    result = {unit_id: whole_number(str(value).strip(), 1, MAX_QUOTA) for unit_id, value in quotas.items()}
    for unit_id, quota in result.items():
        if quota is None:
            raise DomainError(_("Each quota is a whole number from 1 to %(n)d.", n=MAX_QUOTA),
                              f"quota-{unit_id}")
    return result


def issue(event, audience: Audience, content: Content, author, *, quotas: dict[int, Any] | None = None,
          submission_key: str | None = None, now: datetime | None = None) -> InvitationRound:
    """Invite every planned unit and mail its receiving contacts, audited, in one commit; a
    `submission_key` already used returns that round."""
    submission_key = submission_key or None
    if submission_key:
        earlier = _round_with_key(submission_key)
        if earlier is not None:
            if earlier.event_id != event.id:  # a key is one form for one event, never reused
                raise DomainError(_("The form has expired. Please try again."))
            return earlier
    now = now or now_utc()
    check_can_issue(event, now)
    if audience.is_empty():
        raise DomainError(_("Choose the units to invite: all, or by kind, province, tag or name."))
    check_content(content, notifications.PLACEHOLDERS)
    quotas = check_quotas(quotas or {})
    for attempt in (1, 2):
        try:
            return _issue(event, audience, content, author, quotas, submission_key, now)
        except IntegrityError:
            # Another submission won a race: on its key (show its round) or on some units
            # (plan again: they are now skipped).
            db.session.rollback()
            earlier = _round_with_key(submission_key) if submission_key else None
            if earlier is not None:
                return earlier
            if attempt == 2:
                raise DomainError(_("Someone else is issuing invitations for this event at "
                                        "the same moment. Please try again.")) from None
    raise AssertionError("unreachable")


def _round_with_key(key: str) -> InvitationRound | None:
    return db.session.scalar(db.select(InvitationRound).filter_by(submission_key=key))


def _issue(event, audience, content, author, quotas, submission_key, now) -> InvitationRound:
    the_plan = plan(event, audience)
    if not the_plan.to_invite:
        raise DomainError(_("Every selected unit already has an invitation to this event."))
    expires_at = deadline_of(event)
    round_ = InvitationRound(
        event_id=event.id, created_by_id=getattr(author, "id", None), created_at=now,
        **content.stripped(),
        unit_count=len(the_plan.to_invite), submission_key=submission_key)
    db.session.add(round_)
    revoked = {}
    if any(p.reinvite for p in the_plan.to_invite):
        revoked = {i.unit_id: i for i in db.session.scalars(db.select(Invitation).where(
            Invitation.event_id == event.id, Invitation.state == "revoked"))}
        # A revocation may have been about a leaked link: the old links and reminders go.
        ids = [i.id for i in revoked.values()]
        db.session.execute(db.delete(InvitationLink).where(InvitationLink.invitation_id.in_(ids)))
        db.session.execute(db.delete(InvitationReminder).where(InvitationReminder.invitation_id.in_(ids)))
    pairs = []
    for planned in the_plan.to_invite:
        unit = planned.unit
        quota = quotas.get(unit.id, event.default_quota)
        invitation = revoked.get(unit.id) if planned.reinvite else None
        if invitation is None:
            invitation = Invitation(event_id=event.id, unit_id=unit.id)
            db.session.add(invitation)
        invitation.event, invitation.unit, invitation.round = event, unit, round_
        invitation.quota, invitation.state, invitation.expires_at = quota, "pending", expires_at
        invitation.issued_at, invitation.issued_by_id = now, getattr(author, "id", None)
        invitation.revoked_at = invitation.revoked_by_id = invitation.responded_at = None
        invitation.responded_by_id, invitation.responded_by_label = None, ""
        invitation.decline_reason = ""
        pairs.append((invitation, planned))
    db.session.flush()  # a unit invited meanwhile fails here, before any mail is composed
    calendars: dict = {}  # the event's file per language, built once for the whole round
    for invitation, planned in pairs:
        notifications.send(invitation, planned.unit, planned.recipients, content, purpose="issue",
                           now=now, calendars=calendars)
        record("invitation.issue", invitation, actor=author, target_label=invitation.audit_label,
               details={"round": round_.id, "quota": invitation.quota,
                        "recipients": len(planned.recipients), "reissued": planned.reinvite})
    bump(*(f"unit:{invitation.unit_id}" for invitation, _planned in pairs))
    db.session.commit()
    return round_


def resend(invitation: Invitation, author, now: datetime | None = None) -> int:
    """New links and mails to the unit's current receiving contacts; returns how many."""
    now = now or now_utc()
    if not invitation.is_open:
        raise DomainError(_("Only an open invitation can be sent again."))
    if invitation.expires_at <= now:
        raise DomainError(_("This invitation has expired: registration has closed."))
    if not invitation.unit.is_active:
        raise DomainError(_("This unit is deactivated: it receives no invitations. Reactivate it first."))
    recipients = notifications.receiving_contacts([invitation.unit_id])[invitation.unit_id]
    if not recipients:
        raise DomainError(_("This unit has no contact who receives invitations with an email "
                                "address. Add one on the unit's page, then send again."))
    notifications.send(invitation, invitation.unit, recipients, notifications.content_of(invitation),
                       purpose="resend", now=now)
    record("invitation.resend", invitation, actor=author, target_label=invitation.audit_label,
           details={"recipients": len(recipients)})
    bump(f"unit:{invitation.unit_id}")
    db.session.commit()
    return len(recipients)


def revoke(invitation: Invitation, author, now: datetime | None = None) -> None:
    """Its links stop working; issuing to the unit again turns it back to pending."""
    if invitation.state == "revoked":
        raise DomainError(_("This invitation is already revoked."))
    invitation.state, invitation.revoked_at = "revoked", now or now_utc()
    invitation.revoked_by_id = getattr(author, "id", None)
    record("invitation.revoke", invitation, actor=author, target_label=invitation.audit_label)
    bump(f"unit:{invitation.unit_id}")
    db.session.commit()


def set_quota(invitation: Invitation, value: Any, author) -> bool:
    """Returns whether it changed."""
    quota = check_quotas({invitation.unit_id: value})[invitation.unit_id]
    if invitation.state == "revoked":
        raise DomainError(_("This invitation is revoked."))
    if quota == invitation.quota:
        return False
    old, invitation.quota = invitation.quota, quota
    record("invitation.quota", invitation, actor=author, target_label=invitation.audit_label,
           details={"quota": [old, quota]})
    bump(f"unit:{invitation.unit_id}")
    db.session.commit()
    return True

