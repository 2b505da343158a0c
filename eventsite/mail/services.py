"""Writing mail into the outbox. Nothing here talks to an SMTP server (see mail/worker.py).

`enqueue()` adds rows to the caller's session; the caller's use case commits them together with
the change that caused them, so a message exists exactly when its cause does.
"""
from __future__ import annotations

from dataclasses import dataclass
from email.utils import make_msgid
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale

from ..extensions import db
from .models import OutboxAttachment, OutboxMessage


class InvalidAddress(ValueError):
    """An address or display name that must never reach a mail header."""


@dataclass
class Attachment:
    filename: str
    content_type: str
    data: bytes


def check_header_value(value: str) -> str:
    """Refuse CR, LF and NUL: they would let user data forge mail headers."""
    if any(ch in value for ch in ("\r", "\n", "\0")):
        raise InvalidAddress(value)
    return value


def render_email(template: str, language: str, **context: Any) -> tuple[str, str]:
    """Render templates/email/<template>.txt and .html in `language`; returns (text, html)."""
    with force_locale(language):
        text = render_template(f"email/{template}.txt", language=language, **context)
        html = render_template(f"email/{template}.html", language=language, **context)
    return text, html


def enqueue(
    *,
    kind: str,
    to_addr: str,
    subject: str,
    body_text: str,
    body_html: str | None = None,
    to_name: str = "",
    language: str = "en",
    sender: str | None = None,
    reply_to: str | None = None,
    attachments: list[Attachment] | None = None,
    calendar_method: str | None = None,
    calendar_ics: bytes | None = None,
    dedupe_key: str | None = None,
    broadcast_id: int | None = None,
    refs: dict[str, Any] | None = None,
) -> OutboxMessage:
    """Add one message to the session's outbox; the caller commits."""
    for value in (to_addr, to_name, subject, sender or "", reply_to or ""):
        check_header_value(value)
    config = current_app.config
    sender = sender or config["MAIL_DEFAULT_SENDER"]
    domain = sender.rsplit("@", 1)[-1].strip("> ") or "eventsite.invalid"
    message = OutboxMessage(
        kind=kind,
        to_addr=to_addr,
        to_name=to_name,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        language=language,
        sender=sender,
        reply_to=reply_to if reply_to is not None else config.get("MAIL_REPLY_TO"),
        calendar_method=calendar_method,
        calendar_ics=calendar_ics,
        dedupe_key=dedupe_key,
        broadcast_id=broadcast_id,
        refs=refs or {},
        message_id=make_msgid(domain=domain),
        attachments=[
            OutboxAttachment(filename=a.filename, content_type=a.content_type, data=a.data)
            for a in attachments or []
        ],
    )
    db.session.add(message)
    return message


def enqueue_template(
    *, kind: str, template: str, to_addr: str, language: str, subject: str, to_name: str = "",
    context: dict[str, Any] | None = None, **options: Any,
) -> OutboxMessage:
    """Render an email template pair in the recipient's language and enqueue it.

    `subject` should already be translated in `language` (wrap the gettext call in
    `force_locale(language)`).
    """
    text, html = render_email(template, language, **(context or {}))
    return enqueue(
        kind=kind, to_addr=to_addr, to_name=to_name, subject=subject, body_text=text,
        body_html=html, language=language, **options,
    )
