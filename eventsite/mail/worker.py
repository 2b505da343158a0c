"""Delivering the outbox: claim due rows, send them over one SMTP connection, record each result.

Several workers may run at once. A row is owned by the worker whose conditional
`UPDATE ... SET state='sending' WHERE id IN (...) AND state='pending'` changed it; on PostgreSQL
the claim's SELECT also takes `FOR UPDATE SKIP LOCKED`, so workers pick different rows instead of
waiting on each other. The claim is committed before SMTP is contacted, and every result is
committed on its own, so a crash loses at most the message in flight (re-queued as "stuck").
"""
from __future__ import annotations

import functools

import logging
import signal
import smtplib
import threading
import time
from datetime import timedelta
from email.errors import MessageError
from typing import Callable

from flask import current_app
from flask_mail import Connection

from ..extensions import db, now_utc
from .mime import envelope_sender, message_bytes
from .models import OutboxMessage

log = logging.getLogger(__name__)

# Seconds to wait after the 1st, 2nd, ... failed attempt; the last value repeats.
BACKOFF = (10, 30, 60, 300, 900, 1800)
# A message "sending" longer than this belonged to a worker that died.
STUCK_AFTER = timedelta(minutes=10)

_jobs: list[Callable[[], object]] = []


def register_job(fn: Callable[[], object] | None = None, *, every: float = 0):
    """Have the worker call `fn()` once per pass (e.g. reminders), or at most once per `every`
    seconds in this process (housekeeping); usable as `@register_job` or `@register_job(every=N)`.
    """
    if fn is None:
        return lambda f: register_job(f, every=every)
    job = _throttled(fn, every) if every > 0 else fn
    if job not in _jobs:
        _jobs.append(job)
    return job


def _throttled(fn: Callable[[], object], every: float) -> Callable[[], object]:
    last = [float("-inf")]

    @functools.wraps(fn)
    def job() -> object:
        if time.monotonic() - last[0] < every:
            return None
        last[0] = time.monotonic()
        return fn()

    return job


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1])


class _TimedConnection(Connection):
    """Flask-Mail's connection with MAIL_TIMEOUT applied (Flask-Mail 0.10 sets none).

    Unlike `Connection.__enter__` it ignores MAIL_SUPPRESS_SEND: whether to contact a server
    is decided by MAIL_SERVER alone (see `send_pending`).
    """

    def configure_host(self):
        state, timeout = self.mail, current_app.config.get("MAIL_TIMEOUT") or 30
        if state.use_ssl:
            host = smtplib.SMTP_SSL(state.server, state.port, timeout=timeout)
        else:
            host = smtplib.SMTP(state.server, state.port, timeout=timeout)
        host.set_debuglevel(int(state.debug))
        if state.use_tls:
            host.starttls()
        if state.username and state.password:
            host.login(state.username, state.password)
        return host

    def open(self) -> None:
        self.host = self.configure_host()

    def close(self) -> None:
        if self.host is not None:
            try:
                self.host.quit()
            except (smtplib.SMTPException, OSError):
                self.host.close()
            self.host = None


class _Temporary(Exception):
    """A failure worth retrying later (4xx, network)."""


class _Permanent(Exception):
    """A failure that retrying will not fix (5xx, a message that cannot be built)."""


class _ConnectionLost(_Temporary):
    """The connection is gone; the remaining messages of the pass go back to the queue."""


def requeue_stuck() -> int:
    """Return messages left in "sending" by a worker that died to the queue."""
    limit = now_utc() - STUCK_AFTER
    result = db.session.execute(
        db.update(OutboxMessage)
        .where(OutboxMessage.state == "sending", OutboxMessage.claimed_at < limit)
        .values(state="pending", claimed_at=None, next_attempt_at=now_utc())
    )
    db.session.commit()
    return result.rowcount or 0


def claim(limit: int) -> list[int]:
    """Take up to `limit` due messages for this worker; returns their ids (committed)."""
    now = now_utc()
    candidates = db.session.scalars(
        db.select(OutboxMessage.id)
        .where(OutboxMessage.state == "pending", OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    if not candidates:
        db.session.commit()
        return []
    owned = db.session.scalars(
        db.update(OutboxMessage)
        .where(OutboxMessage.id.in_(candidates), OutboxMessage.state == "pending")
        .values(state="sending", claimed_at=now)
        .returning(OutboxMessage.id)
    ).all()
    db.session.commit()
    return sorted(owned)


def send_pending(limit: int | None = None) -> dict[str, int]:
    """One pass: re-queue stuck mail, deliver what is due, run the registered jobs."""
    config = current_app.config
    counts = {"claimed": 0, "sent": 0, "retry": 0, "failed": 0, "requeued": requeue_stuck()}
    ids = claim(limit or config["MAIL_BATCH_SIZE"])
    counts["claimed"] = len(ids)
    if ids:
        if config.get("MAIL_SERVER"):
            _deliver_smtp(ids, counts)
        else:
            _keep_local(ids, counts)
    _run_jobs()
    return counts


def _keep_local(ids: list[int], counts: dict[str, int]) -> None:
    """No SMTP server configured: the outbox page is where these messages are read."""
    now = now_utc()
    db.session.execute(
        db.update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), OutboxMessage.state == "sending")
        .values(state="sent", sent_at=now, transport="local", claimed_at=None, last_error=None)
    )
    db.session.commit()
    counts["sent"] += len(ids)


