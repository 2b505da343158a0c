"""Talking to the SMTP server for the worker (worker.py decides what to send and records what
happened): one smtplib connection reused across a batch, and how server replies are classified.
"""
from __future__ import annotations

import logging
import smtplib
from typing import NamedTuple

from flask import current_app

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
    """The connection is gone: this message is retried later, the next one opens a new one."""


class Connection:
    """One SMTP connection for a batch: opened when the first message is sent, opened again for
    the next message after it was lost; once it cannot be opened, the rest of the batch waits
    for a later pass. MAIL_TIMEOUT applies (Flask-Mail 0.10 sets none); whether to contact a
    server at all is decided by MAIL_SERVER alone (see worker.send_pending)."""

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
        try:
            _send_one(self.host, message)
        except ConnectionLost as exc:
            self.close()
            return exc
        except (Temporary, Permanent) as exc:
            return exc
        return None

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


def _send_one(host: smtplib.SMTP, message: Outgoing) -> None:
    try:
        refused = host.sendmail(message.sender, [message.to_addr], message.data)
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
