"""Single-use emailed links (activation, password reset).

The raw token (256 random bits) exists only in the email; the database keeps its SHA-256, so a
leaked database cannot be turned into working links. Use is claimed with one conditional UPDATE
checked by rowcount, so two clicks at the same moment cannot both succeed.
"""
from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from ..core.tokens import hash_token, new_token, plausible
from ..extensions import db, now_utc
from .models import TOKEN_PURPOSES, AccountToken, User


def issue(user: User, purpose: str, hours: int) -> str:
    """A token for `user`, raw for the email (caller commits); only the newest link works."""
    now = now_utc()
    void(user, (purpose,), now)
    raw, digest = new_token()
    db.session.add(AccountToken(user_id=user.id, purpose=purpose, token_hash=digest, created_at=now,
                                expires_at=now + timedelta(hours=hours)))
    return raw


def void(user: User, purposes: tuple[str, ...] = TOKEN_PURPOSES, now: datetime | None = None) -> None:
    """End every outstanding link of `purposes` for `user` (caller commits): a newer link, a new
    password or a deactivation makes the links already mailed worthless."""
    now = now or now_utc()
    table = AccountToken.__table__
    db.session.execute(sa.update(table).values(expires_at=now).where(
        table.c.user_id == user.id, table.c.purpose.in_(purposes), table.c.used_at.is_(None),
        table.c.expires_at > sa.literal(now, table.c.expires_at.type)))


def _usable(digest: str, purpose: str, now):
    table = AccountToken.__table__
    return (table.c.token_hash == digest, table.c.purpose == purpose, table.c.used_at.is_(None),
            table.c.expires_at > sa.literal(now, table.c.expires_at.type))


def find_valid(raw: str, purpose: str) -> AccountToken | None:
    if not plausible(raw):
        return None
    return db.session.scalar(sa.select(AccountToken).where(*_usable(hash_token(raw), purpose, now_utc())))


def consume(raw: str, purpose: str) -> AccountToken | None:
    if not plausible(raw):
        return None
    now, digest = now_utc(), hash_token(raw)
    result = db.session.execute(
        sa.update(AccountToken.__table__).where(*_usable(digest, purpose, now)).values(used_at=now))
    if result.rowcount != 1:
        return None
    token = db.session.scalar(sa.select(AccountToken).where(AccountToken.token_hash == digest))
    if token is not None:
        db.session.refresh(token)  # the identity map may hold the row from before the UPDATE
    return token
