"""What the organizer's delegation pages read: an event's filtered delegations, its counts, totals
of the people registered (roles, needs, arrivals) and the waiting list. A constant number of
statements whatever the number of delegations: GROUP BY counts, the delegations with their unit
in one query and their delegates in one more, totals computed in Python from those rows."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload

from ..core.listing import text_search
from ..core.timezones import to_local
from ..events.models import Event
from ..extensions import db
from ..members.models import UNIT_KINDS, MemberUnit
from ..members.queries import unit_name_order
from .models import (
    ACTIVE_DELEGATE_STATUSES,
    DELEGATE_ROLES,
    DELEGATE_STATUSES,
    DELEGATION_STATUSES,
    Delegate,
    Delegation,
)

# What people type when they have no dietary need; not a need to count.
NO_NEED = {"", "-", "/", "none", "no", "nothing", "n/a", "na", "nil", "无", "没有", "无特殊要求"}


@dataclass(frozen=True)
class Filters:
    status: str = ""  # a delegation status
    kind: str = ""  # a member unit kind
    q: str = ""  # part of a unit's or a person's name

    def cleaned(self) -> Filters:
        """Unknown values are not applied."""
        return Filters(
            status=self.status if self.status in DELEGATION_STATUSES else "",
            kind=self.kind if self.kind in UNIT_KINDS else "",
            q=self.q,
        )

    def args(self) -> dict[str, str]:
        """As query-string values (the export links)."""
        return {k: v for k, v in asdict(self).items() if v}


def delegations(event_id: int, filters: Filters, *, with_sessions: bool = False,
                lang: str = "en") -> list[Delegation]:
    """The event's delegations matching `filters`, each with its unit and delegates loaded (joined:
    one statement, and less CPU than selectinload's second one), units in the reader's order."""
    delegates = joinedload(Delegation.delegates)
    if with_sessions:
        delegates = delegates.selectinload(Delegate.sessions)
    query = (
        db.select(Delegation)
        .join(Delegation.unit)
        .options(contains_eager(Delegation.unit), delegates)
        .where(Delegation.event_id == event_id)
    )
    if filters.status:
        query = query.where(Delegation.status == filters.status)
    if filters.kind:
        query = query.where(MemberUnit.kind == filters.kind)
    if filters.q:
        query = query.where(sa.or_(
            text_search(filters.q, MemberUnit.name_zh, MemberUnit.name_en),
            Delegation.delegates.any(
                text_search(filters.q, Delegate.family_name, Delegate.given_name, Delegate.name_zh)),
        ))
    query = query.order_by(*unit_name_order(lang), Delegation.id)
    return list(db.session.scalars(query).unique())


def people(delegation: Delegation) -> list[Delegate]:
    """The delegation's people, head first, then in the form's order."""
    return sorted(delegation.delegates, key=lambda d: (d.role != "head", d.position, d.id))


@dataclass
class Counts:
    delegations: dict[str, int]  # by delegation status (every status present, maybe 0)
    delegates: dict[str, int]  # by delegate status
    seats_taken: int
    capacity: int | None

    @property
    def seats_left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.seats_taken, 0)


def counts(event: Event) -> Counts:
    def by_status(model, statuses) -> dict[str, int]:
        found = dict(db.session.execute(db.select(model.status, sa.func.count())
                                        .where(model.event_id == event.id).group_by(model.status)).all())
        return {s: found.get(s, 0) for s in statuses}

    return Counts(by_status(Delegation, DELEGATION_STATUSES), by_status(Delegate, DELEGATE_STATUSES),
                  event.seats_taken, event.capacity)


@dataclass
class Need:
    text: str  # the most common spelling
    count: int


@dataclass
class PersonNote:
    delegate: Delegate
    unit: MemberUnit
    text: str


@dataclass
class DayCount:
    day: date
    arrivals: int = 0
    departures: int = 0


@dataclass
class Totals:
    people: int = 0  # active delegates (pending, confirmed, waitlisted)
    by_role: dict[str, dict[str, int]] = field(default_factory=dict)  # role -> status -> n
    dietary: list[Need] = field(default_factory=list)
    accessibility: list[PersonNote] = field(default_factory=list)
    days: list[DayCount] = field(default_factory=list)
    arrival_unknown: int = 0
    departure_unknown: int = 0


def need_key(text: str) -> str:
    """Two spellings of one need are the same: "Vegetarian " == "vegetarian"."""
    return re.sub(r"\s+", " ", text).strip().casefold()


def totals(rows: list[Delegation], zone_name: str) -> Totals:
    """Totals over the active delegates of `rows` (declined and removed people are not coming)."""
    out = Totals(by_role={r: {s: 0 for s in ACTIVE_DELEGATE_STATUSES} for r in DELEGATE_ROLES})
    spellings: dict[str, Counter] = {}
    days: dict[date, DayCount] = {}
    for delegation in rows:
        for person in people(delegation):
            if not person.is_active:
                continue
            out.people += 1
            out.by_role.setdefault(person.role, {s: 0 for s in ACTIVE_DELEGATE_STATUSES})
            out.by_role[person.role][person.status] += 1
            key = need_key(person.dietary)
            if key not in NO_NEED:
                spellings.setdefault(key, Counter())[" ".join(person.dietary.split())] += 1
            if person.accessibility.strip():
                out.accessibility.append(PersonNote(person, delegation.unit, person.accessibility.strip()))
            for side in ("arrival", "departure"):
                if (moment := getattr(person, f"{side}_at")) is None:
                    setattr(out, f"{side}_unknown", getattr(out, f"{side}_unknown") + 1)
                else:
                    day = to_local(moment, zone_name).date()
                    count = days.setdefault(day, DayCount(day))
                    setattr(count, f"{side}s", getattr(count, f"{side}s") + 1)
    out.dietary = sorted(
        (Need(c.most_common(1)[0][0], sum(c.values())) for c in spellings.values()),
        key=lambda n: (-n.count, n.text.casefold()),
    )
    out.days = [days[d] for d in sorted(days)]
    return out


@dataclass
class Waiting:
    position: int
    delegate: Delegate
    unit: MemberUnit


def waitlist(event_id: int) -> list[Waiting]:
    """Waitlisted delegates of the event in the order they will be promoted."""
    query = (
        db.select(Delegate, MemberUnit)
        .join(Delegation, Delegate.delegation_id == Delegation.id)
        .join(MemberUnit, Delegation.unit_id == MemberUnit.id)
        .where(Delegate.event_id == event_id, Delegate.status == "waitlisted")
        .order_by(Delegate.waitlisted_at.is_(None), Delegate.waitlisted_at, Delegate.id)
    )
    return [Waiting(i, d, u) for i, (d, u) in enumerate(db.session.execute(query).all(), start=1)]


def waitlist_position(delegate: Delegate) -> int | None:
    """1 for the next delegate to be promoted; None when the delegate is not waiting."""
    if delegate.status != "waitlisted":
        return None
    ahead = db.session.scalar(
        db.select(sa.func.count()).select_from(Delegate).where(
            Delegate.event_id == delegate.event_id,
            Delegate.status == "waitlisted",
            sa.or_(
                Delegate.waitlisted_at < delegate.waitlisted_at,
                sa.and_(Delegate.waitlisted_at == delegate.waitlisted_at, Delegate.id < delegate.id),
            ) if delegate.waitlisted_at is not None else Delegate.id < delegate.id,
        )
    )
    return (ahead or 0) + 1


# --- the liaison's receipt after submitting ----------------------------------------------------

@dataclass(frozen=True)
class ReceiptPerson:
    name_latin: str  # "Given FAMILY", "" if not given
    name_zh: str
    role: str  # a role code (labels.role)
    status: str  # a delegate status code
    sessions: list[str]  # titles of the chosen sessions, in the reader's language, by time


@dataclass(frozen=True)
class Receipt:
    delegation: Delegation
    people: list[ReceiptPerson]
    waitlisted: int  # active delegates on the waiting list
    pending: int  # active delegates awaiting the secretariat's approval


def receipt(delegation: Delegation, language: str) -> Receipt:
    """What a liaison registered: the active delegates in the form's order (id), each with the
    sessions they chose."""
    active = [d for d in sorted(delegation.delegates, key=lambda d: d.id) if d.is_active]
    people = [ReceiptPerson(
        name_latin=" ".join(p for p in (d.given_name, d.family_name.upper()) if p),
        name_zh=d.name_zh, role=d.role, status=d.status,
        sessions=[s.text("title", language)[0]
                  for s in sorted(d.sessions, key=lambda s: (s.starts_at, s.id))],
    ) for d in active]
    return Receipt(delegation=delegation, people=people,
                   waitlisted=sum(1 for d in active if d.status == "waitlisted"),
                   pending=sum(1 for d in active if d.status == "pending"))
