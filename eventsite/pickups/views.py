"""What pickups show on other features' pages for delegates and liaisons (template globals, as
DESIGN.md's "a page showing another feature's part"); no routes of its own yet."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import Blueprint

from ..core.timefmt import local_time
from ..delegations.models import ACTIVE_DELEGATE_STATUSES, Delegate
from ..extensions import db
from . import labels, queries

bp = Blueprint("pickups", __name__)


@dataclass
class Shown:
    """One pickup as a person reads it: time on the event's clock, meeting point in their language."""

    name: str
    direction: str
    when: str
    place: str
    meeting_point: str
    vehicle: str
    driver: str


def _shown(passenger, delegate: Delegate, zone: str, language: str) -> Shown:
    run = passenger.run
    return Shown(delegate.display_name(language), labels.direction(run.direction), local_time(run.starts_at, zone),
                 run.place, run.text("meeting_point", language)[0], run.vehicle,
                 " ".join(p for p in (run.driver_name, run.driver_contact) if p))


@bp.app_template_global()
def pickups_of_delegate(delegate: Delegate, zone: str, language: str) -> list[Shown]:
    """The delegate's current pickups (their personal page)."""
    if not delegate.is_active:
        return []
    return [_shown(p, delegate, zone, language) for p in queries.of_delegate(delegate.id)]


@bp.app_template_global()
def pickups_of_delegation(delegation_id: int, zone: str, language: str) -> list[Shown]:
    """The pickups of a delegation's people who take part (the liaison's receipt page)."""
    people = db.session.scalars(sa.select(Delegate).where(
        Delegate.delegation_id == delegation_id, Delegate.status.in_(ACTIVE_DELEGATE_STATUSES))
        .order_by(Delegate.position, Delegate.id)).all()
    found = queries.of_delegates([d.id for d in people])
    return [_shown(p, d, zone, language) for d in people for p in found.get(d.id, [])]
