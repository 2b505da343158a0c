"""Delivering the outbox: claim due rows, send them over one SMTP connection, record each result.

Several workers may run at once (docs/mail.md): a row is owned by the worker whose conditional
`UPDATE ... SET state='sending' WHERE ... state='pending'` changed it (on PostgreSQL after
`FOR UPDATE SKIP LOCKED`). The claim is committed before SMTP is contacted, no transaction is open
while the server is talked to, and each outcome is committed before the next message is handed
over, so a crash loses at most the message in flight (re-queued as stuck, sent again with the same
Message-ID). A pass that claimed a full batch is followed at once by the next.
"""
from __future__ import annotations

import functools
import logging
import signal
import smtplib
import threading
import time
from datetime import timedelta
from typing import Callable, NamedTuple

from flask import current_app
from sqlalchemy.orm import selectinload

from ..extensions import db, now_utc
from .mime import envelope_sender, message_bytes
from .models import Broadcast, OutboxMessage

log = logging.getLogger(__name__)

# Seconds to wait after the 1st, 2nd, ... failed attempt; the last value repeats.
BACKOFF = (10, 30, 60, 300, 900, 1800)
# A message "sending" longer than this belonged to a worker that died.
STUCK_AFTER = timedelta(minutes=10)


class Outgoing(NamedTuple):
    """What SMTP needs of one claimed message, read before any SMTP traffic."""

    id: int
    attempts: int  # before this attempt
    sender: str
    to_addr: str
    data: bytes
    error: Exception | None  # it could not be built


class Temporary(Exception):
    """A failure worth retrying later (4xx, network)."""


class Permanent(Exception):
    """A failure that retrying will not fix (5xx, a message that cannot be built)."""


class ConnectionLost(Temporary):
    """The connection is gone: this message is retried later, the next one opens a new one."""


class Connection:
    """One SMTP connection for a batch, opened on first use and again after it was lost; once it
    cannot be opened, the rest of the batch waits for a later pass. MAIL_TIMEOUT: Flask-Mail sets none."""

    def __init__(self) -> None:
        self.mail = current_app.extensions["mail"]  # Flask-Mail's view of the MAIL_* settings
        self.host: smtplib.SMTP | None = None
        self.failed: str | None = None  # why it could not be opened

    def send(self, message: Outgoing) -> Exception | None:
        """Hand one message to the server: None when accepted, else the failure to record."""
        if self.failed is None and self.host is None:
            try:
                self.host = self._open()
            except (smtplib.SMTPException, OSError) as exc:
                self.failed = describe(exc)
                log.error("mail: cannot connect to %s: %s", self.mail.server, self.failed)
        if self.failed is not None:
            return Temporary(f"connection failed: {self.failed}")
        error = self._hand_over(message)
        if isinstance(error, ConnectionLost):
            self.close()
        return error

    def _hand_over(self, message: Outgoing) -> Exception | None:
        try:
            refused = self.host.sendmail(message.sender, [message.to_addr], message.data)
        except smtplib.SMTPRecipientsRefused as exc:
            return _classify(*next(iter(exc.recipients.values()), (550, b"refused")))
        except smtplib.SMTPResponseException as exc:
            return _classify(exc.smtp_code, exc.smtp_error)
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            return ConnectionLost(describe(exc))
        except smtplib.SMTPException as exc:
            return Temporary(describe(exc))
        return _classify(*next(iter(refused.values()))) if refused else None

    def _open(self) -> smtplib.SMTP:
        mail, timeout = self.mail, current_app.config.get("MAIL_TIMEOUT") or 30
        client = smtplib.SMTP_SSL if mail.use_ssl else smtplib.SMTP
        host = client(mail.server, mail.port, timeout=timeout)
        host.set_debuglevel(int(mail.debug))
        if mail.use_tls:
            host.starttls()
        if mail.username and mail.password:
            host.login(mail.username, mail.password)
        return host

    def close(self) -> None:
        if self.host is not None:
            try:
                self.host.quit()
            except (smtplib.SMTPException, OSError):
                self.host.close()
            self.host = None


def _classify(code: int, text: bytes | str) -> Exception:
    text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    message = f"{code} {text}".strip()
    if code == 421:  # the server is closing the connection
        return ConnectionLost(message)
    return Permanent(message) if 500 <= code < 600 else Temporary(message)


def describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


_jobs: list[Callable[[], object]] = []


def register_job(fn: Callable[[], object] | None = None, *, every: float = 0):
    """Have the worker call `fn()` once per pass (e.g. reminders), or at most once per `every`
    seconds in this process (housekeeping); usable as `@register_job` or `@register_job(every=N)`."""
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


def requeue_stuck() -> int:
    limit = now_utc() - STUCK_AFTER
    result = db.session.execute(
        db.update(OutboxMessage).where(OutboxMessage.state == "sending", OutboxMessage.claimed_at < limit)
        .values(state="pending", claimed_at=None, next_attempt_at=now_utc()))
    db.session.commit()
    return result.rowcount or 0


