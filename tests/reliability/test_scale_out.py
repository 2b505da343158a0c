"""Scale-out proof: two gunicorn app servers and two mail workers, as separate processes, share
one PostgreSQL database and one SMTP server on loopback.

- 1,000 queued messages: every one is delivered exactly once (no message lost, none sent twice by
  two workers), whatever worker picks it.
- Concurrent delegation submissions through both servers (test_scale_out_delegations.py): never
  more confirmed delegates than seats, each unit one delegation, no 5xx.
"""
from __future__ import annotations

import time
from collections import Counter

import pytest
import sqlalchemy as sa

from eventsite.extensions import db

from ..conftest import SMTPServer
from . import cluster

pytestmark = [pytest.mark.postgres_only, pytest.mark.scale_out]

MESSAGES = 1000


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")


def test_two_mail_workers_deliver_every_message_exactly_once(app, database_url, tmp_path):
    from eventsite.mail.models import OutboxMessage
    from eventsite.mail.services import enqueue

    with app.app_context():
        for i in range(MESSAGES):
            enqueue(kind="broadcast", to_addr=f"member{i}@example.org", subject=f"Notice {i}",
                    body_text=f"Body {i}", language="zh" if i % 2 else "en")
        db.session.commit()
        expected = set(db.session.scalars(sa.select(OutboxMessage.message_id)))
    assert len(expected) == MESSAGES

    smtp = SMTPServer()
    smtp.start()
    try:
        port = cluster.free_port()
        env = cluster.environment(database_url, port, tmp_path / "instance", smtp.port)
        with cluster.processes([cluster.mail_worker(env), cluster.mail_worker(env)],
                               tmp_path) as workers:
            wait_for(lambda: len(smtp.received) >= MESSAGES, 180, "1,000 deliveries")
            time.sleep(1.0)  # a duplicate would arrive now, not later
            assert all(worker.poll() is None for worker in workers), "a worker died"
    finally:
        smtp.stop()

    ids = Counter(mail.message["Message-ID"] for mail in smtp.received)
    assert set(ids) == expected, "every queued message arrived"
    assert max(ids.values()) == 1, [i for i, n in ids.items() if n > 1][:5]
    with app.app_context():
        states = dict(db.session.execute(
            sa.select(OutboxMessage.state, sa.func.count()).group_by(OutboxMessage.state)).all())
    assert states == {"sent": MESSAGES}
