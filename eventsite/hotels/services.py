"""Use cases of hotels: hotels and blocks (organizers), room assignments in batches (organizers),
room requests (liaisons). Each checks its rules, writes, audits, mails and commits once; the
rooms themselves are taken and given back by rooms.py under the block's lock."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from ..audit.services import record
from ..core.domain import DomainError, Problems, atomic
from ..core.gettext import gettext as _
from ..delegations.models import Delegate, Delegation
from ..extensions import db
from . import notifications, rooms, rules
from .models import Hotel, RoomAssignment, RoomBlock, RoomRequest


def _commit() -> None:
    """Two organizers changing one person at once: the loser's unique key fails here."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise DomainError(_("Someone changed these rooms at the same moment. Reload the page and "
                            "try again.")) from None


def _label(obj) -> str:
    return obj.name_en or obj.name_zh if isinstance(obj, Hotel) else obj.room_type_en or obj.room_type_zh


# --- hotels and blocks ----------------------------------------------------------------------

def check_hotel(values: dict) -> None:
    rules.hotel_problems(values).raise_if_any()


@atomic
def save_hotel(event, hotel: Hotel | None, values: dict, actor) -> Hotel:
    check_hotel(values)
    created = hotel is None
    if created:
        hotel = Hotel(event_id=event.id)
        db.session.add(hotel)
    changes = {k: [getattr(hotel, k), v] for k, v in values.items() if getattr(hotel, k, None) != v}
    for key, value in values.items():
        setattr(hotel, key, value)
    db.session.flush()
    record("hotel.create" if created else "hotel.update", hotel, actor=actor, target_label=_label(hotel),
           details={"event": event.id, "fields": sorted(changes)})
    _commit()
    return hotel


@atomic
def delete_hotel(hotel: Hotel, actor) -> None:
    rooms.lock(b.id for b in hotel.blocks)
    if any(b.rooms_used for b in hotel.blocks):
        raise DomainError(_("Guests are assigned to this hotel: move or remove them first."))
    record("hotel.delete", hotel, actor=actor, target_label=_label(hotel), details={"event": hotel.event_id})
    db.session.delete(hotel)
    _commit()


def check_block(values: dict, block: RoomBlock | None = None) -> None:
    problems = rules.block_problems(values, block.rooms_used if block else 0)
    if block is not None and not problems:
        _check_guests_fit(block, values, problems)
    problems.raise_if_any()


def _check_guests_fit(block: RoomBlock, values: dict, problems: Problems) -> None:
    """Guests already in the block keep fitting: their nights within the new ones, two to a room
    only while rooms are shared."""
    guests = db.session.scalars(sa.select(RoomAssignment).where(RoomAssignment.block_id == block.id)).all()
    if any(a.check_in < values["check_in"] or a.check_out > values["check_out"] for a in guests):
        problems.add("check_in", _("Some guests stay outside these dates: change their dates first."))
    if values["beds"] == 1 and any(a.bed == 2 for a in guests):
        problems.add("beds", _("Some rooms have two guests: move one of them first."))


@atomic
def save_block(hotel: Hotel, block: RoomBlock | None, values: dict, actor) -> RoomBlock:
    created = block is None
    if created:
        check_block(values)
        block = RoomBlock(hotel_id=hotel.id, event_id=hotel.event_id, rooms_used=0)
        db.session.add(block)
    else:
        rooms.lock([block.id])
        check_block(values, block)
    changes = sorted(k for k, v in values.items() if getattr(block, k, None) != v)
    for key, value in values.items():
        setattr(block, key, value)
    db.session.flush()
    record("room_block.create" if created else "room_block.update", block, actor=actor,
           target_label=_label(block), details={"hotel": hotel.id, "fields": changes, "rooms": block.rooms})
    _commit()
    return block


@atomic
def delete_block(block: RoomBlock, actor) -> None:
    rooms.lock([block.id])
    if block.rooms_used:
        raise DomainError(_("Guests are assigned to this block: move or remove them first."))
    record("room_block.delete", block, actor=actor, target_label=_label(block), details={"hotel": block.hotel_id})
    db.session.delete(block)
    _commit()


# --- assignments ----------------------------------------------------------------------------

@dataclass
class Change:
    """What the organizer wants for one delegate: a block (None: no room), a roommate, own
    nights (None: the block's) and a note for the hotel."""

    delegate_id: int
    block_id: int | None
    mate_id: int | None = None
    check_in: date | None = None
    check_out: date | None = None
    notes: str = ""


