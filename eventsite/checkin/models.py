"""Who came: a delegate checked in at the event's door (CheckIn) and at a session's door
(SessionCheckIn), and which events a check-in staff account works (CheckinAssignment).

One row per person and door, made unique by the database: several staff devices scanning the same
badge at once, or syncing the same offline scan twice, count one check-in (services.check_in).
A scan made offline carries the device's time (`scanned_at`) and its own random id (`scan_id`),
so a retried upload finds the row it made; when two devices checked the same person in, the
earliest scan is kept (the server settles it, docs/onsite.md)."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db, now_utc, one_of

if TYPE_CHECKING:
    from ..accounts.models import User
    from ..delegations.models import Delegate
    from ..events.models import AgendaSession, Event

# scan: a badge's QR read by a camera; search: picked by name or unit; walk_in: registered at the
# door; manual: an organizer's correction on the live page.
CHECKIN_METHODS = ("scan", "search", "walk_in", "manual")


class CheckinAssignment(db.Model):
    """A check-in staff account (role "checkin") sees only the check-in pages of these events."""

    __tablename__ = "checkin_assignment"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), primary_key=True,
                                          index=True)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)


class _Scan:
    """The columns a door's check-in and a session's share."""

    id: Mapped[int] = mapped_column(primary_key=True)
    # When the person was seen: the device's clock (offline scans are sent later).
    scanned_at: Mapped[datetime]
    # When the server first heard of it.
    received_at: Mapped[datetime] = mapped_column(default=now_utc)
    method: Mapped[str] = mapped_column(String(16), default="scan")
    # The device's own id for this scan (a random UUID): an upload sent twice makes one row.
    scan_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    device: Mapped[str] = mapped_column(String(64), default="")


class CheckIn(_Scan, db.Model):
    __tablename__ = "checkin"

    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    delegate_id: Mapped[int] = mapped_column(ForeignKey("delegate.id", ondelete="CASCADE"), index=True)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    event: Mapped[Event] = relationship()
    delegate: Mapped[Delegate] = relationship()
    by: Mapped[User | None] = relationship()

    __table_args__ = (
        UniqueConstraint("event_id", "delegate_id"),
        CheckConstraint(one_of("method", CHECKIN_METHODS), name="method"),
        Index("ix_checkin_event_scanned", "event_id", "scanned_at"),
    )

    def __repr__(self) -> str:
        return f"<CheckIn event={self.event_id} delegate={self.delegate_id} {self.scanned_at}>"


class SessionCheckIn(_Scan, db.Model):
    __tablename__ = "session_checkin"

    session_id: Mapped[int] = mapped_column(ForeignKey("agenda_session.id", ondelete="CASCADE"))
    # Repeated from the session so an event's attendance is one indexed query.
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    delegate_id: Mapped[int] = mapped_column(ForeignKey("delegate.id", ondelete="CASCADE"), index=True)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    session: Mapped[AgendaSession] = relationship()
    delegate: Mapped[Delegate] = relationship()
    by: Mapped[User | None] = relationship()

    __table_args__ = (
        UniqueConstraint("session_id", "delegate_id"),
        CheckConstraint(one_of("method", CHECKIN_METHODS), name="method"),
    )

    def __repr__(self) -> str:
        return f"<SessionCheckIn session={self.session_id} delegate={self.delegate_id}>"
