"""Pickup use cases: runs created, changed and deleted; delegates put on a run and taken off.
Each checks the rules, writes, audits, mails the delegates whose pickup changed and commits once.

Seats on a run are counted in `pickup_run.seats_taken` and changed only by conditional UPDATEs,
as delegations/seats.py does for an event's seats: two organizers adding the last seat at once
cannot both win (PostgreSQL re-checks the WHERE after the other transaction; SQLite runs the writes
one at a time), and the CHECK constraint refuses a count above the capacity in any case.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from ..audit.services import record
from ..core.domain import DomainError, Problems
from ..core.gettext import gettext as _
from ..core.pagecache import bump
from ..delegations.models import Delegate
from ..events.models import Event
from ..extensions import db
from . import notifications
from .models import PickupPassenger, PickupRun
from .rules import clean_run, shown_change

_run = PickupRun.__table__


def check_run(event: Event, values: dict[str, Any]) -> dict[str, Any]:
    """The check-only twin of create_run / update_run (a form with mistakes of its own)."""
    return clean_run(event.timezone, values)


def create_run(event: Event, values: dict[str, Any], actor) -> PickupRun:
    cleaned = clean_run(event.timezone, values)
    run = PickupRun(event_id=event.id, **cleaned)
    db.session.add(run)
    db.session.flush()
    record("pickup.create_run", run, actor=actor, target_label=_label(run),
           details={"direction": run.direction, "capacity": run.capacity})
    _bump(event.id)
    db.session.commit()
    return run


def update_run(run: PickupRun, values: dict[str, Any], actor) -> list[str]:
    """Change the run; its passengers' calendar entries follow (SEQUENCE up, a mail) when what
    they show changed. Returns the changed fields."""
    cleaned = clean_run(run.event.timezone, values)
    problems = Problems()
    if cleaned["direction"] != run.direction and run.seats_taken:
        problems.add("direction", _("Take the people off the run before changing its direction."))
    problems.raise_if_any()
    if cleaned["capacity"] != run.capacity and not _set_capacity(run, cleaned["capacity"]):
        raise DomainError(_("More people are on this run than that: take some off first."), "capacity")
    shown = shown_change(run, cleaned)
    changed = [f for f, v in cleaned.items() if getattr(run, f) != v]
    for field, value in cleaned.items():
        setattr(run, field, value)
    if shown:
        run.sequence += 1
        for passenger in run.passengers:
            _show(passenger, run)
            notifications.pickup_changed(passenger, run)
    record("pickup.update_run", run, actor=actor, target_label=_label(run),
           details={"changed": changed, "passengers_told": len(run.passengers) if shown else 0})
    _bump(run.event_id)
    db.session.commit()
    return changed


def delete_run(run: PickupRun, actor) -> int:
    """Delete the run; each passenger's calendar entry is cancelled. Returns how many were on it."""
    passengers = list(run.passengers)
    for passenger in passengers:
        _cancel(passenger)
    record("pickup.delete_run", run, actor=actor, target_label=_label(run),
           details={"passengers": len(passengers)})
    event_id = run.event_id
    db.session.delete(run)
    _bump(event_id)
    db.session.commit()
    return len(passengers)


def add_passengers(run: PickupRun, delegate_ids: Iterable[int], actor) -> list[Delegate]:
    """Put these delegates of the run's event on the run: all of them or none."""
    ids = list(dict.fromkeys(delegate_ids))
    if not ids:
        raise DomainError(_("Choose at least one person."), "delegates")
    delegates = db.session.scalars(sa.select(Delegate).where(
        Delegate.id.in_(ids), Delegate.event_id == run.event_id)).all()
    problems = Problems()
    if len(delegates) != len(ids) or not all(d.is_active for d in delegates):
        problems.add("delegates", _("Only people taking part in this event can be put on a run."))
    current = _current_rides(ids, run.direction)
    elsewhere = [d for d in delegates if current.get(d.id) is not None and current[d.id].run_id not in (None, run.id)]
    for delegate in elsewhere:
        problems.add("delegates", _("%(name)s is already on another %(direction)s run: take them off "
                                    "it first.", name=delegate.display_name(),
                                    direction=_("arrival") if run.direction == "arrival" else _("departure")))
    problems.raise_if_any()
    new = [d for d in delegates if current.get(d.id) is None or current[d.id].run_id is None]
    if not new:
        return []
    if not _take(run.id, len(new)):
        raise DomainError(_("Not enough free seats on this run: %(left)d left.",
                            left=max(_fresh(run).capacity - _fresh(run).seats_taken, 0)), "delegates")
    for delegate in new:
        passenger = _board(run, delegate, current.get(delegate.id))
        notifications.pickup_changed(passenger, run, new=True)
    record("pickup.add_passengers", run, actor=actor, target_label=_label(run),
           details={"delegates": [d.id for d in new]})
    _bump(run.event_id)
    db.session.commit()
    return new


