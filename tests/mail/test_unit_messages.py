"""Whose message it is: every mail the app writes for a unit or a delegate names them, and
organizers (not liaisons) read a unit's and a delegate's messages on the tracking, delegation and
directory pages, in both languages."""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from eventsite.accounts.notifications import send_link
from eventsite.delegations.services import decisions
from eventsite.extensions import db
from eventsite.invitations import notifications as mailing
from eventsite.invitations.services import issuing
from eventsite.mail import queries
from eventsite.mail import services as broadcasts
from eventsite.mail.models import OutboxMessage
from eventsite.mail.worker import send_pending
from eventsite.members.audience import Audience

from .. import factories

MIGRATION = Path(__file__).resolve().parents[2] / "migrations" / "versions" / "0007_message_owners.py"


def _world(app) -> dict:
    """Units A and B invited to one event; A's delegation (two people) approved; a message to
    every mayor; a password reset for A's liaison (account mail: no unit's to show)."""
    with app.app_context():
        event = factories.make_event(title_en="Spring Forum", title_zh="春季论坛")
        a = factories.make_unit(name_en="Alpha City", name_zh="阿尔法市")
        b = factories.make_unit(name_en="Beta City", name_zh="贝塔市")
        factories.make_contact(a, role="mayor", language="en", email="mayor.a@example.org")
        factories.make_contact(b, role="mayor", language="zh", email="mayor.b@example.org")
        liaison = factories.make_user(role="liaison", unit=a, email="liaison.a@example.org")
        organizer = factories.make_user(role="organizer")
        db.session.commit()
        issuing.issue(event, Audience(everyone=True), mailing.default_content(), organizer)
        delegation, head = factories.make_delegation(event, a, people=2, status="submitted")
        db.session.commit()
        decisions.approve(delegation, organizer)
        broadcasts.send(Audience(roles=["mayor"]), broadcasts.Content(subject_en="Note to mayors",
                                                                       body_en="Dear {name}"), organizer)
        send_link(liaison, "x" * 43, "reset")
        db.session.commit()
        other = [d.id for d in delegation.delegates if d.id != head.id][0]
        return {"event": event.id, "a": a.id, "b": b.id, "delegation": delegation.id, "head": head.id,
                "other": other, "liaison": liaison.id}


@pytest.mark.both_dbs
def test_every_message_to_a_unit_or_delegate_names_them(app, outbox):
    ids = _world(app)
    with app.app_context():
        rows = outbox()
        by_kind = {}
        for row in rows:
            by_kind.setdefault(row.kind, []).append(row)
        assert {"invitation", "delegation_notice", "delegate_notice", "broadcast", "password_reset"} <= set(by_kind)
        for row in by_kind["invitation"] + by_kind["delegation_notice"]:
            assert row.event_id == ids["event"] and row.unit_id in (ids["a"], ids["b"]) and row.delegate_id is None
        assert {r.delegate_id for r in by_kind["delegate_notice"]} == {ids["head"], ids["other"]}
        assert {r.unit_id for r in by_kind["delegate_notice"]} == {ids["a"]}
        assert {r.to_addr: r.unit_id for r in by_kind["broadcast"]} == {"mayor.a@example.org": ids["a"],
                                                                       "mayor.b@example.org": ids["b"]}
        assert [(r.unit_id, r.delegate_id) for r in by_kind["password_reset"]] == [(None, None)]

        mine = queries.messages_of(unit_id=ids["a"])
        expected = [r.id for r in reversed(rows) if r.unit_id == ids["a"]]
        assert [m.id for m in mine.items] == expected and mine.more == 0  # newest first
        assert len(expected) >= 5
        few = queries.messages_of(unit_id=ids["a"], limit=2)
        assert [m.id for m in few.items] == expected[:2] and few.more == len(expected) - 2
        for_event = queries.messages_of(unit_id=ids["a"], event_id=ids["event"])
        assert "broadcast" not in {m.kind for m in for_event.items}  # a message to a group has no event
        head = queries.messages_of(delegate_id=ids["head"])
        assert {m.delegate_id for m in head.items} == {ids["head"]} and head.items
        both = queries.messages_of_delegates([ids["head"], ids["other"]], limit=1)
        assert len(both[ids["head"]].items) == 1
        assert both[ids["head"]].more == len(head.items) - 1


