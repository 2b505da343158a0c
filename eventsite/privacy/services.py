"""What eventsite holds about a person, and erasing delegates' details once an event is over.

Export: everything found for one email address (account, contact entries, delegate records,
invitation links, mails sent to it, audit entries about or by them), as one JSON document.

Erasure after an event keeps what the alliance needs to count and to account for itself: the
delegation and each delegate row (unit, role, status, language, session choices) and every audit
entry; it removes what identifies or describes the person: names, contact details, needs, travel,
notes, the personal link, and the bodies and addresses of the notices they were sent. Audit
entries about an erased delegate keep their action and time but lose the name in their label.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app

from ..audit.models import AuditEntry
from ..audit.services import record
from ..extensions import db, now_utc

ERASED_NAME = "(erased)"
ERASED_ADDRESS = "erased@invalid"
# Delegate columns that describe the person; emptied on erasure.
PERSONAL_FIELDS = ("given_name", "name_zh", "title", "organization", "email", "mobile", "dietary",
                   "accessibility", "arrival_details", "departure_details", "notes")


class PrivacyError(ValueError):
    """An erasure that is not allowed (yet)."""


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return None
    return value


def _row(obj, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    return {c.key: _plain(getattr(obj, c.key)) for c in obj.__table__.columns
            if c.key not in skip}


def personal_data(email: str) -> dict[str, Any]:
    """Every record held for `email` (matched without regard to case)."""
    from ..accounts.models import User
    from ..delegations.models import Delegate
    from ..invitations.models import InvitationLink
    from ..mail.models import OutboxMessage
    from ..members.models import Contact

    address = email.strip().lower()
    same = lambda column: sa.func.lower(column) == address  # noqa: E731
    users = db.session.scalars(sa.select(User).where(same(User.email))).all()
    contacts = db.session.scalars(sa.select(Contact).where(same(Contact.email))).all()
    delegates = db.session.scalars(sa.select(Delegate).where(same(Delegate.email))).all()
    links = db.session.scalars(sa.select(InvitationLink).where(same(InvitationLink.email))).all()
    messages = db.session.scalars(
        sa.select(OutboxMessage).where(same(OutboxMessage.to_addr)).order_by(OutboxMessage.id)
    ).all()
    targets = [("user_account", u.id) for u in users] + [("contact", c.id) for c in contacts] + \
        [("delegate", d.id) for d in delegates]
    about = sa.or_(*(sa.and_(AuditEntry.target_type == t, AuditEntry.target_id == i)
                     for t, i in targets)) if targets else sa.false()
    by = AuditEntry.actor_id.in_([u.id for u in users]) if users else sa.false()
    audit = db.session.scalars(sa.select(AuditEntry).where(sa.or_(about, by))
                               .order_by(AuditEntry.id)).all()
    return {
        "email": address,
        "generated_at": now_utc().isoformat(),
        "accounts": [_row(u, skip=("password_hash", "session_token")) for u in users],
        "contact_entries": [_row(c) | {"unit": c.unit.display_name("en")} for c in contacts],
        "delegate_records": [
            _row(d, skip=("token_hash",)) | {
                "unit": d.delegation.unit.display_name("en"),
                "event": d.delegation.event.title_en or d.delegation.event.title_zh,
                "sessions": [s.title_en or s.title_zh for s in d.sessions],
            } for d in delegates
        ],
        "invitation_links": [_row(link, skip=("token_hash",)) for link in links],
        "messages": [_row(m, skip=("calendar_ics",)) for m in messages],
        "audit_entries": [_row(a) for a in audit],
    }


def is_empty(data: dict[str, Any]) -> bool:
    return not any(data[k] for k in ("accounts", "contact_entries", "delegate_records",
                                     "invitation_links", "messages", "audit_entries"))


def export(email: str, actor=None) -> dict[str, Any]:
    """personal_data(), audited (who looked at whose data) and committed."""
    data = personal_data(email)
    record("privacy.export", None, actor=actor, target_label=data["email"],
           details={"records": sum(len(v) for v in data.values() if isinstance(v, list))})
    db.session.commit()
    return data


def erase_event(event, actor=None, now: datetime | None = None) -> int:
    """Erase the personal data of every delegate of `event` once it has ended; returns how many.

    Cancelled events count as ended. Idempotent: a second run finds nothing left to erase.
    """
    from ..delegations.models import Delegate
    from ..mail.models import OutboxAttachment, OutboxMessage

    now = now or now_utc()
    if event.status != "cancelled" and event.ends_at > now:
        raise PrivacyError("not_ended")
    delegates = db.session.scalars(sa.select(Delegate).where(Delegate.event_id == event.id)).all()
    addresses = {d.email.lower() for d in delegates if d.email}
    ids = [d.id for d in delegates]
    for delegate in delegates:
        for field in PERSONAL_FIELDS:
            setattr(delegate, field, "")
        delegate.family_name = ERASED_NAME
        delegate.arrival_at = delegate.departure_at = None
        delegate.token_hash = None
    if addresses:
        # Notices about this event's delegations lose their text, attachments and address.
        notices = db.session.scalars(sa.select(OutboxMessage).where(
            sa.func.lower(OutboxMessage.to_addr).in_(addresses),
            OutboxMessage.kind.like("delegat%"),
            OutboxMessage.state.in_(("sent", "failed")),
        )).all()
        notices = [m for m in notices if (m.refs or {}).get("event") in (None, event.id)]
        for message in notices:
            message.to_addr, message.to_name = ERASED_ADDRESS, ""
            message.body_text, message.body_html = "(erased)", None
            message.calendar_ics = None
        if notices:
            db.session.execute(sa.delete(OutboxAttachment).where(
                OutboxAttachment.message_id.in_([m.id for m in notices])))
    if ids:
        db.session.execute(
            sa.update(AuditEntry)
            .where(AuditEntry.target_type == "delegate", AuditEntry.target_id.in_(ids))
            .values(target_label=sa.literal("delegate #") + sa.cast(AuditEntry.target_id, sa.String))
        )
    event.personal_data_erased_at = now
    record("privacy.erase_event", event, actor=actor, details={"delegates": len(ids)})
    db.session.commit()
    return len(ids)


def retention_days() -> int:
    return int(current_app.config.get("PRIVACY_RETENTION_DAYS", 180))


def due_events(now: datetime | None = None):
    """Events ended more than the retention period ago whose delegates are not yet erased."""
    from ..events.models import Event

    now = now or now_utc()
    cutoff = now - timedelta(days=retention_days())
    return db.session.scalars(sa.select(Event).where(
        Event.personal_data_erased_at.is_(None), Event.ends_at < cutoff,
        Event.status.in_(("published", "cancelled")),
    ).order_by(Event.ends_at)).all()


def erase_due(now: datetime | None = None) -> list[int]:
    """Apply the retention setting: erase every due event (a retention of 0 days or less is off)."""
    if retention_days() <= 0:
        return []
    erased = []
    for event in due_events(now):
        erase_event(event, actor=None, now=now)
        erased.append(event.id)
    return erased
