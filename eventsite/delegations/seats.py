"""The seat count of an event, changed only by single conditional UPDATEs, and the waiting list.

`Event.seats_taken` counts confirmed delegates. Read-then-write from Python would let two
submissions both see the last seat; instead the database checks and changes the count in one
statement, in the caller's transaction: PostgreSQL locks the event row and re-checks the WHERE
against the committed count once the other transaction ends (the loser updates no row); SQLite
runs the statements one at a time under its write lock (pysqlite begins the transaction at the
first write and waits up to its busy timeout). Delegate status moves go through `move()`, a
conditional UPDATE from the status we read, so two actors can never release one seat twice.
"""
from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from ..audit.services import record
from ..core.domain import DomainError
from ..core.gettext import gettext as _
from ..events.models import Event
from ..extensions import db, now_utc
from . import notifications, signals
from .models import Delegate, Delegation

# The actor of automatic steps (waiting-list promotions) in the audit log.
SYSTEM = SimpleNamespace(id=None, email="system")

_event = Event.__table__


def take(event_id: int, n: int = 1) -> bool:
    """Take `n` seats if that many are free (capacity None = unlimited); True if taken."""
    if n <= 0:
        return True
    result = db.session.execute(
        sa.update(_event)
        .where(_event.c.id == event_id,
               sa.or_(_event.c.capacity.is_(None), _event.c.seats_taken + n <= _event.c.capacity))
        .values(seats_taken=_event.c.seats_taken + n)
    )
    _forget_count(event_id)
    return result.rowcount == 1


def release(event_id: int, n: int = 1) -> None:
    """Give back `n` seats (never below zero); the caller then fills from the waiting list."""
    if n <= 0:
        return
    db.session.execute(
        sa.update(_event)
        .where(_event.c.id == event_id)
        .values(seats_taken=sa.case((_event.c.seats_taken >= n, _event.c.seats_taken - n), else_=0))
    )
    _forget_count(event_id)


def seats_left(event: Event) -> int | None:
    """Free seats now (None = no limit), read from the database, not from a stale object."""
    row = db.session.execute(
        sa.select(_event.c.capacity, _event.c.seats_taken).where(_event.c.id == event.id)
    ).one()
    return None if row.capacity is None else max(row.capacity - row.seats_taken, 0)


def move(delegate: Delegate, status: str, **values) -> bool:
    """Set `delegate.status` (and `values`) only if it still has the status we read; True if so."""
    result = db.session.execute(
        sa.update(Delegate)
        .where(Delegate.id == delegate.id, Delegate.status == delegate.status)
        .values(status=status, **values)
        .execution_options(synchronize_session="evaluate")
    )
    if result.rowcount != 1:
        return False
    # "evaluate" applied the new values to the object only if the WHERE matched it in Python,
    # which it did; set them again in case the object was expired meanwhile.
    for key, value in {"status": status, **values}.items():
        set_committed_value(delegate, key, value)
    return True


def _forget_count(event_id: int) -> None:
    """The Event object in the session no longer knows the count: reload it when next read."""
    event = db.session.identity_map.get(identity_key(Event, event_id))
    if event is not None:
        db.session.expire(event, ["seats_taken"])


def remove(delegate: Delegate, status: str, *, actor=None, action: str | None = None,
           reason: str = "") -> int:
    """Take one delegate out ("removed" or "declined"); returns the seats freed (0 or 1). The
    caller runs `fill_from_waitlist` once after its removals."""
    held = delegate.status == "confirmed"
    if not delegate.is_active or not move(delegate, status):
        raise DomainError(_("This person was changed at the same moment elsewhere. Reload the "
                                "page."))
    if held:
        release(delegate.event_id)
    # Hotels free the person's room, pickups their seats (delegations/signals.py).
    signals.delegate_left.send(delegate, actor=actor, status=status)
    if action:
        record(action, delegate, actor=actor, target_label=delegate.display_name(),
               details={"held_seat": held, **({"reason": reason[:500]} if reason else {})})
    notifications.delegate_removed(delegate, reason or status)
    return int(held)


def announce_confirmed(delegates: list[Delegate], actor=None) -> None:
    """Tell the features above who now holds a seat (signals.delegates_confirmed), once per
    delegation, so a letter for the delegation lists everyone confirmed together."""
    groups: dict[int, list[Delegate]] = {}
    for delegate in delegates:
        groups.setdefault(delegate.delegation_id, []).append(delegate)
    for group in groups.values():
        signals.delegates_confirmed.send(group[0].delegation, delegates=group, actor=actor)


def fill_from_waitlist(event_id: int, now: datetime | None = None) -> list[Delegate]:
    """Give free seats to waiting delegates in `waitlisted_at` order. Both the seat and the move
    are conditional: when another transaction promoted the same person first, the seat goes back
    and the next one is tried."""
    promoted = _promote_waiting(event_id, now or now_utc())
    announce_confirmed(promoted, actor=SYSTEM)
    return promoted


def _promote_waiting(event_id: int, now: datetime) -> list[Delegate]:
    promoted: list[Delegate] = []
    tried: set[int] = set()
    while True:
        waiting = db.session.scalars(
            db.select(Delegate)
            .join(Delegation, Delegation.id == Delegate.delegation_id)
            .where(Delegate.event_id == event_id, Delegate.status == "waitlisted",
                   Delegation.status == "confirmed", Delegate.id.not_in(tried or {0}))
            .order_by(Delegate.waitlisted_at, Delegate.id)
            .limit(20)
        ).all()
        if not waiting:
            return promoted
        for delegate in waiting:
            tried.add(delegate.id)
            if not take(event_id):
                return promoted
            if not move(delegate, "confirmed", confirmed_at=now):
                release(event_id)
                continue
            record("delegate.auto_promote", delegate, actor=SYSTEM,
                   target_label=delegate.display_name())
            notifications.delegate_confirmed(delegate, promoted=True)
            notifications.to_liaisons(delegate.delegation, "promoted", people=[delegate])
            promoted.append(delegate)