def test_backfill_finds_the_owner_of_earlier_messages(app, outbox):
    """The migration fills the new columns from refs (messages written before them)."""
    ids = _world(app)
    spec = importlib.util.spec_from_file_location("message_owners", MIGRATION)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    with app.app_context():
        before = {r.id: (r.unit_id, r.delegate_id, r.event_id) for r in outbox()}
        db.session.execute(db.update(OutboxMessage).values(unit_id=None, delegate_id=None, event_id=None))
        db.session.commit()
        with db.engine.begin() as connection:
            migration.backfill(connection)
        db.session.expire_all()
        after = {r.id: (r.unit_id, r.delegate_id, r.event_id) for r in outbox()}
    # Messages to groups get their unit back (the event is not in their refs: there is none).
    assert after == before
    assert ids["a"] in {owner[0] for owner in after.values()}


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_organizer_reads_a_units_and_delegates_messages(app, organizer_client):
    ids = _world(app)
    with app.app_context():
        app.config["MAIL_SERVER"] = None
        send_pending()  # kept locally: sent
        failed = db.session.scalar(db.select(OutboxMessage).filter_by(kind="delegate_notice",
                                                                      delegate_id=ids["other"]))
        failed.state, failed.last_error = "failed", "550 5.1.1 <x@example.org>: mailbox unavailable"
        subject = failed.subject  # in the delegate's language (Chinese)
        db.session.commit()
    event, a = ids["event"], ids["a"]
    detail = _text(organizer_client.get(f"/organizer/events/{event}/delegations/{ids['delegation']}"))
    assert "Messages to the unit about this event" in detail
    assert "Delegation approved: Spring Forum" in detail  # the liaison notice
    person = detail[detail.index(f'id="delegate-{ids["other"]}-messages"'):]
    assert "The recipient&#39;s mail server refused the message." in person and "mailbox unavailable" in person
    assert subject in person and "1 message to this person" in person
    tracking = _text(organizer_client.get(f"/organizer/events/{event}/invitations"))
    assert f"/messages/units/{a}?event={event}" in tracking
    history = _text(organizer_client.get(f"/messages/units/{a}?event={event}"))
    assert "Invitation" in history and "Note to mayors" not in history
    directory = _text(organizer_client.get(f"/directory/{a}"))
    assert "Messages sent to this unit" in directory and "Note to mayors" in directory
    assert "Reset your password" not in directory  # account mail is the admin's outbox only
    assert "sent" in directory

    with app.app_context():
        db.session.get(factories.User, organizer_client.user_id).locale = "zh"
        db.session.commit()
    zh = _text(organizer_client.get(f"/directory/{a}"))
    assert "发给本单位的邮件" in zh and "群发消息" in zh
    zh_detail = _text(organizer_client.get(f"/organizer/events/{event}/delegations/{ids['delegation']}"))
    assert "就本活动发给该单位的邮件" in zh_detail and "收件方邮件服务器拒收了该邮件。" in zh_detail


def test_one_message_as_sent_without_its_personal_link(app, organizer_client, admin_client):
    ids = _world(app)
    with app.app_context():
        invitation = db.session.scalar(db.select(OutboxMessage).filter_by(kind="invitation", unit_id=ids["a"]))
        token = re.search(r"/invitation/([A-Za-z0-9_-]{43})", invitation.body_text).group(1)
        message_id = invitation.id
        reset_id = db.session.scalar(db.select(OutboxMessage.id).filter_by(kind="password_reset"))
    page = _text(organizer_client.get(f"/messages/read/{message_id}"))
    assert "mayor.a@example.org" in page and "queued" in page
    assert "Alpha City" in page  # the unit's name in the text as sent
    assert ".ics" in page  # the calendar file, listed
    assert token not in page and "[…]" in page
    assert "Open in the outbox" not in page
    assert "Open in the outbox" in _text(admin_client.get(f"/messages/read/{message_id}"))
    assert organizer_client.get(f"/messages/read/{reset_id}").status_code == 404
    assert organizer_client.get("/messages/read/999999").status_code == 404


def test_a_liaison_reads_no_messages(app, login):
    ids = _world(app)
    client = app.test_client()
    with app.app_context():
        login(client, db.session.get(factories.User, ids["liaison"]))
        message_id = db.session.scalar(db.select(OutboxMessage.id).filter_by(unit_id=ids["a"]))
    assert client.get(f"/messages/read/{message_id}").status_code == 403
    assert client.get(f"/messages/units/{ids['a']}").status_code == 403
    own = _text(client.get(f"/directory/{ids['a']}"))  # their own unit's page, without the history
    assert "Messages sent to this unit" not in own and "Note to mayors" not in own
    assert client.get("/admin/outbox/").status_code == 403


@pytest.mark.parametrize("state, error, words", [
    ("failed", "not sent: not a valid email address", "Not sent: this address cannot receive mail."),
    ("failed", "550 5.1.1 no such user", "The recipient's mail server refused the message. (550 5.1.1 no such user)"),
    ("pending", "451 4.3.0 try later", "asked us to try again later. It will be tried again. (451 4.3.0 try later)"),
    ("pending", "connection failed: ConnectionRefusedError", "Our mail server could not be reached. It will be"),
    ("failed", "cannot build message: bad header", "could not be built from what was stored."),
    ("failed", "personal data erased before sending", "personal data was erased first."),
    ("sent", None, ""),
])
def test_errors_in_words(app_ctx, state, error, words):
    from eventsite.mail.labels import error_in_words

    said = error_in_words(state, error)
    assert (words in said) if words else said == ""
