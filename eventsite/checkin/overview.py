"""The organizers' live numbers of an event (the live page and its live.json): arrived / expected
per unit and in all, per agenda session (checked in / capacity), the no-shows and the latest
check-ins. A fixed number of statements whatever the size of the event
(tests/checkin/test_live.py counts them)."""
from __future__ import annotations

from dataclasses import asdict, dataclass

import sqlalchemy as sa

from ..accounts.models import User
from ..core.collation import sort_key
from ..core.listing import text_search
from ..core.timefmt import local_time
from ..delegations import labels as delegation_labels
from ..delegations.models import ADMITTED_DELEGATE_STATUSES, Delegate, Delegation
from ..events.models import AgendaSession, Event
from ..extensions import db
from ..members.models import MemberUnit, name_in
from . import labels
from .models import CheckIn, SessionCheckIn

RECENT = 20


@dataclass
class UnitLine:
    unit_id: int
    name: str
    arrived: int
    expected: int


@dataclass
class SessionLine:
    session_id: int
    title: str
    when: str
    checked_in: int
    capacity: int | None

    @property
    def full(self) -> bool:
        return self.capacity is not None and self.checked_in >= self.capacity


@dataclass
class Person:
    delegate_id: int
    name: str
    unit: str
    role: str


@dataclass
class Arrival:
    checkin_id: int
    name: str
    unit: str
    when: str
    by: str
    method: str


@dataclass
class Live:
    arrived: int
    expected: int
    units: list[UnitLine]
    sessions: list[SessionLine]
    no_shows: list[Person]
    recent: list[Arrival]

    def as_json(self) -> dict:
        data = asdict(self)
        for line, session in zip(data["sessions"], self.sessions):
            line["full"] = session.full
        return data


def _name(row, lang: str) -> str:
    return Delegate.display_name(row, lang)


def live(event: Event, lang: str) -> Live:
    units = _units(event, lang)
    return Live(arrived=sum(u.arrived for u in units), expected=sum(u.expected for u in units),
                units=units, sessions=_sessions(event, lang), no_shows=_no_shows(event, lang),
                recent=_recent(event, lang))


def _units(event: Event, lang: str) -> list[UnitLine]:
    rows = db.session.execute(
        sa.select(MemberUnit.id, MemberUnit.name_en, MemberUnit.name_zh,
                  sa.func.count(Delegate.id), sa.func.count(CheckIn.id))
        .select_from(Delegate)
        .join(Delegation, Delegation.id == Delegate.delegation_id)
        .join(MemberUnit, MemberUnit.id == Delegation.unit_id)
        .outerjoin(CheckIn, sa.and_(CheckIn.delegate_id == Delegate.id, CheckIn.event_id == event.id))
        .where(Delegate.event_id == event.id, Delegate.status.in_(ADMITTED_DELEGATE_STATUSES))
        .group_by(MemberUnit.id, MemberUnit.name_en, MemberUnit.name_zh)
    ).all()
    lines = [UnitLine(row[0], name_in(lang, row[1], row[2]), row[4], row[3]) for row in rows]
    return sorted(lines, key=lambda line: (sort_key(line.name, lang), line.name))


def _sessions(event: Event, lang: str) -> list[SessionLine]:
    rows = db.session.execute(
        sa.select(AgendaSession.id, AgendaSession.title_en, AgendaSession.title_zh, AgendaSession.starts_at,
                  AgendaSession.capacity, sa.func.count(SessionCheckIn.id))
        .outerjoin(SessionCheckIn, SessionCheckIn.session_id == AgendaSession.id)
        .where(AgendaSession.event_id == event.id)
        .group_by(AgendaSession.id, AgendaSession.title_en, AgendaSession.title_zh, AgendaSession.starts_at,
                  AgendaSession.capacity)
        .order_by(AgendaSession.starts_at, AgendaSession.id)
    ).all()
    return [SessionLine(row[0], name_in(lang, row[1], row[2]), local_time(row[3], event.timezone, "short"),
                        row[5], row[4]) for row in rows]


