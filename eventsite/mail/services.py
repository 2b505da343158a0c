"""Writing mail into the outbox. Nothing here talks to an SMTP server (see mail/worker.py).

`enqueue()` adds rows to the caller's session; the caller's use case commits them together with
the change that caused them, so a message exists exactly when its cause does.
"""
from __future__ import annotations

from dataclasses import dataclass
from email.utils import make_msgid
from typing import Any

from flask import current_app, g, has_request_context, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import inspect

from ..core.addresses import deliverable, undeliverable_reason
from ..core.domain import DomainError
from ..core.listing import text_search
from ..extensions import db
from .models import OutboxAttachment, OutboxMessage

# What each kind of message is called on the outbox pages. Features add theirs with
# register_kind() next to the code that sends them.
KIND_LABELS: dict[str, Any] = {}


def register_kind(kind: str, label: Any) -> str:
    """Name a kind of message (a lazy translated label); returns the kind for use as a constant."""
    KIND_LABELS[kind] = label
    return kind


def message_kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


class InvalidAddress(ValueError):
    """A header value (subject, sender) that must never reach a mail header."""


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
    """Add one message to the session's outbox; the caller commits.

    A recipient never makes the caller fail: an address the rule (core/addresses.py) refuses,
    stored before the rule or by other means, gives a message recorded as failed with the
    reason, never handed to a server; the organizer who caused it is told (mail/views.py).
    """
    address = deliverable(to_addr)
    for value in (subject, sender or "", reply_to or ""):
        check_header_value(value)
    config = current_app.config
    sender = sender or config["MAIL_DEFAULT_SENDER"]
    domain = sender.rsplit("@", 1)[-1].strip("> ") or "eventsite.invalid"
    message = OutboxMessage(
        kind=kind,
        to_addr=address or _printable(to_addr)[:320],
        to_name=_one_line(to_name)[:200],
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
    if address is None:
        message.state, message.last_error = "failed", undeliverable_reason(to_addr)
        _note_unmailed(message)
    db.session.add(message)
    return message


def _one_line(name: str) -> str:
    """A recipient's name with line breaks and control characters as spaces (never refused)."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in name or "").split())


def _printable(value: str) -> str:
    """`value` with control characters shown as escapes (a failed row shows what was stored)."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii")
                   for ch in value or "")


def _note_unmailed(message: OutboxMessage) -> None:
    """Remember, for this request, a message that cannot be sent (see unmailed_this_request)."""
    if has_request_context():
        g.setdefault("unmailed_messages", []).append((message, message.to_addr, message.to_name))


def unmailed_this_request() -> list[tuple[str, str]]:
    """(address, name) of the messages this request recorded as not sendable and committed
    (a use case that was rolled back mailed nobody); each address once."""
    seen: dict[str, str] = {}
    for message, address, name in g.pop("unmailed_messages", []):
        if inspect(message).persistent:
            seen.setdefault(address, name)
    return list(seen.items())


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


# --- the admin's outbox ----------------------------------------------------------------------


def retry(message: OutboxMessage) -> None:
    """Queue a failed message again, due now, with a fresh attempt budget (audited)."""
    from ..audit.services import record
    from ..extensions import now_utc

    if message.state != "failed":
        raise DomainError(_l("Only failed messages can be retried."))
    if deliverable(message.to_addr) is None:
        raise DomainError(_l("This address cannot receive mail: correct it where it was entered, "
                             "then send the message again from there."))
    message.state = "pending"
    message.attempts = 0
    message.next_attempt_at = now_utc()
    record("mail.retry", message, target_label=f"{message.to_addr}: {message.subject}")
    db.session.commit()


def outbox_query(state: str = "", kind: str = "", search: str = ""):
    """Messages newest first, filtered by state, kind and a recipient substring."""
    from .models import MESSAGE_STATES

    query = db.select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if state in MESSAGE_STATES:
        query = query.where(OutboxMessage.state == state)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    if search:
        query = query.where(text_search(search, OutboxMessage.to_addr, OutboxMessage.to_name))
    return query


def outbox_counts() -> dict[str, int]:
    """{state: count} for every state (zeros included), one grouped query."""
    from .models import MESSAGE_STATES

    counts = dict.fromkeys(MESSAGE_STATES, 0)
    rows = db.session.execute(
        db.select(OutboxMessage.state, db.func.count()).group_by(OutboxMessage.state)
    ).all()
    counts.update({state: n for state, n in rows})
    return counts


def outbox_kinds() -> list[str]:
    return list(db.session.scalars(db.select(OutboxMessage.kind).distinct().order_by(OutboxMessage.kind)))
