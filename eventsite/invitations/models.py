"""Invitations are addressed to member units, not to people (DESIGN.md "Invitations"): one per
unit per event, with the unit's quota. The stored `state` is what someone decided; what organizers
see ("mail failed", "registered", "no reply", ...) is derived in queries.py. Each mail carries its
own link (an InvitationLink, its token stored only as a hash); every link of an invitation works
until it expires or is revoked, so a resend never breaks the link in an earlier mail."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db, now_utc, one_of

if TYPE_CHECKING:
    from ..accounts.models import User
    from ..events.models import Event
    from ..mail.models import OutboxMessage
    from ..members.models import Contact, MemberUnit

INVITATION_STATES = ("pending", "accepted", "declined", "revoked")
OPEN_STATES = ("pending", "accepted")  # the invitation still lets its unit register


class InvitationRound(db.Model):
    """One act of issuing: the message the organizer wrote and the units it went to."""

    __tablename__ = "invitation_round"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    # The message with placeholders ({unit}, {event}, {quota}, {deadline}, ...), per language.
    subject_en: Mapped[str] = mapped_column(String(300), default="")
    subject_zh: Mapped[str] = mapped_column(String(300), default="")
    body_en: Mapped[str] = mapped_column(Text, default="")
    body_zh: Mapped[str] = mapped_column(Text, default="")
    unit_count: Mapped[int] = mapped_column(default=0)
    # The same form sent twice (double click, retry) issues once; the database refuses a second row.
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    invitations: Mapped[list[Invitation]] = relationship(back_populates="round")


class Invitation(db.Model):
    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("member_unit.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("invitation_round.id", ondelete="SET NULL"),
                                                 index=True)
    quota: Mapped[int] = mapped_column(default=5)
    state: Mapped[str] = mapped_column(String(16), default="pending")
    issued_at: Mapped[datetime] = mapped_column(default=now_utc)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    # Registration close when the invitation was issued (kept in step when it moves).
    expires_at: Mapped[datetime]
    last_sent_at: Mapped[datetime | None]
    responded_at: Mapped[datetime | None]
    responded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    # Who answered when no account was involved (the contact's name or address from the link).
    responded_by_label: Mapped[str] = mapped_column(String(400), default="")
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    event: Mapped[Event] = relationship()
    unit: Mapped[MemberUnit] = relationship()
    round: Mapped[InvitationRound | None] = relationship(back_populates="invitations")
    links: Mapped[list[InvitationLink]] = relationship(
        back_populates="invitation", cascade="all, delete-orphan", order_by="InvitationLink.id")
    reminders: Mapped[list[InvitationReminder]] = relationship(
        back_populates="invitation", cascade="all, delete-orphan", order_by="InvitationReminder.id")
    issued_by: Mapped[User | None] = relationship(foreign_keys=[issued_by_id])

    __table_args__ = (
        UniqueConstraint("event_id", "unit_id"),
        CheckConstraint(one_of("state", INVITATION_STATES), name="state"),
        CheckConstraint("quota >= 1", name="quota"),
        Index("ix_invitation_event_state", "event_id", "state"),
    )

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def audit_label(self) -> str:
        return f"{self.unit.display_name()} · {self.event.title_en or self.event.title_zh}"

    def __repr__(self) -> str:
        return f"<Invitation {self.id} event={self.event_id} unit={self.unit_id} {self.state}>"


class InvitationLink(db.Model):
    """The personal link in one mail: only the SHA-256 of its token is kept."""

    __tablename__ = "invitation_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitation.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id", ondelete="SET NULL"))
    email: Mapped[str] = mapped_column(String(320), default="")
    # "issue", "resend", "reminder": why this mail went out.
    purpose: Mapped[str] = mapped_column(String(16), default="issue")
    # The mail that carries this link: its delivery state is the invitation's mail state.
    message_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_message.id", ondelete="SET NULL"),
                                                   index=True)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    last_used_at: Mapped[datetime | None]

    invitation: Mapped[Invitation] = relationship(back_populates="links")
    contact: Mapped[Contact | None] = relationship()
    message: Mapped[OutboxMessage | None] = relationship()


class InvitationReminder(db.Model):
    """A reminder that went to a unit; the unique key makes "never twice" a database fact
    (key: "auto:<days>" before the deadline, or "manual:<form key>")."""

    __tablename__ = "invitation_reminder"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitation.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(80))
    sent_at: Mapped[datetime] = mapped_column(default=now_utc)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    invitation: Mapped[Invitation] = relationship(back_populates="reminders")

    __table_args__ = (UniqueConstraint("invitation_id", "key"),)
