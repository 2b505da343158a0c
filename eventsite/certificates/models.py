"""Certificates of participation (issue 18): one per delegate who was checked in at the event's
door, issued after the event has ended. The number ("2026-0007") runs per event; the database
keeps it unique per event, and one certificate per person and event.

The verification link's token is 256 random bits (core/tokens.py), looked up by its SHA-256 and
kept otherwise only encrypted (the QR code is printed again at every download), as letters do.
What the certificate prints (name, unit) is read from the delegate when it is printed; erasing an
event's personal data deletes its certificates (privacy/erasure.py)."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.crypto import Encrypted
from ..extensions import db, now_utc

if TYPE_CHECKING:
    from ..accounts.models import User
    from ..delegations.models import Delegate
    from ..events.models import Event


class Certificate(db.Model):
    __tablename__ = "certificate"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    delegate_id: Mapped[int] = mapped_column(ForeignKey("delegate.id", ondelete="CASCADE"), index=True)
    sequence: Mapped[int]
    number: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    token: Mapped[str] = mapped_column(Encrypted(), default="")
    issued_at: Mapped[datetime] = mapped_column(default=now_utc)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None]
    # When its mail went to the outbox (jobs.py, in the mail worker); None: not yet, or no address.
    mailed_at: Mapped[datetime | None]

    event: Mapped[Event] = relationship()
    delegate: Mapped[Delegate] = relationship()
    by: Mapped[User | None] = relationship()

    __table_args__ = (
        UniqueConstraint("event_id", "delegate_id"),
        UniqueConstraint("event_id", "sequence"),
        UniqueConstraint("event_id", "number"),
    )

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None

    @property
    def audit_label(self) -> str:
        return self.number

    def __repr__(self) -> str:
        return f"<Certificate {self.event_id}/{self.number}{' revoked' if self.revoked_at else ''}>"
