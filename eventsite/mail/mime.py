"""Build the MIME message of one outbox row: a pure function, rows in, bytes out.

The admin's .eml download, the previews and the worker's SMTP DATA use the same function, and
the result is the same every time (boundaries derive from the Message-ID), so what the admin sees
is exactly what the server received.

The bytes are written directly rather than through `email.message.EmailMessage`: its object
model (headerregistry parsing every header, set_content, the generator) cost about 2.4 ms a
message, most of the worker's time (issue 9). This writes the message that builder wrote (same
structure, headers and header order, boundaries) with the standard library's fast pieces: base64
and binascii for bodies and encoded words, email.utils for addresses and dates.
tests/mail/test_mime_equivalence.py keeps the old builder as the oracle.

On the wire (RFC 5322, 2045-2047, 2231): CRLF line ends; header lines folded at 78 octets where
the text has spaces and never longer than 998; non-ASCII header text as RFC 2047 encoded words
and non-ASCII filenames as RFC 2231 parameters; text bodies 7bit when plain short ASCII, else
quoted-printable (ASCII) or base64; calendars and attachments base64. The result is 7-bit clean,
so no server needs 8BITMIME or SMTPUTF8.
"""
from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import re
from email.utils import format_datetime, formataddr, getaddresses, parseaddr

from ..extensions import now_utc
from .models import OutboxMessage

CONTENT_LANGUAGE = {"en": "en", "zh": "zh-Hans"}
# Mail that people write to people (replies are welcome); everything else is auto-generated.
HUMAN_KINDS = frozenset({"broadcast"})

