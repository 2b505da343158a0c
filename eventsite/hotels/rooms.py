"""Rooms of a block, taken and given back only under the block's row lock.

Two organizers assigning the last room at once must not both get it. Every use case that changes
who sleeps in a block first locks the block rows it touches, in id order (no deadlock between two
batches) with core.locking.lock_rows: `SELECT ... FOR UPDATE` on PostgreSQL (the second
transaction waits, then reads what the first committed); on SQLite a no-op UPDATE of the rows,
which takes the database's write lock (pysqlite begins the transaction at the first write; the
other writer waits up to its busy timeout). A new room is then taken by one conditional UPDATE of `rooms_used` (as
delegations/seats.py takes a seat), and the CHECK `rooms_used <= rooms` refuses what a bug might
still try. Beds are rows unique per (block, room, bed), so a room never holds three.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm.util import identity_key

from ..core.locking import lock_rows
from ..extensions import db
from .models import RoomAssignment, RoomBlock

_block = RoomBlock.__table__


def lock(block_ids: Iterable[int]) -> None:
    """Lock the blocks' rows (see the module doc); what is read afterwards is current."""
    ids = sorted({i for i in block_ids if i is not None})
    if not ids:
        return
    lock_rows(_block, _block.c.id.in_(ids))
    for block_id in ids:
        _forget_count(block_id)


def open_room(block: RoomBlock) -> int | None:
    """Take a free room of `block`: its number (the lowest free one), or None when all are taken."""
    result = db.session.execute(
        sa.update(_block).where(_block.c.id == block.id, _block.c.rooms_used < _block.c.rooms)
        .values(rooms_used=_block.c.rooms_used + 1))
    _forget_count(block.id)
    if result.rowcount != 1:
        return None
    taken = set(db.session.scalars(sa.select(RoomAssignment.room_no).where(RoomAssignment.block_id == block.id)))
    return next(n for n in itertools.count(1) if n not in taken)


def occupants(block_id: int, room_no: int) -> list[RoomAssignment]:
    return list(db.session.scalars(
        sa.select(RoomAssignment).where(RoomAssignment.block_id == block_id, RoomAssignment.room_no == room_no)
        .order_by(RoomAssignment.bed)))


def free_bed(block: RoomBlock, room_no: int) -> int | None:
    """The free bed of a room that has a guest (None: full, or a single room)."""
    used = {a.bed for a in occupants(block.id, room_no)}
    return next((bed for bed in range(1, block.beds + 1) if bed not in used), None)


def vacate(assignment: RoomAssignment) -> None:
    """Take the guest out; the room goes back to the block when nobody is left in it."""
    block_id, room_no = assignment.block_id, assignment.room_no
    db.session.delete(assignment)
    db.session.flush()
    if not occupants(block_id, room_no):
        db.session.execute(sa.update(_block).where(_block.c.id == block_id, _block.c.rooms_used > 0)
                           .values(rooms_used=_block.c.rooms_used - 1))
        _forget_count(block_id)


def roommate(assignment: RoomAssignment) -> RoomAssignment | None:
    return next((a for a in occupants(assignment.block_id, assignment.room_no) if a.id != assignment.id), None)


def _forget_count(block_id: int) -> None:
    block = db.session.identity_map.get(identity_key(RoomBlock, block_id))
    if block is not None:
        db.session.expire(block, ["rooms_used", "rooms"])
