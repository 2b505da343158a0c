"""The read side of accounts: the admin's user list and the units a liaison may belong to."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..core.listing import text_search
from ..extensions import db
from ..members.models import MemberUnit
from ..members.queries import unit_name_order
from .models import ROLES, User


def status_of(user: User) -> str:
    """"active", "pending" (no password chosen yet) or "inactive" (deactivated)."""
    if not user.is_active_flag:
        return "inactive"
    return "pending" if user.password_hash is None else "active"


def user_query(role: str | None = None, status: str | None = None, q: str | None = None) -> sa.Select:
    query = sa.select(User).options(selectinload(User.unit)).order_by(User.email)
    if role in ROLES:
        query = query.where(User.role == role)
    by_status = {"active": (User.is_active_flag.is_(True), User.password_hash.is_not(None)),
                 "inactive": (User.is_active_flag.is_(False),),
                 "pending": (User.is_active_flag.is_(True), User.password_hash.is_(None))}
    if status in by_status:
        query = query.where(*by_status[status])
    if q := (q or "").strip()[:200]:
        query = query.where(text_search(q, User.email, User.name))
    return query


def unit_choices(keep_unit_id: int | None = None, lang: str = "en") -> list[MemberUnit]:
    """Active units a liaison may be bound to, plus `keep_unit_id` even if since deactivated,
    in the reader's order."""
    return list(db.session.scalars(
        sa.select(MemberUnit).where(sa.or_(MemberUnit.is_active.is_(True), MemberUnit.id == keep_unit_id))
        .order_by(MemberUnit.is_active.desc(), *unit_name_order(lang))))
