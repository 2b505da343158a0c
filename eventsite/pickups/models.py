"""Pickup runs (vehicle, time, meeting point, capacity, driver) and the delegates on them
(DESIGN.md: "pickups (run -> delegates) hang off the delegate and the event").

A `PickupPassenger` row is the delegate's pickup for one direction; it outlives the run it was on
(`run_id` NULL: taken off, or the run deleted) so the personal calendar feed can still say
"cancelled" under the same UID with a higher SEQUENCE. It keeps what the calendar showed last.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.bilingual import Bilingual
from ..events.models import new_uid
from ..extensions import db, now_utc, one_of

if TYPE_CHECKING:
    from ..delegations.models import Delegate
    from ..events.models import Event

DIRECTIONS = ("arrival", "departure")


class PickupRun(Bilingual, db.Model):
    __tablename__ = "pickup_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    direction: Mapped[str] = mapped_column(String(16), default="arrival")
    starts_at: Mapped[datetime]  # UTC; entered on the event's clock
    vehicle: Mapped[str] = mapped_column(String(100), default="")
    meeting_point_en: Mapped[str] = mapped_column(String(200), default="")
    meeting_point_zh: Mapped[str] = mapped_column(String(200), default="")
    place: Mapped[str] = mapped_column(String(100), default="")  # airport or station
    capacity: Mapped[int] = mapped_column(default=1)
    # Changed only by conditional UPDATEs (services.py, as delegations/seats.py does for events).
    seats_taken: Mapped[int] = mapped_column(default=0)
    driver_name: Mapped[str] = mapped_column(String(100), default="")
    driver_contact: Mapped[str] = mapped_column(String(100), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    uid: Mapped[str] = mapped_column(String(255), unique=True, default=new_uid)
    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(default=now_utc, onupdate=now_utc)

    event: Mapped[Event] = relationship()
    passengers: Mapped[list[PickupPassenger]] = relationship(back_populates="run", order_by="PickupPassenger.id")

    __table_args__ = (
        CheckConstraint(one_of("direction", DIRECTIONS), name="direction"),
        CheckConstraint("capacity >= 1", name="capacity"),
        CheckConstraint("seats_taken >= 0 AND seats_taken <= capacity", name="seats_taken"),
        CheckConstraint("sequence >= 0", name="sequence"),
    )

    def __repr__(self) -> str:
        return f"<PickupRun {self.id} event={self.event_id} {self.direction} {self.starts_at}>"


class PickupPassenger(db.Model):
    """A delegate's pickup in one direction (at most one run per direction)."""

    __tablename__ = "pickup_passenger"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("pickup_run.id", ondelete="SET NULL"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    delegate_id: Mapped[int] = mapped_column(ForeignKey("delegate.id", ondelete="CASCADE"))
    direction: Mapped[str] = mapped_column(String(16))
    # The calendar entry: its own UID, SEQUENCE raised on every change the person should see.
    uid: Mapped[str] = mapped_column(String(255), unique=True, default=new_uid)
    sequence: Mapped[int] = mapped_column(default=0)
    # What the calendar showed last (kept for the cancelled entry once the run is gone).
    starts_at: Mapped[datetime]
    place: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(default=now_utc, onupdate=now_utc)

    run: Mapped[PickupRun | None] = relationship(back_populates="passengers")
    delegate: Mapped[Delegate] = relationship()

    __table_args__ = (
        UniqueConstraint("delegate_id", "direction"),
        CheckConstraint(one_of("direction", DIRECTIONS), name="direction"),
        CheckConstraint("sequence >= 0", name="sequence"),
        Index("ix_pickup_passenger_event_direction", "event_id", "direction"),
    )

    @property
    def is_cancelled(self) -> bool:
        return self.run_id is None

    def __repr__(self) -> str:
        return f"<PickupPassenger {self.id} delegate={self.delegate_id} run={self.run_id}>"
