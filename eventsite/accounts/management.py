"""Use cases of the admin's user pages and the `flask users` commands.

Same conventions as services.py: plain values in, DomainError out, one commit per use case.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..audit.services import record
from ..core.domain import DomainError
from ..core.listing import text_search
from ..core.pagecache import bump
from ..core.validators import has_control_chars
from ..extensions import db, now_utc
from ..members.models import MemberUnit
from . import tokens
from .models import ROLES, User, new_session_token
from .services import hash_password, new_account_address, password_problem, send_activation


def status_of(user: User) -> str:
    """"active", "pending" (no password chosen yet) or "inactive" (deactivated)."""
    if not user.is_active_flag:
        return "inactive"
    return "pending" if user.password_hash is None else "active"


def user_query(role: str | None = None, status: str | None = None, q: str | None = None) -> sa.Select:
    """Users filtered for the admin list: by role, status and a search in email and name."""
    query = sa.select(User).options(selectinload(User.unit)).order_by(User.email)
    if role in ROLES:
        query = query.where(User.role == role)
    if status == "active":
        query = query.where(User.is_active_flag.is_(True), User.password_hash.is_not(None))
    elif status == "inactive":
        query = query.where(User.is_active_flag.is_(False))
    elif status == "pending":
        query = query.where(User.is_active_flag.is_(True), User.password_hash.is_(None))
    q = (q or "").strip()[:200]
    if q:
        query = query.where(text_search(q, User.email, User.name))
    return query


def active_units() -> list[MemberUnit]:
    """Units a liaison may be bound to."""
    return list(
        db.session.scalars(
            sa.select(MemberUnit).where(MemberUnit.is_active.is_(True)).order_by(MemberUnit.name_en, MemberUnit.name_zh)
        )
    )


def create_user(*, email: str, name: str, role: str, unit_id: int | None, locale: str | None) -> User:
    """Create an account without a password and email it an activation link."""
    email = new_account_address(email)
    unit = _check_role_unit(role, unit_id, current_unit_id=None)
    user = User(
        email=email,
        name=name.strip(),
        role=role,
        unit=unit,
        locale=locale or None,
        password_hash=None,
    )
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError:  # the same address created a moment ago by someone else
        db.session.rollback()
        raise DomainError(_l("An account with this email address already exists."), field="email") from None
    record("user.create", user, details={"role": role, "unit_id": unit_id, "locale": user.locale})
    send_activation(user)
    db.session.commit()
    return user


def update_user(user: User, *, name: str, role: str, unit_id: int | None, locale: str | None) -> dict:
    """Change an account's name, role, unit and language; returns the changed fields."""
    if user.role == "admin" and role != "admin" and _is_last_active_admin(user):
        raise DomainError(_l("This is the last active administrator; the role cannot change."), field="role")
    unit = _check_role_unit(role, unit_id, current_unit_id=user.unit_id)
    changes = {}
    values = {"name": name.strip(), "role": role, "unit_id": unit.id if unit else None, "locale": locale or None}
    for field, value in values.items():
        old = getattr(user, field)
        if old != value:
            changes[field] = {"old": old, "new": value}
            setattr(user, field, value)
    if changes:
        user.unit = unit
        record("user.update", user, details={"changes": changes})
        bump(f"user:{user.id}")
        db.session.commit()
    return changes


def deactivate_user(user: User, actor: User) -> None:
    """Block an account; its sessions end at once (the session token rotates)."""
    if user.id == actor.id:
        raise DomainError(_l("You cannot deactivate your own account."))
    if not user.is_active_flag:
        return
    if user.role == "admin" and _is_last_active_admin(user):
        raise DomainError(_l("This is the last active administrator and cannot be deactivated."))
    user.is_active_flag = False
    user.session_token = new_session_token()
    tokens.void(user)  # a link mailed before must not work again after a reactivation
    record("user.deactivate", user)
    db.session.commit()


def reactivate_user(user: User) -> None:
    if user.is_active_flag:
        return
    user.is_active_flag = True
    record("user.reactivate", user)
    db.session.commit()


def resend_activation(user: User) -> None:
    """A new activation link for an account that has not chosen a password yet."""
    if user.password_hash is not None:
        raise DomainError(_l("This account is already activated."))
    if not user.is_active_flag:
        raise DomainError(_l("This account is deactivated; reactivate it first."))
    send_activation(user)
    db.session.commit()


def create_admin(*, email: str, name: str, password: str) -> User:
    """An activated administrator, for `flask users create-admin` (the first account)."""
    email = new_account_address(email)
    problem = password_problem(password, email)
    if problem is not None:
        raise DomainError(problem, field="password")
    if has_control_chars(name):
        raise DomainError(_l("Line breaks and control characters are not allowed here."), field="name")
    user = User(
        email=email,
        name=(name or "").strip()[:200],
        role="admin",
        password_hash=hash_password(password),
        activated_at=now_utc(),
    )
    db.session.add(user)
    db.session.flush()
    record("user.create", user, details={"role": "admin", "via": "cli"})
    db.session.commit()
    return user


def _check_role_unit(role: str, unit_id: int | None, current_unit_id: int | None) -> MemberUnit | None:
    """Liaisons belong to an active unit (or keep their current one); staff belong to none."""
    if role not in ROLES:
        raise DomainError(_l("Choose a role from the list."), field="role")
    if role != "liaison":
        if unit_id:
            raise DomainError(_l("Only liaisons belong to a member unit."), field="unit_id")
        return None
    if not unit_id:
        raise DomainError(_l("A liaison must belong to a member unit."), field="unit_id")
    unit = db.session.get(MemberUnit, unit_id)
    if unit is None or (not unit.is_active and unit.id != current_unit_id):
        raise DomainError(_l("Choose an active member unit."), field="unit_id")
    return unit


def _is_last_active_admin(user: User) -> bool:
    """True if `user` is an active admin and no other active admin exists."""
    if user.role != "admin" or not user.is_active:
        return False
    others = db.session.scalar(
        sa.select(sa.func.count(User.id)).where(
            User.role == "admin",
            User.is_active_flag.is_(True),
            User.password_hash.is_not(None),
            User.id != user.id,
        )
    )
    return not others
