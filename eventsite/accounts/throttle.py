"""Failed-login counters kept in the database, so the limit holds across every app process.

Each key ("email:<addr>" or "ip:<addr>") has one row. Every change is a single SQL statement
that the database applies atomically (insert-if-missing on the unique key, then conditional
`UPDATE ... SET failures = failures + 1`), never a read-modify-write in Python: N processes or
threads failing at once count N failures on SQLite and PostgreSQL alike.
"""
from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from ..extensions import db, now_utc
from .models import LoginThrottle

# One office behind NAT shares an address: the per-address limit is this many times higher.
IP_FACTOR = 4


def email_key(email: str) -> str:
    return f"email:{email}"[:400]


def ip_key(ip: str | None) -> str:
    return f"ip:{ip or 'unknown'}"[:400]


def reset_key(email: str) -> str:
    """Counts password-reset *requests* for an address, so the form can't flood an inbox."""
    return f"reset:{email}"[:400]


def limit_for(key: str) -> int:
    if key.startswith("reset:"):
        return current_app.config.get("RESET_MAX_REQUESTS", 3)
    base = current_app.config["LOGIN_MAX_FAILURES"]
    return base * IP_FACTOR if key.startswith("ip:") else base


def locked_until(keys: list[str], now: datetime | None = None) -> datetime | None:
    """The latest lock end among `keys`, or None when none of them is locked now."""
    now = now or now_utc()
    query = sa.select(sa.func.max(LoginThrottle.locked_until)).where(
        LoginThrottle.key.in_(keys), LoginThrottle.locked_until > _utc(now)
    )
    return db.session.scalar(query)


def record_failure(key: str, now: datetime | None = None) -> bool:
    """Count one failure for `key` (in the caller's transaction); True if the key is now locked."""
    now = now or now_utc()
    config = current_app.config
    window = timedelta(minutes=config["LOGIN_WINDOW_MINUTES"])
    lock = timedelta(minutes=config["LOGIN_LOCK_MINUTES"])
    table = LoginThrottle.__table__
    _insert_if_missing(key, now)
    # A window that ran out, or a lock that ended, starts counting from zero again.
    db.session.execute(
        sa.update(table)
        .where(
            table.c.key == key,
            sa.or_(
                table.c.window_start <= _utc(now - window),
                sa.and_(table.c.locked_until.is_not(None), table.c.locked_until <= _utc(now)),
            ),
        )
        .values(failures=0, window_start=now, locked_until=None)
    )
    # SET expressions read the row's old values, so `failures + 1` is this failure's number.
    db.session.execute(
        sa.update(table)
        .where(table.c.key == key)
        .values(
            failures=table.c.failures + 1,
            locked_until=sa.case(
                (table.c.failures + 1 >= limit_for(key), _utc(now + lock)),
                else_=table.c.locked_until,
            ),
        )
    )
    return locked_until([key], now) is not None


def clear(key: str) -> None:
    """Forget the failures of `key` (after a successful login)."""
    db.session.execute(sa.delete(LoginThrottle.__table__).where(LoginThrottle.__table__.c.key == key))


def _utc(value: datetime) -> sa.BindParameter:
    """A bound instant typed like our columns (UTC, naive on SQLite), also inside CASE."""
    return sa.literal(value, LoginThrottle.__table__.c.window_start.type)


def _insert_if_missing(key: str, now: datetime) -> None:
    """Create the key's row unless it exists; a concurrent insert of the same key is no error."""
    dialect = db.session.get_bind().dialect.name
    values = {"key": key, "failures": 0, "window_start": now}
    if dialect in ("postgresql", "sqlite"):
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        db.session.execute(
            insert(LoginThrottle.__table__).values(**values).on_conflict_do_nothing(
                index_elements=["key"]
            )
        )
        return
    try:  # other databases: let the unique key refuse the duplicate inside a savepoint
        with db.session.begin_nested():
            db.session.execute(sa.insert(LoginThrottle.__table__).values(**values))
    except IntegrityError:
        pass
