"""A unit's delegation to an event and its delegates (DESIGN.md "Delegations"); seats and the
waiting list are seats.py's."""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.crypto import Encrypted, EncryptedDate
from ..extensions import db, now_utc, one_of

if TYPE_CHECKING:
    from ..events.models import AgendaSession, Event
    from ..invitations.models import Invitation
    from ..members.models import MemberUnit

# submitted: awaiting the secretariat's approval; confirmed: registered; rejected by an organizer
# (with a reason); withdrawn by the unit.
DELEGATION_STATUSES = ("submitted", "confirmed", "rejected", "withdrawn")
LIVE_DELEGATION_STATUSES = ("submitted", "confirmed")  # the unit has registered
ENDED_DELEGATION_STATUSES = ("rejected", "withdrawn")  # a new registration may start over
DELEGATE_ROLES = ("head", "deputy", "member", "interpreter", "staff", "press")
# pending: in a delegation awaiting approval (no seat); confirmed: holds a seat; waitlisted; declined
# by the delegate; removed by the liaison or an organizer, or with their rejected or withdrawn delegation.
DELEGATE_STATUSES = ("pending", "confirmed", "waitlisted", "declined", "removed")
ACTIVE_DELEGATE_STATUSES = ("confirmed", "waitlisted", "pending")  # coming (in the pages' order)
ADMITTED_DELEGATE_STATUSES = ("confirmed", "waitlisted")  # approved: told they hold or await a seat


delegate_session = Table(
    "delegate_session",
    db.metadata,
    Column("delegate_id", ForeignKey("delegate.id", ondelete="CASCADE"), primary_key=True),
    Column("session_id", ForeignKey("agenda_session.id", ondelete="CASCADE"), primary_key=True,
           index=True),
)


# The travel documents (Delegate's encrypted columns): what the "passport" detail asks for and a
# visa invitation letter prints. The dates among them.
PASSPORT_FIELDS = ("passport_name", "passport_number", "nationality", "birth_date", "passport_expiry")
PASSPORT_DATES = ("birth_date", "passport_expiry")


class Delegation(db.Model):
    __tablename__ = "delegation"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("member_unit.id", ondelete="CASCADE"), index=True)
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitation.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default="submitted")
    notes: Mapped[str] = mapped_column(Text, default="")  # from the unit to the secretariat
    submitted_at: Mapped[datetime] = mapped_column(default=now_utc)
    submitted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    reject_reason: Mapped[str] = mapped_column(Text, default="")
    withdrawn_at: Mapped[datetime | None]
    # The form's random key: a double click or a retried submit finds the delegation it made.
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(default=now_utc, onupdate=now_utc)

    event: Mapped[Event] = relationship()
    unit: Mapped[MemberUnit] = relationship()
    invitation: Mapped[Invitation | None] = relationship()
    delegates: Mapped[list[Delegate]] = relationship(
        back_populates="delegation", cascade="all, delete-orphan",
        order_by="(Delegate.position, Delegate.id)",
    )

    __table_args__ = (
        UniqueConstraint("event_id", "unit_id"),
        CheckConstraint(one_of("status", DELEGATION_STATUSES), name="status"),
        Index("ix_delegation_event_status", "event_id", "status"),
    )

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_DELEGATION_STATUSES

    def __repr__(self) -> str:
        return f"<Delegation {self.id} event={self.event_id} unit={self.unit_id} {self.status}>"


