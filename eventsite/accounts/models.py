"""Accounts, their emailed one-time tokens, and the failed-login counters."""
from __future__ import annotations

import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db, now_utc, one_of

if TYPE_CHECKING:
    from ..members.models import MemberUnit

# checkin: door staff, who see only the check-in pages of the events assigned to them
# (checkin.models.CheckinAssignment).
ROLES = ("admin", "organizer", "liaison", "checkin")
STAFF_ROLES = ("admin", "organizer")
# An account's status, derived (queries.status_of): "pending" until a password is chosen.
STATUSES = ("active", "pending", "inactive")


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(UserMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored as the address rule spells it (core/addresses.py: lower-cased), so uniqueness
    # ignores case.
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    # None until the account is activated through its emailed link.
    password_hash: Mapped[str | None] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("member_unit.id", ondelete="RESTRICT"), index=True)
    is_active_flag: Mapped[bool] = mapped_column("is_active", default=True)
    locale: Mapped[str | None] = mapped_column(String(8))
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")
    # Part of the Flask-Login id: changing it (password change, deactivation) ends every session.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    activated_at: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]

    unit: Mapped[MemberUnit | None] = relationship(back_populates="liaisons")

    __table_args__ = (
        CheckConstraint(one_of("role", ROLES), name="role"),
        CheckConstraint("(role = 'liaison' AND unit_id IS NOT NULL) OR "
                        "(role <> 'liaison' AND unit_id IS NULL)", name="liaison_has_unit"),
    )

    # Flask-Login
    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.is_active_flag and self.password_hash is not None

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role}>"


TOKEN_PURPOSES = ("activate", "reset")


class AccountToken(db.Model):
    """A single-use emailed link. Only the SHA-256 of the token is stored."""

    __tablename__ = "account_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    __table_args__ = (CheckConstraint(one_of("purpose", TOKEN_PURPOSES), name="purpose"),)


class LoginThrottle(db.Model):
    """Failed logins counted per key ("email:..." or "ip:..."), shared by every app process."""

    __tablename__ = "login_throttle"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(400))
    failures: Mapped[int] = mapped_column(default=0)
    window_start: Mapped[datetime] = mapped_column(default=now_utc)
    locked_until: Mapped[datetime | None]

    __table_args__ = (UniqueConstraint("key"),)
