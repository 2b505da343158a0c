"""The hand-written MIME writer (mime.message_bytes) against the email-package builder it replaced
(issue 9), kept here only, as the oracle: for rows Hypothesis makes up, a receiver parsing either
message finds the same structure, headers, parameters and decoded content, and the new bytes are
well-formed on the wire (CRLF, lines of at most 998 octets, 7-bit, no parser defects)."""
from __future__ import annotations

import hashlib
import os
import re
from datetime import datetime, timezone
from email import message_from_bytes, policy
from email.header import decode_header, make_header
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses

from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from eventsite.mail.mime import message_bytes
from eventsite.mail.models import OutboxAttachment, OutboxMessage

# --- the oracle: eventsite/mail/mime.py before issue 9 ------------------------------------------


def reference_bytes(row: OutboxMessage) -> bytes:
    def cte(text):
        return None if text.isascii() else "base64"

    def safe_filename(name):
        cleaned = "".join(ch for ch in name if ch.isprintable() and ch not in '\\/"')
        return cleaned.strip() or "attachment"

    def drop_mime_version(part):
        del part["MIME-Version"]
        for sub in part.iter_parts():
            drop_mime_version(sub)

    msg = EmailMessage(policy=policy.SMTP)
    msg.set_content(row.body_text, subtype="plain", charset="utf-8", cte=cte(row.body_text))
    if row.body_html:
        msg.add_alternative(row.body_html, subtype="html", charset="utf-8", cte=cte(row.body_html))
    if row.calendar_ics:
        msg.add_alternative(
            bytes(row.calendar_ics), maintype="text", subtype="calendar", cte="base64",
            params={"method": row.calendar_method or "PUBLISH", "charset": "UTF-8"},
        )
    for attachment in row.attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        msg.add_attachment(
            bytes(attachment.data), maintype=maintype or "application",
            subtype=subtype or "octet-stream", filename=safe_filename(attachment.filename),
        )
    if row.calendar_ics:
        msg.add_attachment(
            bytes(row.calendar_ics), maintype="application", subtype="ics", filename="invite.ics"
        )
    tag = hashlib.sha256(row.message_id.encode("utf-8", "replace")).hexdigest()[:24]
    for n, part in enumerate(part for part in msg.walk() if part.is_multipart()):
        part.set_boundary(f"=_{tag}_{n}")
    content = [(k, v) for k, v in msg.items() if k.lower() != "mime-version"]
    for key in set(msg.keys()):
        del msg[key]
    for part in msg.iter_parts():
        drop_mime_version(part)
    msg["From"] = row.sender
    msg["To"] = Address(display_name=row.to_name or "", addr_spec=row.to_addr)
    if row.reply_to:
        msg["Reply-To"] = row.reply_to
    msg["Subject"] = row.subject
    msg["Date"] = format_datetime(row.created_at)
    msg["Message-ID"] = row.message_id
    msg["MIME-Version"] = "1.0"
    msg["Content-Language"] = {"en": "en", "zh": "zh-Hans"}.get(row.language, row.language)
    if row.kind != "broadcast":
        msg["Auto-Submitted"] = "auto-generated"
    for key, value in content:
        msg[key] = value
    return msg.as_bytes(policy=policy.SMTP)


# --- rows -------------------------------------------------------------------------------------

