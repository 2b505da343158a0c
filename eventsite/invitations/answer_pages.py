"""Invitations turned into what the invitation page and the liaison's list show.

Texts in the reader's language (with fallback), times in the event's zone and the viewer's,
the displayed status (invitations/status.py) and which answers are possible now.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..core.timefmt import local_time
from ..delegations.models import Delegation
from ..events.queries import EventCard, event_card
from ..extensions import db
from . import answers
from .models import OPEN_STATES, Invitation
from .rules import active_unit
from .status import STATUS_LABELS, STATUS_STYLES, display_status


@dataclass
class InvitationView:
    id: int
    event_id: int
    card: EventCard
    venue_name: str
    venue_address: str
    unit_name: str
    quota: int
    deadline: str  # on the event's clock
    deadline_viewer: str  # on the viewer's clock, "" when it reads the same zone
    closed: bool
    state: str
    status: str
    status_label: str
    status_style: str  # Bootstrap badge colour, as in the organizer table
    decline_reason: str
    responded_at: datetime | None
    can_accept: bool
    can_decline: bool
    # Accepted or registered and still open: the way on is the registration page.
    may_register: bool
    contact_name: str
    contact_email: str
    contact_phone: str

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


def invitation_view(invitation: Invitation, delegation: str | None, language: str,
                    viewer_zone: str, now: datetime) -> InvitationView:
    event, unit = invitation.event, invitation.unit
    status = display_status(invitation, delegation, False, now)
    closed = answers.is_closed(invitation, now)
    return InvitationView(
        id=invitation.id,
        event_id=event.id,
        card=event_card(event, language, viewer_zone),
        venue_name=event.venue_name,
        venue_address=event.venue_address,
        unit_name=unit.display_name(language),
        quota=invitation.quota,
        deadline=local_time(invitation.expires_at, event.timezone),
        deadline_viewer=("" if viewer_zone == event.timezone
                         else local_time(invitation.expires_at, viewer_zone)),
        closed=closed,
        state=invitation.state,
        status=status,
        status_label=str(STATUS_LABELS[status]),
        status_style=STATUS_STYLES[status],
        decline_reason=invitation.decline_reason if invitation.state == "declined" else "",
        responded_at=invitation.responded_at,
        can_accept=answers.can_accept(invitation, now),
        can_decline=answers.can_decline(invitation, delegation, now),
        may_register=not closed and status in ("accepted", "registered"),
        contact_name=event.contact_name,
        contact_email=event.contact_email,
        contact_phone=event.contact_phone,
    )


def unit_invitations_query(unit_id: int):
    """A unit's invitations, the latest events first (for pagination), each with its event
    from the same join (loading it per row made the liaison's page one query per invitation).
    None for a deactivated unit: it sees no invitations."""
    from sqlalchemy.orm import contains_eager

    from ..events.models import Event

    return (db.select(Invitation).join(Invitation.event)
            .options(contains_eager(Invitation.event))
            .where(Invitation.unit_id == unit_id, active_unit(Invitation.unit_id))
            .order_by(Event.starts_at.desc(), Invitation.id.desc()))


def unit_views(invitations: list[Invitation], unit_id: int, language: str, viewer_zone: str,
               now: datetime) -> list[InvitationView]:
    """Views for one page of a unit's invitations: one query for their delegations."""
    event_ids = [i.event_id for i in invitations]
    statuses = dict(db.session.execute(
        db.select(Delegation.event_id, Delegation.status)
        .where(Delegation.unit_id == unit_id, Delegation.event_id.in_(event_ids))
    ).all()) if event_ids else {}
    return [invitation_view(i, statuses.get(i.event_id), language, viewer_zone, now)
            for i in invitations]
