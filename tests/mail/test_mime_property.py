"""The MIME builder (mime.message_bytes, the email package under policy.SMTP) on rows Hypothesis
makes up: the bytes are well-formed on the wire (7-bit, CRLF, lines of at most 998 octets,
RFC 2047's encoded-word limit, no parser defects) and a receiver parsing them reads back the row:
its headers, the alternative parts, the calendar part, the attachments."""
from __future__ import annotations

import os
import re
from datetime import datetime, timezone
from email import message_from_bytes, policy
from email.header import decode_header, make_header
from email.utils import getaddresses

from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from eventsite.mail.mime import message_bytes
from eventsite.mail.models import OutboxAttachment, OutboxMessage

# --- rows -------------------------------------------------------------------------------------

SETTINGS = settings(max_examples=int(os.environ.get("MIME_EXAMPLES", "300")), deadline=None,
                    derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

UNICODE = st.characters(blacklist_categories=("Cs",))
CHINESE = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
# What enqueue() lets through to a header (it refuses CR, LF and NUL), less the other line breaks
# of str.splitlines, which the builder turns into spaces: test_line_breaks_... covers those.
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




# --- what a receiver reads --------------------------------------------------------------------

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


def _words(text: str) -> list[str]:
    """Text as its words: the email package does not keep the spaces next to the non-ASCII text
    it encodes (nor a leading or trailing one), so those are not compared."""
    return text.split()


def _decoded(raw: str) -> str:
    """A header's text as an RFC 2047 reader decodes it (policy.default's parser keeps the space
    between adjacent encoded words, which RFC 2047 (6.2) says to drop; email.header does not)."""
    return str(make_header(decode_header(raw)))


def _mailboxes(raw: str) -> list[tuple[list[str], str]]:
    return [(_words(_decoded(name)), addr) for name, addr in getaddresses([raw])]


def _lines(data: bytes) -> list[bytes]:
    """A text body's lines, whatever line ends it was given or came back with."""
    return data.replace(b"\r\n", b"\n").splitlines() or [b""]


def _assert_reads_back(row: OutboxMessage, data: bytes) -> None:
    raw = message_from_bytes(data, policy=policy.compat32)
    msg = message_from_bytes(data, policy=policy.default)
    assert _mailboxes(raw["From"]) == _mailboxes(row.sender)
    # An encoded word typed as text (a subject, name or filename with "=?...?=") is written as is,
    # so readers decode it: those are not compared.
    if "=?" not in row.to_name:
        assert _mailboxes(raw["To"]) == [(_words(row.to_name), row.to_addr)]
    assert (raw["Reply-To"] and _mailboxes(raw["Reply-To"])) == (
        row.reply_to and _mailboxes(row.reply_to))
    if "=?" not in row.subject:
        assert _words(_decoded(raw["Subject"])) == _words(row.subject)
    assert msg["Message-ID"] == row.message_id
    assert msg["Content-Language"] == {"en": "en", "zh": "zh-Hans"}.get(row.language, row.language)
    assert (msg["Auto-Submitted"] == "auto-generated") == (row.kind != "broadcast")
    assert msg["MIME-Version"] == "1.0"
    assert [part["MIME-Version"] for part in msg.walk()][1:] == [None] * (len(list(msg.walk())) - 1)

    body = msg.get_body(("plain",)) if msg.is_multipart() else msg
    assert body.get_content_type() == "text/plain" and body.get_content_charset() == "utf-8"
    assert _lines(body.get_payload(decode=True)) == _lines(row.body_text.encode())
    html = msg.get_body(("html",))
    assert (html is not None) == bool(row.body_html)
    if html is not None:
        assert _lines(html.get_payload(decode=True)) == _lines(row.body_html.encode())
    calendars = [part for part in msg.walk() if part.get_content_type() == "text/calendar"
                 and part.get_content_disposition() is None]
    if row.calendar_ics:
        (calendar,) = calendars
        assert calendar.get_param("method") == row.calendar_method
        assert calendar.get_param("charset") == "UTF-8"
        assert calendar.get_payload(decode=True) == row.calendar_ics  # CRLF kept byte for byte
    else:
        assert calendars == []
    alternatives = 1 + bool(row.body_html) + bool(row.calendar_ics)
    if alternatives > 1:
        alternative = msg if msg.get_content_type() == "multipart/alternative" \
            else next(msg.iter_parts())
        assert alternative.get_content_type() == "multipart/alternative"
        assert len(list(alternative.iter_parts())) == alternatives

    expected = [(_safe(a.filename), _type(a.content_type), a.data) for a in row.attachments]
    if row.calendar_ics:
        expected.append(("invite.ics", "application/ics", row.calendar_ics))
    assert msg.get_content_type() == ("multipart/mixed" if expected else
                                      "multipart/alternative" if alternatives > 1 else "text/plain")
    seen = [(part.get_filename(), part.get_content_type(), part.get_payload(decode=True))
            for part in msg.iter_attachments()] if expected else []
    assert [got if "=?" not in want[0] else want for got, want in zip(seen, expected)] == expected
    assert len(seen) == len(expected)


def _safe(name: str) -> str:
    cleaned = "".join(ch for ch in name if ch.isprintable() and ch not in '\\/"').strip()
    return " ".join(cleaned.split(" ")) or "attachment"


def _type(content_type: str) -> str:
    maintype, _, subtype = content_type.partition("/")
    return f"{maintype or 'application'}/{subtype.partition(';')[0].strip() or 'octet-stream'}"


@SETTINGS
@given(row=rows())
def test_a_receiver_reads_back_the_row(row):
    _note(row)
    data = message_bytes(row)
    _assert_wellformed(data)
    _assert_reads_back(row, data)
    assert message_bytes(row) == data  # the same bytes every time


@SETTINGS
@given(row=rows(), field=st.sampled_from(["subject", "to_name"]),
       bad=st.sampled_from(["\r\nBcc: victim@example.org", "x\r\n\r\nbody", "\0", *LINE_BREAKS,
                            "\u2028Bcc: victim@example.org"]))
def test_line_breaks_in_header_text_stay_text(row, bad, field):
    """enqueue() refuses them; should one get past it, it is text, never a new header."""
    _note(row)
    setattr(row, field, getattr(row, field) + bad)
    data = message_bytes(row)
    _assert_wellformed(data)
    setattr(row, field, "x")
    assert _keys(data) == _keys(message_bytes(row)) and "bcc" not in _keys(data)


def _keys(data: bytes) -> list[str]:
    return [key.lower() for key in message_from_bytes(data, policy=policy.default).keys()]
