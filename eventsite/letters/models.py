"""Formal invitation letters (DESIGN.md "Everything else"): they hang off the event and the
delegation, one letter for a whole delegation or one per person. A liaison asks for a letter
per member (LetterRequest); the organizer issues them (Letter). A letter keeps what it printed in
an encrypted snapshot (passport numbers), so it never changes when the data does; a re-issue
makes a new letter with a new reference and marks the old one replaced.

The verification link's token is 256 random bits (core/tokens.py), looked up by its SHA-256 and
kept otherwise only encrypted: the reference printed on the letter finds nothing on its own."""
from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.crypto import Encrypted
from ..extensions import db, now_utc, one_of

if TYPE_CHECKING:
    from ..accounts.models import User
    from ..delegations.models import Delegate, Delegation
    from ..events.models import Event

LETTER_MODES = ("delegation", "person")  # one letter listing the members / one per person
LETTER_STATUSES = ("valid", "replaced", "revoked")
REQUEST_STATUSES = ("requested", "issued", "declined")
OPEN_REQUEST_STATUSES = ("requested",)


class LetterSettings(db.Model):
    """An event's letter settings, and the counter its references are numbered by."""

    __tablename__ = "letter_settings"

    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), primary_key=True)
    mode: Mapped[str] = mapped_column(String(16), default="delegation")
    issue_on_confirmation: Mapped[bool] = mapped_column(default=False)
    # Empty: the default text (labels.DEFAULT_BODY); placeholders as in rules.PLACEHOLDERS.
    body_en: Mapped[str] = mapped_column(Text, default="")
    body_zh: Mapped[str] = mapped_column(Text, default="")
    # The last sequence number used; raised by a conditional UPDATE (services.next_sequence).
    last_sequence: Mapped[int] = mapped_column(default=0)

    __table_args__ = (
        CheckConstraint(one_of("mode", LETTER_MODES), name="mode"),
        CheckConstraint("last_sequence >= 0", name="last_sequence"),
    )


letter_person = Table(
    "letter_person", db.metadata,
    Column("letter_id", ForeignKey("letter.id", ondelete="CASCADE"), primary_key=True),
    Column("delegate_id", ForeignKey("delegate.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Letter(db.Model):
    __tablename__ = "letter"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegation.id", ondelete="CASCADE"), index=True)
    # The person of a personal letter; None: a letter for the delegation (its people: `people`).
    delegate_id: Mapped[int | None] = mapped_column(ForeignKey("delegate.id", ondelete="CASCADE"), index=True)
    sequence: Mapped[int]
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    # The verification link's token: found by its SHA-256; kept encrypted too, because the QR
    # code is printed again whenever the PDF is downloaded.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    token: Mapped[str] = mapped_column(Encrypted(), default="")
    status: Mapped[str] = mapped_column(String(16), default="valid")
    # What was printed (names, passport numbers, nationality, position, the texts): encrypted JSON.
    snapshot: Mapped[str] = mapped_column(Encrypted(), default="")
    snapshot_erased_at: Mapped[datetime | None]
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("letter.id", ondelete="SET NULL"))
    issued_at: Mapped[datetime] = mapped_column(default=now_utc)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    revoke_reason: Mapped[str] = mapped_column(Text, default="")

    event: Mapped[Event] = relationship()
    delegation: Mapped[Delegation] = relationship()
    delegate: Mapped[Delegate | None] = relationship(foreign_keys=[delegate_id])
    people: Mapped[list[Delegate]] = relationship(secondary=letter_person, order_by="Delegate.position")
    replaced_by: Mapped[Letter | None] = relationship(remote_side=[id])
    issued_by: Mapped[User | None] = relationship(foreign_keys=[issued_by_id])

    __table_args__ = (
        UniqueConstraint("event_id", "sequence"),
        CheckConstraint(one_of("status", LETTER_STATUSES), name="status"),
        Index("ix_letter_event_status", "event_id", "status"),
    )

    @property
    def is_valid(self) -> bool:
        return self.status == "valid"

    @property
    def printed(self) -> dict[str, Any]:
        """The snapshot as stored ({} once erased)."""
        return json.loads(self.snapshot) if self.snapshot else {}

    @property
    def audit_label(self) -> str:
        return self.reference

    def __repr__(self) -> str:
        return f"<Letter {self.reference} {self.status}>"


class LetterRequest(db.Model):
    """A liaison's request for one member's letter; issuing links it to the letter made."""

    __tablename__ = "letter_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegation.id", ondelete="CASCADE"), index=True)
    delegate_id: Mapped[int] = mapped_column(ForeignKey("delegate.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="requested")
    requested_at: Mapped[datetime] = mapped_column(default=now_utc)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("letter.id", ondelete="SET NULL"))

    delegation: Mapped[Delegation] = relationship()
    delegate: Mapped[Delegate] = relationship()
    letter: Mapped[Letter | None] = relationship()

    __table_args__ = (
        CheckConstraint(one_of("status", REQUEST_STATUSES), name="status"),
        Index("ix_letter_request_event_status", "event_id", "status"),
    )

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REQUEST_STATUSES

    @property
    def audit_label(self) -> str:
        return f"letter request #{self.id}"
