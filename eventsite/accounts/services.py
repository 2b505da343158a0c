"""Use cases of accounts: log in and out, emailed links, one's own profile, the admin's user
pages and `flask users`. Plain values in, DomainError out, one commit per use case."""
from __future__ import annotations

from datetime import datetime
from functools import lru_cache

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from ..audit.services import record
from ..core.addresses import AddressError, clean_address
from ..core.domain import DomainError
from ..core.gettext import lazy_gettext as _l
from ..core.pagecache import bump
from ..core.timezones import known_zone
from ..core.validators import has_control_chars, normalize_email
from ..extensions import db, now_utc
from ..members.models import MemberUnit
from . import notifications, throttle, tokens
from .devices import Device
from .models import ROLES, User, new_session_token

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1000
ADDRESS_TAKEN = _l("An account with this email address already exists.")
LOCKED_MESSAGE = _l('Too many failed attempts. Please try again in a few minutes, or choose a new '
                    'password with "Forgot password?".')


class LoginFailed(DomainError):
    pass


class LoginLocked(DomainError):
    def __init__(self, message, until: datetime):
        super().__init__(message)
        self.until = until


class InvalidToken(DomainError):
    pass


# --- passwords --------------------------------------------------------------------------------
def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"))


@lru_cache(maxsize=4)
def _dummy_hash(method: str) -> str:
    return generate_password_hash("not-a-real-password", method=method)


