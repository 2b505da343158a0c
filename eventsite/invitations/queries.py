"""What the invitation pages show: a status derived from the stored state, the latest mail's
delivery and the unit's delegation. An event's whole table is four queries, whatever the number
of units (invitations with units, delegations, delivery states, receiving contacts per unit)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import contains_eager

from ..core.timefmt import local_time
from ..delegations.models import ACTIVE_DELEGATE_STATUSES, LIVE_DELEGATION_STATUSES, Delegate, Delegation
from ..events.models import Event
from ..events.queries import event_card
from ..extensions import db, now_utc
from ..mail.models import OutboxMessage
from ..members.labels import provinces_in_order
from ..members.models import Contact, MemberUnit
from ..members.queries import unit_name_order
from .labels import STATUS_LABELS, STATUS_STYLES, STATUSES
from .models import Invitation, InvitationLink
from .services import answers


@dataclass
class MailState:
    """Delivery of an invitation's latest sending (each counts messages)."""

    sent: int = 0
    waiting: int = 0  # pending or being sent
    failed: int = 0
    at: datetime | None = None

    @property
    def total(self) -> int:
        return self.sent + self.waiting + self.failed


@dataclass
class Row:
    invitation: Invitation
    unit: MemberUnit
    status: str
    when: datetime | None
    mail: MailState
    contacts_now: int  # receiving contacts with an address the unit has today


def display_status(invitation: Invitation, delegation_status: str | None, mail_failed: bool = False,
                   now: datetime | None = None, *, no_address: bool = False) -> str:
    """The displayed status; pure (the caller knows the delegation and the mail state)."""
    if invitation.state == "revoked":
        return "revoked"
    if invitation.state == "declined":
        return "declined"
    if delegation_status in LIVE_DELEGATION_STATUSES:
        return "registered"
    if invitation.state == "accepted":
        return "accepted"
    if invitation.expires_at <= (now or now_utc()):
        return "no_reply"
    if no_address:
        return "no_address"
    return "mail_failed" if mail_failed else "invited"


def derive(invitation: Invitation, mail: MailState, delegation: tuple[str, datetime] | None,
           now: datetime) -> tuple[str, datetime | None]:
    """(status, when) of one invitation for the organizers' table."""
    # The latest sending found nobody to write to: no link carries the latest send time.
    no_address = mail.at is None or bool(invitation.last_sent_at and mail.at < invitation.last_sent_at)
    status = display_status(invitation, delegation[0] if delegation else None,
                            bool(mail.failed and not mail.sent), now, no_address=no_address)
    when = {"revoked": invitation.revoked_at, "declined": invitation.responded_at,
            "registered": delegation[1] if delegation else None, "accepted": invitation.responded_at,
            "no_reply": invitation.expires_at}.get(status, invitation.last_sent_at or invitation.issued_at)
    return status, when


def mail_states(invitation_ids) -> dict[int, MailState]:
    """Delivery of the latest sending of each invitation `invitation_ids` (a SELECT) yields."""
    latest = (db.select(InvitationLink.invitation_id, db.func.max(InvitationLink.created_at).label("at"))
              .where(InvitationLink.invitation_id.in_(invitation_ids))
              .group_by(InvitationLink.invitation_id).subquery())
    rows = db.session.execute(
        db.select(InvitationLink.invitation_id, InvitationLink.created_at, OutboxMessage.state,
                  db.func.count())
        .join(latest, db.and_(InvitationLink.invitation_id == latest.c.invitation_id,
                              InvitationLink.created_at == latest.c.at))
        .outerjoin(OutboxMessage, OutboxMessage.id == InvitationLink.message_id)
        .group_by(InvitationLink.invitation_id, InvitationLink.created_at, OutboxMessage.state)).all()
    states: dict[int, MailState] = {}
    for invitation_id, at, state, count in rows:
        mail = states.setdefault(invitation_id, MailState(at=at))
        if state == "sent":
            mail.sent += count
        elif state == "failed":
            mail.failed += count
        else:  # pending, sending, or a purged message (still counted as not delivered)
            mail.waiting += count
    return states


