"""The delivery worker against a real SMTP server on loopback."""
from __future__ import annotations

import smtplib
import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventsite.extensions import db, now_utc
from eventsite.mail import worker
from eventsite.mail.mime import message_bytes
from eventsite.mail.models import OutboxMessage
from eventsite.mail.services import Attachment, enqueue

from ..conftest import count_statements


def _queue(n: int, **fields) -> list[int]:
    rows = [
        enqueue(kind="test", to_addr=f"r{i}@example.org", to_name=f"R {i}", subject=f"Message {i}",
                body_text=f"Body {i}", body_html=f"<p>Body {i}</p>", **fields)
        for i in range(n)
    ]
    db.session.commit()
    return [r.id for r in rows]


def _make_due() -> None:
    db.session.execute(db.update(OutboxMessage).values(next_attempt_at=now_utc()))
    db.session.commit()


@pytest.mark.both_dbs
def test_delivers_and_marks_sent(app_ctx, smtp_server, outbox):
    _queue(3)
    counts = worker.send_pending()
    assert counts["sent"] == 3 and counts["claimed"] == 3
    assert sorted(m.rcpt_tos[0] for m in smtp_server.received) == [f"r{i}@example.org" for i in range(3)]
    assert smtp_server.received[0].mail_from == "secretariat@eventsite.test"
    for row in outbox():
        assert (row.state, row.transport, row.attempts) == ("sent", "smtp", 1)
        assert row.sent_at is not None
        # What the server got is exactly the .eml the admin downloads.
        got = next(m for m in smtp_server.received if m.message["Message-ID"] == row.message_id)
        assert got.data == message_bytes(row)
    assert worker.send_pending()["claimed"] == 0


@pytest.mark.both_dbs
def test_server_down_then_back_delivers_each_once(app_ctx, smtp_server, outbox):
    smtp_server.stop()
    _queue(5)
    before = now_utc()
    counts = worker.send_pending()  # no exception
    assert counts["retry"] == 5
    for row in outbox():
        assert row.state == "pending" and row.attempts == 1
        assert "connection failed" in row.last_error
        assert row.next_attempt_at >= before + timedelta(seconds=9)
    assert worker.send_pending()["claimed"] == 0  # not due yet

    smtp_server.start()
    _make_due()
    assert worker.send_pending()["sent"] == 5
    worker.send_pending()
    ids = Counter(m.message["Message-ID"] for m in smtp_server.received)
    assert sorted(ids) == sorted(r.message_id for r in outbox()) and set(ids.values()) == {1}
    assert {r.state for r in outbox()} == {"sent"}


@pytest.mark.both_dbs
def test_temporary_rejection_is_retried(app_ctx, smtp_server, outbox):
    _queue(1)
    smtp_server.reject_with = "451 4.3.0 try again later"
    worker.send_pending()
    row = outbox()[0]
    assert row.state == "pending" and row.attempts == 1 and row.last_error.startswith("451")
    smtp_server.reject_with = None
    _make_due()
    worker.send_pending()
    assert outbox()[0].state == "sent" and len(smtp_server.received) == 1


def test_permanent_rejection_fails(app_ctx, smtp_server, outbox):
    _queue(2)
    smtp_server.reject_with = "550 5.1.1 no such user"
    counts = worker.send_pending()
    assert counts["failed"] == 2
    assert all(r.state == "failed" and "550" in r.last_error for r in outbox())


def test_gives_up_after_max_attempts(app, app_ctx, smtp_server, outbox):
    app.config["MAIL_MAX_ATTEMPTS"] = 2
    _queue(1)
    smtp_server.reject_with = "451 busy"
    worker.send_pending()
    _make_due()
    worker.send_pending()
    row = outbox()[0]
    assert (row.state, row.attempts) == ("failed", 2)


def test_backoff_schedule():
    assert [worker.backoff(n).total_seconds() for n in range(1, 9)] == [10, 30, 60, 300, 900, 1800, 1800, 1800]


def test_without_mail_server_kept_locally(app_ctx, outbox):
    _queue(2)
    counts = worker.send_pending()
    assert counts["sent"] == 2
    assert {(r.state, r.transport) for r in outbox()} == {("sent", "local")}


@pytest.mark.both_dbs
def test_stuck_sending_is_requeued(app_ctx, outbox):
    ids = _queue(2)
    stale, fresh = ids
    db.session.execute(db.update(OutboxMessage).values(state="sending"))
    db.session.execute(db.update(OutboxMessage).where(OutboxMessage.id == stale)
                       .values(claimed_at=now_utc() - timedelta(minutes=11)))
    db.session.execute(db.update(OutboxMessage).where(OutboxMessage.id == fresh)
                       .values(claimed_at=now_utc() - timedelta(minutes=1)))
    db.session.commit()
    counts = worker.send_pending()
    assert counts["requeued"] == 1 and counts["sent"] == 1
    assert {r.id: r.state for r in outbox()} == {stale: "sent", fresh: "sending"}