def check_password(user: User | None, password: str) -> bool:
    """True if `password` is the user's; hashes even without a user, so timing tells nothing."""
    if user is None or not user.password_hash:
        check_password_hash(_dummy_hash(current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")), password)
        return False
    return check_password_hash(user.password_hash, password)


def password_problem(password: str | None, email: str | None = None):
    password = password or ""
    if len(password) < MIN_PASSWORD_LENGTH:
        return _l("Use at least %(n)s characters.", n=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        return _l("Use at most %(n)s characters.", n=MAX_PASSWORD_LENGTH)
    if email and password.strip().lower() == normalize_email(email):
        return _l("The password must not be your email address.")
    return None


def _set_password(user: User, password: str) -> None:
    """Also ends every session and voids every mailed link: an old reset link must not outlive
    the password it was for."""
    problem = password_problem(password, user.email)
    if problem is not None:
        raise DomainError(problem, field="password")
    user.password_hash = hash_password(password)
    user.session_token = new_session_token()
    tokens.void(user)


# --- logging in and out -----------------------------------------------------------------------
def log_in(email: str, password: str, ip: str | None, device: Device | None = None) -> User:
    """Every failure has the same message, so the form never tells whether an address has an
    account; the caller starts the session."""
    email = normalize_email(email)[:320]
    user = db.session.scalar(db.select(User).filter_by(email=email)) if email else None
    keys = throttle.login_keys(email, ip, getattr(user, "id", None), device)
    until = throttle.locked_until(keys)
    if until is not None:
        raise LoginLocked(LOCKED_MESSAGE, until=until)
    password_ok = check_password(user, password or "")
    if user is None or not password_ok or not user.is_active:
        locked = [throttle.record_failure(key) for key in keys]
        reason = "unknown" if user is None else "password" if not password_ok else "inactive"
        record("auth.login_failed", user, target_label=email,
               details={"email": email, "reason": reason, "locked": any(locked),
                        "known_device": keys[0].startswith("device:")})
        db.session.commit()
        raise LoginFailed(_l("Wrong email address or password, or the account is not active."))
    throttle.clear_after_login(keys)
    user.last_login_at = now_utc()
    record("auth.login", user, actor=user)
    db.session.commit()
    return user


def log_out(user: User) -> None:
    """Rotating the token also makes any copy of the old session cookie worthless."""
    user.session_token = new_session_token()
    record("auth.logout", user, actor=user)
    db.session.commit()


# --- emailed links ----------------------------------------------------------------------------
def request_password_reset(email: str) -> None:
    """Silently nothing for an address without an active account."""
    email = normalize_email(email)
    user = db.session.scalar(db.select(User).filter_by(email=email)) if email else None
    if user is None or not user.is_active:
        return
    key = throttle.reset_key(email)
    if throttle.locked_until([key]) is not None:
        return  # enough links were sent lately; the answer on the page stays the same
    throttle.record_failure(key)
    raw = tokens.issue(user, "reset", current_app.config["PASSWORD_RESET_HOURS"])
    notifications.send_link(user, raw, "reset")
    record("auth.reset_requested", user, actor=user)
    db.session.commit()


def send_activation(user: User) -> None:
    """Issue a fresh activation link (older ones stop working) and queue its email; no commit."""
    raw = tokens.issue(user, "activate", current_app.config["ACTIVATION_HOURS"])
    notifications.send_link(user, raw, "activate")
    record("user.activation_sent", user)


def token_user(raw: str, purpose: str) -> User | None:
    token = tokens.find_valid(raw, purpose)
    if token is None or not _token_usable(token.user, purpose):
        return None
    return token.user


def use_token(raw: str, purpose: str, password: str) -> User:
    """Every failed-login counter of the account is cleared: whoever holds the mailbox is the
    owner, so a reset always gets the owner back in, whatever others tried meanwhile."""
    token = tokens.consume(raw, purpose)
    if token is None or not _token_usable(token.user, purpose):
        db.session.rollback()
        raise InvalidToken(_l("This link is invalid, has expired or has already been used."))
    user = token.user
    try:
        _set_password(user, password)
    except DomainError:
        db.session.rollback()
        raise
    if purpose == "activate":
        user.activated_at = now_utc()
    record("user.activated" if purpose == "activate" else "user.password_reset", user, actor=user)
    throttle.clear_account(user.email, user.id)
    user.last_login_at = now_utc()
    db.session.commit()
    return user


def _token_usable(user: User, purpose: str) -> bool:
    return user.is_active_flag and (user.password_hash is None) == (purpose == "activate")


# --- new accounts -----------------------------------------------------------------------------
def new_account_address(email: str) -> str:
    try:
        email = clean_address(email)
    except AddressError as exc:
        raise DomainError(exc.message, field="email") from None
    if db.session.scalar(db.select(User.id).where(User.email == email)) is not None:
        raise DomainError(ADDRESS_TAKEN, field="email")
    return email


def add_account(user: User, details: dict, actor: User | None = None) -> User:
    """Insert a new account without a password, audit it and mail its activation link; no commit."""
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError:  # the same address created a moment ago by someone else
        db.session.rollback()
        raise DomainError(ADDRESS_TAKEN, field="email") from None
    record("user.create", user, actor=actor, details=details)
    send_activation(user)
    return user


def create_liaison_account(unit, *, email: str, name: str, locale: str | None,
                           timezone: str | None = None) -> User:
    """A liaison account asked for by the holder of the unit's invitation link: like one an admin
    creates, it sees nothing until the mailbox's owner uses the activation link. No commit: the
    caller commits it with the unit's answer, so a refusal later leaves no account behind."""
    user = User(email=new_account_address(email), name=(name or "").strip()[:200], role="liaison",
                unit=unit, locale=locale or None, password_hash=None,
                timezone=timezone if valid_timezone(timezone) else "Asia/Shanghai")
    return add_account(user, {"role": "liaison", "unit_id": unit.id, "locale": user.locale,
                               "via": "invitation"}, actor=user)


def create_user(*, email: str, name: str, role: str, unit_id: int | None, locale: str | None) -> User:
    email = new_account_address(email)
    unit = _check_role_unit(role, unit_id, current_unit_id=None)
    user = User(email=email, name=name.strip(), role=role, unit=unit, locale=locale or None,
                password_hash=None)
    add_account(user, {"role": role, "unit_id": unit_id, "locale": user.locale})
    db.session.commit()
    return user


def create_admin(*, email: str, name: str, password: str) -> User:
    email = new_account_address(email)
    problem = password_problem(password, email)
    if problem is not None:
        raise DomainError(problem, field="password")
    if has_control_chars(name):
        raise DomainError(_l("Line breaks and control characters are not allowed here."), field="name")
    user = User(email=email, name=(name or "").strip()[:200], role="admin",
                password_hash=hash_password(password), activated_at=now_utc())
    db.session.add(user)
    db.session.flush()
    record("user.create", user, details={"role": "admin", "via": "cli"})
    db.session.commit()
    return user


# --- changing accounts ------------------------------------------------------------------------
def valid_timezone(name: str | None) -> bool:
    return known_zone(name) and len(name) <= 64  # type: ignore[arg-type]


def update_profile(user: User, *, name: str, locale: str, timezone: str) -> dict:
    if locale not in current_app.config["LANGUAGES"]:
        raise DomainError(_l("Choose a language from the list."), field="locale")
    if not valid_timezone(timezone):
        raise DomainError(_l("Unknown time zone."), field="timezone")
    return _save_changes(user, {"name": name.strip(), "locale": locale, "timezone": timezone})


def change_password(user: User, current: str, new: str) -> None:
    """Change one's own password; every session of the account ends (the caller re-logs this one)."""
    if not check_password(user, current or ""):
        raise DomainError(_l("The current password is not correct."), field="current_password")
    _set_password(user, new)
    record("user.password_change", user)
    db.session.commit()


def update_user(user: User, *, name: str, role: str, unit_id: int | None, locale: str | None) -> dict:
    if user.role == "admin" and role != "admin" and _is_last_active_admin(user):
        raise DomainError(_l("This is the last active administrator; the role cannot change."), field="role")
    unit = _check_role_unit(role, unit_id, current_unit_id=user.unit_id)
    values = {"name": name.strip(), "role": role, "unit_id": unit.id if unit else None, "locale": locale or None}
    return _save_changes(user, values, unit=unit)


def _save_changes(user: User, values: dict, **also) -> dict:
    """Set what changed, audit it as {"field": {"old", "new"}} and commit; returns the changes."""
    changes = {}
    for field, value in values.items():
        old = getattr(user, field)
        if old != value:
            changes[field] = {"old": old, "new": value}
            setattr(user, field, value)
    if changes:
        for field, value in also.items():
            setattr(user, field, value)
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
    if user.password_hash is not None:
        raise DomainError(_l("This account is already activated."))
    if not user.is_active_flag:
        raise DomainError(_l("This account is deactivated; reactivate it first."))
    send_activation(user)
    db.session.commit()


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
    if user.role != "admin" or not user.is_active:
        return False
    return not db.session.scalar(sa.select(sa.func.count(User.id)).where(
        User.role == "admin", User.is_active_flag.is_(True), User.password_hash.is_not(None),
        User.id != user.id))
