"""Delegations written straight into the database for the organizer-page tests (H5).

The registration rules are not under test here, so the rows are built directly; tests of the
actions go through delegations/services/ instead.
"""
from __future__ import annotations

from datetime import timedelta

from eventsite.delegations.models import Delegate, Delegation
from eventsite.extensions import db, now_utc

from .. import factories


def make_delegation(event, unit=None, status="confirmed", people=(), **fields):
    """A delegation of `unit` (a new one by default) with `people`: dicts of Delegate fields.

    Confirmed people take a seat (the event's count is kept right); waitlisted ones get
    increasing waitlisted_at values in the given order.
    """
    unit = unit or factories.make_unit()
    delegation = Delegation(event_id=event.id, unit_id=unit.id, status=status, **fields)
    db.session.add(delegation)
    db.session.flush()
    for position, values in enumerate(people or [{}]):
        values = dict(values)
        values.setdefault("family_name", f"Person{position}")
        values.setdefault("role", "head" if position == 0 else "member")
        values.setdefault("status", "confirmed" if status == "confirmed" else "pending")
        if values["status"] == "waitlisted":
            values.setdefault("waitlisted_at", now_utc() + timedelta(seconds=_tick()))
        if values["status"] == "confirmed":
            event.seats_taken += 1
        db.session.add(Delegate(delegation=delegation, event_id=event.id, position=position, **values))
    db.session.flush()
    return delegation


_ticks = iter(range(1, 10**9))


def _tick() -> int:
    return next(_ticks)


# --- through the real services ---------------------------------------------------------------

def register(event, unit=None, people=(), **options):
    """Register `unit`'s delegation with delegations/services/ (as the liaison would)."""
    from eventsite.delegations import services

    unit = unit or factories.make_unit()
    rows = []
    for position, values in enumerate(people):
        values = dict(values)
        values.setdefault("family_name", f"Person{position}")
        values.setdefault("role", "head" if position == 0 else "member")
        session_ids = values.pop("session_ids", None)
        rows.append(services.PersonRow(values=values, session_ids=session_ids))
    return services.save_delegation(event, unit, rows, **options).delegation


LINK = r"/events/(\d+)/delegate/([A-Za-z0-9_\-]+)"


def personal_link(outbox, email: str) -> str:
    """The path of the personal link in the latest message to `email` that carries one."""
    import re

    for message in reversed(outbox(to_addr=email)):
        match = re.search(LINK, message.body_text)
        if match:
            return match.group(0)
    raise AssertionError(f"no personal link mailed to {email}")