def test_jobs_run_each_pass_and_errors_are_contained(app_ctx, monkeypatch):
    calls = []
    monkeypatch.setattr(worker, "_jobs", [])
    worker.register_job(lambda: calls.append(1))
    worker.register_job(lambda: 1 / 0)
    worker.register_job(lambda: calls.append(2))
    worker.send_pending()
    assert calls == [1, 2]


def test_jobs_with_a_period_run_at_most_once_per_period(app_ctx, monkeypatch):
    calls, clock = [], [1000.0]
    monkeypatch.setattr(worker, "_jobs", [])
    monkeypatch.setattr(worker.time, "monotonic", lambda: clock[0])
    worker.register_job(every=3600)(lambda: calls.append(clock[0]))
    worker.send_pending()
    worker.send_pending()
    clock[0] += 3599
    worker.send_pending()
    clock[0] += 2
    worker.send_pending()
    assert calls == [1000.0, 4601.0]


def test_run_worker_loop_stops(app_ctx, outbox):
    _queue(1)
    stop = threading.Event()
    stop.set()
    worker.run_worker(interval=0, once=True)
    assert outbox()[0].state == "sent"
    worker.run_worker(interval=0, stop=stop)  # returns at once


def test_cli_send_pending_prints_counts(app, runner, outbox):
    with app.app_context():
        _queue(2)
    result = runner.invoke(args=["mail", "send-pending"])
    assert result.exit_code == 0, result.output
    assert "claimed 2" in result.output and "sent 2" in result.output


def test_cli_retry_failed_and_purge(app, runner, outbox):
    with app.app_context():
        ids = _queue(2)
        db.session.execute(db.update(OutboxMessage).where(OutboxMessage.id == ids[0]).values(state="failed", attempts=12))
        db.session.execute(db.update(OutboxMessage).where(OutboxMessage.id == ids[1])
                           .values(state="sent", sent_at=now_utc() - timedelta(days=40)))
        db.session.commit()
    assert "requeued 1" in runner.invoke(args=["mail", "retry-failed"]).output
    assert "deleted 1" in runner.invoke(args=["mail", "purge", "--days", "30"]).output
    with app.app_context():
        assert [(r.id, r.state, r.attempts) for r in outbox()] == [(ids[0], "pending", 0)]


@pytest.mark.postgres_only
def test_two_workers_deliver_each_message_once(app_factory, db_backend):
    from tests.conftest import SMTPServer

    first = app_factory(MAIL_BATCH_SIZE=7)
    second = app_factory(create_tables=False, MAIL_BATCH_SIZE=7)
    server = SMTPServer()
    server.start()
    try:
        for application in (first, second):
            application.config.update(MAIL_SERVER=server.host, MAIL_PORT=server.port, MAIL_TIMEOUT=5)
            application.extensions["mail"].server = server.host
            application.extensions["mail"].port = server.port
        with first.app_context():
            _queue(200)
        errors = []

        def drain(application):
            try:
                with application.app_context():
                    while worker.send_pending()["claimed"]:
                        pass
            except Exception as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=drain, args=(a,)) for a in (first, second, first, second)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert not errors
        ids = Counter(m.message["Message-ID"] for m in server.received)
        assert len(ids) == 200 and set(ids.values()) == {1}
        with first.app_context():
            states = Counter(db.session.scalars(db.select(OutboxMessage.state)))
        assert states == {"sent": 200}
    finally:
        server.stop()


# --- issue 9: throughput without weaker guarantees ------------------------------------------


class _StopAtFirstWait(threading.Event):
    """A stop event that records each interval wait and ends the loop at the first one."""

    waits = 0

    def wait(self, timeout=None):
        self.waits += 1
        self.set()
        return True


@pytest.mark.both_dbs
def test_a_full_batch_is_followed_at_once_by_the_next(app, app_ctx, smtp_server, outbox,
                                                     monkeypatch):
    app.config["MAIL_BATCH_SIZE"] = 4
    _queue(10)
    passes = []
    real_pass = worker.send_pending
    monkeypatch.setattr(worker, "send_pending", lambda: passes.append(real_pass()) or passes[-1])
    stop = _StopAtFirstWait()
    worker.run_worker(interval=3600, stop=stop)
    # 4 + 4 + 2: the two full passes went on at once, only the partial one waited the interval.
    assert [p["claimed"] for p in passes] == [4, 4, 2] and stop.waits == 1
    assert {r.state for r in outbox()} == {"sent"} and len(smtp_server.received) == 10


