"""iTIP over iMIP for one delegate: a seat brings a METHOD:REQUEST with the delegate as ATTENDEE,
leaving after holding a seat brings a METHOD:CANCEL with the same UID, and people who never held
a seat get plain notices. Read from the outbox, as MIME built by mail/mime.py and as delivered to
a real SMTP server, with icalendar and vobject."""
from __future__ import annotations

from email import message_from_bytes, policy
from email.utils import parseaddr

import pytest

from eventsite.delegations import services
from eventsite.delegations.services import PersonRow, decisions, save_delegation
from eventsite.events import services as event_services
from eventsite.extensions import db
from eventsite.mail import worker
from eventsite.mail.mime import message_bytes

from .. import factories
from ..delegations.helpers import person, rows, setup
from .helpers import read_both, with_icalendar


def calendar_of(message):
    """(METHOD, the VEVENT as icalendar reads it, what both parsers read) of an outbox row."""
    cal, _seen = with_icalendar(bytes(message.calendar_ics))
    (seen,) = read_both(bytes(message.calendar_ics))
    return str(cal["METHOD"]), cal.walk("VEVENT")[0], seen


def mine(outbox, address):
    return [m for m in outbox() if m.to_addr == address]


def structure(part) -> object:
    """The MIME tree as nested (type, [children]) / type strings."""
    if part.is_multipart():
        return (part.get_content_type(), [structure(p) for p in part.iter_parts()])
    return part.get_content_type()


@pytest.mark.both_dbs
def test_a_confirmed_delegate_receives_an_imip_request(app, outbox, smtp_server):
    with app.app_context():
        event, unit, liaison = setup()
        save_delegation(event, unit, [PersonRow(person("head", 1, language="zh", name_zh="李明"))],
                        actor=liaison)
        (message,) = mine(outbox, "p1@example.org")
        assert message.calendar_method == "REQUEST"
        assert not message.attachments  # not the PUBLISH file as well: one calendar part
        method, vevent, seen = calendar_of(message)
        assert method == "REQUEST" and seen.uid == event.uid and seen.status == "CONFIRMED"
        assert seen.summary == event.title_zh  # the delegate's language
        attendee = vevent["ATTENDEE"]
        assert str(attendee) == "mailto:p1@example.org"
        assert attendee.params["CN"].startswith("李明 ")  # both names, Chinese first
        assert (attendee.params["PARTSTAT"], attendee.params["RSVP"]) == ("NEEDS-ACTION", "TRUE")
        organizer = str(vevent["ORGANIZER"]).removeprefix("mailto:")
        # The MIME built from the row: the structure the research note recommends.
        built = message_from_bytes(message_bytes(message), policy=policy.SMTP)
        assert structure(built) == ("multipart/mixed", [
            ("multipart/alternative", ["text/plain", "text/html", "text/calendar"]),
            "application/ics"])
        ics_part = [p for p in built.walk() if p.get_content_type() == "text/calendar"][0]
        assert ics_part.get_param("method") == "REQUEST" and ics_part.get_param("charset") == "UTF-8"
        assert ics_part.get_payload(decode=True) == bytes(message.calendar_ics)  # CRLF intact
        attachment = [p for p in built.walk() if p.get_content_type() == "application/ics"][0]
        assert attachment.get_filename() == "invite.ics"
        assert attachment.get_payload(decode=True) == bytes(message.calendar_ics)
        assert parseaddr(built["From"])[1] == organizer
        ics = bytes(message.calendar_ics)
        worker.send_pending()
    (delivered,) = [m.message for m in smtp_server.received if m.rcpt_tos == ["p1@example.org"]]
    assert structure(delivered) == structure(built)
    assert parseaddr(delivered["From"])[1] == organizer
    data = [p for p in delivered.walk() if p.get_content_type() == "text/calendar"][0]
    assert data.get_payload(decode=True) == ics


def test_leaving_after_a_seat_brings_a_cancel_waiting_people_get_plain_notices(app_ctx, outbox):
    event, unit, liaison = setup(capacity=1)
    delegation = save_delegation(event, unit, rows(3), actor=liaison).delegation
    head, first, second = delegation.delegates
    assert [d.status for d in delegation.delegates] == ["confirmed", "waitlisted", "waitlisted"]
    (request,) = mine(outbox, head.email)
    assert [m.calendar_method for m in mine(outbox, first.email)] == [None]  # waitlisted
    decisions.remove_delegate(first, factories.make_user())
    assert [m.calendar_method for m in mine(outbox, first.email)] == [None, None]  # never had one
    services.withdraw(delegation, liaison)
    cancel = mine(outbox, head.email)[-1]
    assert cancel.calendar_method == "CANCEL" and cancel.subject.startswith("Your registration was cancelled")
    method, vevent, seen = calendar_of(cancel)
    _m, _v, requested = calendar_of(request)
    assert method == "CANCEL" and seen.status == "CANCELLED"
    assert seen.uid == requested.uid == event.uid
    # RFC 5546: the CANCEL is newer than the REQUEST that person holds, by SEQUENCE; the event's
    # own SEQUENCE stays, so the other delegates' copies are not made stale (docs/calendar.md).
    assert seen.sequence > requested.sequence == event.sequence
    assert vevent["DTSTAMP"].dt >= _v["DTSTAMP"].dt
    assert str(vevent["ATTENDEE"]) == f"mailto:{head.email}"
    assert [m.calendar_method for m in mine(outbox, second.email)][-1] is None


