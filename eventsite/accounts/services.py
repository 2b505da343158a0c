"""Use cases of one's own account: log in and out, reset or set a password, edit the profile.

Each function takes models and plain values, enforces the rules, raises an DomainError the view
shows, and commits once (audit entry and outbox rows in the same transaction).
"""
from __future__ import annotations

import zoneinfo
from datetime import datetime
from functools import lru_cache

from flask import current_app
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

from ..audit.services import record
from ..core.addresses import AddressError, clean_address
from ..core.domain import DomainError
from ..core.pagecache import bump
from ..core.validators import normalize_email
from ..extensions import db, now_utc
from . import notifications, throttle, tokens
from .devices import Device
from .models import User, new_session_token

__all__ = ["normalize_email"]  # re-exported: the spelling used to look an account up

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1000

# Offered in the profile's time-zone list; any other valid IANA name may be typed.
COMMON_TIMEZONES = (
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Taipei",
    "Asia/Tokyo",
    "Europe/Brussels",
    "Europe/Berlin",
    "Europe/Paris",
    "Europe/London",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Amsterdam",
    "Europe/Vienna",
    "Europe/Warsaw",
    "Europe/Athens",
    "UTC",
    "America/New_York",
)


class LoginFailed(DomainError):
    pass


class LoginLocked(DomainError):
    def __init__(self, message, until: datetime):
        super().__init__(message)
        self.until = until


class InvalidToken(DomainError):
    pass


LOCKED_MESSAGE = _l('Too many failed attempts. Please try again in a few minutes, or choose a new '
                    'password with "Forgot password?".')


# --- passwords --------------------------------------------------------------------------------


