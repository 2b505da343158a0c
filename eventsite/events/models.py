"""Events of the alliance and their agendas. Instants are stored in UTC; `timezone` is the IANA
zone the event happens in, in which organizers enter times."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.bilingual import Bilingual
from ..extensions import db, now_utc, one_of
from ..members.labels import country_name

if TYPE_CHECKING:
    from ..accounts.models import User

EVENT_KINDS = ("forum", "seminar", "exposition", "study_tour", "training", "meeting")
EVENT_STATUSES = ("draft", "published", "cancelled")
PUBLIC_STATUSES = ("published", "cancelled")  # what visitors and calendars see; drafts never
REGISTRATION_MODES = ("all_members", "invited_only")
SESSION_KINDS = ("plenary", "parallel", "site_visit", "break", "reception")
# Optional details of each delegate an event may ask for (names, email, role and language always
# are): "collect nothing more than the event needs" (DESIGN.md). An online workshop needs no travel.
# "passport": travel documents for visa invitation letters (encrypted, delegations/passports.py);
# never asked unless an organizer ticks it, so it is not among the defaults.
DELEGATE_DETAILS = ("title", "organization", "mobile", "dietary", "accessibility", "travel", "passport",
                    "notes")
DEFAULT_DELEGATE_DETAILS = tuple(d for d in DELEGATE_DETAILS if d != "passport")
# Fields whose change a calendar must learn about: each raises SEQUENCE (RFC 5545).
CALENDAR_FIELDS = ("title_en", "title_zh", "starts_at", "ends_at", "timezone", "venue_name_en", "venue_name_zh",
                   "venue_address_en", "venue_address_zh", "city_en", "city_zh", "country", "status")
EVENT_TIMES = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at", "edit_deadline")
# A session's fields a calendar shows in its own entry: each change raises its SEQUENCE.
SESSION_CALENDAR_FIELDS = ("title_en", "title_zh", "starts_at", "ends_at", "room_en", "room_zh")


def new_uid() -> str:
    """A calendar UID: opaque, stable for the event's whole life, never reused."""
    return f"{uuid.uuid4()}@eventsite"


