"""The transactional outbox: every email is a row written with the change that caused it."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db, now_utc, one_of

MESSAGE_STATES = ("pending", "sending", "sent", "failed")


class OutboxMessage(db.Model):
    """One email to one recipient, with everything needed to build the same MIME bytes again."""

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    # What caused it ("password_reset", "broadcast", ...), for filtering and for tests.
    kind: Mapped[str] = mapped_column(String(64), index=True)
    # Writing the same key twice is refused by the database, so a retried use case sends once.
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    # Kept so that the Message-ID stays the same on every attempt: receivers drop duplicates.
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    sender: Mapped[str] = mapped_column(String(400))
    reply_to: Mapped[str | None] = mapped_column(String(400))
    to_addr: Mapped[str] = mapped_column(String(320), index=True)
    to_name: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(8), default="en")
    subject: Mapped[str] = mapped_column(String(400))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    # An iMIP part (text/calendar; method=...) inside the alternative, when the mail is an invite.
    calendar_method: Mapped[str | None] = mapped_column(String(16))
    calendar_ics: Mapped[bytes | None] = mapped_column(LargeBinary)

    state: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=now_utc)
    claimed_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None]
    # "smtp" once handed to a server, "local" when kept because no SMTP server is configured.
    transport: Mapped[str | None] = mapped_column(String(16))

    broadcast_id: Mapped[int | None] = mapped_column(ForeignKey("broadcast.id", ondelete="SET NULL"),
                                                     index=True)
    # Whose message it is, for the organizers' pages (a unit's and a delegate's history): set by
    # enqueue's callers, indexed because those pages look messages up by them. No foreign keys:
    # a unit, delegate or event deleted later leaves its history readable by id.
    unit_id: Mapped[int | None] = mapped_column(index=True)
    delegate_id: Mapped[int | None] = mapped_column(index=True)
    event_id: Mapped[int | None] = mapped_column(index=True)
    # Free references for later features (e.g. {"invitation": 12}); never used to find rows fast.
    refs: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    attachments: Mapped[list[OutboxAttachment]] = relationship(
        back_populates="message", cascade="all, delete-orphan", order_by="OutboxAttachment.id")
    broadcast: Mapped[Broadcast | None] = relationship(back_populates="messages")

    __table_args__ = (
        CheckConstraint(one_of("state", MESSAGE_STATES), name="state"),
        # The worker's query: due pending messages, oldest first.
        Index("ix_outbox_message_due", "state", "next_attempt_at"),
    )


class OutboxAttachment(db.Model):
    __tablename__ = "outbox_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("outbox_message.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(128))
    data: Mapped[bytes] = mapped_column(LargeBinary)

    message: Mapped[OutboxMessage] = relationship(back_populates="attachments")


class Broadcast(db.Model):
    """A message an organizer wrote to the contacts of a group of units; one outbox copy each."""

    __tablename__ = "broadcast"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    subject_en: Mapped[str] = mapped_column(String(300), default="")
    subject_zh: Mapped[str] = mapped_column(String(300), default="")
    body_en: Mapped[str] = mapped_column(Text, default="")
    body_zh: Mapped[str] = mapped_column(Text, default="")
    # The audience as chosen (roles, kinds, provinces, tags, unit ids), to show it later.
    audience: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    recipient_count: Mapped[int] = mapped_column(default=0)
    # A random key carried by the form: the same form sent twice (double click, retry) makes one
    # broadcast, and the database refuses a second row even when both submissions race.
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    messages: Mapped[list[OutboxMessage]] = relationship(back_populates="broadcast")
    attachments: Mapped[list[BroadcastAttachment]] = relationship(
        back_populates="broadcast", order_by="BroadcastAttachment.id")


class BroadcastAttachment(db.Model):
    """A file sent with a message to a group, stored once for all its copies (mime.py attaches it
    to each). Uploaded with the form (`submission_key`, its uploader) before the broadcast exists,
    so a preview keeps it; `broadcast_id` is set when the message is sent."""

    __tablename__ = "broadcast_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    broadcast_id: Mapped[int | None] = mapped_column(ForeignKey("broadcast.id", ondelete="CASCADE"), index=True)
    submission_key: Mapped[str] = mapped_column(String(64), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(128))
    size: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary)

    broadcast: Mapped[Broadcast | None] = relationship(back_populates="attachments")