def hash_password(password: str) -> str:
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    return generate_password_hash(password, method=method)


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
    """Why `password` may not be used (a translatable message), or None if it is fine."""
    password = password or ""
    if len(password) < MIN_PASSWORD_LENGTH:
        return _l("Use at least %(n)s characters.", n=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        return _l("Use at most %(n)s characters.", n=MAX_PASSWORD_LENGTH)
    if email and password.strip().lower() == normalize_email(email):
        return _l("The password must not be your email address.")
    return None


def _set_password(user: User, password: str) -> None:
    """Store a new password, end every existing session of the account and void every link
    mailed to it before (a reset link sent earlier must not outlive the password it was for)."""
    problem = password_problem(password, user.email)
    if problem is not None:
        raise DomainError(problem, field="password")
    user.password_hash = hash_password(password)
    user.session_token = new_session_token()
    tokens.void(user)


# --- logging in and out -----------------------------------------------------------------------


def log_in(email: str, password: str, ip: str | None, device: Device | None = None) -> User:
    """Check a login attempt against the throttle and the account; the caller starts the session.

    Wrong password, unknown address, deactivated or not yet activated account all fail with the
    same message, so the form never tells whether an address has an account. `device`: what the
    browser's device cookie says (accounts/devices.py); it decides which counters apply.
    """
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
        record(
            "auth.login_failed",
            user,
            details={"email": email, "reason": reason, "locked": any(locked),
                     "known_device": keys[0].startswith("device:")},
            target_label=email,
        )
        db.session.commit()
        raise LoginFailed(_l("Wrong email address or password, or the account is not active."))
    throttle.clear_after_login(keys)
    user.last_login_at = now_utc()
    record("auth.login", user, actor=user)
    db.session.commit()
    return user


def log_out(user: User) -> None:
    """End the session: rotating the token also makes any copy of the old cookie worthless."""
    user.session_token = new_session_token()
    record("auth.logout", user, actor=user)
    db.session.commit()


# --- emailed links ----------------------------------------------------------------------------


def request_password_reset(email: str) -> None:
    """Email a reset link if an active account has this address; silently nothing otherwise."""
    email = normalize_email(email)
    user = db.session.scalar(db.select(User).filter_by(email=email)) if email else None
    if user is None or not user.is_active:
        return
    key = throttle.reset_key(email)
    if throttle.locked_until([key]) is not None:
        return  # enough links were sent lately; the answer on the page stays the same
    throttle.record_failure(key)
    raw = tokens.issue(user, "reset", current_app.config["PASSWORD_RESET_HOURS"])
    notifications.send_password_reset(user, raw)
    record("auth.reset_requested", user, actor=user)
    db.session.commit()


def send_activation(user: User) -> None:
    """Issue a fresh activation link (older ones stop working) and queue its email; no commit."""
    raw = tokens.issue(user, "activate", current_app.config["ACTIVATION_HOURS"])
    notifications.send_activation(user, raw)
    record("user.activation_sent", user)


def token_user(raw: str, purpose: str) -> User | None:
    """The account a still-valid link belongs to (for showing the form), else None."""
    token = tokens.find_valid(raw, purpose)
    if token is None or not _token_usable(token.user, purpose):
        return None
    return token.user


def use_token(raw: str, purpose: str, password: str) -> User:
    """Set the password through a reset or activation link; the link is then used up.

    Activation also marks the account activated. Every other session of the account ends, and
    every failed-login counter of the account is cleared: whoever holds the mailbox is the owner,
    so a reset always gets the owner back in, whatever others tried meanwhile.
    """
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
        record("user.activated", user, actor=user)
    else:
        record("user.password_reset", user, actor=user)
    throttle.clear_account(user.email, user.id)
    user.last_login_at = now_utc()
    db.session.commit()
    return user


def _token_usable(user: User, purpose: str) -> bool:
    if not user.is_active_flag:
        return False
    if purpose == "activate":
        return user.password_hash is None
    return user.password_hash is not None


def new_account_address(email: str) -> str:
    """The address of a new account as stored (the address rule, core/addresses.py), or
    DomainError: refused by the rule, or another account has it."""
    try:
        email = clean_address(email)
    except AddressError as exc:
        raise DomainError(exc.message, field="email") from None
    if db.session.scalar(db.select(User.id).where(User.email == email)) is not None:
        raise DomainError(_l("An account with this email address already exists."), field="email")
    return email


def create_liaison_account(unit, *, email: str, name: str, locale: str | None,
                           timezone: str | None = None) -> User:
    """A liaison account for `unit`, asked for by the holder of the unit's invitation link.

    The address is only what the link holder typed, so the account starts like one an admin
    creates: without a password, mailed an activation link (to that address, in the person's
    language). It cannot log in, and so sees nothing of the unit, until the link has been used.
    No commit: the caller commits it with what it was made for (the unit's answer), so a refusal
    later in that use case leaves no account behind. Audited as "user.create".
    """
    from sqlalchemy.exc import IntegrityError

    email = new_account_address(email)
    user = User(email=email, name=(name or "").strip()[:200], role="liaison", unit=unit,
                locale=locale or None, timezone=timezone if valid_timezone(timezone) else "Asia/Shanghai",
                password_hash=None)
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError:  # the same address registered a moment ago
        db.session.rollback()
        raise DomainError(_l("An account with this email address already exists."), field="email") from None
    record("user.create", user, actor=user,
           details={"role": "liaison", "unit_id": unit.id, "locale": user.locale, "via": "invitation"})
    send_activation(user)
    return user


# --- own profile ------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _known_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def valid_timezone(name: str | None) -> bool:
    """An IANA zone name we can use (checked against the zone database, not by opening files)."""
    return bool(name) and len(name) <= 64 and name in _known_zones()  # type: ignore[arg-type]


def update_profile(user: User, *, name: str, locale: str, timezone: str) -> dict:
    """Change one's own name, interface language and time zone; returns the changed fields."""
    if locale not in current_app.config["LANGUAGES"]:
        raise DomainError(_l("Choose a language from the list."), field="locale")
    if not valid_timezone(timezone):
        raise DomainError(_l("Unknown time zone."), field="timezone")
    changes = _apply(user, {"name": name.strip(), "locale": locale, "timezone": timezone})
    if changes:
        record("user.update", user, details={"changes": changes})
        bump(f"user:{user.id}")
        db.session.commit()
    return changes


def change_password(user: User, current: str, new: str) -> None:
    """Change one's own password; every session of the account ends (the caller re-logs this one)."""
    if not check_password(user, current or ""):
        raise DomainError(_l("The current password is not correct."), field="current_password")
    _set_password(user, new)
    record("user.password_change", user)
    db.session.commit()


def _apply(user: User, values: dict) -> dict:
    """Set attributes and return {"field": {"old": ..., "new": ...}} for those that changed."""
    changes = {}
    for field, value in values.items():
        old = getattr(user, field)
        if old != value:
            changes[field] = {"old": old, "new": value}
            setattr(user, field, value)
    return changes
