"""Matchmaking settings, meeting slots and tables of an event, the meetings between two
delegations and the bookings that keep a delegation to one meeting per slot.

A meeting holds `slot_id` and `table_id` only while accepted: the plain unique constraint on
(slot_id, table_id) then decides between two acceptances racing for the last table (NULLs never
clash, on SQLite and PostgreSQL alike). `proposed_slot_id` is the slot asked for (the request, a
counter-proposal or a reschedule), `proposed_by_id` the delegation whose proposal it is: the other
side answers it.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.bilingual import Bilingual
from ..events.models import new_uid
from ..extensions import db, now_utc, one_of

if TYPE_CHECKING:
    from ..delegations.models import Delegation
    from ..events.models import Event

MEETING_STATUSES = ("requested", "proposed", "accepted", "declined", "cancelled")
OPEN_MEETING_STATUSES = ("requested", "proposed")  # waiting for an answer
LIVE_MEETING_STATUSES = ("requested", "proposed", "accepted")  # not ended
ENDED_MEETING_STATUSES = ("declined", "cancelled")


class MatchmakingSettings(db.Model):
    __tablename__ = "matchmaking_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), unique=True)
    is_open: Mapped[bool] = mapped_column(default=False)
    request_deadline: Mapped[datetime | None]  # UTC; entered on the event's clock
    updated_at: Mapped[datetime] = mapped_column(default=now_utc, onupdate=now_utc)


class MeetingSlot(db.Model):
    __tablename__ = "meeting_slot"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]

    __table_args__ = (
        UniqueConstraint("event_id", "starts_at"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )


class MeetingTable(Bilingual, db.Model):
    __tablename__ = "meeting_table"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    room_en: Mapped[str] = mapped_column(String(200), default="")
    room_zh: Mapped[str] = mapped_column(String(200), default="")

    __table_args__ = (UniqueConstraint("event_id", "name"),)


class Meeting(db.Model):
    __tablename__ = "meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    requester_id: Mapped[int] = mapped_column(ForeignKey("delegation.id", ondelete="CASCADE"), index=True)
    invitee_id: Mapped[int] = mapped_column(ForeignKey("delegation.id", ondelete="CASCADE"), index=True)
    topic: Mapped[str] = mapped_column(String(64), default="")  # a topic code, may be empty
    project_id: Mapped[int | None]  # cooperation's project (its foreign key comes with that feature)
    message: Mapped[str] = mapped_column(Text, default="")
    interpreter_needed: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(16), default="requested")
    # The booking: set only while accepted.
    slot_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_slot.id", ondelete="RESTRICT"))
    table_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_table.id", ondelete="RESTRICT"))
    # The slot asked for and who asked (the other side answers).
    proposed_slot_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_slot.id", ondelete="SET NULL"))
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("delegation.id", ondelete="SET NULL"))
    uid: Mapped[str] = mapped_column(String(255), unique=True, default=new_uid)
    sequence: Mapped[int] = mapped_column(default=0)
    # What the calendars showed last (kept for the cancelled entry once the booking is gone).
    shown_starts_at: Mapped[datetime | None]
    shown_ends_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(default=now_utc, onupdate=now_utc)

    event: Mapped[Event] = relationship()
    requester: Mapped[Delegation] = relationship(foreign_keys=[requester_id])
    invitee: Mapped[Delegation] = relationship(foreign_keys=[invitee_id])
    slot: Mapped[MeetingSlot | None] = relationship(foreign_keys=[slot_id])
    table: Mapped[MeetingTable | None] = relationship()
    proposed_slot: Mapped[MeetingSlot | None] = relationship(foreign_keys=[proposed_slot_id])

    __table_args__ = (
        UniqueConstraint("slot_id", "table_id"),
        CheckConstraint(one_of("status", MEETING_STATUSES), name="status"),
        CheckConstraint("requester_id <> invitee_id", name="two_sides"),
        CheckConstraint("sequence >= 0", name="sequence"),
    )

    @property
    def is_accepted(self) -> bool:
        return self.status == "accepted"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_MEETING_STATUSES

    def other(self, delegation_id: int) -> int:
        return self.invitee_id if delegation_id == self.requester_id else self.requester_id

    def __repr__(self) -> str:
        return f"<Meeting {self.id} {self.requester_id}->{self.invitee_id} {self.status}>"


class MeetingBooking(db.Model):
    """One delegation busy in one slot with one accepted meeting: at most one per slot."""

    __tablename__ = "meeting_booking"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("meeting_slot.id", ondelete="CASCADE"))
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegation.id", ondelete="CASCADE"), index=True)

    __table_args__ = (UniqueConstraint("slot_id", "delegation_id"),)