@dataclass
class _Plan:
    index: int
    delegate: Delegate
    current: RoomAssignment | None
    block: RoomBlock | None
    mate: Delegate | None
    check_in: date | None
    check_out: date | None
    notes: str
    kind: str = ""  # what the delegate is told: assigned, moved, dates, removed


def seated(delegate: Delegate) -> bool:
    """Only people holding a seat in a confirmed delegation get a room."""
    return delegate.status == "confirmed" and delegate.delegation.status == "confirmed"


def assignment_of(delegate_id: int) -> RoomAssignment | None:
    return db.session.scalar(sa.select(RoomAssignment).where(RoomAssignment.delegate_id == delegate_id))


@atomic
def assign(event, changes: list[Change], actor) -> dict[str, int]:
    """Apply the organizer's changes in one transaction: what changed is audited and each person
    whose room changed gets one email. Returns how many of each kind of change."""
    # Every block of the event, locked before anything is read: the plan is made on what is
    # current, and two batches never interleave.
    rooms.lock(db.session.scalars(sa.select(RoomBlock.id).where(RoomBlock.event_id == event.id)))
    plans = _plans(event, changes)
    problems = Problems()
    for plan in [p for p in plans if p.current and p.kind in ("moved", "removed")]:
        rooms.vacate(plan.current)
    for plan in plans:
        if plan.kind in ("assigned", "moved"):
            _place(plan, actor, problems)
        elif plan.kind == "dates":
            plan.current.check_in, plan.current.check_out = plan.check_in, plan.check_out
            plan.current.notes = plan.notes
    problems.raise_if_any()
    db.session.flush()
    counts = {"assigned": 0, "moved": 0, "dates": 0, "removed": 0}
    for plan in plans:
        if plan.kind:
            counts[plan.kind] += 1
            _tell(plan, "room.assign" if plan.kind == "assigned" else "room.move" if plan.kind == "moved"
                  else "room.dates" if plan.kind == "dates" else "room.remove", actor)
    _commit()
    return counts


def check_assignments(event, changes: list[Change]) -> None:
    """The rows' rules without writing (a page with mistakes of its own shows these too)."""
    _plans(event, changes)


def _plans(event, changes: list[Change]) -> list[_Plan]:
    """The changes that change something, each checked; every problem at once."""
    problems = Problems()
    blocks = {b.id: b for b in db.session.scalars(sa.select(RoomBlock).where(RoomBlock.event_id == event.id))}
    wanted = {c.delegate_id for c in changes} | {c.mate_id for c in changes if c.mate_id}
    people = {d.id: d for d in db.session.scalars(
        sa.select(Delegate).where(Delegate.event_id == event.id, Delegate.id.in_(wanted or {0})))}
    plans = []
    for index, change in enumerate(changes):
        plan = _plan(index, change, blocks, people, problems)
        if plan is not None and plan.kind:
            plans.append(plan)
    problems.raise_if_any()
    return plans


def _plan(index: int, change: Change, blocks: dict, people: dict, problems: Problems) -> _Plan | None:
    field = f"rows-{index}-"
    delegate = people.get(change.delegate_id)
    if delegate is None:
        problems.add(f"{field}block", _("This person is not a delegate of this event."))
        return None
    current = assignment_of(delegate.id)
    block = blocks.get(change.block_id) if change.block_id is not None else None
    if change.block_id is not None and block is None:
        problems.add(f"{field}block", _("Choose a room block of this event."))
        return None
    if block is None:
        return _Plan(index, delegate, current, None, None, None, None, "", "removed" if current else "")
    plan = _Plan(index, delegate, current, block, people.get(change.mate_id) if change.mate_id else None,
                 change.check_in or block.check_in, change.check_out or block.check_out, change.notes)
    _check_plan(plan, change, field, problems)
    plan.kind = _kind(plan)
    return plan


def _check_plan(plan: _Plan, change: Change, field: str, problems: Problems) -> None:
    if not seated(plan.delegate):
        problems.add(f"{field}block", _("Only confirmed delegates of confirmed delegations get a room."))
    if change.mate_id is not None:
        if plan.mate is None or plan.mate.id == plan.delegate.id or not seated(plan.mate):
            problems.add(f"{field}mate", _("Choose another confirmed delegate of this event."))
        elif not plan.block.is_shared:
            problems.add(f"{field}mate", _("This block has single rooms: choose a block of shared rooms."))
    wrong = rules.dates_problem(plan.block.check_in, plan.block.check_out, plan.check_in, plan.check_out)
    if wrong:
        early = plan.check_in < plan.block.check_in and plan.check_in < plan.check_out
        problems.add(f"{field}check_in" if early else f"{field}check_out", wrong)


