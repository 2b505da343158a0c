"""Notices in each recipient's language, through the outbox and a real SMTP server; personal links
and the delegate's own services."""
from __future__ import annotations

from datetime import timedelta

import pytest

from eventsite.core.domain import DomainError
from eventsite.delegations.services import PersonRow, save_delegation, selfservice
from eventsite.extensions import db, now_utc
from eventsite.mail.worker import send_pending

from ..factories import make_contact, make_event, make_session, make_unit
from .helpers import link_token, person, rows, setup


def test_each_recipient_gets_their_own_language(app_ctx, outbox):
    event, unit, liaison = setup(capacity=1)
    liaison.locale = "zh"
    db.session.commit()
    people = [PersonRow(person("head", 1, language="en")), PersonRow(person("member", 2, language="zh"))]
    save_delegation(event, unit, people, actor=liaison)
    by_address = {m.to_addr: m for m in outbox()}
    assert by_address["p1@example.org"].language == "en"
    assert by_address["p1@example.org"].subject == f"Your registration is confirmed: {event.title_en}"
    assert by_address["p2@example.org"].language == "zh"
    assert event.title_zh in by_address["p2@example.org"].subject  # the title in Chinese
    assert by_address[liaison.email].language == "zh"
    assert event.title_zh in by_address[liaison.email].subject
    # Every message is in the outbox, committed with the registration.
    assert {m.kind for m in outbox()} == {"delegate_notice", "delegation_notice"}


def test_without_liaison_accounts_the_units_receiving_contacts_are_told(app_ctx, outbox):
    event = make_event()
    unit = make_unit()
    make_contact(unit, email="mayor@example.org", language="en")
    make_contact(unit, email="quiet@example.org", receives_invitations=False)
    db.session.commit()
    save_delegation(event, unit, rows(1, email=""), as_organizer=True)
    assert [m.to_addr for m in outbox()] == ["mayor@example.org"]


def test_confirmation_carries_a_working_personal_link_and_the_calendar(app_ctx, outbox):
    event, unit, liaison = setup()
    delegation = save_delegation(event, unit, rows(1), actor=liaison).delegation
    delegate = delegation.delegates[0]
    message = next(m for m in outbox() if m.to_addr == delegate.email)
    raw = link_token(message.body_text)
    assert raw and raw not in (delegate.token_hash or "")
    assert selfservice.find_delegate(event.id, raw) == delegate
    assert selfservice.find_delegate(event.id + 1, raw) is None  # another event's URL
    assert selfservice.find_delegate(event.id, "x" * 500) is None
    assert selfservice.find_delegate(event.id, raw[:-1] + ("A" if raw[-1] != "A" else "B")) is None
    # The calendar comes as an iMIP invitation (mail/mime.py adds the part and invite.ics).
    assert message.calendar_method == "REQUEST" and not message.attachments
    assert b"METHOD:REQUEST" in message.calendar_ics


def test_later_mails_do_not_invent_a_new_link(app_ctx, outbox):
    event, unit, liaison = setup()
    delegation = save_delegation(event, unit, rows(1), actor=liaison).delegation
    head = delegation.delegates[0]
    first_hash = head.token_hash
    save_delegation(event, unit, [PersonRow(person("head", 0, title="Mayor"), id=head.id)], actor=liaison)
    changed = [m for m in outbox() if m.subject.startswith("Your registration was updated")]
    assert len(changed) == 1 and link_token(changed[0].body_text) is None
    assert head.token_hash == first_hash
    # A new address gets a new link (the old mailbox's link stops working).
    save_delegation(event, unit, [PersonRow(person("head", 0, email="moved@example.org"), id=head.id)],
                    actor=liaison)
    moved = [m for m in outbox() if m.to_addr == "moved@example.org"][-1]
    assert link_token(moved.body_text) and head.token_hash != first_hash


def test_self_service_update_decline_and_rotate(app_ctx, outbox):
    event, unit, liaison = setup(capacity=5)
    choice = make_session(event, delegates_choose=True)
    db.session.commit()
    delegation = save_delegation(event, unit, rows(2), actor=liaison).delegation
    head, member = delegation.delegates
    changes = selfservice.update_own_details(member, {"dietary": "Vegetarian", "role": "head"}, [choice.id])
    assert set(changes) == {"dietary", "sessions"} and member.role == "member"  # no self-promotion
    raw = selfservice.rotate_link(member)
    assert selfservice.find_delegate(event.id, raw) == member
    assert link_token(outbox()[-1].body_text) == raw
    selfservice.decline(member)
    assert member.status == "declined"
    assert outbox()[-1].to_addr == liaison.email and "declined" in outbox()[-1].subject
    with pytest.raises(DomainError):
        selfservice.update_own_details(member, {"dietary": "none"}, None)


def test_self_service_closes_at_the_edit_deadline(app_ctx):
    now = now_utc()
    event, unit, liaison = setup(edit_deadline=now + timedelta(days=1))
    delegate = save_delegation(event, unit, rows(1), actor=liaison, now=now).delegation.delegates[0]
    later = now + timedelta(days=2)
    assert not selfservice.can_self_edit(delegate, later) and selfservice.can_decline(delegate, later)
    with pytest.raises(DomainError):
        selfservice.update_own_details(delegate, {"dietary": "x"}, None, now=later)


def test_notices_reach_a_real_smtp_server(app, smtp_server):
    with app.app_context():
        event, unit, liaison = setup(capacity=1)
        people = [PersonRow(person("head", 1, language="zh")), PersonRow(person("member", 2, language="en"))]
        save_delegation(event, unit, people, actor=liaison)
        liaison_email = liaison.email
        send_pending()
    received = {mail.rcpt_tos[0]: mail.message for mail in smtp_server.received}
    assert set(received) == {"p1@example.org", "p2@example.org", liaison_email}
    waitlisted = received["p2@example.org"]
    assert waitlisted["Subject"].startswith("You are on the waiting list")
    confirmed = received["p1@example.org"]
    parts = [part.get_content_type() for part in confirmed.walk()]
    assert "text/plain" in parts and "text/html" in parts
    assert any(part.get_filename() and part.get_filename().endswith(".ics") for part in confirmed.walk())
    text = confirmed.get_body(("plain",)).get_content()
    assert "/delegate/" in text
