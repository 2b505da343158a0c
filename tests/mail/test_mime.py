"""The MIME builder: parsed back by the standard library, exactly as a receiver would."""
from __future__ import annotations

from email import message_from_bytes, policy

import pytest

from eventsite.extensions import db
from eventsite.mail.mime import message_bytes
from eventsite.mail.services import Attachment, InvalidAddress, enqueue

ICS = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:x@test\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"


def _parse(data: bytes):
    return message_from_bytes(data, policy=policy.default)


def _invite(**fields):
    return enqueue(**{
        "kind": "invitation", "to_addr": "zhang@example.org", "to_name": "张三 (Zhang San)",
        "subject": "邀请：2026 城市发展论坛", "body_text": "您好，\n欢迎参加。", "body_html": "<p>您好</p>",
        "language": "zh", "calendar_method": "REQUEST", "calendar_ics": ICS,
        "attachments": [Attachment("议程.pdf", "application/pdf", b"%PDF-1.4 test")], **fields,
    })


def test_headers_round_trip_with_chinese(app_ctx):
    row = _invite()
    db.session.commit()
    data = message_bytes(row)
    assert data.isascii() and b"\r\n" in data  # 7-bit, CRLF on the wire
    msg = _parse(data)
    assert msg["Subject"] == "邀请：2026 城市发展论坛"
    raw = message_from_bytes(data, policy=policy.compat32)  # as written: RFC 2047 encoded words
    assert raw["Subject"].startswith("=?utf-8?b?") and raw["To"].startswith("=?utf-8?b?")
    assert msg["To"].addresses[0].display_name == "张三 (Zhang San)"
    assert msg["To"].addresses[0].addr_spec == "zhang@example.org"
    assert msg["Message-ID"] == row.message_id
    assert msg["Content-Language"] == "zh-Hans"
    assert msg["Auto-Submitted"] == "auto-generated"
    assert [k.lower() for k in msg.keys()] == [
        "from", "to", "reply-to", "subject", "date", "message-id", "mime-version",
        "content-language", "auto-submitted", "content-type",
    ]
    assert msg.get_content_type() == "multipart/mixed"


def test_structure_calendar_and_attachment(app_ctx):
    row = _invite()
    db.session.commit()
    msg = _parse(message_bytes(row))
    alternative = next(msg.iter_parts())
    assert alternative.get_content_type() == "multipart/alternative"
    kinds = [p.get_content_type() for p in alternative.iter_parts()]
    assert kinds == ["text/plain", "text/html", "text/calendar"]
    plain, html, calendar = alternative.iter_parts()
    assert plain.get_content_charset() == "utf-8" and "欢迎参加" in plain.get_content()
    assert html.get_content_charset() == "utf-8" and "<p>您好</p>" in html.get_content()
    assert calendar.get_param("method") == "REQUEST" and calendar.get_param("charset") == "UTF-8"
    assert calendar.get_payload(decode=True) == ICS  # CRLF kept byte for byte
    attachments = {p.get_filename(): p for p in msg.iter_attachments()}
    assert attachments["议程.pdf"].get_content() == b"%PDF-1.4 test"
    assert attachments["invite.ics"].get_content_type() == "application/ics"
    assert attachments["invite.ics"].get_payload(decode=True) == ICS


def test_same_bytes_every_time(app_ctx):
    row = _invite()
    db.session.commit()
    first = message_bytes(row)
    db.session.expire_all()
    assert message_bytes(db.session.get(type(row), row.id)) == first


def test_plain_message_and_broadcast_is_not_auto_submitted(app_ctx):
    row = enqueue(kind="broadcast", to_addr="a@example.org", subject="Hello", body_text="Hi", language="en")
    db.session.commit()
    msg = _parse(message_bytes(row))
    assert msg.get_content_type() == "text/plain"
    assert msg["Auto-Submitted"] is None
    assert msg["Content-Language"] == "en"
    assert msg.get_content().strip() == "Hi"


@pytest.mark.parametrize("bad", ["\r", "\n", "\0", "\r\nBcc: victim@example.org"])
def test_header_injection_refused(app_ctx, outbox, bad):
    """A subject written by the code is refused; a recipient's own data never fails the caller:
    the address makes the row "failed" (never built nor sent), the name loses the break."""
    with pytest.raises(InvalidAddress):
        enqueue(kind="test", to_addr="a@example.org", subject="S" + bad, body_text="x")
    db.session.rollback()
    enqueue(kind="test", to_addr="a@example.org" + bad + "b", to_name="A", subject="S", body_text="x")
    enqueue(kind="test", to_addr="a@example.org", to_name="A" + bad, subject="S", body_text="x")
    db.session.commit()
    bad_address, bad_name = outbox()
    assert bad_address.state == "failed" and "\r" not in bad_address.to_addr
    assert "\n" not in bad_address.to_addr and "\0" not in bad_address.to_addr
    assert bad_name.state == "pending" and bad_name.to_name in ("A", "A Bcc: victim@example.org")
    assert "\\" not in bad_name.to_name
    assert b"\r\nBcc:" not in message_bytes(bad_name)


@pytest.mark.parametrize("addr", ["", "no-at-sign", "a@b", "用户@example.org", "two words@example.org", "<a@example.org>", "a@example.org, b@example.org"])
def test_bad_addresses_are_never_sent(app_ctx, outbox, addr):
    enqueue(kind="test", to_addr=addr, subject="S", body_text="x")
    db.session.commit()
    (row,) = outbox()
    assert (row.state, row.attempts) == ("failed", 0) and row.last_error.startswith("not sent")


@pytest.mark.parametrize("field", ["to_addr", "message_id", "language"])
def test_values_written_as_given_cannot_break_the_header_block(app_ctx, field):
    """Addresses, Message-ID and language go out as given (enqueue checked them); the writer
    refuses any that would end a header, rather than trusting every caller."""
    row = _invite()
    setattr(row, field, getattr(row, field) + "\r\nBcc: victim@example.org")
    with pytest.raises(ValueError):
        message_bytes(row)
