"""Stale throttle counters and dead tokens are deleted by the worker's hourly job."""
from __future__ import annotations

from datetime import timedelta

import pytest

from eventsite.accounts import jobs
from eventsite.accounts.models import AccountToken, LoginThrottle
from eventsite.extensions import db, now_utc
from eventsite.mail import worker

from ..factories import make_user


@pytest.mark.both_dbs
def test_prune_deletes_only_what_can_never_matter_again(app_ctx):
    now = now_utc()
    user = make_user()
    db.session.add_all([
        LoginThrottle(key="email:old@x.org", failures=3, window_start=now - timedelta(days=2)),
        LoginThrottle(key="email:locked@x.org", failures=5, window_start=now - timedelta(days=2),
                      locked_until=now + timedelta(minutes=5)),
        LoginThrottle(key="email:fresh@x.org", failures=1, window_start=now - timedelta(minutes=3)),
        AccountToken(user=user, purpose="reset", token_hash="a" * 64, expires_at=now - timedelta(days=40)),
        AccountToken(user=user, purpose="reset", token_hash="b" * 64, expires_at=now + timedelta(hours=1),
                     used_at=now - timedelta(days=31)),
        AccountToken(user=user, purpose="activate", token_hash="c" * 64, expires_at=now + timedelta(days=2)),
    ])
    db.session.commit()

    assert jobs.prune() == {"throttle": 1, "tokens": 2}
    keys = set(db.session.scalars(db.select(LoginThrottle.key)))
    assert keys == {"email:locked@x.org", "email:fresh@x.org"}
    assert list(db.session.scalars(db.select(AccountToken.token_hash))) == ["c" * 64]


def test_the_worker_runs_it(app):
    # Registered throttled (about once an hour): the job wraps prune.
    assert any(getattr(job, "__wrapped__", None) is jobs.prune for job in worker._jobs)
