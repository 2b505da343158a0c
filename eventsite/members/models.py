"""Member units of the alliance and their contacts (the mayors' contact mechanism)."""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, String, Table, Text, event, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.collation import KEY_LENGTH, sort_key
from ..extensions import db, now_utc, one_of

if TYPE_CHECKING:
    from ..accounts.models import User

# The kinds of member unit (DESIGN.md). Labels live in members/labels.py, translated.
UNIT_KINDS = ("prefecture_city", "county_city", "new_area", "district", "county", "town", "foreign_city",
              "institution")
CONTACT_ROLES = ("mayor", "vice_mayor", "liaison", "foreign_affairs", "other")
CONTACT_LANGUAGES = ("zh", "en")


unit_tag = Table("member_unit_tag", db.metadata,
                 Column("unit_id", ForeignKey("member_unit.id", ondelete="CASCADE"), primary_key=True),
                 Column("tag_id", ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True))


def _unique_when_given(column: str) -> Index:
    """A name is unique among the tags that have one (many tags have no name in one language)."""
    where = text(f"{column} <> ''")
    return Index(f"uq_tag_{column}", column, unique=True, sqlite_where=where, postgresql_where=where)


def name_in(locale: str, name_en: str, name_zh: str) -> str:
    """The name in the reader's language, falling back to the other one."""
    return (name_zh or name_en) if locale == "zh" else (name_en or name_zh)


class Tag(db.Model):
    """A label on units ("Belt and Road" / "一带一路"), named in either language or both."""

    __tablename__ = "tag"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_en: Mapped[str] = mapped_column(String(100), default="")
    name_zh: Mapped[str] = mapped_column(String(100), default="")

    units: Mapped[list[MemberUnit]] = relationship(secondary=unit_tag, back_populates="tags")

    __table_args__ = (
        CheckConstraint("name_en <> '' OR name_zh <> ''", name="has_name"),
        _unique_when_given("name_en"),
        _unique_when_given("name_zh"),
    )

    def display_name(self, locale: str = "en") -> str:
        return name_in(locale, self.name_en, self.name_zh)

    def both_names(self) -> str:
        """'Belt and Road / 一带一路' (as the unit form and the CSV files write a tag)."""
        return " / ".join(n for n in (self.name_en, self.name_zh) if n)

    def __repr__(self) -> str:
        return f"<Tag {self.id} {self.both_names()}>"


class MemberUnit(db.Model):
    __tablename__ = "member_unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    name_zh: Mapped[str] = mapped_column(String(200), default="")
    name_en: Mapped[str] = mapped_column(String(200), default="")
    # ISO 3166-1 alpha-2; for Chinese units `province` is an ISO 3166-2 code (CN-SC), elsewhere a
    # free-text region.
    country: Mapped[str] = mapped_column(String(2), default="CN", index=True)
    province: Mapped[str] = mapped_column(String(100), default="", index=True)
    batch: Mapped[int | None]
    joined_on: Mapped[date | None]
    website: Mapped[str] = mapped_column(String(300), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    is_active: Mapped[bool] = mapped_column(default=True, index=True)
    # The pinyin key of the name shown to Chinese readers (core/collation.py), kept on every save
    # so that Chinese lists sort and paginate in SQL.
    sort_key_zh: Mapped[str] = mapped_column(String(KEY_LENGTH), default="")
    # Part of the secret calendar-feed URL (calendar/feeds.py): raising it kills the old URL.
    feed_version: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(default=now_utc, onupdate=now_utc)

    tags: Mapped[list[Tag]] = relationship(secondary=unit_tag, back_populates="units",
                                           order_by="(Tag.name_en, Tag.name_zh)")
    contacts: Mapped[list[Contact]] = relationship(back_populates="unit", cascade="all, delete-orphan",
                                                   order_by="Contact.id")
    liaisons: Mapped[list[User]] = relationship(back_populates="unit")

    __table_args__ = (
        CheckConstraint(one_of("kind", UNIT_KINDS), name="kind"),
        CheckConstraint("name_zh <> '' OR name_en <> ''", name="has_name"),
    )

    def display_name(self, locale: str = "en") -> str:
        return name_in(locale, self.name_en, self.name_zh)

    def __repr__(self) -> str:
        return f"<MemberUnit {self.id} {self.name_en or self.name_zh}>"


@event.listens_for(MemberUnit, "before_insert")
@event.listens_for(MemberUnit, "before_update")
def _keep_sort_key(mapper, connection, unit: MemberUnit) -> None:
    unit.sort_key_zh = sort_key(unit.display_name("zh"), "zh")


class Contact(db.Model):
    __tablename__ = "contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("member_unit.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(32))
    name_zh: Mapped[str] = mapped_column(String(200), default="")
    name_latin: Mapped[str] = mapped_column(String(200), default="")
    title: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(320), default="")
    phone: Mapped[str] = mapped_column(String(64), default="")
    language: Mapped[str] = mapped_column(String(8), default="zh")
    receives_invitations: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(default=now_utc, onupdate=now_utc)

    unit: Mapped[MemberUnit] = relationship(back_populates="contacts")

    __table_args__ = (
        CheckConstraint(one_of("role", CONTACT_ROLES), name="role"),
        CheckConstraint(one_of("language", CONTACT_LANGUAGES), name="language"),
        CheckConstraint("name_zh <> '' OR name_latin <> ''", name="has_name"),
        Index("ix_contact_unit_role", "unit_id", "role"),
    )

    def display_name(self, locale: str = "en") -> str:
        """Both names where both exist, the reader's script first (as a delegate's)."""
        first, second = (self.name_zh, self.name_latin) if locale == "zh" else (self.name_latin, self.name_zh)
        return " ".join(p for p in (first, second) if p)