def remove_passenger(run: PickupRun, passenger: PickupPassenger, actor) -> None:
    """Take one delegate off the run; their calendar entry is cancelled and they are told."""
    if passenger.run_id != run.id:
        raise DomainError(_("This person is no longer on this run."))
    _cancel(passenger)
    record("pickup.remove_passenger", run, actor=actor, target_label=_label(run),
           details={"delegate": passenger.delegate_id})
    _bump(run.event_id)
    db.session.commit()


def release_delegate(delegate: Delegate) -> int:
    """Take a delegate who no longer takes part off their runs, with their entries cancelled and
    no separate mail (the delegation's own notice tells them they are out); the caller's use case
    commits. Returns how many runs."""
    rides = db.session.scalars(sa.select(PickupPassenger).where(
        PickupPassenger.delegate_id == delegate.id, PickupPassenger.run_id.is_not(None))).all()
    for passenger in rides:
        _cancel(passenger, notify=False)
    if rides:
        _bump(delegate.event_id)
    return len(rides)


# --- seats ------------------------------------------------------------------------------------

def _take(run_id: int, n: int) -> bool:
    result = db.session.execute(
        sa.update(_run).where(_run.c.id == run_id, _run.c.seats_taken + n <= _run.c.capacity)
        .values(seats_taken=_run.c.seats_taken + n))
    return result.rowcount == 1


def _release(run_id: int, n: int = 1) -> None:
    db.session.execute(sa.update(_run).where(_run.c.id == run_id, _run.c.seats_taken >= n)
                       .values(seats_taken=_run.c.seats_taken - n))


def _set_capacity(run: PickupRun, capacity: int) -> bool:
    """Change the capacity only if the people on the run still fit (one conditional UPDATE)."""
    result = db.session.execute(sa.update(_run).where(_run.c.id == run.id, _run.c.seats_taken <= capacity)
                                .values(capacity=capacity))
    db.session.expire(run, ["capacity", "seats_taken"])
    return result.rowcount == 1


def _fresh(run: PickupRun) -> PickupRun:
    db.session.expire(run, ["capacity", "seats_taken"])
    return run


# --- passengers -------------------------------------------------------------------------------

def _current_rides(delegate_ids: list[int], direction: str) -> dict[int, PickupPassenger]:
    rows = db.session.scalars(sa.select(PickupPassenger).where(
        PickupPassenger.delegate_id.in_(delegate_ids), PickupPassenger.direction == direction)).all()
    return {p.delegate_id: p for p in rows}


def _board(run: PickupRun, delegate: Delegate, passenger: PickupPassenger | None) -> PickupPassenger:
    """The delegate's row for this direction on `run`: a new one, or their cancelled one again
    (same calendar UID, higher SEQUENCE). Another transaction boarding the same person first
    makes this one fail (unique row, conditional UPDATE)."""
    moved = _("This person was changed at the same moment elsewhere. Reload the page.")
    if passenger is None:
        passenger = PickupPassenger(run_id=run.id, event_id=run.event_id, delegate_id=delegate.id,
                                    direction=run.direction, starts_at=run.starts_at, place=run.place)
        try:
            with db.session.begin_nested():
                db.session.add(passenger)
        except IntegrityError:
            raise DomainError(moved, "delegates") from None
        return passenger
    result = db.session.execute(
        sa.update(PickupPassenger).where(PickupPassenger.id == passenger.id, PickupPassenger.run_id.is_(None))
        .values(run_id=run.id, sequence=PickupPassenger.sequence + 1, starts_at=run.starts_at, place=run.place)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise DomainError(moved, "delegates")
    db.session.refresh(passenger)
    return passenger


def _show(passenger: PickupPassenger, run: PickupRun) -> None:
    passenger.starts_at, passenger.place = run.starts_at, run.place
    passenger.sequence += 1


def _cancel(passenger: PickupPassenger, *, notify: bool = True) -> None:
    """Off the run: the seat goes back, the calendar entry becomes CANCELLED (SEQUENCE up)."""
    run = passenger.run
    result = db.session.execute(
        sa.update(PickupPassenger).where(PickupPassenger.id == passenger.id, PickupPassenger.run_id == run.id)
        .values(run_id=None, sequence=PickupPassenger.sequence + 1)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise DomainError(_("This person was changed at the same moment elsewhere. Reload the page."))
    _release(run.id)
    if notify:
        notifications.pickup_cancelled(passenger, run)
    db.session.expire(passenger)
    db.session.expire(run, ["seats_taken", "passengers"])


def _label(run: PickupRun) -> str:
    return f"{run.direction} {run.starts_at:%Y-%m-%d %H:%M}Z {run.place}".strip()


def _bump(event_id: int) -> None:
    bump(f"delegations:{event_id}")
