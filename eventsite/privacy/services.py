"""What eventsite holds about a person (erasure after an event: privacy/erasure.py).

Export: everything found for one email address (account, contact entries, delegate records,
invitation links, mails sent to it, audit entries about or by them), as one JSON document.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from ..audit.models import AuditEntry
from ..audit.services import record
from ..extensions import db, now_utc


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime, date)):  # a date of birth or a passport's expiry too
        return value.isoformat()
    if isinstance(value, bytes):
        return None
    return value


def _row(obj, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    return {c.key: _plain(getattr(obj, c.key)) for c in obj.__table__.columns if c.key not in skip}


def personal_data(email: str) -> dict[str, Any]:
    """Every record held for `email` (matched without regard to case)."""
    from ..accounts.models import User
    from ..delegations.models import Delegate
    from ..invitations.models import InvitationLink
    from ..mail.models import OutboxMessage
    from ..members.models import Contact

    address = email.strip().lower()

    def held(model, column) -> list:
        return db.session.scalars(sa.select(model).where(sa.func.lower(column) == address)
                                  .order_by(model.id)).all()

    users, contacts = held(User, User.email), held(Contact, Contact.email)
    delegates = held(Delegate, Delegate.email)
    links, messages = held(InvitationLink, InvitationLink.email), held(OutboxMessage, OutboxMessage.to_addr)
    targets = [("user_account", u.id) for u in users] + [("contact", c.id) for c in contacts] + \
        [("delegate", d.id) for d in delegates]
    about = sa.or_(*(sa.and_(AuditEntry.target_type == t, AuditEntry.target_id == i)
                     for t, i in targets)) if targets else sa.false()
    by = AuditEntry.actor_id.in_([u.id for u in users]) if users else sa.false()
    audit = db.session.scalars(sa.select(AuditEntry).where(sa.or_(about, by)).order_by(AuditEntry.id)).all()
    return {
        "email": address,
        "generated_at": now_utc().isoformat(),
        "accounts": [_row(u, skip=("password_hash", "session_token")) for u in users],
        "contact_entries": [_row(c) | {"unit": c.unit.display_name("en")} for c in contacts],
        "delegate_records": [_row(d, skip=("token_hash",)) | {
            "unit": d.delegation.unit.display_name("en"),
            "event": d.delegation.event.title_en or d.delegation.event.title_zh,
            "sessions": [s.title_en or s.title_zh for s in d.sessions],
            "pickups": _pickups(d.id)} for d in delegates],
        "invitation_links": [_row(link, skip=("token_hash",)) for link in links],
        "messages": [_row(m, skip=("calendar_ics",)) for m in messages],
        "audit_entries": [_row(a) for a in audit],
    }


def _pickups(delegate_id: int) -> list[dict[str, Any]]:
    """The person's pickups (a cancelled one has no run: only what their calendar showed)."""
    from ..pickups.models import PickupPassenger

    rows = db.session.scalars(sa.select(PickupPassenger).where(PickupPassenger.delegate_id == delegate_id)
                              .order_by(PickupPassenger.id)).all()
    return [{"direction": p.direction, "starts_at": _plain(p.starts_at), "place": p.place,
             "cancelled": p.run is None,
             **({"vehicle": p.run.vehicle, "meeting_point_en": p.run.meeting_point_en,
                 "meeting_point_zh": p.run.meeting_point_zh} if p.run is not None else {})} for p in rows]


def export(email: str, actor=None) -> dict[str, Any]:
    """personal_data(), audited (who looked at whose data) and committed."""
    data = personal_data(email)
    record("privacy.export", None, actor=actor, target_label=data["email"],
           details={"records": sum(len(v) for v in data.values() if isinstance(v, list))})
    db.session.commit()
    return data
