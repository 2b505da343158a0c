"""Shared set-up for the delegation tests: an event, units with liaisons, and people rows."""
from __future__ import annotations

import re

from eventsite.delegations.models import Delegate, Delegation
from eventsite.delegations.services import PersonRow
from eventsite.extensions import db

from ..factories import make_event, make_unit, make_user


def person(role: str = "member", n: int = 0, **values) -> dict:
    return {"role": role, "family_name": f"Family{n}", "given_name": f"Given{n}",
            "email": f"p{n}@example.org", "language": "en", **values}


def rows(count: int, start: int = 0, **values) -> list[PersonRow]:
    """`count` new people, the first of them the head."""
    return [PersonRow(person("head" if i == 0 else "member", start + i, **values))
            for i in range(count)]


def setup(**event_fields):
    """(event, unit, liaison) committed; call inside an app context."""
    event = make_event(**event_fields)
    unit = make_unit()
    liaison = make_user(role="liaison", unit=unit, locale="en")
    db.session.commit()
    return event, unit, liaison


def unit_with_liaison(locale: str = "en"):
    unit = make_unit()
    liaison = make_user(role="liaison", unit=unit, locale=locale)
    db.session.commit()
    return unit, liaison


def statuses(delegation: Delegation) -> list[str]:
    return [d.status for d in delegation.delegates]


def count(event_id: int, status: str) -> int:
    return db.session.scalar(
        db.select(db.func.count(Delegate.id)).where(Delegate.event_id == event_id, Delegate.status == status)
    )


def link_token(body: str) -> str | None:
    match = re.search(r"/events/\d+/delegate/([A-Za-z0-9_\-]+)", body)
    return match.group(1) if match else None
