"""Hotels of an event, their room blocks, who sleeps where, what the liaison asked for, and the
rooming lists issued to each hotel (docs/logistics.md, "Hotels").

A block holds `rooms` rooms of one type for a span of nights. `rooms_used` counts the rooms that
have at least one guest; it is changed only under the block's row lock (services.py) and the
CHECK keeps it within 0..rooms, so no race can overfill a block. Each guest holds one bed of a
numbered room of the block: (block, room_no, bed) is unique and a bed is 1 or 2, so a room never
holds three people; (event, delegate) is unique, so nobody is in two rooms.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.bilingual import Bilingual
from ..extensions import db, now_utc, one_of

if TYPE_CHECKING:
    from ..delegations.models import Delegate

LIST_LANGUAGES = ("en", "zh")  # the language a hotel reads its rooming list in
BEDS = (1, 2)  # 1: single room; 2: twin or double, shared by two guests
# What the liaison asks for one member of the delegation.
REQUEST_KINDS = ("single", "share", "none")
# How a row of a rooming list compares with the previous list issued to the same hotel.
CHANGE_MARKS = ("new", "changed", "removed")
# What a delegate is told about their room.
ROOM_CHANGES = ("assigned", "moved", "dates", "removed")
LIST_FORMATS = ("xlsx", "csv")


class Hotel(Bilingual, db.Model):
    __tablename__ = "hotel"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    name_en: Mapped[str] = mapped_column(String(200), default="")
    name_zh: Mapped[str] = mapped_column(String(200), default="")
    address_en: Mapped[str] = mapped_column(String(500), default="")
    address_zh: Mapped[str] = mapped_column(String(500), default="")
    phone: Mapped[str] = mapped_column(String(64), default="")
    email: Mapped[str] = mapped_column(String(320), default="")
    list_language: Mapped[str] = mapped_column(String(8), default="zh")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(default=now_utc, onupdate=now_utc)

    blocks: Mapped[list[RoomBlock]] = relationship(
        back_populates="hotel", cascade="all, delete-orphan", order_by="(RoomBlock.check_in, RoomBlock.id)")

    __table_args__ = (
        CheckConstraint(one_of("list_language", LIST_LANGUAGES), name="list_language"),
        CheckConstraint("name_en <> '' OR name_zh <> ''", name="has_name"),
    )

    def __repr__(self) -> str:
        return f"<Hotel {self.id} {self.name_en or self.name_zh}>"


class RoomBlock(Bilingual, db.Model):
    __tablename__ = "room_block"

    id: Mapped[int] = mapped_column(primary_key=True)
    hotel_id: Mapped[int] = mapped_column(ForeignKey("hotel.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    room_type_en: Mapped[str] = mapped_column(String(200), default="")
    room_type_zh: Mapped[str] = mapped_column(String(200), default="")
    beds: Mapped[int] = mapped_column(default=1)
    check_in: Mapped[date]
    check_out: Mapped[date]
    rooms: Mapped[int] = mapped_column(default=0)
    rooms_used: Mapped[int] = mapped_column(default=0)  # rooms with a guest (see the module doc)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(default=now_utc, onupdate=now_utc)

    hotel: Mapped[Hotel] = relationship(back_populates="blocks")

    __table_args__ = (
        CheckConstraint("beds IN (1, 2)", name="beds"),
        CheckConstraint("check_out > check_in", name="nights"),
        CheckConstraint("rooms >= 0", name="rooms"),
        CheckConstraint("rooms_used >= 0 AND rooms_used <= rooms", name="rooms_used"),
        CheckConstraint("room_type_en <> '' OR room_type_zh <> ''", name="has_type"),
    )

    @property
    def nights(self) -> int:
        return (self.check_out - self.check_in).days

    @property
    def is_shared(self) -> bool:
        return self.beds == 2

    def __repr__(self) -> str:
        return f"<RoomBlock {self.id} hotel={self.hotel_id} {self.rooms_used}/{self.rooms}>"


class RoomAssignment(db.Model):
    """One guest in one bed of a numbered room of a block, for their own nights (by default the
    block's)."""

    __tablename__ = "room_assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    delegate_id: Mapped[int] = mapped_column(ForeignKey("delegate.id", ondelete="CASCADE"), index=True)
    block_id: Mapped[int] = mapped_column(ForeignKey("room_block.id", ondelete="CASCADE"))
    room_no: Mapped[int]
    bed: Mapped[int] = mapped_column(default=1)
    check_in: Mapped[date]
    check_out: Mapped[date]
    notes: Mapped[str] = mapped_column(Text, default="")  # personal: erased with the event's data
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(default=now_utc, onupdate=now_utc)

    block: Mapped[RoomBlock] = relationship()
    delegate: Mapped[Delegate] = relationship()

    __table_args__ = (
        UniqueConstraint("event_id", "delegate_id"),
        UniqueConstraint("block_id", "room_no", "bed"),
        CheckConstraint("bed IN (1, 2)", name="bed"),
        CheckConstraint("room_no >= 1", name="room_no"),
        CheckConstraint("check_out > check_in", name="nights"),
    )

    @property
    def nights(self) -> int:
        return (self.check_out - self.check_in).days

    def __repr__(self) -> str:
        return f"<RoomAssignment delegate={self.delegate_id} block={self.block_id} room={self.room_no}>"


class RoomRequest(db.Model):
    """What the liaison asks for one member: a single room, sharing with a named member of the
    same delegation, or no room."""

    __tablename__ = "room_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    delegate_id: Mapped[int] = mapped_column(ForeignKey("delegate.id", ondelete="CASCADE"), unique=True)
    kind: Mapped[str] = mapped_column(String(16), default="single")
    share_with_id: Mapped[int | None] = mapped_column(ForeignKey("delegate.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")  # personal: erased with the event's data
    updated_at: Mapped[datetime] = mapped_column(default=now_utc, onupdate=now_utc)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    __table_args__ = (
        CheckConstraint(one_of("kind", REQUEST_KINDS), name="kind"),
        CheckConstraint("kind = 'share' OR share_with_id IS NULL", name="share_with"),
    )


class RoomingList(db.Model):
    """A rooming list as issued to a hotel: its rows, so the next list can mark what changed."""

    __tablename__ = "rooming_list"

    id: Mapped[int] = mapped_column(primary_key=True)
    hotel_id: Mapped[int] = mapped_column(ForeignKey("hotel.id", ondelete="CASCADE"), index=True)
    issued_at: Mapped[datetime] = mapped_column(default=now_utc)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    format: Mapped[str] = mapped_column(String(8), default="xlsx")
    # {delegate id (text): {column: value}}, the rows as the hotel read them.
    rows: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    __table_args__ = (CheckConstraint(one_of("format", LIST_FORMATS), name="format"),)
