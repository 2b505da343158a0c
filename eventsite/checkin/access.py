"""Who may use the check-in desk of an event: organizers and admins at every event, check-in staff
(role "checkin") only at the events assigned to them (CheckinAssignment). Everyone else is refused
by the role check (403); an event a staff account is not assigned to is hidden (404), as any
record that is not the reader's."""
from __future__ import annotations

from functools import wraps
from typing import Callable

from flask import abort
from flask_login import current_user

from ..accounts.permissions import role_required
from ..core.lookup import get_or_404
from ..events.models import Event
from ..extensions import db
from .models import CheckinAssignment

DESK_ROLES = ("admin", "organizer", "checkin")


def may_use_desk(user, event_id: int) -> bool:
    if not getattr(user, "is_authenticated", False) or user.role not in DESK_ROLES:
        return False
    if user.role != "checkin":
        return True
    return db.session.get(CheckinAssignment, (user.id, event_id)) is not None


def assigned_event_ids(user) -> list[int] | None:
    """The ids of the events `user` may check in at; None: every event (organizers, admins)."""
    if user.role != "checkin":
        return None
    return list(db.session.scalars(db.select(CheckinAssignment.event_id).filter_by(user_id=user.id)))


def desk_required(view: Callable) -> Callable:
    """For views taking `event_id`: loads the event (404 when unknown or not the staff's own) and
    passes it on as `event`."""

    @wraps(view)
    @role_required(*DESK_ROLES)
    def wrapped(event_id: int, **kwargs):
        event = get_or_404(Event, event_id)
        if not may_use_desk(current_user, event.id):
            abort(404)
        return view(event, **kwargs)

    return wrapped