def test_every_calendar_message_to_a_person_is_newer_than_the_last(app_ctx, outbox):
    """REQUEST, CANCEL (removed), REQUEST again (registered anew at the same address), an event
    change, a CANCEL (event cancelled): each SEQUENCE above the one before it, never below the
    event's; other delegates keep the event's own."""
    event, unit, liaison = setup()
    delegation = save_delegation(event, unit, rows(2), actor=liaison).delegation
    head, member = delegation.delegates
    address = member.email
    decisions.remove_delegate(member, factories.make_user())
    save_delegation(event, unit, [PersonRow(person("head", 0), id=head.id),
                                  PersonRow(person("member", 1, email=address.upper()))],
                    actor=liaison)
    event_services.update_event(event, {"venue_name_en": "New hall"})
    event_services.cancel(event, "Storm", "")
    calendars = [calendar_of(m) for m in outbox()
                 if m.to_addr.lower() == address and m.calendar_method]
    assert [method for method, _v, _s in calendars] == ["REQUEST", "CANCEL", "REQUEST", "REQUEST",
                                                         "CANCEL"]
    sequences = [seen.sequence for _m, _v, seen in calendars]
    assert sequences == sorted(set(sequences)) and sequences[0] == 0  # strictly rising
    assert sequences[-1] >= event.sequence == 2
    held = [calendar_of(m)[2].sequence for m in mine(outbox, head.email) if m.calendar_method]
    assert held == [0, 1, 2]  # the others: the event's own


def test_promotion_from_the_waiting_list_brings_a_request(app_ctx, outbox):
    event = factories.make_event(capacity=1)
    unit_a, unit_b = factories.make_unit(), factories.make_unit()
    db.session.commit()
    first = save_delegation(event, unit_a, rows(1), as_organizer=True).delegation
    waiting = save_delegation(event, unit_b, rows(1, start=5), as_organizer=True).delegation
    assert waiting.delegates[0].status == "waitlisted"
    services.withdraw(first, as_organizer=True)
    promoted = mine(outbox, "p5@example.org")[-1]
    assert promoted.subject.startswith("A seat is free")
    method, vevent, seen = calendar_of(promoted)
    assert method == "REQUEST" and str(vevent["ATTENDEE"]) == "mailto:p5@example.org"


def test_a_new_address_of_a_confirmed_delegate_receives_the_request(app_ctx, outbox):
    event, unit, liaison = setup()
    head = save_delegation(event, unit, rows(1), actor=liaison).delegation.delegates[0]
    save_delegation(event, unit, [PersonRow(person("head", 0, title="Mayor"), id=head.id)],
                    actor=liaison)
    assert mine(outbox, head.email)[-1].calendar_method is None  # details only: no calendar part
    save_delegation(event, unit, [PersonRow(person("head", 0, email="moved@example.org"), id=head.id)],
                    actor=liaison)
    (moved,) = mine(outbox, "moved@example.org")
    method, vevent, _seen = calendar_of(moved)
    assert method == "REQUEST" and str(vevent["ATTENDEE"]) == "mailto:moved@example.org"


@pytest.mark.both_dbs
def test_the_address_a_delegate_left_gets_a_cancel_and_is_told(app, outbox):
    """The old mailbox's calendar entry goes (same UID, that address as ATTENDEE), and its owner
    learns the registration now writes elsewhere, without a link that would still work."""
    with app.app_context():
        event, unit, liaison = setup()
        head = save_delegation(event, unit, rows(1), actor=liaison).delegation.delegates[0]
        old_address = head.email
        save_delegation(event, unit, [PersonRow(person("head", 0, email="moved@example.org"),
                                                id=head.id)], actor=liaison)
        left = mine(outbox, old_address)[-1]
        assert left.subject.startswith("Your registration now uses another email address")
        method, vevent, seen = calendar_of(left)
        assert method == "CANCEL" and seen.uid == event.uid
        assert str(vevent["ATTENDEE"]) == f"mailto:{old_address}"
        assert "/delegate/" not in left.body_text and "moved@example.org" not in left.body_text
        assert [m.calendar_method for m in mine(outbox, "moved@example.org")] == ["REQUEST"]


def test_a_waitlisted_delegate_s_old_address_is_told_without_a_calendar(app_ctx, outbox):
    event, unit, liaison = setup(capacity=0)
    head = save_delegation(event, unit, rows(1), actor=liaison).delegation.delegates[0]
    assert head.status == "waitlisted"
    old_address = head.email
    save_delegation(event, unit, [PersonRow(person("head", 0, email="moved@example.org"), id=head.id)],
                    actor=liaison)
    left = mine(outbox, old_address)[-1]
    assert left.subject.startswith("Your registration now uses another email address")
    assert left.calendar_method is None


def test_cancel_reopen_publish_brings_the_entry_back(app_ctx, outbox):
    """A cancelled event's confirmed delegates got a CANCEL; publishing it again sends them a
    REQUEST with a higher SEQUENCE (a draft reached no calendar in between)."""
    event = factories.make_event()
    _delegation, head = factories.make_delegation(event, factories.make_unit())
    db.session.commit()
    event_services.cancel(event, "Storm", "")
    event_services.reopen(event)
    event_services.update_event(event, {"city_en": "Chengdu"})  # a draft: nobody is told
    event_services.publish(event)
    messages = mine(outbox, head.email)
    assert [m.calendar_method for m in messages] == ["CANCEL", "REQUEST"]
    (cancel_seq, request_seq) = [calendar_of(m)[2].sequence for m in messages]
    assert request_seq > cancel_seq and calendar_of(messages[1])[2].status == "CONFIRMED"
    assert "Chengdu" in calendar_of(messages[1])[2].location


def test_no_request_for_a_draft_event(app_ctx, outbox):
    event = factories.make_event(status="draft")
    unit = factories.make_unit()
    db.session.commit()
    save_delegation(event, unit, rows(1), as_organizer=True)
    assert [m.calendar_method for m in mine(outbox, "p0@example.org")] == [None]
