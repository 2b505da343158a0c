"""Hourly pruning of throttle counters and emailed-link tokens that can never count or work
again; without it both tables only grow."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from ..extensions import db, now_utc
from ..mail.worker import register_job
from .models import AccountToken, LoginThrottle

EVERY_SECONDS = 3600
THROTTLE_KEEP = timedelta(days=1)
TOKEN_KEEP = timedelta(days=30)


def prune(now=None) -> dict[str, int]:
    now = now or now_utc()
    throttle = db.session.execute(sa.delete(LoginThrottle).where(
        LoginThrottle.window_start < now - THROTTLE_KEEP,
        sa.or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until < now))).rowcount
    tokens = db.session.execute(sa.delete(AccountToken).where(
        sa.or_(AccountToken.used_at < now - TOKEN_KEEP, AccountToken.expires_at < now - TOKEN_KEEP))).rowcount
    db.session.commit()
    return {"throttle": throttle or 0, "tokens": tokens or 0}


register_job(prune, every=EVERY_SECONDS)
