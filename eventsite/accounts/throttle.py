"""Failed-login counters kept in the database, so the limits hold across every app process.

Which counters an attempt meets is docs/security.md's "Login throttling": a known browser
(accounts/devices.py) only its own, "device:<account>:<browser>"; any other client "pair:<email>|<ip>",
"email:<email>" (a higher limit) and "ip:<ip>". Every change is one atomic SQL statement (insert if
missing, then a conditional `UPDATE ... SET failures = failures + 1`), never a read-modify-write in
Python, so N processes failing at once count N failures.
"""
from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db, now_utc
from .devices import Device
from .models import LoginThrottle

# One office behind NAT shares an address: the per-address limit is this many times higher.
IP_FACTOR = 4
# One account from every untrusted place together: higher than one address's limit, so a few
# failures from elsewhere lock only their sender, while many addresses are still slowed.
ACCOUNT_FACTOR = 4


def email_key(email: str) -> str:
    return f"email:{email}"[:400]


def reset_key(email: str) -> str:
    """Counts password-reset *requests* for an address, so the form can't flood an inbox."""
    return f"reset:{email}"[:400]


def login_keys(email: str, ip: str | None, user_id: int | None, device: Device | None) -> list[str]:
    """The counters a login attempt is checked against and counts in (see the module's doc)."""
    if user_id is not None and device is not None and device.trusts(user_id):
        return [f"device:{user_id}:{device.nonce}"[:400]]
    ip = ip or "unknown"
    return [email_key(email), f"pair:{email}|{ip}"[:400], f"ip:{ip}"[:400]]


def limit_for(key: str) -> int:
    if key.startswith("reset:"):
        return current_app.config.get("RESET_MAX_REQUESTS", 3)
    factor = {"ip": IP_FACTOR, "email": ACCOUNT_FACTOR}.get(key.partition(":")[0], 1)
    return current_app.config["LOGIN_MAX_FAILURES"] * factor


def locked_until(keys: list[str], now: datetime | None = None) -> datetime | None:
    return db.session.scalar(sa.select(sa.func.max(LoginThrottle.locked_until)).where(
        LoginThrottle.key.in_(keys), LoginThrottle.locked_until > _utc(now or now_utc())))


def record_failure(key: str, now: datetime | None = None) -> bool:
    now = now or now_utc()
    config = current_app.config
    window = timedelta(minutes=config["LOGIN_WINDOW_MINUTES"])
    lock = timedelta(minutes=config["LOGIN_LOCK_MINUTES"])
    table = LoginThrottle.__table__
    _insert_if_missing(key, now)
    # A window that ran out, or a lock that ended, starts counting from zero again.
    db.session.execute(sa.update(table).where(table.c.key == key, sa.or_(
        table.c.window_start <= _utc(now - window),
        sa.and_(table.c.locked_until.is_not(None), table.c.locked_until <= _utc(now)),
    )).values(failures=0, window_start=now, locked_until=None))
    # SET expressions read the row's old values, so `failures + 1` is this failure's number.
    locks = table.c.failures + 1 >= limit_for(key)
    db.session.execute(sa.update(table).where(table.c.key == key).values(
        failures=table.c.failures + 1,
        locked_until=sa.case((locks, _utc(now + lock)), else_=table.c.locked_until)))
    return locked_until([key], now) is not None


def clear_after_login(keys: list[str]) -> None:
    """A successful login clears the counters of this client (its address or its device), not
    the account's shared one: an attacker's count does not restart because the owner got in."""
    mine = [key for key in keys if key.startswith(("pair:", "device:"))]
    db.session.execute(sa.delete(LoginThrottle.__table__).where(LoginThrottle.__table__.c.key.in_(mine)))


def clear_account(email: str, user_id: int) -> None:
    """Forget every counter of one account (the owner proved it through an emailed link)."""
    clear_address(email)
    column = LoginThrottle.__table__.c.key
    db.session.execute(sa.delete(LoginThrottle.__table__).where(
        column.startswith(f"device:{user_id}:", autoescape=True)))


def clear_address(email: str) -> None:
    """Forget every counter keyed by an email address (also erasure: the keys hold the address)."""
    column = LoginThrottle.__table__.c.key
    db.session.execute(sa.delete(LoginThrottle.__table__).where(sa.or_(
        column.in_([email_key(email), reset_key(email)]),
        column.startswith(f"pair:{email}|", autoescape=True))))


def _utc(value: datetime) -> sa.BindParameter:
    """A bound instant typed like our columns (UTC, naive on SQLite), also inside CASE."""
    return sa.literal(value, LoginThrottle.__table__.c.window_start.type)


def _insert_if_missing(key: str, now: datetime) -> None:
    """Create the key's row unless it exists; a concurrent insert of the same key is no error."""
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    db.session.execute(insert(LoginThrottle.__table__).values(key=key, failures=0, window_start=now)
                       .on_conflict_do_nothing(index_elements=["key"]))