def _kind(plan: _Plan) -> str:
    current = plan.current
    if current is None:
        return "assigned"
    if current.block_id != plan.block.id:
        return "moved"
    mate = rooms.roommate(current)
    now, wanted = (mate.delegate_id if mate else None), (plan.mate.id if plan.mate else None)
    # Alone and waiting for a roommate who has no room yet: they stay (the roommate joins them).
    waiting = now is None and wanted is not None and assignment_of(wanted) is None
    if now != wanted and not waiting:
        return "moved"
    same = (current.check_in, current.check_out, current.notes) == (plan.check_in, plan.check_out, plan.notes)
    return "" if same else "dates"


def _place(plan: _Plan, actor, problems: Problems) -> None:
    """Into the roommate's room when they are in this block with a bed free, else a room of
    their own (a roommate assigned later in the batch joins it)."""
    field, block = f"rows-{plan.index}-", plan.block
    room_no = bed = None
    mate_room = assignment_of(plan.mate.id) if plan.mate else None
    if mate_room is not None:
        if mate_room.block_id != block.id:
            problems.add(f"{field}mate", _("The roommate is in another block: assign them to this block too."))
            return
        room_no, bed = mate_room.room_no, rooms.free_bed(block, mate_room.room_no)
        if bed is None:
            problems.add(f"{field}mate", _("That room already has two guests."))
            return
    else:
        room_no, bed = rooms.open_room(block), 1
        if room_no is None:
            problems.add(f"{field}block", _("No room is free in this block."))
            return
    db.session.add(RoomAssignment(event_id=block.event_id, delegate_id=plan.delegate.id, block_id=block.id,
                                  room_no=room_no, bed=bed, check_in=plan.check_in, check_out=plan.check_out,
                                  notes=plan.notes, assigned_by_id=getattr(actor, "id", None)))
    db.session.flush()


def _tell(plan: _Plan, action: str, actor) -> None:
    assignment = assignment_of(plan.delegate.id)
    details = {"kind": plan.kind}
    if assignment is not None:
        details |= {"block": assignment.block_id, "room": assignment.room_no,
                    "check_in": assignment.check_in.isoformat(), "check_out": assignment.check_out.isoformat()}
    record(action, plan.delegate, actor=actor, target_label=plan.delegate.display_name(),
           details=details)
    notifications.room_changed(plan.delegate, plan.kind, assignment)


def release(delegate: Delegate, actor=None) -> bool:
    """A delegate who left (removed, declined, withdrawn with the delegation) frees their bed;
    run inside the caller's transaction (receivers.py). True if they had one."""
    current = assignment_of(delegate.id)
    if current is None:
        return False
    rooms.lock([current.block_id])
    current = assignment_of(delegate.id)
    if current is None:
        return False
    record("room.release", delegate, actor=actor, target_label=delegate.display_name(),
           details={"block": current.block_id, "room": current.room_no})
    rooms.vacate(current)
    return True


# --- what the liaison asks for ----------------------------------------------------------------

@dataclass
class Wish:
    delegate_id: int
    kind: str
    share_with_id: int | None = None
    note: str = ""


@atomic
def save_requests(delegation: Delegation, wishes: list[Wish], actor) -> int:
    """The unit's room requests for its active members; returns how many changed."""
    members = {d.id: d for d in delegation.delegates if d.is_active}
    problems = Problems()
    for index, wish in enumerate(wishes):
        if wish.delegate_id not in members:
            problems.add(f"rows-{index}-kind", _("This person is not an active member of your delegation."))
        elif wrong := rules.request_problem(wish.kind, wish.share_with_id, wish.delegate_id, set(members)):
            problems.add(f"rows-{index}-{'share_with' if wish.kind == 'share' else 'kind'}", wrong)
    problems.raise_if_any()
    existing = {r.delegate_id: r for r in db.session.scalars(
        sa.select(RoomRequest).where(RoomRequest.delegate_id.in_(members or {0})))}
    changed = 0
    for wish in wishes:
        request = existing.get(wish.delegate_id)
        values = (wish.kind, wish.share_with_id if wish.kind == "share" else None, wish.note)
        if request is not None and (request.kind, request.share_with_id, request.note) == values:
            continue
        if request is None:
            request = RoomRequest(event_id=delegation.event_id, delegate_id=wish.delegate_id)
            db.session.add(request)
        request.kind, request.share_with_id, request.note = values
        request.updated_by_id = getattr(actor, "id", None)
        changed += 1
    if changed:
        record("room.request", delegation, actor=actor, target_label=delegation.unit.display_name(),
               details={"changed": changed})
    _commit()
    return changed