SETTINGS = settings(max_examples=int(os.environ.get("MIME_EXAMPLES", "300")), deadline=None,
                    derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

UNICODE = st.characters(blacklist_categories=("Cs",))
CHINESE = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
# What enqueue() lets through to a header (it refuses CR, LF and NUL), less what the old builder
# refused too (the other line breaks of str.splitlines): test_line_breaks_... covers those.
LINE_BREAKS = "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
HEADER_CHAR = st.characters(blacklist_categories=("Cs",), blacklist_characters=LINE_BREAKS + "\0")
HEADER_TEXT = st.one_of(
    st.text(HEADER_CHAR, max_size=120),
    st.text(CHINESE, min_size=1, max_size=150),
    st.lists(st.one_of(st.text(CHINESE, min_size=1, max_size=12),
                       st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1,
                               max_size=90),
                       st.sampled_from(['"', ",", " ", "  ", "=?", "?=", "(", ")", "\\", "\t"])),
             max_size=12).map("".join),
    st.sampled_from(["", " ", "x" * 300, "a" * 80 + " b", "=?utf-8?q?hello?=", " leading",
                     "trailing ", "two  spaces", '"quoted"', "Smith, John", "张三 (Zhang San)",
                     'O\'Brien "Bob", Jr.', "邀请：2026 城市发展论坛 " * 10,
                     "Invitation to the 2026 China International Cities Development Forum in "
                     "Beijing, 12-14 May: programme, venue and registration", "word  " * 30]),
)
BODY = st.one_of(
    st.text(UNICODE, max_size=600),
    st.text(st.characters(min_codepoint=0, max_codepoint=0x7F, blacklist_categories=("Cs",)),
            max_size=600),
    st.lists(st.sampled_from(["word", " ", "\n", "\r\n", "\r", ".", "From x", "=", "\t", "中文",
                              "x" * 120, "--=_", "  \n"]), max_size=60).map("".join),
)
METHODS = ("PUBLISH", "REQUEST", "REPLY", "ADD", "CANCEL", "REFRESH", "COUNTER", "DECLINECOUNTER")
ICS = st.lists(st.sampled_from([b"BEGIN:VCALENDAR", b"SUMMARY:\xe8\xae\xba\xe5\x9d\x9b", b"X" * 90,
                                b"END:VCALENDAR"]), min_size=1, max_size=8).map(
    lambda lines: b"\r\n".join(lines) + b"\r\n")
FILENAME = st.one_of(
    st.text(UNICODE, max_size=80),
    st.sampled_from(["议程.pdf", 'a"b.pdf', "../../etc/passwd", "a\\b.txt", " ", "", "x" * 255,
                     "会议" * 100, "name with spaces and ; = stuff.pdf", "tab\there.txt",
                     "=?utf-8?q?x?=.pdf", "%41.txt", "a'b.pdf", "日程 2026 (final).ics"]),
)
CONTENT_TYPES = ("application/pdf", "text/calendar", "image/png", "application/octet-stream",
                 "text/plain", "application/vnd.ms-excel",
                 "text/calendar; charset=utf-8; method=PUBLISH")
ADDRESSES = ("zhang@example.org", "a.b-c+tag@sub.example.cn", "x@y.io")
SENDERS = ("Alliance Secretariat <secretariat@eventsite.test>", "secretariat@eventsite.test",
           "联盟秘书处 <mishu@eventsite.test>", '"Smith, J." <j@example.org>',
           "Secretariat <a@example.org>, Office <b@example.org>")


@st.composite
def rows(draw) -> OutboxMessage:
    calendar = draw(st.none() | ICS)
    return OutboxMessage(
        kind=draw(st.sampled_from(["invitation", "broadcast", "password_reset"])),
        message_id=f"<{draw(st.integers(0, 10**12))}.{draw(st.integers(0, 99))}@eventsite.test>",
        sender=draw(st.sampled_from(SENDERS)),
        reply_to=draw(st.none() | st.sampled_from(SENDERS)),
        to_addr=draw(st.sampled_from(ADDRESSES)),
        to_name=draw(HEADER_TEXT),
        language=draw(st.sampled_from(["en", "zh", "fr"])),
        subject=draw(HEADER_TEXT),
        body_text=draw(BODY),
        body_html=draw(st.none() | st.just("") | BODY),
        calendar_method=draw(st.sampled_from(METHODS)) if calendar else None,
        calendar_ics=calendar,
        created_at=datetime(2026, 5, 1, 8, 30, tzinfo=timezone.utc),
        attachments=[
            OutboxAttachment(filename=name, content_type=kind, data=data)
            for name, kind, data in draw(st.lists(st.tuples(
                FILENAME, st.sampled_from(CONTENT_TYPES), st.binary(max_size=300)), max_size=3))
        ],
    )