class Event(Bilingual, db.Model):
    __tablename__ = "event"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(255), unique=True, default=new_uid)
    sequence: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="draft")

    title_en: Mapped[str] = mapped_column(String(300), default="")
    title_zh: Mapped[str] = mapped_column(String(300), default="")
    summary_en: Mapped[str] = mapped_column(String(1000), default="")
    summary_zh: Mapped[str] = mapped_column(String(1000), default="")
    # Markdown, rendered and sanitized on display (core/markdown.py).
    description_en: Mapped[str] = mapped_column(Text, default="")
    description_zh: Mapped[str] = mapped_column(Text, default="")

    # Place names in both languages, like the titles (read them with text() / core.i18n.localized).
    venue_name_en: Mapped[str] = mapped_column(String(300), default="")
    venue_name_zh: Mapped[str] = mapped_column(String(300), default="")
    venue_address_en: Mapped[str] = mapped_column(String(500), default="")
    venue_address_zh: Mapped[str] = mapped_column(String(500), default="")
    city_en: Mapped[str] = mapped_column(String(200), default="")
    city_zh: Mapped[str] = mapped_column(String(200), default="")
    country: Mapped[str] = mapped_column(String(2), default="CN")  # ISO 3166-1 alpha-2
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]

    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(320), default="")
    contact_phone: Mapped[str] = mapped_column(String(64), default="")

    # Cover image kept under the instance folder (never in the web root), served by the app.
    cover_file: Mapped[str | None] = mapped_column(String(100))
    cover_content_type: Mapped[str | None] = mapped_column(String(64))

    # Registration policy (used by invitations and delegations).
    registration_mode: Mapped[str] = mapped_column(String(16), default="all_members")
    registration_opens_at: Mapped[datetime | None]
    registration_closes_at: Mapped[datetime | None]
    capacity: Mapped[int | None]  # total delegates; None = no limit
    default_quota: Mapped[int] = mapped_column(default=5)  # delegates per unit
    approval_required: Mapped[bool] = mapped_column(default=False)
    edit_deadline: Mapped[datetime | None]
    # Which of DELEGATE_DETAILS the registration form asks for (comma-separated, in that order).
    delegate_details: Mapped[str] = mapped_column(String(200), default=",".join(DEFAULT_DELEGATE_DETAILS))
    # Automatic invitation reminders: days before registration closes, e.g. "7,2" ("" = none).
    reminder_days: Mapped[str] = mapped_column(String(40), default="7,2")
    # Confirmed delegates, kept by delegations/seats.py with conditional UPDATEs (never overbooked).
    seats_taken: Mapped[int] = mapped_column(default=0)

    # When delegates' personal data was erased after the event (privacy/erasure.py).
    personal_data_erased_at: Mapped[datetime | None]
    cancel_reason_en: Mapped[str] = mapped_column(Text, default="")
    cancel_reason_zh: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    # The event this one was duplicated from (e.g. last year's annual forum).
    copied_from_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(default=now_utc, onupdate=now_utc)

    sessions: Mapped[list[AgendaSession]] = relationship(
        back_populates="event", cascade="all, delete-orphan",
        order_by="(AgendaSession.starts_at, AgendaSession.position, AgendaSession.id)")
    created_by: Mapped[User | None] = relationship()

    __table_args__ = (
        CheckConstraint(one_of("kind", EVENT_KINDS), name="kind"),
        CheckConstraint(one_of("status", EVENT_STATUSES), name="status"),
        CheckConstraint(one_of("registration_mode", REGISTRATION_MODES), name="registration_mode"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("title_en <> '' OR title_zh <> ''", name="has_title"),
        CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity"),
        CheckConstraint("default_quota >= 1", name="default_quota"),
        CheckConstraint("sequence >= 0", name="sequence"),
        CheckConstraint("seats_taken >= 0", name="seats_taken"),
        Index("ix_event_status_starts_at", "status", "starts_at"),
    )

    def changes_until(self) -> datetime:
        """A liaison's (and a delegate's) last moment for changes to a delegation: the edit
        deadline, else registration close, else the start."""
        return self.edit_deadline or self.registration_closes_at or self.starts_at

    def collects(self, detail: str) -> bool:
        """Whether the delegation form asks each delegate for `detail` (one of DELEGATE_DETAILS)."""
        return detail in (self.delegate_details or "").split(",")

    def phase(self, now: datetime | None = None) -> str:
        """draft, published, cancelled, or past (a published event that has ended)."""
        if self.status == "published" and self.ends_at <= (now or now_utc()):
            return "past"
        return self.status


    def place(self, language: str) -> str:
        """'Hangzhou, China': the city and the country's name in `language`."""
        return ", ".join(p for p in (self.shown("city", language), country_name(self.country, language)) if p)

    def where(self, language: str) -> str:
        """'Venue, address, city, country' in `language` (each part falling back to the other)."""
        parts = (self.shown("venue_name", language), self.shown("venue_address", language), self.place(language))
        return ", ".join(p for p in parts if p)

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.title_en or self.title_zh}>"


class AgendaSession(Bilingual, db.Model):
    """One item of an event's agenda: a plenary, a parallel track session, a site visit, ..."""

    __tablename__ = "agenda_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    # Order among sessions that start at the same time (e.g. the parallel tracks of one slot).
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(16), default="plenary")
    track: Mapped[str] = mapped_column(String(100), default="")  # e.g. "A", "Smart cities"
    title_en: Mapped[str] = mapped_column(String(300), default="")
    title_zh: Mapped[str] = mapped_column(String(300), default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    description_zh: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    room_en: Mapped[str] = mapped_column(String(200), default="")
    room_zh: Mapped[str] = mapped_column(String(200), default="")
    speakers: Mapped[str] = mapped_column(Text, default="")
    capacity: Mapped[int | None]
    delegates_choose: Mapped[bool] = mapped_column(default=False)
    # Raised by every save that changes what a calendar shows of the session (SESSION_CALENDAR_
    # FIELDS); its calendar entry's SEQUENCE is the event's plus this (calendar/builder.py).
    sequence: Mapped[int] = mapped_column(default=0)

    event: Mapped[Event] = relationship(back_populates="sessions")

    __table_args__ = (
        CheckConstraint(one_of("kind", SESSION_KINDS), name="kind"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("title_en <> '' OR title_zh <> ''", name="has_title"),
        CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity"),
        CheckConstraint("sequence >= 0", name="sequence"),
    )

