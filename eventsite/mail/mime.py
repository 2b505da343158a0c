"""Build the MIME message of one outbox row with the standard library: rows in, bytes out.

The .eml download, the previews and the worker's SMTP DATA use this one function, and the result
is the same every time (boundaries derive from the Message-ID, the Date from the row), so what the
admin sees is exactly what the server received. Non-ASCII bodies, the calendar and attachments go
out in base64, so the message is 7-bit clean (no server needs 8BITMIME or SMTPUTF8). A line break
in an address, the Message-ID or the language makes the email package raise ValueError; free text
(subject, name) has it turned into a space first.
"""
from __future__ import annotations

import hashlib
from email import message_from_bytes, policy
from email.headerregistry import Address
from email.message import EmailMessage, MIMEPart
from email.utils import format_datetime, formataddr, parseaddr

from ..extensions import now_utc
from .models import OutboxMessage

CONTENT_LANGUAGE = {"en": "en", "zh": "zh-Hans"}
# Mail that people write to people (replies are welcome); everything else is auto-generated.
HUMAN_KINDS = frozenset({"broadcast"})
# Lines of at most 76 octets rather than 78: the package fills a folded line with one encoded
# word after a space, which then keeps within RFC 2047's 75 characters. A header set with
# set_raw (only To, see _to) is written as given.
POLICY = policy.SMTP.clone(max_line_length=76, refold_source="none")


def message_bytes(row: OutboxMessage) -> bytes:
    """The exact bytes handed to the SMTP server (and offered as .eml): text/plain, or
    multipart/alternative (text, HTML, text/calendar), in multipart/mixed with the attachments and
    invite.ics when there are any. ValueError for a row whose values cannot be headers."""
    content = _content(row)
    tag = hashlib.sha256(row.message_id.encode("utf-8", "replace")).hexdigest()[:24]
    for n, part in enumerate(part for part in content.walk() if part.is_multipart()):
        part.set_boundary(f"=_{tag}_{n}")
    msg = EmailMessage(policy=POLICY)
    msg["From"] = row.sender
    to = _to(row)
    if isinstance(to, str):
        msg.set_raw("To", to)
    else:
        msg["To"] = to
    if row.reply_to:
        msg["Reply-To"] = row.reply_to
    msg["Subject"] = _one_line(row.subject)
    # An unsaved row has no created_at yet (previews); a saved one always gives the same Date.
    msg["Date"] = format_datetime(row.created_at or now_utc())
    msg["Message-ID"] = row.message_id
    msg["MIME-Version"] = "1.0"
    msg["Content-Language"] = CONTENT_LANGUAGE.get(row.language, row.language)
    if row.kind not in HUMAN_KINDS:
        msg["Auto-Submitted"] = "auto-generated"
    for name, value in content.items():  # the content's own headers come last
        msg.set_raw(name, value)
    msg.set_payload(content.get_payload())
    return msg.as_bytes()


def parsed(data: bytes) -> EmailMessage:
    """The message as the receiver parses it (from the exact bytes sent): the pages show this."""
    return message_from_bytes(data, policy=policy.default)  # type: ignore[return-value]


def body_text(message: EmailMessage, subtype: str) -> str | None:
    """The text of its text/`subtype` body part, None without one."""
    part = message.get_body(preferencelist=(subtype,))
    return None if part is None else part.get_content()


def attachments_of(message: EmailMessage) -> list[tuple[str, str, int]]:
    """(file name, content type, size) of each attachment, in order."""
    return [(part.get_filename() or "attachment", part.get_content_type(), len(part.get_content()))
            for part in message.iter_attachments()]


def sample(row: OutboxMessage) -> dict:
    """What a preview shows of an unsent row: the headers a reader sees, the text and the HTML,
    all read back from the exact bytes that would be sent."""
    sent = parsed(message_bytes(row))
    return {"headers": [(name, str(sent[name])) for name in ("From", "To", "Reply-To", "Subject") if sent[name]],
            "text": body_text(sent, "plain"), "html": body_text(sent, "html")}


def envelope_sender(row: OutboxMessage) -> str:
    return parseaddr(row.sender)[1] or row.sender


def _to(row: OutboxMessage) -> Address | str:
    """The recipient; an ASCII name as formataddr quotes it, on one line: the package's folding
    drops the quotes of a long quoted name (Python 3.11), and readers then split it at its
    commas. Raises ValueError for an address that is not one."""
    to = Address(display_name=_one_line(row.to_name or ""), addr_spec=row.to_addr)
    return formataddr((to.display_name, to.addr_spec)) if to.display_name.isascii() else to


def _content(row: OutboxMessage) -> MIMEPart:
    """The body parts and their Content-* headers (a MIMEPart, so no part repeats MIME-Version:
    the email package moves headers named Content-* into the first part when it nests parts,
    which is why the envelope is written around this afterwards)."""
    content = MIMEPart(policy=POLICY)
    content.set_content(row.body_text, subtype="plain", charset="utf-8", cte=_cte(row.body_text))
    if row.body_html:
        content.add_alternative(row.body_html, subtype="html", charset="utf-8", cte=_cte(row.body_html))
    calendar = bytes(row.calendar_ics) if row.calendar_ics else None
    if calendar:
        # Bytes in base64, so the CRLF line ends iCalendar requires arrive untouched.
        content.add_alternative(calendar, maintype="text", subtype="calendar", cte="base64",
                                params={"method": row.calendar_method or "PUBLISH", "charset": "UTF-8"})
    # The message's own files, then its broadcast's (stored once for every copy).
    shared = row.broadcast.attachments if row.broadcast is not None else []
    for attachment in [*row.attachments, *shared]:
        maintype, _, subtype = attachment.content_type.partition("/")
        content.add_attachment(bytes(attachment.data), maintype=maintype or "application",
                               subtype=subtype or "octet-stream",
                               filename=_safe_filename(attachment.filename))
    if calendar:
        content.add_attachment(calendar, maintype="application", subtype="ics", filename="invite.ics")
    return content


def _cte(text: str) -> str | None:
    """base64 for non-ASCII text (compact for Chinese); for ASCII the package chooses."""
    return None if text.isascii() else "base64"


def _one_line(text: str) -> str:
    return " ".join(text.splitlines())


def _safe_filename(name: str) -> str:
    cleaned = "".join(ch for ch in name if ch.isprintable() and ch not in '\\/"')
    return cleaned.strip() or "attachment"