def _deliver_smtp(ids: list[int], counts: dict[str, int]) -> None:
    conn = _TimedConnection(current_app.extensions["mail"])
    try:
        conn.open()
    except (smtplib.SMTPException, OSError) as exc:
        log.error("mail: cannot connect to %s: %s", conn.mail.server, _describe(exc))
        for message_id in ids:
            _record(message_id, _Temporary(f"connection failed: {_describe(exc)}"), counts)
        return
    try:
        for n, message_id in enumerate(ids):
            try:
                _send_one(conn, message_id)
            except _ConnectionLost as exc:
                _record(message_id, exc, counts)
                for rest in ids[n + 1:]:
                    _record(rest, _Temporary(f"connection lost: {exc}"), counts)
                break
            except (_Temporary, _Permanent) as exc:
                _record(message_id, exc, counts)
            else:
                _record(message_id, None, counts)
    finally:
        conn.close()


def _send_one(conn: _TimedConnection, message_id: int) -> None:
    row = db.session.get(OutboxMessage, message_id)
    if row is None:  # deleted meanwhile (purge): nothing to do
        return
    try:
        data = message_bytes(row)
    except (ValueError, TypeError, LookupError, MessageError) as exc:
        raise _Permanent(f"cannot build message: {exc}") from exc
    to_addr, sender = row.to_addr, envelope_sender(row)
    db.session.rollback()  # do not hold a transaction open while talking to the server
    if conn.host is None:  # an explicit check: `assert` vanishes under python -O
        raise _ConnectionLost("not connected to the mail server")
    try:
        refused = conn.host.sendmail(sender, [to_addr], data)
    except smtplib.SMTPRecipientsRefused as exc:
        code, text = next(iter(exc.recipients.values()), (550, b"refused"))
        raise _classify(code, _text(text)) from exc
    except smtplib.SMTPResponseException as exc:
        raise _classify(exc.smtp_code, _text(exc.smtp_error)) from exc
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        raise _ConnectionLost(_describe(exc)) from exc
    except smtplib.SMTPException as exc:
        raise _Temporary(_describe(exc)) from exc
    if refused:
        code, text = next(iter(refused.values()))
        raise _classify(code, _text(text))


def _classify(code: int, text: str) -> Exception:
    message = f"{code} {text}".strip()
    if code in (421,):  # the server is closing the connection
        return _ConnectionLost(message)
    return _Permanent(message) if 500 <= code < 600 else _Temporary(message)


def _record(message_id: int, error: Exception | None, counts: dict[str, int]) -> None:
    """Write one message's outcome and commit it."""
    row = db.session.get(OutboxMessage, message_id)
    if row is None:
        return
    now = now_utc()
    row.claimed_at = None
    if error is None:
        row.state, row.sent_at, row.transport, row.last_error = "sent", now, "smtp", None
        row.attempts += 1
        counts["sent"] += 1
    else:
        row.attempts += 1
        row.last_error = str(error)[:2000]
        max_attempts = current_app.config["MAIL_MAX_ATTEMPTS"]
        if isinstance(error, _Permanent) or row.attempts >= max_attempts:
            row.state = "failed"
            counts["failed"] += 1
            log.warning("mail %s to %s failed: %s", row.id, row.to_addr, row.last_error)
        else:
            row.state = "pending"
            row.next_attempt_at = now + backoff(row.attempts)
            counts["retry"] += 1
    db.session.commit()


def _run_jobs() -> None:
    for job in list(_jobs):
        try:
            job()
        except Exception:  # a broken job must not stop mail delivery
            log.exception("mail worker job %r failed", getattr(job, "__name__", job))
            db.session.rollback()


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def run_worker(interval: float | None = None, once: bool = False,
               stop: threading.Event | None = None) -> None:
    """Deliver until SIGTERM/SIGINT (or `stop` is set), sleeping MAIL_WORKER_INTERVAL between passes."""
    stop = stop or threading.Event()
    interval = current_app.config["MAIL_WORKER_INTERVAL"] if interval is None else interval
    previous = {}
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            previous[signum] = signal.signal(signum, lambda *_: stop.set())
    log.info("mail worker started (interval %ss)", interval)
    try:
        while not stop.is_set():
            try:
                counts = send_pending()
            except Exception:  # e.g. the database restarting; try again next pass
                log.exception("mail worker pass failed")
                db.session.rollback()
            else:
                # Idle passes are logged at debug level only, so the log shows real work.
                busy = any(counts.values())
                log.log(logging.INFO if busy else logging.DEBUG, "mail worker pass: %s", counts)
            finally:
                db.session.remove()
            if once:
                break
            stop.wait(interval)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        log.info("mail worker stopped")