def rows_for(event, now: datetime | None = None, lang: str = "en") -> list[Row]:
    """Every invitation of `event` with its displayed status, in directory order (pinyin order
    for Chinese readers)."""
    now = now or now_utc()
    pairs = db.session.execute(
        db.select(Invitation, MemberUnit)
        .join(MemberUnit, MemberUnit.id == Invitation.unit_id)
        .where(Invitation.event_id == event.id)
        .order_by(*unit_name_order(lang))).all()
    delegations = {unit_id: (status, at) for unit_id, status, at in db.session.execute(
        db.select(Delegation.unit_id, Delegation.status, Delegation.submitted_at)
        .where(Delegation.event_id == event.id))}
    mail = mail_states(db.select(Invitation.id).where(Invitation.event_id == event.id))
    invited_units = db.select(Invitation.unit_id).where(Invitation.event_id == event.id)
    contacts = dict(db.session.execute(
        db.select(Contact.unit_id, db.func.count())
        .where(Contact.unit_id.in_(invited_units), Contact.receives_invitations.is_(True),
               Contact.email != "")
        .group_by(Contact.unit_id)).all())
    rows = []
    for invitation, unit in pairs:
        state = mail.get(invitation.id, MailState())
        status, when = derive(invitation, state, delegations.get(unit.id), now)
        rows.append(Row(invitation, unit, status, when, state, contacts.get(unit.id, 0)))
    return rows


@dataclass
class Filters:
    status: str = ""
    kind: str = ""
    province: str = ""
    q: str = ""

    def match(self, row: Row, with_status: bool = True) -> bool:
        unit = row.unit
        if self.kind and unit.kind != self.kind:
            return False
        if self.province and unit.province != self.province:
            return False
        if self.q and self.q.casefold() not in f"{unit.name_en}\n{unit.name_zh}".casefold():
            return False
        return not (with_status and self.status and row.status != self.status)


@dataclass
class Table:
    rows: list[Row]
    counts: dict[str, int]  # per status, over the rows matching every filter but the status
    total: int
    provinces: list[str]
    kinds: list[str]


def table(event, filters: Filters, now: datetime | None = None, lang: str = "en") -> Table:
    every = rows_for(event, now, lang)
    others = [r for r in every if filters.match(r, with_status=False)]
    counts = dict.fromkeys(STATUSES, 0) | Counter(r.status for r in others)
    return Table(rows=[r for r in others if filters.match(r)], counts=counts, total=len(others),
                 provinces=provinces_in_order({r.unit.province for r in every if r.unit.province}, lang),
                 kinds=sorted({r.unit.kind for r in every}))


def summary(event, now: datetime | None = None) -> dict[str, int]:
    """{status: count} with zeros, for the event's page."""
    return table(event, Filters(), now).counts


def invitation_view(invitation: Invitation, delegation: str | None, language: str,
                    viewer_zone: str, now: datetime) -> dict:
    """An invitation as the unit reads it: texts in its language, deadline on the event's clock
    (and the viewer's when another zone), the answers possible now."""
    event = invitation.event
    status = display_status(invitation, delegation, False, now)
    closed = answers.is_closed(invitation, now)
    return dict(
        invitation=invitation, card=event_card(event, language, viewer_zone),
        unit_name=invitation.unit.display_name(language),
        deadline=local_time(invitation.expires_at, event.timezone),
        deadline_viewer=("" if viewer_zone == event.timezone
                         else local_time(invitation.expires_at, viewer_zone)),
        closed=closed, status=status, status_label=STATUS_LABELS[status],
        status_style=STATUS_STYLES[status],
        decline_reason=invitation.decline_reason if invitation.state == "declined" else "",
        can_accept=answers.can_accept(invitation, now),
        can_decline=answers.can_decline(invitation, delegation, now),
        may_register=not closed and status in ("accepted", "registered"))


def unit_invitations_query(unit_id: int):
    """A unit's invitations, the latest events first, each with its event and unit from the same
    join (more statements otherwise); a deactivated unit sees none."""
    return (db.select(Invitation).join(Invitation.event).join(Invitation.unit)
            .options(contains_eager(Invitation.event), contains_eager(Invitation.unit))
            .where(Invitation.unit_id == unit_id, MemberUnit.is_active.is_(True))
            .order_by(Event.starts_at.desc(), Invitation.id.desc()))


def unit_views(invitations: list[Invitation], unit_id: int, language: str, viewer_zone: str,
               now: datetime) -> list[dict]:
    """Views for one page of a unit's invitations: one query for their delegations."""
    event_ids = [i.event_id for i in invitations]
    statuses = dict(db.session.execute(
        db.select(Delegation.event_id, Delegation.status)
        .where(Delegation.unit_id == unit_id, Delegation.event_id.in_(event_ids))
    ).all()) if event_ids else {}
    return [invitation_view(i, statuses.get(i.event_id), language, viewer_zone, now)
            for i in invitations]


def registered_people(event_id: int, unit_id: int) -> int:
    """The people of the unit's delegation who are coming (what its quota is measured against)."""
    return db.session.scalar(
        db.select(db.func.count(Delegate.id)).join(Delegation, Delegation.id == Delegate.delegation_id)
        .where(Delegation.event_id == event_id, Delegation.unit_id == unit_id,
               Delegation.status.in_(LIVE_DELEGATION_STATUSES),
               Delegate.status.in_(ACTIVE_DELEGATE_STATUSES))) or 0
