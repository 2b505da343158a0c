"""Calendar files in mail: through the outbox and a real SMTP server, the .ics arrives byte for
byte (CRLF intact), with a Content-Type whose method= matches the file's METHOD."""
from __future__ import annotations

import pytest

from eventsite.calendar.attachments import event_attachment, imip_parts
from eventsite.calendar.builder import Attendee
from eventsite.extensions import db
from eventsite.mail import worker
from eventsite.mail.services import enqueue

from .. import factories
from .helpers import read_both, with_icalendar


def parts(message):
    return [part for part in message.walk() if not part.is_multipart()]


@pytest.mark.both_dbs
def test_publish_attachment_and_imip_request_arrive_intact(app, smtp_server):
    with app.app_context():
        event = factories.make_event(title_zh="城镇化论坛" * 12, sequence=1)
        attachment = event_attachment(event, "zh")
        enqueue(kind="test", to_addr="liaison@example.org", subject="Invitation", body_text="Hi",
                language="zh", attachments=[attachment])
        enqueue(kind="test", to_addr="delegate@example.org", subject="Your seat", body_text="Hi",
                **imip_parts(event, Attendee("delegate@example.org", "Li Ming"), language="zh"))
        db.session.commit()
        uid, event_id = event.uid, event.id
        assert worker.send_pending()["sent"] == 2

    by_rcpt = {mail.rcpt_tos[0]: mail.message for mail in smtp_server.received}
    (ics_part,) = [p for p in parts(by_rcpt["liaison@example.org"])
                   if p.get_filename() == f"event-{event_id}.ics"]
    assert ics_part.get_content_type() == "text/calendar"
    assert ics_part.get_param("method") == "PUBLISH"
    data = ics_part.get_payload(decode=True)
    assert data == attachment.data  # CRLF and UTF-8 untouched
    (seen,) = read_both(data)
    assert seen.uid == uid and seen.summary == "城镇化论坛" * 12

    invite = by_rcpt["delegate@example.org"]
    calendar_parts = [p for p in parts(invite) if p.get_content_type() == "text/calendar"]
    assert calendar_parts and all(p.get_param("method") == "REQUEST" for p in calendar_parts)
    data = calendar_parts[0].get_payload(decode=True)
    (seen,) = read_both(data)
    cal, _ = with_icalendar(data)
    assert cal["METHOD"] == "REQUEST" and seen.uid == uid and seen.sequence == 1
    assert str(cal.walk("VEVENT")[0]["ATTENDEE"]) == "mailto:delegate@example.org"


def test_imip_cancel_parts(app):
    with app.app_context():
        event = factories.make_event(status="cancelled", sequence=5)
        result = imip_parts(event, Attendee("d@example.org"), method="cancel", language="en")
    assert result["calendar_method"] == "CANCEL"
    cal, (seen,) = with_icalendar(result["calendar_ics"])
    assert cal["METHOD"] == "CANCEL" and seen.status == "CANCELLED" and seen.sequence == 5
