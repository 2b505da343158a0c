"""The read side of pickups: runs of an event, the arrivals overview by day and hour on the
event's clock, who fits a run, a run's manifest, and one person's pickups (page and feed)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import force_locale
from sqlalchemy.orm import selectinload

from ..calendar.builder import Entry
from ..core.collation import sort_key
from ..core.gettext import gettext as _
from ..core.timezones import to_local
from ..delegations.models import ACTIVE_DELEGATE_STATUSES, Delegate, Delegation
from ..events.models import Event
from ..extensions import db
from .models import DIRECTIONS, PickupPassenger, PickupRun
from .rules import suggestion_window


def runs(event_id: int, direction: str | None = None) -> list[PickupRun]:
    query = sa.select(PickupRun).where(PickupRun.event_id == event_id)
    if direction in DIRECTIONS:
        query = query.where(PickupRun.direction == direction)
    return list(db.session.scalars(query.order_by(PickupRun.starts_at, PickupRun.id)))


@dataclass
class Traveller:
    delegate: Delegate
    unit_name: str
    at: datetime  # local, on the event's clock
    number: str
    place: str
    run: PickupRun | None


@dataclass
class Hour:
    hour: datetime  # local, minutes zero
    people: list[Traveller] = field(default_factory=list)


@dataclass
class Day:
    day: date
    hours: list[Hour] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(h.people) for h in self.hours)


def _travellers(event: Event, direction: str, language: str) -> list[Traveller]:
    """Active delegates with a time for `direction`, on the event's clock, in time order."""
    column = getattr(Delegate, f"{direction}_at")
    rows = db.session.execute(
        sa.select(Delegate, Delegation).join(Delegation, Delegation.id == Delegate.delegation_id)
        .where(Delegate.event_id == event.id, Delegate.status.in_(ACTIVE_DELEGATE_STATUSES), column.is_not(None))
        .options(selectinload(Delegation.unit))).all()
    rides = {p.delegate_id: p.run for p in db.session.scalars(
        sa.select(PickupPassenger).where(PickupPassenger.event_id == event.id, PickupPassenger.direction == direction,
                                         PickupPassenger.run_id.is_not(None))
        .options(selectinload(PickupPassenger.run)))}
    people = [Traveller(d, g.unit.display_name(language), to_local(getattr(d, f"{direction}_at"), event.timezone),
                        getattr(d, f"{direction}_details"), getattr(d, f"{direction}_place"), rides.get(d.id))
              for d, g in rows]
    # By the instant (UTC): in the hour a DST end repeats, local times compare wrongly.
    return sorted(people, key=lambda t: (getattr(t.delegate, f"{direction}_at"),
                                         sort_key(t.delegate.display_name(language), language)))


def overview(event: Event, direction: str, language: str) -> list[Day]:
    """Arrivals (or departures) grouped by local day and hour: a day that changes its clocks
    has its own hours (23 or 25), each hour in the wall-clock time people read on their tickets."""
    days: dict[date, dict[tuple, Hour]] = defaultdict(dict)
    for person in _travellers(event, direction, language):
        start = person.at.replace(minute=0, second=0, microsecond=0)
        # The offset is part of the key: the hour a DST end repeats is two hours.
        key = (start.replace(tzinfo=None), person.at.utcoffset())
        days[start.date()].setdefault(key, Hour(start)).people.append(person)
    return [Day(day, list(hours.values())) for day, hours in sorted(days.items())]


def suggestions(run: PickupRun, language: str) -> list[Traveller]:
    """People not on a run in this direction whose travel time fits the run (rules.SUGGEST_WINDOW)
    and whose airport or station is the run's (ignoring case and spaces; all places when the run
    names none)."""
    low, high = suggestion_window(run)
    place = _norm(run.place)
    return [t for t in _travellers(run.event, run.direction, language)
            if t.run is None and low <= getattr(t.delegate, f"{run.direction}_at") <= high
            and (not place or _norm(t.place) == place)]


def unassigned(run: PickupRun, language: str) -> list[Traveller]:
    """Everyone else who could be put on the run (taking part, not on a run in this direction)."""
    return [t for t in _travellers(run.event, run.direction, language) if t.run is None]


def _norm(text: str) -> str:
    return " ".join((text or "").casefold().split())


