"""Recipients never block an operation (issue 14): addresses stored earlier, however odd, are
normalized and de-duplicated per message; one that cannot be mailed is recorded as not sent,
shown to the organizer, and the operation goes on."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from eventsite.events.models import Event
from eventsite.extensions import db
from eventsite.mail import worker
from eventsite.mail.services import enqueue

from .. import factories
from ..conftest import csrf_token
from ..events.test_admin_views import event_form

BASE = "/organizer/events"


def _published_event(client) -> tuple[int, str]:
    token = csrf_token(client, f"{BASE}/new")
    response = client.post(f"{BASE}/new", data=event_form(csrf_token=token))
    event_id = int(response.headers["Location"].rsplit("/", 1)[1])
    client.post(f"{BASE}/{event_id}/publish", data={"csrf_token": token})
    return event_id, token


def _change_venue(client, event_id: int, token: str, venue: str):
    """The organizer's two steps: the preview, then "Save and notify"."""
    data = event_form(csrf_token=token, venue_name_en=venue)
    page = client.post(f"{BASE}/{event_id}/edit", data=data)
    assert page.status_code == 200 and b"notify-preview" in page.data
    preview = BeautifulSoup(page.data, "html.parser").find("input", {"name": "notify_preview"})["value"]
    return client.post(f"{BASE}/{event_id}/edit", data=data | {
        "confirm_notify": "Save and notify", "notify_preview": preview}, follow_redirects=True)


def _cancel(client, event_id: int, token: str):
    return client.post(f"{BASE}/{event_id}/cancel", data={
        "csrf_token": token, "reason_en": "The venue is closed."}, follow_redirects=True)


def _unit_notices(outbox) -> list[tuple[str, str]]:
    return sorted((m.to_addr, m.subject.split(":")[0]) for m in outbox(kind="delegation_notice"))


@pytest.mark.both_dbs
def test_contacts_sharing_an_address_get_one_notice_of_a_change_and_a_cancellation(
        app, organizer_client, outbox):
    """The demo's Eurocities: two receiving contacts of a unit without liaison accounts share an
    address (here also spelled differently). "Save and notify" said "changed at the same moment
    elsewhere" (a dedupe-key clash) and cancelling was a 500."""
    event_id, token = _published_event(organizer_client)
    with app.app_context():
        unit = factories.make_unit()
        factories.make_contact(unit, email="secretariat@eurocities.example.org", language="en")
        factories.make_contact(unit, email=" Secretariat@Eurocities.Example.ORG", language="en")
        factories.make_contact(unit, email="other@eurocities.example.org", language="en")
        factories.make_delegation(db.session.get(Event, event_id), unit, people=1)
        db.session.commit()

    done = _change_venue(organizer_client, event_id, token, "Hemicycle")
    assert done.status_code == 200 and b"at the same moment" not in done.data
    with app.app_context():
        assert db.session.get(Event, event_id).venue_name_en == "Hemicycle"
        assert _unit_notices(outbox) == [("other@eurocities.example.org", "Changed"),
                                          ("secretariat@eurocities.example.org", "Changed")]

    cancelled = _cancel(organizer_client, event_id, token)
    assert cancelled.status_code == 200
    with app.app_context():
        assert db.session.get(Event, event_id).status == "cancelled"
        assert [n for n in _unit_notices(outbox) if n[1] == "Event cancelled"] == [
            ("other@eurocities.example.org", "Event cancelled"),
            ("secretariat@eurocities.example.org", "Event cancelled")]


@pytest.mark.both_dbs
def test_a_liaison_address_that_cannot_be_mailed_is_skipped_and_shown(app, organizer_client, outbox):
    """A liaison account set up earlier with `lián@example.org` (accepted then): changing or
    cancelling the event was a 500 (InvalidAddress). Now the operation succeeds, the address is
    recorded as not sent (never handed to a server) and the organizer is told."""
    event_id, token = _published_event(organizer_client)
    with app.app_context():
        unit = factories.make_unit()
        factories.make_user(role="liaison", unit=unit, email="lián@example.org", name="Lián")
        factories.make_user(role="liaison", unit=unit, email="ok@example.org")
        factories.make_delegation(db.session.get(Event, event_id), unit, people=1)
        db.session.commit()

    done = _change_venue(organizer_client, event_id, token, "Hemicycle")
    assert done.status_code == 200
    text = done.get_data(as_text=True)
    assert "Not mailed" in text and "lián@example.org" in text
    cancelled = _cancel(organizer_client, event_id, token)
    assert cancelled.status_code == 200 and "lián@example.org" in cancelled.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Event, event_id).status == "cancelled"
        notices = outbox(kind="delegation_notice")
        assert sorted((m.to_addr, m.state) for m in notices) == [
            ("lián@example.org", "failed"), ("lián@example.org", "failed"),
            ("ok@example.org", "pending"), ("ok@example.org", "pending")]
        failed = [m for m in notices if m.state == "failed"]
        assert all(m.attempts == 0 and "before the @" in m.last_error for m in failed)
        # Delegates were told as ever (a calendar part each).
        assert [m.calendar_method for m in outbox(kind="delegate_notice")] == ["REQUEST", "CANCEL"]


def test_enqueue_records_an_undeliverable_address_instead_of_raising(app_ctx, outbox):
    for address in ("lián@example.org", "no-at-sign", "a@example.org\r\nBcc: x@example.org",
                    "two words@example.org", "", "<a@example.org>", "a@b"):
        enqueue(kind="test", to_addr=address, subject="S", body_text="x")
    enqueue(kind="test", to_addr="  Someone@Example.ORG ", subject="S", body_text="x")
    db.session.commit()
    rows = outbox()
    assert [r.state for r in rows] == ["failed"] * 7 + ["pending"]
    assert rows[-1].to_addr == "someone@example.org"
    assert all("\r" not in r.to_addr and "\n" not in r.to_addr for r in rows)
    assert all(r.last_error for r in rows[:-1])
    assert worker.send_pending()["claimed"] == 1  # the worker never sees the others


def test_outbox_pages_show_a_message_that_could_not_be_sent(app, admin_client):
    with app.app_context():
        row = enqueue(kind="test", to_addr="lián@example.org", subject="S", body_text="Body")
        db.session.commit()
        row_id = row.id
    page = admin_client.get(f"/admin/outbox/{row_id}")
    assert page.status_code == 200 and "lián@example.org" in page.get_data(as_text=True)
    token = csrf_token(admin_client, f"/admin/outbox/{row_id}")
    retried = admin_client.post(f"/admin/outbox/{row_id}/retry", data={"csrf_token": token},
                                follow_redirects=True)
    assert retried.status_code == 200 and b"cannot receive mail" in retried.data
    with app.app_context():
        assert db.session.execute(sa.text("SELECT state FROM outbox_message")).scalar() == "failed"
    for suffix in (".eml", "/html", "/attachments/0"):
        assert admin_client.get(f"/admin/outbox/{row_id}{suffix}").status_code == 404