class Delegate(db.Model):
    """One person of a delegation. Only what the event needs is collected (DESIGN.md)."""

    __tablename__ = "delegate"

    id: Mapped[int] = mapped_column(primary_key=True)
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegation.id", ondelete="CASCADE"), index=True)
    # Repeated from the delegation so seats, waitlists and totals are one indexed query per event.
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    role: Mapped[str] = mapped_column(String(16), default="member")
    status: Mapped[str] = mapped_column(String(16), default="pending")

    family_name: Mapped[str] = mapped_column(String(100), default="")  # Latin
    given_name: Mapped[str] = mapped_column(String(100), default="")  # Latin
    name_zh: Mapped[str] = mapped_column(String(100), default="")  # Chinese characters
    title: Mapped[str] = mapped_column(String(200), default="")  # title / position
    organization: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(320), default="")
    mobile: Mapped[str] = mapped_column(String(64), default="")
    language: Mapped[str] = mapped_column(String(8), default="zh")
    dietary: Mapped[str] = mapped_column(String(200), default="")
    accessibility: Mapped[str] = mapped_column(String(300), default="")
    arrival_at: Mapped[datetime | None]
    # The flight or train number (rules.travel_number: upper case, letters, digits, spaces,
    # hyphens) and the airport or station (free text); docs/logistics.md.
    arrival_details: Mapped[str] = mapped_column(String(16), default="")
    arrival_place: Mapped[str] = mapped_column(String(100), default="")
    departure_at: Mapped[datetime | None]
    departure_details: Mapped[str] = mapped_column(String(16), default="")
    departure_place: Mapped[str] = mapped_column(String(100), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # Travel documents, asked only by events that collect "passport" (visa letters); encrypted at
    # rest (core/crypto.py), shown only to organizers and the person, erased with the rest.
    passport_name: Mapped[str] = mapped_column(Encrypted(), default="")  # as printed, Latin letters
    passport_number: Mapped[str] = mapped_column(Encrypted(), default="")
    nationality: Mapped[str] = mapped_column(Encrypted(), default="")  # ISO 3166 code (members.labels)
    birth_date: Mapped[date | None] = mapped_column(EncryptedDate())
    passport_expiry: Mapped[date | None] = mapped_column(EncryptedDate())

    # The personal link (self-service); only its SHA-256 is stored. Rotating it kills the old link.
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Part of the secret calendar-feed URL (calendar/feeds.py): raising it kills the old URL.
    feed_version: Mapped[int] = mapped_column(default=0)
    # What the badge's QR carries (checkin.services.ensure_badge_code): made on first print, cleared
    # when a new personal link replaces the old, so an old badge checks no one in.
    badge_code: Mapped[str | None] = mapped_column(String(32), unique=True)
    # The SEQUENCE of the last calendar message mailed to this person (notifications.py).
    calendar_sequence: Mapped[int | None]
    waitlisted_at: Mapped[datetime | None]
    confirmed_at: Mapped[datetime | None]
    # The person this one replaced (the seat carries over).
    substitute_for_id: Mapped[int | None] = mapped_column(ForeignKey("delegate.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(default=now_utc, onupdate=now_utc)

    delegation: Mapped[Delegation] = relationship(back_populates="delegates")
    sessions: Mapped[list[AgendaSession]] = relationship(secondary=delegate_session)

    __table_args__ = (
        CheckConstraint(one_of("role", DELEGATE_ROLES), name="role"),
        CheckConstraint(one_of("status", DELEGATE_STATUSES), name="status"),
        CheckConstraint("language IN ('zh', 'en')", name="language"),
        CheckConstraint("family_name <> '' OR given_name <> '' OR name_zh <> ''", name="has_name"),
        CheckConstraint("calendar_sequence IS NULL OR calendar_sequence >= 0",
                        name="calendar_sequence"),
        Index("ix_delegate_event_status", "event_id", "status"),
    )

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_DELEGATE_STATUSES

    @property
    def mail_language(self) -> str:
        return self.language if self.language in ("zh", "en") else "en"

    def display_name(self, locale: str = "en") -> str:
        """Both names where both exist, the reader's script first: 胡超 Chao HU / Chao HU 胡超."""
        latin = " ".join(p for p in (self.given_name, self.family_name.upper()) if p)
        first, second = (self.name_zh, latin) if locale == "zh" else (latin, self.name_zh)
        return " ".join(p for p in (first, second) if p)

    def __repr__(self) -> str:
        return f"<Delegate {self.id} {self.family_name or self.name_zh} {self.status}>"
