"""Reminding units that have not answered: by hand (previewed) and automatically a few days before
registration closes (Event.reminder_days, a job of the mail worker).

"Never twice" is a database fact: a unique InvitationReminder row per (invitation, key), written
in the mails' transaction. Keys: "manual:<form key>", "auto:<days>", and "auto:<days>:skipped"
for one due while the worker was down and passed over for a nearer one (no two mails in a row).
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from ...audit.services import record
from ...core.domain import DomainError
from ...core.gettext import gettext as _
from ...core.numbers import whole_number
from ...delegations.models import Delegation
from ...events.models import Event
from ...extensions import db, now_utc
from ...mail.worker import register_job
from .. import notifications
from ..models import Invitation, InvitationReminder
from ..rules import active_unit
from .issuing import deadline_of

log = logging.getLogger(__name__)
MAX_DAYS, MAX_REMINDERS = 90, 5


def parse_days(text: str | None) -> list[int]:
    """'7,2' -> [7, 2]; anything unreadable is ignored (the event form validates strictly)."""
    days = {whole_number(part.strip(), 1, MAX_DAYS) for part in (text or "").split(",")}
    return sorted(days - {None}, reverse=True)[:MAX_REMINDERS]


def non_responders_query(event_id: int, now: datetime):
    """Pending, unexpired invitations of active units with no delegation for the event."""
    has_delegation = db.select(Delegation.id).where(
        Delegation.event_id == Invitation.event_id, Delegation.unit_id == Invitation.unit_id).exists()
    return (db.select(Invitation)
            .where(Invitation.event_id == event_id, Invitation.state == "pending",
                   Invitation.expires_at > now, ~has_delegation, active_unit(Invitation.unit_id))
            .options(joinedload(Invitation.unit), joinedload(Invitation.event))
            .order_by(Invitation.id))


def non_responders(event, now: datetime | None = None) -> list[Invitation]:
    return list(db.session.scalars(non_responders_query(event.id, now or now_utc())).unique())


def check_event(event, now: datetime | None = None) -> None:
    if event.status != "published" or deadline_of(event) <= (now or now_utc()):
        raise DomainError(_("Reminders can only be sent while registration is open for a "
                                "published event."))


def manual_count(event, submission_key: str) -> int:
    """How many units a manual round with this key reminded (0: not sent yet)."""
    key = f"manual:{submission_key}"
    return db.session.scalar(
        db.select(db.func.count()).select_from(InvitationReminder)
        .join(Invitation, Invitation.id == InvitationReminder.invitation_id)
        .where(Invitation.event_id == event.id, InvitationReminder.key == key)) or 0


def remind_all(event, author, submission_key: str, now: datetime | None = None) -> int:
    """Remind every non-responder with an address, once per form key; returns units reminded."""
    if not submission_key:
        raise DomainError(_("The form has expired. Please try again."))
    done = manual_count(event, submission_key)
    if done:
        return done
    now = now or now_utc()
    check_event(event, now)
    invitations = non_responders(event, now)
    contacts = notifications.receiving_contacts([i.unit_id for i in invitations])
    targets = [i for i in invitations if contacts[i.unit_id]]
    if not targets:
        raise DomainError(_("No unit with an email address is waiting for an answer."))
    key = f"manual:{submission_key}"
    try:
        count = _send(event, targets, contacts, {i.id: key for i in targets}, now, author)
    except IntegrityError:  # the same form sent twice at once: the other one reminded them
        db.session.rollback()
        return manual_count(event, submission_key)
    db.session.commit()
    return count


def _send(event, targets, contacts, keys: dict[int, str], now, author,
          skipped: dict[int, list[str]] | None = None) -> int:
    """Reminder rows first (a concurrent duplicate fails here, before any mail); the caller commits."""
    for invitation in targets:
        db.session.add(InvitationReminder(invitation_id=invitation.id, key=keys[invitation.id],
                                          sent_at=now, sent_by_id=getattr(author, "id", None)))
        for skip in (skipped or {}).get(invitation.id, []):
            db.session.add(InvitationReminder(invitation_id=invitation.id, key=skip, sent_at=now))
    db.session.flush()
    calendars: dict = {}  # the event's file per language, built once for all reminders
    for invitation in targets:
        recipients = contacts[invitation.unit_id]
        notifications.send(invitation, invitation.unit, recipients, None, purpose="reminder", now=now,
                           calendars=calendars)
        record("invitation.remind", invitation, actor=author, target_label=invitation.audit_label,
               details={"key": keys[invitation.id], "recipients": len(recipients),
                        "skipped": (skipped or {}).get(invitation.id, [])})
    return len(targets)


def send_due_reminders(now: datetime | None = None) -> int:
    """Send every automatic reminder that is due; returns how many units were reminded. One
    query finds the events with a reminder due; each costs a few queries and one transaction."""
    now = now or now_utc()
    deadline = db.func.coalesce(Event.registration_closes_at, Event.starts_at)
    events = db.session.execute(
        db.select(Event.id, Event.reminder_days, deadline)
        .where(Event.status == "published", Event.reminder_days != "", deadline > now)).all()
    total = 0
    for event_id, reminder_days, event_deadline in events:
        days = parse_days(reminder_days)
        due = [d for d in days if event_deadline - timedelta(days=d) <= now]
        if not due:
            continue
        try:
            total += _remind_event(event_id, days, min(due), event_deadline, now)
            db.session.commit()
        except (IntegrityError, DomainError):  # IntegrityError: another worker reminded the
            db.session.rollback()  # same units a moment ago; theirs stand, ours never left
    return total


def _remind_event(event_id: int, days: list[int], nearest: int, event_deadline: datetime,
                  now: datetime) -> int:
    event = db.session.get(Event, event_id)
    # Only invitations still owed the event's nearest due reminder are read, so a pass after the
    # reminders went out reads nothing (invitations expire with the event's deadline).
    owed = ~db.select(InvitationReminder.id).where(
        InvitationReminder.invitation_id == Invitation.id,
        InvitationReminder.key.in_((f"auto:{nearest}", f"auto:{nearest}:skipped"))).exists()
    invitations = db.session.scalars(
        non_responders_query(event_id, now)
        .where(owed, Invitation.issued_at < event_deadline - timedelta(days=nearest))
        .options(selectinload(Invitation.reminders))
    ).unique().all()
    keys: dict[int, str] = {}
    skipped: dict[int, list[str]] = {}
    for invitation in invitations:
        # due now, nearest first (a late invitation gets no reminder it could not have had)
        due = sorted(d for d in days
                     if invitation.issued_at < invitation.expires_at - timedelta(days=d) <= now)
        if not due:
            continue
        done = {r.key for r in invitation.reminders}
        nearest = due[0]
        if f"auto:{nearest}" in done or f"auto:{nearest}:skipped" in done:
            continue
        keys[invitation.id] = f"auto:{nearest}"
        skipped[invitation.id] = [f"auto:{d}:skipped" for d in due[1:]
                                  if f"auto:{d}" not in done and f"auto:{d}:skipped" not in done]
    if not keys:
        return 0
    targets = [i for i in invitations if i.id in keys]
    contacts = notifications.receiving_contacts([i.unit_id for i in targets])
    targets = [i for i in targets if contacts[i.unit_id]]  # nobody to write to: try next pass
    if not targets:
        return 0
    count = _send(event, targets, contacts, keys, now, None, skipped)
    log.info("invitations: %d automatic reminders for event %s", count, event_id)
    return count


register_job(send_due_reminders)  # on every pass of the mail worker (cheap when nothing is due)
