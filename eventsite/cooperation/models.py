"""Cooperation between the alliance's units: the secretariat's topic list, each unit's profile
(topics offered and sought, a short text in both languages), the units' projects with their
brochures (published once approved), and the stands of exposition events."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.bilingual import Bilingual
from ..core.collation import KEY_LENGTH, sort_key
from ..extensions import db, now_utc, one_of
from ..members.models import MemberUnit

TOPIC_KINDS = ("offers", "seeks")
SECTORS = ("agriculture", "manufacturing", "infrastructure", "energy", "environment", "tourism", "trade",
           "technology", "health", "education", "real_estate", "other")
STAGES = ("idea", "planning", "approved", "construction", "operating")
SIZE_BANDS = ("small", "medium", "large", "very_large")
PROJECT_STATUSES = ("draft", "submitted", "approved", "rejected", "withdrawn")
SUBMITTABLE_PROJECT_STATUSES = ("draft", "rejected", "withdrawn")
WITHDRAWABLE_PROJECT_STATUSES = ("submitted", "approved")
REVIEWABLE_PROJECT_STATUSES = ("submitted",)
PUBLIC_PROJECT_STATUSES = ("approved",)
# Exposition events have stands (events.models.EVENT_KINDS).
EXPOSITION_KIND = "exposition"


class Topic(Bilingual, db.Model):
    """A topic of cooperation ("Smart city" / "智慧城市"); in use, it is deactivated, never deleted."""

    __tablename__ = "coop_topic"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_en: Mapped[str] = mapped_column(String(100), default="")
    name_zh: Mapped[str] = mapped_column(String(100), default="")
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    __table_args__ = (CheckConstraint("name_en <> '' OR name_zh <> ''", name="has_name"),)

    def display_name(self, locale: str = "en") -> str:
        return self.shown("name", locale)


profile_topic = Table(
    "coop_profile_topic", db.metadata,
    Column("profile_id", ForeignKey("coop_profile.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("coop_topic.id", ondelete="RESTRICT"), primary_key=True, index=True),
    Column("kind", String(8), primary_key=True),
    CheckConstraint(one_of("kind", TOPIC_KINDS), name="kind"),
)

project_topic = Table(
    "coop_project_topic", db.metadata,
    Column("project_id", ForeignKey("coop_project.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("coop_topic.id", ondelete="RESTRICT"), primary_key=True, index=True),
)


class Profile(Bilingual, db.Model):
    """A unit's cooperation profile (one per unit)."""

    __tablename__ = "coop_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("member_unit.id", ondelete="CASCADE"), unique=True)
    text_en: Mapped[str] = mapped_column(Text, default="")
    text_zh: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=now_utc, onupdate=now_utc)

    unit: Mapped[MemberUnit] = relationship()


class Project(Bilingual, db.Model):
    """A cooperation or investment project of a unit; public once the secretariat approves it."""

    __tablename__ = "coop_project"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("member_unit.id", ondelete="CASCADE"), index=True)
    title_en: Mapped[str] = mapped_column(String(200), default="")
    title_zh: Mapped[str] = mapped_column(String(200), default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    description_zh: Mapped[str] = mapped_column(Text, default="")
    sector: Mapped[str] = mapped_column(String(32), index=True)
    location_en: Mapped[str] = mapped_column(String(200), default="")
    location_zh: Mapped[str] = mapped_column(String(200), default="")
    # ISO 3166-1 alpha-2; for China an ISO 3166-2 province code (members.labels), else "".
    country: Mapped[str] = mapped_column(String(2), default="CN", index=True)
    province: Mapped[str] = mapped_column(String(100), default="", index=True)
    stage: Mapped[str] = mapped_column(String(32))
    size_band: Mapped[str] = mapped_column(String(16))
    partner_sought_en: Mapped[str] = mapped_column(Text, default="")
    partner_sought_zh: Mapped[str] = mapped_column(Text, default="")
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(320), default="")
    contact_phone: Mapped[str] = mapped_column(String(64), default="")
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    submitted_at: Mapped[datetime | None]
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None]
    review_note: Mapped[str] = mapped_column(Text, default="")
    # The pinyin key of the title shown to Chinese readers (as member_unit.sort_key_zh), so the
    # catalogue sorts and paginates in SQL.
    sort_key_zh: Mapped[str] = mapped_column(String(KEY_LENGTH), default="")
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(default=now_utc, onupdate=now_utc)

    unit: Mapped[MemberUnit] = relationship()
    topics: Mapped[list[Topic]] = relationship(secondary=project_topic, order_by="Topic.position")
    attachments: Mapped[list[ProjectAttachment]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="ProjectAttachment.id")

    __table_args__ = (
        CheckConstraint(one_of("sector", SECTORS), name="sector"),
        CheckConstraint(one_of("stage", STAGES), name="stage"),
        CheckConstraint(one_of("size_band", SIZE_BANDS), name="size_band"),
        CheckConstraint(one_of("status", PROJECT_STATUSES), name="status"),
        CheckConstraint("title_en <> '' OR title_zh <> ''", name="has_title"),
    )

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_PROJECT_STATUSES

    @property
    def can_submit(self) -> bool:
        return self.status in SUBMITTABLE_PROJECT_STATUSES

    @property
    def can_withdraw(self) -> bool:
        return self.status in WITHDRAWABLE_PROJECT_STATUSES

    @property
    def awaits_review(self) -> bool:
        return self.status in REVIEWABLE_PROJECT_STATUSES

    def display_name(self, locale: str = "en") -> str:
        return self.shown("title", locale)


@event.listens_for(Project, "before_insert")
@event.listens_for(Project, "before_update")
def _keep_sort_key(mapper, connection, project: Project) -> None:
    project.sort_key_zh = sort_key(project.display_name("zh"), "zh")


class ProjectAttachment(db.Model):
    """A brochure of a project (PDF or image, checked by content), kept in the database."""

    __tablename__ = "coop_project_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("coop_project.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_at: Mapped[datetime] = mapped_column(default=now_utc)

    project: Mapped[Project] = relationship(back_populates="attachments")


class Stand(db.Model):
    """A unit's stand at an exposition event: hall, stand number, size in square metres."""

    __tablename__ = "coop_stand"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("member_unit.id", ondelete="CASCADE"), index=True)
    hall: Mapped[str] = mapped_column(String(40))
    number: Mapped[str] = mapped_column(String(20))
    size_m2: Mapped[int] = mapped_column(default=9)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)

    unit: Mapped[MemberUnit] = relationship()

    __table_args__ = (
        UniqueConstraint("event_id", "hall", "number"),
        CheckConstraint("size_m2 > 0", name="size_positive"),
        CheckConstraint("hall <> '' AND number <> ''", name="has_place"),
        Index("ix_coop_stand_event_unit", "event_id", "unit_id"),
    )
