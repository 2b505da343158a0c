"""The read side of hotels: what the organizer's, the liaison's and the delegate's pages show."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..core.collation import sort_key
from ..delegations.models import Delegate, Delegation
from ..extensions import db
from .models import Hotel, RoomAssignment, RoomBlock, RoomRequest


@dataclass
class Stay:
    """One guest's stay as they read it."""

    hotel: str
    address: str
    phone: str
    room_type: str
    check_in: date
    check_out: date
    nights: int
    roommate: str  # the roommate's name only ("" when alone)
    roommate_id: int | None = None


def _roommates(assignments: list[RoomAssignment]) -> dict[int, RoomAssignment]:
    """{delegate id: the roommate's assignment}, for every assignment given."""
    if not assignments:
        return {}
    rooms = {(a.block_id, a.room_no) for a in assignments}
    others = db.session.scalars(
        sa.select(RoomAssignment).options(selectinload(RoomAssignment.delegate))
        .where(RoomAssignment.block_id.in_({b for b, _n in rooms}))).all()
    by_room: dict[tuple[int, int], list[RoomAssignment]] = {}
    for other in others:
        by_room.setdefault((other.block_id, other.room_no), []).append(other)
    return {a.delegate_id: mate for a in assignments
            for mate in by_room.get((a.block_id, a.room_no), []) if mate.id != a.id}


def stay(assignment: RoomAssignment, language: str) -> Stay:
    block, hotel = assignment.block, assignment.block.hotel
    mate = _roommates([assignment]).get(assignment.delegate_id)
    return Stay(hotel=hotel.shown("name", language), address=hotel.shown("address", language),
                phone=hotel.phone, room_type=block.shown("room_type", language),
                check_in=assignment.check_in, check_out=assignment.check_out, nights=assignment.nights,
                roommate=mate.delegate.display_name(language) if mate else "",
                roommate_id=mate.delegate_id if mate else None)


def delegate_room(delegate: Delegate, language: str) -> Stay | None:
    assignment = db.session.scalar(sa.select(RoomAssignment).where(RoomAssignment.delegate_id == delegate.id))
    return stay(assignment, language) if assignment is not None else None


def hotels(event_id: int) -> list[Hotel]:
    return list(db.session.scalars(
        sa.select(Hotel).where(Hotel.event_id == event_id).options(selectinload(Hotel.blocks))
        .order_by(Hotel.id)))


def guests_per_block(event_id: int) -> dict[int, int]:
    return dict(db.session.execute(
        sa.select(RoomAssignment.block_id, sa.func.count()).where(RoomAssignment.event_id == event_id)
        .group_by(RoomAssignment.block_id)).all())


def block_choices(event_id: int, language: str) -> list[tuple[str, str]]:
    """("", no room) and every block as "Hotel · room type · nights · free rooms"."""
    choices = [("", "—")]
    for hotel in hotels(event_id):
        for block in hotel.blocks:
            choices.append((str(block.id), " · ".join((
                hotel.shown("name", language), block.shown("room_type", language),
                f"{block.check_in.isoformat()}–{block.check_out.isoformat()}",
                f"{block.rooms - block.rooms_used}/{block.rooms}"))))
    return choices


@dataclass
class AssignmentRow:
    delegate: Delegate
    unit: str
    request: RoomRequest | None
    assignment: RoomAssignment | None
    roommate: Delegate | None


def seated_delegates(event_id: int) -> list[Delegate]:
    """The people who may get a room: confirmed delegates of confirmed delegations."""
    return list(db.session.scalars(
        sa.select(Delegate).join(Delegation, Delegation.id == Delegate.delegation_id)
        .where(Delegate.event_id == event_id, Delegate.status == "confirmed", Delegation.status == "confirmed")
        .options(selectinload(Delegate.delegation).selectinload(Delegation.unit))
        .order_by(Delegate.delegation_id, Delegate.position, Delegate.id)))


def assignment_rows(event_id: int, language: str) -> list[AssignmentRow]:
    people = seated_delegates(event_id)
    ids = [d.id for d in people] or [0]
    assignments = {a.delegate_id: a for a in db.session.scalars(
        sa.select(RoomAssignment).where(RoomAssignment.delegate_id.in_(ids)))}
    asked = {r.delegate_id: r for r in db.session.scalars(
        sa.select(RoomRequest).where(RoomRequest.delegate_id.in_(ids)))}
    mates = _roommates(list(assignments.values()))
    rows = [AssignmentRow(d, d.delegation.unit.display_name(language), asked.get(d.id), assignments.get(d.id),
                          mates[d.id].delegate if d.id in mates else None) for d in people]
    rows.sort(key=lambda r: (sort_key(r.unit, language), r.delegate.delegation_id, r.delegate.position, r.delegate.id))
    return rows


@dataclass
class MemberRoom:
    delegate: Delegate
    request: RoomRequest | None
    stay: Stay | None


def unit_rooms(delegation: Delegation, language: str) -> list[MemberRoom]:
    """The liaison's view: every active member, what was asked, what was assigned."""
    members = [d for d in delegation.delegates if d.is_active]
    ids = [d.id for d in members] or [0]
    asked = {r.delegate_id: r for r in db.session.scalars(
        sa.select(RoomRequest).where(RoomRequest.delegate_id.in_(ids)))}
    assignments = {a.delegate_id: a for a in db.session.scalars(
        sa.select(RoomAssignment).where(RoomAssignment.delegate_id.in_(ids)))}
    return [MemberRoom(d, asked.get(d.id),
                       stay(assignments[d.id], language) if d.id in assignments else None) for d in members]


def block_of(event_id: int, block_id: int) -> RoomBlock | None:
    return db.session.scalar(sa.select(RoomBlock).where(RoomBlock.id == block_id, RoomBlock.event_id == event_id))