FOLD_AT = 78  # RFC 5322: lines SHOULD stay within 78 octets (and MUST within 998)
# Header text that can go out as typed: printable ASCII, without "=?" (a reader would decode
# what looks like an encoded word).
_PLAIN = re.compile(r"(?!.*=\?)[ -~]*")
# Text that may go out as 7bit: printable ASCII and tabs (line length is checked separately).
_SEVEN_BIT = re.compile(rb"[\t\r\n -~]*")
_BASE64_LINE = re.compile(rb".{1,76}")
_TOKEN = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`|~-]+")  # RFC 2045 token
# A header as written: printable ASCII, with line breaks only as folds (CRLF and a space); so no
# value can end the header block or start another header, whatever reached the row.
_HEADER = re.compile(r"[!-9;-~]+: [ -~]*(?:\r\n [ -~]*)*")


def message_bytes(row: OutboxMessage) -> bytes:
    """The exact bytes handed to the SMTP server (and offered as .eml).

    The structure is the one EmailMessage gives: a lone text/plain part, or multipart/alternative
    (text, then HTML, then the text/calendar; method=... part), wrapped with the attachments and
    invite.ics in multipart/mixed when there are any.
    """
    tag = hashlib.sha256(row.message_id.encode("utf-8", "replace")).hexdigest()[:24]
    calendar = bytes(row.calendar_ics) if row.calendar_ics else None
    alternatives = [_text_part(row.body_text, "plain")]
    if row.body_html:
        alternatives.append(_text_part(row.body_html, "html"))
    if calendar:
        method = row.calendar_method or "PUBLISH"
        if not _TOKEN.fullmatch(method):
            raise ValueError(f"not an iTIP method: {method!r}")
        # Bytes in base64, so the CRLF line ends iCalendar requires arrive untouched (the old
        # builder wrote this part's Content-Transfer-Encoding first; kept for identical bytes).
        alternatives.append(([
            "Content-Transfer-Encoding: base64",
            f'Content-Type: text/calendar; method="{method}"; charset="UTF-8"',
        ], _base64(calendar)))
    attachments = [
        _attachment(a.content_type, _safe_filename(a.filename), bytes(a.data))
        for a in row.attachments
    ]
    if calendar:
        attachments.append(_attachment("application/ics", "invite.ics", calendar))
    boundaries = (f"=_{tag}_{n}" for n in range(2))
    if attachments:
        mixed = next(boundaries)  # the outer multipart is numbered first, as msg.walk() finds it
        first = _multipart("alternative", alternatives, next(boundaries)) \
            if len(alternatives) > 1 else alternatives[0]
        body = _multipart("mixed", [first, *attachments], mixed)
    elif len(alternatives) > 1:
        body = _multipart("alternative", alternatives, next(boundaries))
    else:
        body = alternatives[0]
    return _render(_envelope(row) + body[0], body[1])


@functools.lru_cache(maxsize=64)
def _bare_address(value: str) -> str:
    return parseaddr(value)[1] or value


def envelope_sender(row: OutboxMessage) -> str:
    """The bare address for MAIL FROM."""
    return _bare_address(row.sender)


def _envelope(row: OutboxMessage) -> list[str]:
    headers = [
        f"From: {_address_list('From', row.sender)}",
        f"To: {_mailbox(row.to_name or '', row.to_addr)}",
    ]
    if row.reply_to:
        headers.append(f"Reply-To: {_address_list('Reply-To', row.reply_to)}")
    headers += [
        _unstructured("Subject", row.subject),
        # An unsaved row has no created_at yet (previews); a saved one always gives the same Date.
        f"Date: {format_datetime(row.created_at or now_utc())}",
        f"Message-ID: {row.message_id}",
        "MIME-Version: 1.0",
        f"Content-Language: {CONTENT_LANGUAGE.get(row.language, row.language)}",
    ]
    if row.kind not in HUMAN_KINDS:
        headers.append("Auto-Submitted: auto-generated")
    return headers


# --- headers ----------------------------------------------------------------------------------


def _unstructured(name: str, value: str) -> str:
    """`Name: value` for free text (Subject): as typed when that is safe, else encoded words."""
    if _PLAIN.fullmatch(value):
        folded = _fold(f"{name}: {value}")
        if max(map(len, folded.split("\r\n"))) <= FOLD_AT:  # else a word is too long to fit
            return folded
    return f"{name}: {_encoded_words(value)}"


def _fold(line: str) -> str:
    """Break a header line before spaces so that lines stay within 78 octets where words allow;
    unfolding (removing each CRLF) gives the line back exactly."""
    if len(line) <= FOLD_AT:
        return line
    words = line.split(" ")
    lines, current = [], words[0] + " " + words[1]
    for word in words[2:]:
        if word and len(current) + 1 + len(word) > FOLD_AT:
            lines.append(current)
            current = " " + word
        else:
            current += " " + word
    return "\r\n".join([*lines, current])


def _encoded_words(text: str) -> str:
    """RFC 2047 "B" encoded words of at most 68 characters, one per line (so "Subject: " and the
    first fit in 78), each cut at a character boundary: decoders join them back exactly."""
    words, chunk = [], b""
    for ch in text:
        octets = ch.encode("utf-8")
        if len(chunk) + len(octets) > 42:  # 42 octets are 56 base64 characters
            words.append(chunk)
            chunk = b""
        chunk += octets
    words.append(chunk)
    return "\r\n ".join(f"=?utf-8?b?{base64.b64encode(word).decode('ascii')}?=" for word in words)


def _mailbox(display: str, addr: str) -> str:
    if not display:
        return addr
    if _PLAIN.fullmatch(display):
        return formataddr((display, addr))  # quoted and escaped where RFC 5322 needs it
    return f"{_encoded_words(display)} <{addr}>"


@functools.lru_cache(maxsize=64)  # the same few configured values on every message
def _address_list(name: str, value: str) -> str:
    """A configured sender or reply-to ("Name <addr>", or several): each mailbox formatted as
    for To; a value that does not parse as addresses goes out as text."""
    pairs = getaddresses([value])
    if pairs and all("@" in addr for _display, addr in pairs):
        return ", ".join(_mailbox(display, addr) for display, addr in pairs)
    return _unstructured(name, value).partition(": ")[2]


def _disposition(filename: str) -> str:
    """`attachment; filename="..."` for an ASCII name; RFC 2231 (utf-8, percent-encoded)
    otherwise, in numbered sections on folded lines when long (lines stay within 78)."""
    if filename.isascii() and len(filename) <= 34:  # _safe_filename removed '"', '\\', controls
        return f'Content-Disposition: attachment; filename="{filename}"'
    if filename.isascii() and len(filename) <= 66:
        return f'Content-Disposition: attachment;\r\n filename="{filename}"'
    quoted = "".join(
        chr(b) if chr(b).isalnum() and b < 128 or b in b"!#$&+-.^_`|~" else f"%{b:02X}"
        for b in filename.encode("utf-8")
    )
    if len(quoted) <= 28:
        return f"Content-Disposition: attachment; filename*=utf-8''{quoted}"
    sections, start = [], 0
    while start < len(quoted):
        end = min(start + 56, len(quoted))
        percent = quoted.rfind("%", end - 2, end)  # never cut inside a %XX escape
        if percent != -1:
            end = percent
        sections.append(quoted[start:end])
        start = end
    params = [f"filename*{n}*={section}" for n, section in enumerate(sections)]
    params[0] = params[0].replace("=", "=utf-8''", 1)
    return "Content-Disposition: attachment;\r\n " + ";\r\n ".join(params)


