"""Talking to the SMTP server for the worker (worker.py decides what to send and records what
happened): one connection per batch, a sender thread, and how server replies are classified.

The sender thread overlaps the server's time with the recording of the previous outcome; a
message's DATA, where the server takes it, still waits until every earlier outcome is committed,
so a crash can leave at most one accepted message unrecorded, as when everything ran in turn.
"""
from __future__ import annotations

import functools
import logging
import queue
import smtplib
import threading
from typing import Callable, NamedTuple

from flask import current_app
from flask_mail import Connection

log = logging.getLogger(__name__)


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
    """The connection is gone; the remaining messages of the pass go back to the queue."""


class _Client(smtplib.SMTP):
    """smtplib's client calling `before_data()` right before DATA, where the server takes the
    message: the sender thread waits there until the earlier outcomes are committed."""

    def before_data(self) -> None:
        pass

    def data(self, msg):
        self.before_data()
        return super().data(msg)


class _ClientSSL(_Client, smtplib.SMTP_SSL):
    pass


class TimedConnection(Connection):
    """Flask-Mail's connection with MAIL_TIMEOUT applied (Flask-Mail 0.10 sets none).

    Unlike `Connection.__enter__` it ignores MAIL_SUPPRESS_SEND: whether to contact a server
    is decided by MAIL_SERVER alone (see `send_pending`).
    """

    def configure_host(self):
        state, timeout = self.mail, current_app.config.get("MAIL_TIMEOUT") or 30
        if state.use_ssl:
            host = _ClientSSL(state.server, state.port, timeout=timeout)
        else:
            host = _Client(state.server, state.port, timeout=timeout)
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


def send_all(batch: list[Outgoing], record: Callable[[Outgoing, Exception | None], None]) -> None:
    """Send on a thread of its own while this one records the outcomes: the sender spends most of
    its time waiting for the server (the GIL released), which is when the previous outcome is
    written here.

    The overlap does not widen what a crash can lose: a message's DATA, where the server takes
    it, waits until every earlier outcome is committed (see _Client), so at most one accepted
    message is ever unrecorded, as when everything ran in turn.
    """
    smtp = TimedConnection(current_app.extensions["mail"])
    try:
        smtp.open()
    except (smtplib.SMTPException, OSError) as exc:
        log.error("mail: cannot connect to %s: %s", smtp.mail.server, describe(exc))
        for message in batch:
            record(message, Temporary(f"connection failed: {describe(exc)}"))
        return
    results: queue.SimpleQueue = queue.SimpleQueue()
    recorded = _Recorded()
    sender = threading.Thread(target=_send_each, args=(smtp, batch, results, recorded),
                              name="mail-sender", daemon=True)
    sender.start()
    try:
        for n, message in enumerate(batch):
            error = results.get()
            if not isinstance(error, (Temporary, Permanent, type(None))):
                raise error  # not an SMTP outcome: a bug, or the process being stopped
            record(message, error)
            recorded.advance(n + 1)
            if isinstance(error, ConnectionLost):
                for rest in batch[n + 1:]:
                    record(rest, Temporary(f"connection lost: {error}"))
                break
    finally:
        recorded.stop()  # a sender waiting before DATA gives up; its message stays "sending"
        sender.join()
        smtp.close()


def _send_each(smtp: TimedConnection, batch: list[Outgoing], results: queue.SimpleQueue,
               recorded: _Recorded) -> None:
    """The sender thread: hands each message's outcome, or what stopped it, to `results`."""
    try:
        for n, message in enumerate(batch):
            smtp.host.before_data = functools.partial(recorded.wait_for, n)
            try:
                _send_one(smtp, message)
            except (Temporary, Permanent) as exc:
                results.put(exc)
                if isinstance(exc, ConnectionLost):
                    return
            else:
                results.put(None)
    except _Stopped:
        pass
    except BaseException as exc:  # the recording thread re-raises it
        results.put(exc)


class _Stopped(Exception):
    """The recording thread stopped (an error, or the batch is over): send nothing more."""


class _Recorded:
    """How many of the batch's outcomes are committed, for the sender to wait on."""

    def __init__(self) -> None:
        self._count, self._stopped = 0, False
        self._changed = threading.Condition()

    def advance(self, count: int) -> None:
        with self._changed:
            self._count = count
            self._changed.notify()

    def stop(self) -> None:
        with self._changed:
            self._stopped = True
            self._changed.notify()

    def wait_for(self, count: int) -> None:
        with self._changed:
            self._changed.wait_for(lambda: self._count >= count or self._stopped)
            if self._count < count:
                raise _Stopped


def _send_one(smtp: TimedConnection, message: Outgoing) -> None:
    if smtp.host is None:  # an explicit check: `assert` vanishes under python -O
        raise ConnectionLost("not connected to the mail server")
    try:
        refused = smtp.host.sendmail(message.sender, [message.to_addr], message.data)
    except smtplib.SMTPRecipientsRefused as exc:
        code, text = next(iter(exc.recipients.values()), (550, b"refused"))
        raise _classify(code, _text(text)) from exc
    except smtplib.SMTPResponseException as exc:
        raise _classify(exc.smtp_code, _text(exc.smtp_error)) from exc
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        raise ConnectionLost(describe(exc)) from exc
    except smtplib.SMTPException as exc:
        raise Temporary(describe(exc)) from exc
    if refused:
        code, text = next(iter(refused.values()))
        raise _classify(code, _text(text))


def _classify(code: int, text: str) -> Exception:
    message = f"{code} {text}".strip()
    if code in (421,):  # the server is closing the connection
        return ConnectionLost(message)
    return Permanent(message) if 500 <= code < 600 else Temporary(message)


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