def test_a_failed_pass_waits_the_interval(app, app_ctx, monkeypatch):
    monkeypatch.setattr(worker, "send_pending", lambda: 1 / 0)
    stop = _StopAtFirstWait()
    worker.run_worker(interval=3600, stop=stop)
    assert stop.waits == 1


def _statements(sql: list[str], verb: str, table: str) -> int:
    return sum(1 for s in sql if s.lstrip().upper().startswith(verb) and table in s)


@pytest.mark.both_dbs
@pytest.mark.parametrize("size", [3, 12])
def test_a_batch_is_read_in_one_query_and_each_outcome_is_one_update(
        app_ctx, smtp_server, outbox, monkeypatch, size):
    monkeypatch.setattr(worker, "_jobs", [])  # jobs read other tables; not this test's subject
    _queue(size, attachments=[Attachment("a.txt", "text/plain", b"a"),
                              Attachment("b.pdf", "application/pdf", b"b")])
    with count_statements() as seen:
        assert worker.send_pending()["sent"] == size
    # The claim's SELECT, the batch's, its attachments': whatever the batch's size.
    assert _statements(seen, "SELECT", "outbox_message") == 2
    assert _statements(seen, "SELECT", "outbox_attachment") == 1
    # The stuck re-queue, the claim, then one UPDATE per outcome and no SELECT before it.
    assert _statements(seen, "UPDATE", "outbox_message") == 2 + size
    assert all(len(m.message.get_payload()) == 3 for m in smtp_server.received)  # body + 2 files


class _Crash(BaseException):
    """The process dying mid-batch (not an SMTP error the worker would record): raised from
    sendmail."""


@pytest.mark.both_dbs
def test_a_crash_mid_batch_keeps_every_outcome_before_it(app_ctx, smtp_server, outbox,
                                                        monkeypatch):
    ids = _queue(6)
    real_sendmail, calls = smtplib.SMTP.sendmail, []

    def sendmail(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 4:
            raise _Crash()
        return real_sendmail(self, *args, **kwargs)

    monkeypatch.setattr(smtplib.SMTP, "sendmail", sendmail)
    with pytest.raises(_Crash):
        worker.send_pending()
    db.session.rollback()
    # Messages 1-3 were accepted and their outcomes committed one by one; the 4th was in flight.
    assert [(r.id, r.state) for r in outbox()] == [
        (i, "sent" if n < 3 else "sending") for n, i in enumerate(ids)]
    assert len(smtp_server.received) == 3


@pytest.mark.both_dbs
@pytest.mark.parametrize("slow_commits", [False, True])
def test_each_outcome_is_committed_before_the_next_message_is_handed_over(
        app_ctx, smtp_server, monkeypatch, slow_commits):
    _queue(5)
    if slow_commits:  # the sender, were it not held back, would get ahead of the commits
        real_record = worker._record
        monkeypatch.setattr(worker, "_record", lambda *args: time.sleep(0.05) or real_record(*args))
    engine, session = db.engine, db.session()
    real_data, seen = smtplib.SMTP.data, []

    def data(self, msg):  # DATA: where the server takes the message
        with engine.connect() as other:  # what another connection (or a restart) would find
            sent = other.scalar(sa.select(sa.func.count()).where(OutboxMessage.state == "sent"))
        seen.append((sent, session.in_transaction()))
        return real_data(self, msg)

    monkeypatch.setattr(smtplib.SMTP, "data", data)
    assert worker.send_pending()["sent"] == 5
    # When the n-th message is handed over, the n-1 earlier outcomes are committed (so a crash
    # leaves at most one accepted message unrecorded), and no read transaction is open.
    assert seen == [(n, False) for n in range(5)]


@pytest.mark.both_dbs
def test_a_lost_connection_retries_that_message_and_reconnects_for_the_next(
        app_ctx, smtp_server, outbox, monkeypatch):
    ids = _queue(3)
    real_sendmail, calls = smtplib.SMTP.sendmail, []

    def sendmail(self, *args, **kwargs):
        calls.append(self)
        if len(calls) == 2:
            self.close()
            raise smtplib.SMTPServerDisconnected("gone")
        return real_sendmail(self, *args, **kwargs)

    monkeypatch.setattr(smtplib.SMTP, "sendmail", sendmail)
    assert worker.send_pending()["sent"] == 2
    rows = {r.id: r for r in outbox()}
    assert [rows[i].state for i in ids] == ["sent", "pending", "sent"]
    assert rows[ids[1]].attempts == 1 and "gone" in rows[ids[1]].last_error
    assert calls[0] is calls[1] and calls[2] is not calls[1]  # one connection, then a new one
    assert len(smtp_server.received) == 2
