"""Test data for the recipient side of invitations: a unit with a contact, an event, an invitation."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from eventsite.audit.models import AuditEntry
from eventsite.extensions import db
from eventsite.invitations.models import Invitation

from .. import factories


@dataclass
class Invited:
    event_id: int
    unit_id: int
    invitation_id: int
    token: str
    contact_email: str
    url: str


def invite(app, *, event_fields=None, unit_fields=None, **invitation_fields) -> Invited:
    with app.app_context():
        event = factories.make_event(**{"contact_name": "Secretariat Desk", "contact_email": "desk@example.org",
                                        "venue_name_en": "Expo Centre", **(event_fields or {})})
        unit = factories.make_unit(**(unit_fields or {}))
        contact = factories.make_contact(unit, name_latin="Li Wei", receives_invitations=True)
        invitation, raw = factories.make_invitation(event, unit, quota=4, **invitation_fields)
        db.session.commit()
        return Invited(event.id, unit.id, invitation.id, raw, contact.email,
                       f"/events/{event.id}/invitation/{raw}")


def invitation(app, invitation_id) -> Invitation:
    with app.app_context():
        found = db.session.get(Invitation, invitation_id)
        db.session.expunge(found)
        return found


def actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))


def snapshot(app):
    with app.app_context():
        return {t: db.session.execute(sa.text(f"SELECT * FROM {t} ORDER BY 1")).all()
                for t in ("invitation", "user_account", "audit_entry", "delegation", "account_token",
                          "outbox_message")}


def form_token(client, path):
    """The CSRF token of a page (the token pages render forms only for some visitors)."""
    from ..conftest import csrf_token

    return csrf_token(client, path)