def claim(limit: int) -> list[int]:
    now = now_utc()
    candidates = db.session.scalars(
        db.select(OutboxMessage.id)
        .where(OutboxMessage.state == "pending", OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)).all()
    if not candidates:
        db.session.commit()
        return []
    owned = db.session.scalars(
        db.update(OutboxMessage)
        .where(OutboxMessage.id.in_(candidates), OutboxMessage.state == "pending")
        .values(state="sending", claimed_at=now)
        .returning(OutboxMessage.id)).all()
    db.session.commit()
    return sorted(owned)


def send_pending(limit: int | None = None) -> dict[str, int]:
    config = current_app.config
    counts = {"claimed": 0, "sent": 0, "retry": 0, "failed": 0, "requeued": requeue_stuck()}
    ids = claim(limit or config["MAIL_BATCH_SIZE"])
    counts["claimed"] = len(ids)
    if ids:
        if config.get("MAIL_SERVER"):
            _deliver_smtp(_prepare(ids), counts)
        else:
            _keep_local(ids, counts)
    _run_jobs()
    return counts


def _keep_local(ids: list[int], counts: dict[str, int]) -> None:
    """No SMTP server configured: the outbox page is where these messages are read."""
    db.session.execute(
        db.update(OutboxMessage).where(OutboxMessage.id.in_(ids), OutboxMessage.state == "sending")
        .values(state="sent", sent_at=now_utc(), transport="local", claimed_at=None, last_error=None))
    db.session.commit()
    counts["sent"] += len(ids)


def _prepare(ids: list[int]) -> list[Outgoing]:
    """Load the claimed rows in one query (attachments, broadcasts and their files in three more:
    a broadcast's files are read once for the batch) and build every message,
    then end the read transaction: none stays open while the server is talked to."""
    rows = db.session.scalars(
        db.select(OutboxMessage).where(OutboxMessage.id.in_(ids))
        .options(selectinload(OutboxMessage.attachments),
                 selectinload(OutboxMessage.broadcast).selectinload(Broadcast.attachments))
        .order_by(OutboxMessage.id)
    ).all()  # a row deleted meanwhile (purge) is simply not there
    batch = []
    for row in rows:
        try:
            data, error = message_bytes(row), None
        except (ValueError, TypeError, LookupError) as exc:
            data, error = b"", Permanent(f"cannot build message: {exc}")
        batch.append(Outgoing(row.id, row.attempts, envelope_sender(row), row.to_addr, data, error))
    db.session.rollback()
    return batch


def _deliver_smtp(batch: list[Outgoing], counts: dict[str, int]) -> None:
    smtp = Connection()
    try:
        for message in batch:
            _record(message, message.error or smtp.send(message), counts)
    finally:
        smtp.close()


def _record(message: Outgoing, error: Exception | None, counts: dict[str, int]) -> None:
    """One UPDATE, no read first."""
    now = now_utc()
    attempts = message.attempts + 1  # the row is ours ("sending") since the claim
    values: dict[str, object] = {"attempts": attempts, "claimed_at": None}
    if error is None:
        values.update(state="sent", sent_at=now, transport="smtp", last_error=None)
        outcome = "sent"
    else:
        values["last_error"] = str(error)[:2000]
        if isinstance(error, Permanent) or attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
            values["state"] = outcome = "failed"
        else:
            values.update(state="pending", next_attempt_at=now + backoff(attempts))
            outcome = "retry"
    result = db.session.execute(
        db.update(OutboxMessage).where(OutboxMessage.id == message.id).values(**values))
    db.session.commit()
    if not result.rowcount:  # deleted meanwhile (purge)
        return
    counts[outcome] += 1
    if outcome == "failed":
        log.warning("mail %s to %s failed: %s", message.id, message.to_addr, values["last_error"])


def _run_jobs() -> None:
    for job in list(_jobs):
        try:
            job()
        except Exception:  # a broken job must not stop mail delivery
            log.exception("mail worker job %r failed", getattr(job, "__name__", job))
            db.session.rollback()


def run_worker(interval: float | None = None, once: bool = False,
               stop: threading.Event | None = None) -> None:
    """Deliver until SIGTERM/SIGINT (or `stop` is set), sleeping MAIL_WORKER_INTERVAL after a
    pass that did not fill a batch (or failed)."""
    stop = stop or threading.Event()
    interval = current_app.config["MAIL_WORKER_INTERVAL"] if interval is None else interval
    on_main = threading.current_thread() is threading.main_thread()  # signals work there only
    previous = {signum: signal.signal(signum, lambda *_: stop.set())
                for signum in (signal.SIGTERM, signal.SIGINT) if on_main}
    log.info("mail worker started (interval %ss)", interval)
    try:
        while not stop.is_set():
            try:
                counts = send_pending()
            except Exception:  # e.g. the database restarting; try again next pass
                log.exception("mail worker pass failed")
                db.session.rollback()
                counts = None
            else:  # idle passes at debug level, so the log shows real work
                busy = any(counts.values())
                log.log(logging.INFO if busy else logging.DEBUG, "mail worker pass: %s", counts)
            finally:
                db.session.remove()
            if once:
                break
            # A full batch means more is probably due: the next pass starts at once.
            if counts is None or counts["claimed"] < current_app.config["MAIL_BATCH_SIZE"]:
                stop.wait(interval)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        log.info("mail worker stopped")
