"""Build the MIME message of one outbox row: a pure function, rows in, bytes out.

The admin's .eml download and the worker's SMTP DATA use the same function, and the result is
the same every time (boundaries derive from the Message-ID), so what the admin sees is exactly
what the server received.
"""
from __future__ import annotations

import hashlib
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from ..extensions import now_utc
from .models import OutboxMessage

# RFC 5322 on the wire: CRLF line ends, headers folded at 78, non-ASCII encoded (RFC 2047).
POLICY = policy.SMTP
CONTENT_LANGUAGE = {"en": "en", "zh": "zh-Hans"}
# Mail that people write to people (replies are welcome); everything else is auto-generated.
HUMAN_KINDS = frozenset({"broadcast"})


def build_message(row: OutboxMessage) -> EmailMessage:
    """The complete message for `row` (headers, alternative bodies, calendar, attachments)."""
    msg = EmailMessage(policy=POLICY)
    msg.set_content(row.body_text, subtype="plain", charset="utf-8", cte=_cte(row.body_text))
    if row.body_html:
        msg.add_alternative(row.body_html, subtype="html", charset="utf-8", cte=_cte(row.body_html))
    if row.calendar_ics:
        method = row.calendar_method or "PUBLISH"
        # Bytes in base64, so the CRLF line ends iCalendar requires arrive untouched.
        msg.add_alternative(
            bytes(row.calendar_ics), maintype="text", subtype="calendar", cte="base64",
            params={"method": method, "charset": "UTF-8"},
        )
    for attachment in row.attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        msg.add_attachment(
            bytes(attachment.data), maintype=maintype or "application",
            subtype=subtype or "octet-stream", filename=_safe_filename(attachment.filename),
        )
    if row.calendar_ics:
        msg.add_attachment(
            bytes(row.calendar_ics), maintype="application", subtype="ics", filename="invite.ics"
        )
    _fix_boundaries(msg, row.message_id)
    _set_headers(msg, row)
    return msg


def _set_headers(msg: EmailMessage, row: OutboxMessage) -> None:
    """Put the envelope headers first, then the body's Content-* headers (set_content clears them)."""
    content = [(k, v) for k, v in msg.items() if k.lower() != "mime-version"]
    for key in set(msg.keys()):
        del msg[key]
    for part in msg.iter_parts():
        _drop_mime_version(part)
    msg["From"] = row.sender
    msg["To"] = Address(display_name=row.to_name or "", addr_spec=row.to_addr)
    if row.reply_to:
        msg["Reply-To"] = row.reply_to
    msg["Subject"] = row.subject
    # An unsaved row has no created_at yet (previews); a saved one always gives the same Date.
    msg["Date"] = format_datetime(row.created_at or now_utc())
    msg["Message-ID"] = row.message_id
    msg["MIME-Version"] = "1.0"
    msg["Content-Language"] = CONTENT_LANGUAGE.get(row.language, row.language)
    if row.kind not in HUMAN_KINDS:
        msg["Auto-Submitted"] = "auto-generated"
    for key, value in content:
        msg[key] = value


def _drop_mime_version(part: EmailMessage) -> None:
    # Only the top level carries MIME-Version; the content manager adds it to every part.
    del part["MIME-Version"]
    for sub in part.iter_parts():
        _drop_mime_version(sub)


def message_bytes(row: OutboxMessage) -> bytes:
    """The exact bytes handed to the SMTP server (and offered as .eml)."""
    return build_message(row).as_bytes(policy=POLICY)


def envelope_sender(row: OutboxMessage) -> str:
    """The bare address for MAIL FROM."""
    from email.utils import parseaddr

    return parseaddr(row.sender)[1] or row.sender


def _cte(text: str) -> str | None:
    # ASCII: let the content manager pick 7bit or quoted-printable; otherwise base64, compact
    # for Chinese and safe for servers without 8BITMIME.
    return None if text.isascii() else "base64"


def _safe_filename(name: str) -> str:
    cleaned = "".join(ch for ch in name if ch.isprintable() and ch not in '\\/"')
    return cleaned.strip() or "attachment"


def _fix_boundaries(msg: EmailMessage, message_id: str) -> None:
    """Derive every multipart boundary from the Message-ID (random by default)."""
    tag = hashlib.sha256(message_id.encode("utf-8", "replace")).hexdigest()[:24]
    parts = [part for part in msg.walk() if part.is_multipart()]
    for n, part in enumerate(parts):
        part.set_boundary(f"=_{tag}_{n}")