def manifest(run: PickupRun, language: str) -> list[Traveller]:
    """The people on the run with their travel details, in travel-time order."""
    passengers = db.session.execute(
        sa.select(Delegate, Delegation).join(PickupPassenger, PickupPassenger.delegate_id == Delegate.id)
        .join(Delegation, Delegation.id == Delegate.delegation_id)
        .where(PickupPassenger.run_id == run.id).options(selectinload(Delegation.unit))).all()
    zone = run.event.timezone
    people = []
    for delegate, delegation in passengers:
        at = getattr(delegate, f"{run.direction}_at")
        people.append(Traveller(delegate, delegation.unit.display_name(language),
                                to_local(at, zone) if at else None, getattr(delegate, f"{run.direction}_details"),
                                getattr(delegate, f"{run.direction}_place"), run))
    return sorted(people, key=lambda t: (t.at is None, t.at or run.starts_at,
                                         sort_key(t.delegate.display_name(language), language)))


def passenger(run: PickupRun, passenger_id: int) -> PickupPassenger | None:
    return db.session.scalar(sa.select(PickupPassenger).where(
        PickupPassenger.id == passenger_id, PickupPassenger.run_id == run.id))


def passenger_ids(run: PickupRun) -> dict[int, int]:
    """delegate id -> passenger row id, for the manifest's "take off" buttons."""
    return dict(db.session.execute(sa.select(PickupPassenger.delegate_id, PickupPassenger.id)
                                   .where(PickupPassenger.run_id == run.id)).all())


def of_delegate(delegate_id: int, *, with_cancelled: bool = False) -> list[PickupPassenger]:
    """A person's pickups (the page: current ones; the feed: cancelled ones too), in time order."""
    query = (sa.select(PickupPassenger).where(PickupPassenger.delegate_id == delegate_id)
             .options(selectinload(PickupPassenger.run)).order_by(PickupPassenger.starts_at))
    if not with_cancelled:
        query = query.where(PickupPassenger.run_id.is_not(None))
    return list(db.session.scalars(query))


def of_delegates(delegate_ids: list[int]) -> dict[int, list[PickupPassenger]]:
    """Current pickups of several people (a delegation's page), by delegate id."""
    found: dict[int, list[PickupPassenger]] = defaultdict(list)
    if delegate_ids:
        for row in db.session.scalars(
                sa.select(PickupPassenger).where(PickupPassenger.delegate_id.in_(delegate_ids),
                                                 PickupPassenger.run_id.is_not(None))
                .options(selectinload(PickupPassenger.run)).order_by(PickupPassenger.starts_at)):
            found[row.delegate_id].append(row)
    return found


# How long a pickup entry lasts in calendars (the ride; the run has no end time).
ENTRY_LENGTH = timedelta(hours=1)


def calendar_entries(delegate: Delegate, event: Event, language: str) -> list[Entry]:
    """The person's pickups as calendar entries in `language`: current ones, and cancelled ones
    (same UID, higher SEQUENCE, STATUS:CANCELLED) so calendars that hold them drop them."""
    entries = []
    # A cancelled event cancels its pickups too, one SEQUENCE above what they last showed.
    called_off = int(event.status == "cancelled")
    with force_locale(language):
        for passenger in of_delegate(delegate.id, with_cancelled=True):
            run = None if called_off else passenger.run
            title = _("Pickup: %(place)s") if passenger.direction == "arrival" else _("Ride to %(place)s")
            summary = str(title) % {"place": passenger.place or event.text("title", language)[0]}
            if run is None:
                entries.append(Entry(passenger.uid, passenger.sequence + called_off, passenger.starts_at,
                                     passenger.starts_at + ENTRY_LENGTH, _("Cancelled: %(what)s", what=summary),
                                     _("This pickup was cancelled."), cancelled=True))
                continue
            details = [_("Vehicle: %(vehicle)s", vehicle=run.vehicle) if run.vehicle else "",
                       _("Driver: %(name)s %(contact)s", name=run.driver_name, contact=run.driver_contact).strip()
                       if run.driver_name or run.driver_contact else "",
                       _("Part of: %(event)s", event=event.text("title", language)[0])]
            entries.append(Entry(passenger.uid, passenger.sequence, run.starts_at, run.starts_at + ENTRY_LENGTH,
                                 summary, "\n".join(d for d in details if d),
                                 run.text("meeting_point", language)[0]))
    return entries