def _safe_filename(name: str) -> str:
    cleaned = "".join(ch for ch in name if ch.isprintable() and ch not in '\\/"')
    return cleaned.strip() or "attachment"


# --- bodies -----------------------------------------------------------------------------------

Part = tuple[list[str], bytes]  # its Content-* header lines, and its body


def _text_part(text: str, subtype: str) -> Part:
    # MIME text is CRLF-delimited lines, the last one ended too (as EmailMessage.set_content).
    lines = text.encode("utf-8").splitlines()
    data = b"\r\n".join(lines) + b"\r\n"
    if not text.isascii():
        cte, body = "base64", _base64(data)  # compact for Chinese, safe without 8BITMIME
    elif _SEVEN_BIT.fullmatch(data) and all(len(line) <= FOLD_AT for line in lines):
        cte, body = "7bit", data
    else:  # long lines or control characters: soft line breaks, escapes
        cte, body = "quoted-printable", binascii.b2a_qp(data)
    return [f'Content-Type: text/{subtype}; charset="utf-8"',
            f"Content-Transfer-Encoding: {cte}"], body


def _attachment(content_type: str, filename: str, data: bytes) -> Part:
    maintype, _, subtype = content_type.partition("/")
    return [
        f"Content-Type: {maintype or 'application'}/{subtype or 'octet-stream'}",
        "Content-Transfer-Encoding: base64",
        _disposition(filename),
    ], _base64(data)


def _base64(data: bytes) -> bytes:
    # Lines of 76 characters (base64.encodebytes, in C rather than its loop of 57-byte chunks).
    return b"\r\n".join(_BASE64_LINE.findall(binascii.b2a_base64(data, newline=False))) + b"\r\n" \
        if data else b""


def _multipart(subtype: str, parts: list[Part], boundary: str) -> Part:
    delimiter = b"--" + boundary.encode("ascii")
    body = (delimiter + b"\r\n"
            + (b"\r\n" + delimiter + b"\r\n").join(_render(*part) for part in parts)
            + b"\r\n" + delimiter + b"--\r\n")
    return [f'Content-Type: multipart/{subtype}; boundary="{boundary}"'], body


def _render(headers: list[str], body: bytes) -> bytes:
    for header in headers:  # values written as given (addresses, Message-ID, types) included
        if not _HEADER.fullmatch(header):
            raise ValueError(f"not a safe header line: {header[:100]!r}")
    return ("\r\n".join(headers) + "\r\n\r\n").encode("ascii") + body