def _no_shows(event: Event, lang: str) -> list[Person]:
    """Admitted and not checked in at the door, by unit (reader's order) and name."""
    rows = db.session.execute(
        sa.select(Delegate.id, Delegate.given_name, Delegate.family_name, Delegate.name_zh, Delegate.role,
                  MemberUnit.name_en, MemberUnit.name_zh.label("unit_zh"))
        .join(Delegation, Delegation.id == Delegate.delegation_id)
        .join(MemberUnit, MemberUnit.id == Delegation.unit_id)
        .outerjoin(CheckIn, sa.and_(CheckIn.delegate_id == Delegate.id, CheckIn.event_id == event.id))
        .where(Delegate.event_id == event.id, Delegate.status.in_(ADMITTED_DELEGATE_STATUSES),
               CheckIn.id.is_(None))
    ).all()
    people = [Person(row.id, _name(row, lang), name_in(lang, row.name_en, row.unit_zh),
                     delegation_labels.role(row.role)) for row in rows]
    return sorted(people, key=lambda p: (sort_key(p.unit, lang), sort_key(p.name, lang), p.delegate_id))


def _recent(event: Event, lang: str) -> list[Arrival]:
    rows = db.session.execute(
        sa.select(CheckIn.id.label("checkin_id"), CheckIn.scanned_at, CheckIn.method,
                  Delegate.given_name, Delegate.family_name, Delegate.name_zh,
                  MemberUnit.name_en, MemberUnit.name_zh.label("unit_zh"), User.name.label("by_name"),
                  User.email.label("by_email"))
        .join(Delegate, Delegate.id == CheckIn.delegate_id)
        .join(Delegation, Delegation.id == Delegate.delegation_id)
        .join(MemberUnit, MemberUnit.id == Delegation.unit_id)
        .outerjoin(User, User.id == CheckIn.by_id)
        .where(CheckIn.event_id == event.id)
        .order_by(CheckIn.scanned_at.desc(), CheckIn.id.desc())
        .limit(RECENT)
    ).all()
    return [Arrival(row.checkin_id, _name(row, lang), name_in(lang, row.name_en, row.unit_zh),
                    local_time(row.scanned_at, event.timezone), row.by_name or row.by_email or "—",
                    labels.method(row.method)) for row in rows]


@dataclass
class Found:
    delegate_id: int
    name: str
    unit: str
    role: str
    checkin_id: int | None
    when: str


SEARCH_LIMIT = 30


def search(event: Event, text: str, lang: str) -> list[Found]:
    """Admitted people whose name or unit contains `text`, with their door check-in if any."""
    if not text:
        return []
    rows = db.session.execute(
        sa.select(Delegate.id, Delegate.given_name, Delegate.family_name, Delegate.name_zh, Delegate.role,
                  MemberUnit.name_en, MemberUnit.name_zh.label("unit_zh"), CheckIn.id.label("checkin_id"),
                  CheckIn.scanned_at)
        .join(Delegation, Delegation.id == Delegate.delegation_id)
        .join(MemberUnit, MemberUnit.id == Delegation.unit_id)
        .outerjoin(CheckIn, sa.and_(CheckIn.delegate_id == Delegate.id, CheckIn.event_id == event.id))
        .where(Delegate.event_id == event.id, Delegate.status.in_(ADMITTED_DELEGATE_STATUSES),
               text_search(text, Delegate.family_name, Delegate.given_name, Delegate.name_zh,
                           MemberUnit.name_en, MemberUnit.name_zh))
        .order_by(Delegate.id).limit(SEARCH_LIMIT)
    ).all()
    found = [Found(row.id, _name(row, lang), name_in(lang, row.name_en, row.unit_zh),
                   delegation_labels.role(row.role), row.checkin_id,
                   local_time(row.scanned_at, event.timezone) if row.scanned_at else "") for row in rows]
    return sorted(found, key=lambda f: (sort_key(f.unit, lang), sort_key(f.name, lang), f.delegate_id))


def walk_in_units(lang: str) -> list[tuple[int, str]]:
    """Every active member unit, in the reader's order (the walk-in form's choices)."""
    rows = db.session.execute(sa.select(MemberUnit.id, MemberUnit.name_en, MemberUnit.name_zh)
                              .where(MemberUnit.is_active.is_(True))).all()
    units = [(row.id, name_in(lang, row.name_en, row.name_zh)) for row in rows]
    return sorted(units, key=lambda u: (sort_key(u[1], lang), u[1]))
