"""Hostile text typed by organizers, liaisons and delegates reaches pages, emails and calendar
files only as text: no markup runs, no mail header is forged, no calendar component is injected.

The payloads go in through the real services (issuing invitations, registering a delegation) and
come out through the real outputs (the MIME bytes the worker sends, the pages, the feeds), read
back with real parsers (email, BeautifulSoup, icalendar and vobject).
"""
from __future__ import annotations

from email import message_from_bytes, policy

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from eventsite.extensions import db
from eventsite.mail.mime import message_bytes
from eventsite.mail.models import OutboxMessage
from eventsite.members.audience import Audience

from .. import factories
from ..calendar.helpers import read_both

SCRIPT = '<script>alert("x")</script>'
IMG = '<img src=x onerror="alert(1)">'
ICS = "Forum\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil@attacker\r\nSUMMARY:Injected"


def _mime(message: OutboxMessage):
    return message_from_bytes(message_bytes(message), policy=policy.default)


def _no_live_markup(html: str) -> None:
    soup = BeautifulSoup(html, "html.parser")
    # Our own scripts are files under /static or /bootstrap; an injected one is inline or foreign.
    for script in soup.find_all("script"):
        assert script.get("src", "").startswith(("/static/", "/bootstrap/static/")), script
        assert not script.string, script
    for tag in soup.find_all(True):
        assert not any(attr.lower().startswith("on") for attr in tag.attrs), (tag.name, tag.attrs)


@pytest.mark.both_dbs
def test_invitation_mail_carries_hostile_text_as_text(app_ctx, outbox):
    from eventsite.invitations.services import issuing
    from eventsite.mail.services import Content

    event = factories.make_event(title_en=f"Forum {SCRIPT}", venue_name_en=IMG)
    unit = factories.make_unit(name_en=f"City {IMG}")
    factories.make_contact(unit, name_latin=f"Li {SCRIPT}", language="en")
    organizer = factories.make_user("organizer")
    db.session.commit()
    content = Content(subject_en="Invitation to {event}", body_en=f"Dear {{contact}}, {SCRIPT} {{link}}")
    issuing.issue(event, Audience(unit_ids=[unit.id]), content, organizer)
    [message] = outbox(kind="invitation")
    mime = _mime(message)
    html = next(p for p in mime.walk() if p.get_content_type() == "text/html").get_content()
    _no_live_markup(html)
    assert "&lt;script&gt;" in html
    assert all("\n" not in value for _key, value in mime.items())


def test_forged_headers_in_an_invitation_subject_are_refused(app_ctx, outbox):
    from eventsite.invitations.services import issuing
    from eventsite.mail.services import Content

    event = factories.make_event()
    unit = factories.make_unit()
    factories.make_contact(unit, language="en")
    organizer = factories.make_user("organizer")
    db.session.commit()
    content = Content(subject_en="Hello\r\nBcc: everyone@evil.example", body_en="Body {link}")
    with pytest.raises(Exception) as refused:
        issuing.issue(event, Audience(unit_ids=[unit.id]), content, organizer)
    assert getattr(refused.value, "message", str(refused.value))
    db.session.rollback()
    assert outbox() == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0


@pytest.mark.both_dbs
def test_delegate_names_stay_text_in_notices_pages_and_exports(app, organizer_client):
    from eventsite.delegations.services import PersonRow, save_delegation

    with app.app_context():
        event = factories.make_event()
        unit = factories.make_unit()
        liaison = factories.make_user("liaison", unit=unit)
        db.session.commit()
        save_delegation(event, unit, [PersonRow({
            "role": "head", "family_name": f"Wang{SCRIPT}", "given_name": IMG, "name_zh": "王芳",
            "email": "wang@example.org", "language": "en", "dietary": IMG, "notes": SCRIPT,
        })], actor=liaison)
        messages = db.session.scalars(sa.select(OutboxMessage)).all()
        assert messages
        for message in messages:
            for part in _mime(message).walk():
                if part.get_content_type() == "text/html":
                    _no_live_markup(part.get_content())
        event_id = event.id
        delegation_id = db.session.scalar(sa.select(sa.text("id FROM delegation")))
    for url in (f"/organizer/events/{event_id}/delegations",
                f"/organizer/events/{event_id}/delegations/{delegation_id}"):
        page = organizer_client.get(url)
        assert page.status_code == 200
        _no_live_markup(page.get_data(as_text=True))


@pytest.mark.both_dbs
def test_event_text_cannot_inject_calendar_components(app, client):
    with app.app_context():
        event = factories.make_event(title_en=ICS, venue_name_en="Hall\r\nATTENDEE:mailto:x@evil.example",
                                     summary_en="a;b,c\\d\nEND:VCALENDAR")
        factories.make_session(event, title_en=ICS, room_en="R\nORGANIZER:mailto:evil@evil.example")
        db.session.commit()
        event_id, uid = event.id, event.uid
    for url in (f"/events/{event_id}/calendar.ics?sessions=1", "/calendar/alliance.ics"):
        body = client.get(url).data
        seen = read_both(body)
        assert "evil@attacker" not in {e.uid for e in seen}
        assert any(e.uid == uid for e in seen)
        lines = body.split(b"\r\n")
        assert not any(line.startswith((b"ATTENDEE", b"UID:evil")) for line in lines)
        assert sum(line == b"BEGIN:VEVENT" for line in lines) == len(seen)
        assert lines.count(b"END:VCALENDAR") == 1
