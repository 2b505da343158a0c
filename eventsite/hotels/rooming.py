"""Rooming lists: each list issued to a hotel is kept (its rows), so the next one marks the rows
that are new, changed or removed since; the first list marks nothing. Issuing is audited (who
took which list) and committed with the kept rows."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..audit.services import record
from ..delegations.models import Delegate, Delegation
from ..extensions import db
from . import exports
from .models import Hotel, RoomAssignment, RoomBlock, RoomingList


def guest_name(delegate: Delegate) -> str:
    """As in the passport if known, else the Latin name (FAMILY Given), else the Chinese one."""
    latin = " ".join(p for p in (delegate.family_name.upper(), delegate.given_name) if p)
    return delegate.passport_name or latin or delegate.name_zh


def current_rows(hotel: Hotel) -> dict[str, dict]:
    """{delegate id: row}, in block, room and bed order; names and labels in the hotel's language."""
    language = hotel.list_language
    assignments = db.session.scalars(
        sa.select(RoomAssignment).join(RoomBlock, RoomBlock.id == RoomAssignment.block_id)
        .where(RoomBlock.hotel_id == hotel.id)
        .options(selectinload(RoomAssignment.delegate).selectinload(Delegate.delegation)
                 .selectinload(Delegation.unit), selectinload(RoomAssignment.block))
        .order_by(RoomBlock.check_in, RoomBlock.id, RoomAssignment.room_no, RoomAssignment.bed)).all()
    by_room: dict[tuple[int, int], list[RoomAssignment]] = {}
    for a in assignments:
        by_room.setdefault((a.block_id, a.room_no), []).append(a)
    rows = {}
    for a in assignments:
        mates = [m for m in by_room[(a.block_id, a.room_no)] if m.id != a.id]
        person = a.delegate
        rows[str(person.id)] = {
            "guest": guest_name(person), "name_zh": person.name_zh,
            "unit": person.delegation.unit.display_name(language),
            "room_type": a.block.shown("room_type", language),
            "shared_with": "; ".join(guest_name(m.delegate) for m in mates),
            "check_in": a.check_in.isoformat(), "check_out": a.check_out.isoformat(),
            "nights": a.nights, "notes": a.notes,
        }
    return rows


def marked(rows: dict[str, dict], previous: dict[str, dict] | None) -> list[tuple[dict, str]]:
    """(row, mark) for today's rows, then the removed ones; no marks without a previous list."""
    if previous is None:
        return [(row, "") for row in rows.values()]
    out = [(row, "" if previous.get(key) == row else ("changed" if key in previous else "new"))
           for key, row in rows.items()]
    return out + [(row, "removed") for key, row in previous.items() if key not in rows]


def last_list(hotel: Hotel) -> RoomingList | None:
    return db.session.scalar(sa.select(RoomingList).where(RoomingList.hotel_id == hotel.id)
                             .order_by(RoomingList.issued_at.desc(), RoomingList.id.desc()).limit(1))


def issue(hotel: Hotel, fmt: str, actor) -> bytes:
    """The file of a new list; its rows are kept for the next one."""
    rows = current_rows(hotel)
    previous = last_list(hotel)
    table = [exports.cells(row, mark, hotel.list_language)
             for row, mark in marked(rows, previous.rows if previous else None)]
    data = exports.to_file(hotel.shown("name", hotel.list_language), hotel.list_language, table, fmt)
    issued = RoomingList(hotel_id=hotel.id, format=fmt, rows=rows, issued_by_id=getattr(actor, "id", None))
    db.session.add(issued)
    db.session.flush()
    record("rooming_list.issue", hotel, actor=actor, target_label=hotel.name_en or hotel.name_zh,
           details={"list": issued.id, "format": fmt, "rows": len(table),
                    "previous": previous.id if previous else None})
    db.session.commit()
    return data