def _note(row: OutboxMessage) -> None:
    """Show a failing example's fields (an ORM object's repr shows none)."""
    columns = ("kind", "sender", "reply_to", "to_name", "subject", "body_text", "body_html",
               "calendar_method", "calendar_ics")
    note(repr({name: getattr(row, name) for name in columns}))
    note(repr([(a.filename, a.content_type, a.data) for a in row.attachments]))


# --- what a receiver sees ---------------------------------------------------------------------


def _header(key: str, value):
    """A header as a receiver understands it (not how it is folded or quoted)."""
    if hasattr(value, "params"):
        kind = getattr(value, "content_type", None) or value.content_disposition
        return kind, dict(value.params)
    if key == "content-transfer-encoding":
        return None  # 7bit, quoted-printable or base64: a free choice, the payload is compared
    return str(value)


def _mailboxes(raw: str) -> list[tuple[str, str]]:
    """(display name, address) as an RFC 2047 reader decodes them. policy.default's address
    parser keeps the space between adjacent encoded words, which RFC 2047 (6.2) says to drop,
    so it adds spaces at wherever a builder cut a long non-ASCII name; email.header does not."""
    return [(str(make_header(decode_header(name))), addr) for name, addr in getaddresses([raw])]


def _seen(data: bytes) -> list:
    raw = message_from_bytes(data, policy=policy.compat32)
    parts = []
    for part in message_from_bytes(data, policy=policy.default).walk():
        headers = [(key.lower(), _header(key.lower(), value)) for key, value in part.items()]
        payload = None if part.is_multipart() else part.get_payload(decode=True)
        parts.append((part.get_content_type(), part.get_filename(), headers, payload))
    parts[0][2][:] = [(key, _mailboxes(raw[key]) if key in ("from", "to", "reply-to") else value)
                      for key, value in parts[0][2]]
    return parts


ENCODED_WORD = re.compile(rb"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=")


def _assert_wellformed(data: bytes) -> None:
    assert data.isascii()
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert all(len(line) <= 998 for line in lines)
    assert not any(b"\r" in line or b"\n" in line for line in lines)  # no bare CR or LF
    assert all(len(word) <= 75 for word in ENCODED_WORD.findall(data))  # RFC 2047's limit
    for parsing in (policy.default, policy.SMTP, policy.compat32):
        for part in message_from_bytes(data, policy=parsing).walk():
            assert part.defects == [], (parsing, part.get_content_type(), part.defects)


@SETTINGS
@given(row=rows())
def test_same_message_as_the_email_package(row):
    _note(row)
    data = message_bytes(row)
    _assert_wellformed(data)
    mine, old = _seen(data), _seen(reference_bytes(row))
    # Where the old builder did not give the text back (it dropped or merged spaces around the
    # non-ASCII text it encoded, and wrote "=?...?=" look-alikes as they were, which readers then
    # decode), the new one must give it back exactly.
    intended = {"subject": row.subject, "to": [(row.to_name, row.to_addr)]}
    top_mine, top_old = dict(mine[0][2]), dict(old[0][2])
    for key, value in intended.items():
        if top_old[key] != value and top_mine[key] == value:
            old[0][2][[k for k, _v in old[0][2]].index(key)] = (key, value)
    assert mine == old
    assert message_bytes(row) == data  # the same bytes every time


@SETTINGS
@given(row=rows(), field=st.sampled_from(["subject", "to_name"]),
       bad=st.sampled_from(["\r\nBcc: victim@example.org", "x\r\n\r\nbody", "\0", *LINE_BREAKS,
                            "\u2028Bcc: victim@example.org"]))
def test_line_breaks_in_header_text_stay_text(row, bad, field):
    """enqueue() refuses them; should one get past it, it is encoded, never a new header."""
    _note(row)
    setattr(row, field, getattr(row, field) + bad)
    data = message_bytes(row)
    _assert_wellformed(data)
    setattr(row, field, "x")
    assert _keys(data) == _keys(message_bytes(row)) and "bcc" not in _keys(data)


def _keys(data: bytes) -> list[str]:
    return [key.lower() for key in message_from_bytes(data, policy=policy.default).keys()]
