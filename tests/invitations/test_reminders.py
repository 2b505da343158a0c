"""Reminders to units that have not answered: by hand (previewed, one click, once per form) and
automatically N days before registration closes, fired by the mail worker, never twice."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventsite.audit.models import AuditEntry
from eventsite.core.domain import DomainError
from eventsite.events import services as event_services
from eventsite.events.models import Event
from eventsite.extensions import db, now_utc
from eventsite.invitations.models import Invitation, InvitationReminder
from eventsite.invitations.services import issuing, reminders
from eventsite.mail.models import OutboxMessage
from eventsite.mail.worker import send_pending
from eventsite.members.audience import Audience
from eventsite.members.models import MemberUnit

from .. import factories
from ..conftest import csrf_token
from .organizer_helpers import CONTENT, LINK, directory


def _issue(ids, now=None, *unit_keys):
    event = db.session.get(Event, ids["event"])
    user = db.session.get(factories.User, ids["organizer"])
    selection = Audience(unit_ids=[ids[k] for k in unit_keys]) if unit_keys else \
        Audience(everyone=True)
    return issuing.issue(event, selection, CONTENT, user, now=now)


def _reminded(kind="invitation_reminder"):
    return sorted(db.session.scalars(sa.select(OutboxMessage.to_addr).filter_by(kind=kind)))


def _keys():
    rows = db.session.execute(sa.select(Invitation.unit_id, InvitationReminder.key)
                              .join(Invitation).order_by(InvitationReminder.id)).all()
    return [(unit, key) for unit, key in rows]


def test_parse_days_is_defensive():
    assert reminders.parse_days("7,2") == [7, 2]
    assert reminders.parse_days(" 2, 7 ,7, x, -1, 0, 91, ٣") == [7, 2]
    assert reminders.parse_days("") == [] and reminders.parse_days(None) == []
    assert reminders.parse_days("1,2,3,4,5,6,7") == [7, 6, 5, 4, 3]


@pytest.mark.both_dbs
def test_automatic_reminders_fire_once_at_the_right_time(app):
    ids = directory(app, reminder_days="7,2")
    with app.app_context():
        event = db.session.get(Event, ids["event"])
        deadline = event.registration_closes_at
        _issue(ids, deadline - timedelta(days=9))
        beta = db.session.scalar(sa.select(Invitation).filter_by(unit_id=ids["beta"]))
        beta.state, beta.decline_reason = "declined", "No budget"  # answered: never reminded
        db.session.commit()
        assert reminders.send_due_reminders(now=deadline - timedelta(days=7, minutes=1)) == 0
        at_seven = deadline - timedelta(days=7) + timedelta(minutes=1)
        assert reminders.send_due_reminders(now=at_seven) == 1  # alpha (gamma has no address)
        assert _reminded() == ["mayor.a@example.org", "office.a@example.org"]
        assert reminders.send_due_reminders(now=at_seven + timedelta(hours=1)) == 0
        assert reminders.send_due_reminders(now=deadline - timedelta(days=3)) == 0
        assert reminders.send_due_reminders(now=deadline - timedelta(days=2)) == 1
        assert reminders.send_due_reminders(now=deadline - timedelta(days=1)) == 0
        assert reminders.send_due_reminders(now=deadline + timedelta(minutes=1)) == 0
        assert len(_reminded()) == 4
        assert _keys() == [(ids["alpha"], "auto:7"), (ids["alpha"], "auto:2")]
        entries = db.session.scalars(sa.select(AuditEntry).filter_by(action="invitation.remind")).all()
        assert [e.details["key"] for e in entries] == ["auto:7", "auto:2"]
        assert all(e.actor_id is None for e in entries)


def test_late_invitations_and_registered_units(app):
    ids = directory(app, reminder_days="7,2")
    with app.app_context():
        event = db.session.get(Event, ids["event"])
        deadline = event.registration_closes_at
        _issue(ids, deadline - timedelta(days=9), "alpha")
        _issue(ids, deadline - timedelta(days=5), "beta")  # after the 7-day reminder's moment
        assert reminders.send_due_reminders(now=deadline - timedelta(days=6)) == 1  # alpha only
        factories.make_delegation(event, db.session.get(MemberUnit, ids["alpha"]))
        db.session.commit()
        assert reminders.send_due_reminders(now=deadline - timedelta(days=1)) == 1  # beta's 2-day
        assert _keys() == [(ids["alpha"], "auto:7"), (ids["beta"], "auto:2")]


def test_worker_down_sends_only_the_nearest_reminder(app):
    ids = directory(app, reminder_days="7,2")
    with app.app_context():
        deadline = db.session.get(Event, ids["event"]).registration_closes_at
        _issue(ids, deadline - timedelta(days=9), "alpha")
        assert reminders.send_due_reminders(now=deadline - timedelta(days=1)) == 1
        assert reminders.send_due_reminders(now=deadline - timedelta(hours=1)) == 0
        assert _keys() == [(ids["alpha"], "auto:2"), (ids["alpha"], "auto:7:skipped")]
        assert len(_reminded()) == 2  # one mail per contact, not two


def test_no_reminders_when_disabled_or_event_cancelled(app):
    ids = directory(app, reminder_days="")
    with app.app_context():
        event = db.session.get(Event, ids["event"])
        deadline = event.registration_closes_at
        _issue(ids, deadline - timedelta(days=9))
        assert reminders.send_due_reminders(now=deadline - timedelta(days=1)) == 0
        event.reminder_days, event.status = "2", "cancelled"
        db.session.commit()
        assert reminders.send_due_reminders(now=deadline - timedelta(days=1)) == 0
        assert _keys() == []


def test_a_second_reminder_row_is_refused_by_the_database(app):
    ids = directory(app)
    with app.app_context():
        _issue(ids, None, "alpha")
        invitation = db.session.scalar(sa.select(Invitation))
        db.session.add(InvitationReminder(invitation_id=invitation.id, key="auto:2"))
        db.session.commit()
        db.session.add(InvitationReminder(invitation_id=invitation.id, key="auto:2"))
        with pytest.raises(sa.exc.IntegrityError):
            db.session.commit()
        db.session.rollback()


@pytest.mark.both_dbs
def test_two_workers_at_once_remind_once(app):
    ids = directory(app, reminder_days="7,2")
    with app.app_context():
        deadline = db.session.get(Event, ids["event"]).registration_closes_at
        _issue(ids, deadline - timedelta(days=9), "alpha", "beta")
    now = deadline - timedelta(days=1)
    barrier = threading.Barrier(2)
    results = []

    def worker():
        with app.app_context():
            barrier.wait()
            try:
                results.append(reminders.send_due_reminders(now=now))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    with app.app_context():
        assert sorted(_keys()) == sorted([(ids["alpha"], "auto:2"), (ids["alpha"], "auto:7:skipped"),
                                          (ids["beta"], "auto:2"), (ids["beta"], "auto:7:skipped")])
        assert len(_reminded()) == 3 and sum(results) == 2


@pytest.mark.both_dbs
def test_the_mail_worker_fires_and_delivers_reminders(app, smtp_server):
    """Real clock here: registration closes in a day, the invitation went out ten days ago."""
    ids = directory(app, reminder_days="2")
    with app.app_context():
        event = db.session.get(Event, ids["event"])
        event.registration_closes_at = now_utc() + timedelta(days=1)
        db.session.commit()
        _issue(ids, now_utc() - timedelta(days=10), "beta")
        send_pending()  # delivers the invitation, then runs the jobs: the reminder is queued
        assert _reminded() == ["mayor.b@example.org"]
        send_pending()  # delivers the reminder; the job finds nothing more to do
        assert _reminded() == ["mayor.b@example.org"]
    subjects = [m.message["Subject"] for m in smtp_server.received]
    assert subjects == ["Invitation: Cities Forum", "Reminder: invitation to Cities Forum"]
    reminder = smtp_server.received[1].message
    text = reminder.get_body(preferencelist=("plain",)).get_content()
    assert "Dear Bob Mayor 张" in text and "Beta City has been invited" in text and LINK.search(text)
    assert [p.get_filename() for p in reminder.iter_attachments()] == [f"event-{ids['event']}.ics"]


# --- manual ----------------------------------------------------------------------------------


def test_manual_reminder_preview_send_once(app, organizer_client):
    ids = directory(app)
    with app.app_context():
        _issue(ids)
        beta = db.session.scalar(sa.select(Invitation).filter_by(unit_id=ids["beta"]))
        beta.state = "accepted"
        db.session.commit()
    url = f"/organizer/events/{ids['event']}/invitations/remind"
    page = organizer_client.get(url).get_data(as_text=True)
    assert "1 unit has not answered yet" in page and "1 more has no email address" in page
    assert "Alpha City" in page and "Beta City" not in page
    assert "Reminder: invitation to Cities Forum" in page and f"event-{ids['event']}.ics" in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 3
    token = csrf_token(organizer_client, url)
    data = {"csrf_token": token, "submission_key": "r" * 24, "send": "Send"}
    assert organizer_client.post(url, data=data).status_code == 302
    assert organizer_client.post(url, data=data).status_code == 302  # double click
    with app.app_context():
        assert _reminded() == ["mayor.a@example.org", "office.a@example.org"]
        assert _keys() == [(ids["alpha"], "manual:" + "r" * 24)]
        entry = db.session.scalar(sa.select(AuditEntry).filter_by(action="invitation.remind"))
        assert entry.actor_id == organizer_client.user_id
    data["submission_key"] = "s" * 24  # a new round by hand is allowed
    assert organizer_client.post(url, data=data).status_code == 302
    with app.app_context():
        assert len(_reminded()) == 4


def test_manual_reminder_refused_when_nobody_waits(app, organizer_client):
    ids = directory(app)
    url = f"/organizer/events/{ids['event']}/invitations/remind"
    token = csrf_token(organizer_client, url)
    page = organizer_client.post(url, data={"csrf_token": token, "submission_key": "r" * 24,
                                            "send": "Send"}).get_data(as_text=True)
    assert "No unit with an email address is waiting for an answer." in page


# --- the event's setting ---------------------------------------------------------------------


@pytest.mark.parametrize("value, expected", [
    ("7, 2", "7,2"), ("2,7,7", "7,2"), ("", ""), ("  ", ""), ("30", "30"),
])
def test_reminder_days_are_normalized(value, expected):
    assert event_services.normalize_reminder_days(value) == expected


@pytest.mark.parametrize("value, message", [
    ("7;2", "Write whole numbers"), ("0", "between 1 and 90"), ("91", "between 1 and 90"),
    ("1,2,3,4,5,6", "At most 5"), ("-3", "Write whole numbers"), ("٣", "Write whole numbers"),
])
def test_bad_reminder_days_are_refused(app_ctx, value, message):
    with pytest.raises(DomainError, match=message) as caught:
        event_services.normalize_reminder_days(value)
    assert caught.value.field == "reminder_days"


def test_reminder_days_on_the_event_form(app, organizer_client):
    ids = directory(app)
    url = f"/organizer/events/{ids['event']}/edit"
    page = organizer_client.get(url).get_data(as_text=True)
    assert 'name="reminder_days"' in page and 'value="7,2"' in page
    with app.app_context():
        event = db.session.get(Event, ids["event"])
        values = {f: getattr(event, f) for f in event_services.EVENT_FIELDS}
        event_services.update_event(event, values | {"reminder_days": "3, 10"})
        assert event.reminder_days == "10,3"
        with pytest.raises(DomainError):
            event_services.update_event(event, values | {"reminder_days": "100"})
        db.session.rollback()
        assert db.session.get(Event, ids["event"]).reminder_days == "10,3"


def test_moving_the_deadline_moves_open_invitations(app):
    ids = directory(app)
    with app.app_context():
        _issue(ids)
        event = db.session.get(Event, ids["event"])
        new_close = event.registration_closes_at + timedelta(days=3)
        event_services.update_event(event, {"registration_closes_at": new_close})
        assert {i.expires_at for i in db.session.scalars(sa.select(Invitation))} == {new_close}
