"""Personal data: one person's export, erasure after an event, the retention setting."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventsite.audit.models import AuditEntry
from eventsite.audit.services import record
from eventsite.core.domain import DomainError
from eventsite.delegations.models import Delegate
from eventsite.extensions import db, now_utc
from eventsite.mail.models import OutboxMessage
from eventsite.mail.services import Attachment, enqueue
from eventsite.privacy import erasure, services

from .. import factories
from ..conftest import csrf_token


def _ended_event_with_delegates(people: int = 3):
    start = now_utc() - timedelta(days=10)
    event = factories.make_event(starts_at=start, ends_at=start + timedelta(days=1))
    unit = factories.make_unit()
    delegation, head = factories.make_delegation(event, unit, people=people)
    head.email = "Wang.Fang@Example.org"
    head.mobile, head.dietary, head.notes = "+86 138 0000 0000", "halal", "arrives late"
    head.arrival_at = start - timedelta(hours=5)
    head.arrival_details = "CA 935"
    record("delegation.submit", head, target_label="Wang Fang")
    enqueue(kind="delegation_confirmed", to_addr=head.email, subject="Confirmed",
            body_text="Dear Wang Fang, see you in Shanghai",
            refs={"delegate": head.id, "delegation": delegation.id},
            attachments=[Attachment("event.ics", "text/calendar", b"BEGIN:VCALENDAR")])
    db.session.flush()
    message = db.session.scalar(sa.select(OutboxMessage).order_by(OutboxMessage.id.desc()))
    message.state = "sent"
    db.session.commit()
    return event, delegation, head


@pytest.mark.both_dbs
def test_export_finds_every_record_of_one_person_and_nothing_secret(app_ctx):
    event, _delegation, head = _ended_event_with_delegates()
    unit = factories.make_unit()
    factories.make_contact(unit, email="wang.fang@example.org")
    user = factories.make_user("liaison", unit=unit, email="wang.fang@example.org")
    factories.make_contact(unit, email="someone.else@example.org")
    db.session.commit()

    data = services.export("WANG.FANG@example.org ", actor=user)
    assert data["email"] == "wang.fang@example.org"
    assert len(data["accounts"]) == 1 and len(data["contact_entries"]) == 1
    assert [d["id"] for d in data["delegate_records"]] == [head.id]
    assert data["delegate_records"][0]["mobile"] == "+86 138 0000 0000"
    assert len(data["messages"]) == 1 and "Wang Fang" in data["messages"][0]["body_text"]
    assert any(a["action"] == "delegation.submit" for a in data["audit_entries"])
    text = json.dumps(data)
    assert "password_hash" not in text and "token_hash" not in text and "session_token" not in text
    assert "someone.else" not in text
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "privacy.export"))


@pytest.mark.both_dbs
def test_erasure_keeps_counts_and_audit_but_no_personal_detail(app_ctx):
    event, delegation, head = _ended_event_with_delegates(people=3)
    roles_before = sorted((d.role, d.status) for d in delegation.delegates)
    audit_before = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))

    assert erasure.erase_event(event) == 3
    db.session.expire_all()
    delegates = db.session.scalars(sa.select(Delegate).where(Delegate.event_id == event.id)).all()
    assert sorted((d.role, d.status) for d in delegates) == roles_before
    for d in delegates:
        assert d.family_name == erasure.ERASED
        assert not (d.given_name or d.name_zh or d.email or d.mobile or d.dietary or d.notes
                    or d.arrival_details or d.arrival_at or d.token_hash)
    message = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.kind == "delegation_confirmed"))
    assert message.to_addr == erasure.ERASED_ADDRESS and "Wang" not in message.body_text
    assert message.attachments == []
    labels = db.session.scalars(sa.select(AuditEntry.target_label).where(
        AuditEntry.target_type == "delegate")).all()
    assert labels == [f"delegate #{head.id}"]
    # Every entry is still there, plus one for the erasure itself.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == audit_before + 1
    assert db.session.get(type(event), event.id).personal_data_erased_at is not None
    assert services.personal_data("wang.fang@example.org")["delegate_records"] == []


def test_erasure_waits_for_the_end_of_the_event(app_ctx):
    event = factories.make_event()
    factories.make_delegation(event, factories.make_unit())
    db.session.commit()
    with pytest.raises(DomainError):
        erasure.erase_event(event)
    assert db.session.scalar(sa.select(Delegate.family_name)) != erasure.ERASED


def test_retention_erases_only_events_past_the_period(app, app_ctx):
    old, _d, _h = _ended_event_with_delegates()
    recent = factories.make_event(starts_at=now_utc() - timedelta(days=3),
                                  ends_at=now_utc() - timedelta(days=2))
    factories.make_delegation(recent, factories.make_unit())
    db.session.commit()
    app.config["PRIVACY_RETENTION_DAYS"] = 5
    assert erasure.erase_due() == [old.id]
    assert erasure.erase_due() == []  # nothing left to do: idempotent
    assert erasure.erase_due(now=now_utc() + timedelta(days=10)) == [recent.id]
    app.config["PRIVACY_RETENTION_DAYS"] = 0
    another, _d2, _h2 = _ended_event_with_delegates()
    assert erasure.erase_due(now=now_utc() + timedelta(days=400)) == []


def test_admin_page_finds_exports_and_erases(app, admin_client):
    with app.app_context():
        event, _delegation, _head = _ended_event_with_delegates()
        event_id = event.id
    token = csrf_token(admin_client, "/admin/privacy/")
    page = admin_client.post("/admin/privacy/", data={"csrf_token": token,
                                                      "email": "wang.fang@example.org"})
    assert page.status_code == 200 and "Download as JSON" in page.get_data(as_text=True)
    bad = admin_client.post("/admin/privacy/", data={"csrf_token": token, "email": "not an address"})
    assert "Enter a valid email address." in bad.get_data(as_text=True)
    download = admin_client.post("/admin/privacy/export", data={"csrf_token": token,
                                                                "email": "wang.fang@example.org"})
    assert download.status_code == 200 and download.mimetype == "application/json"
    assert "attachment" in download.headers["Content-Disposition"]
    assert json.loads(download.data)["delegate_records"][0]["dietary"] == "halal"

    unconfirmed = admin_client.post(f"/admin/privacy/events/{event_id}/erase",
                                    data={"csrf_token": token}, follow_redirects=True)
    assert "Tick the box" in unconfirmed.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(Delegate.dietary).where(Delegate.dietary != "")) == "halal"
    done = admin_client.post(f"/admin/privacy/events/{event_id}/erase",
                             data={"csrf_token": token, "confirm": "erase"}, follow_redirects=True)
    assert "was erased" in done.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Delegate).where(
            Delegate.dietary != "")) == 0


def test_erasing_before_the_end_is_refused_in_words(app, admin_client):
    with app.app_context():
        event_id = factories.make_event().id  # 30 days from now
        db.session.commit()
    token = csrf_token(admin_client, "/admin/privacy/")
    page = admin_client.post(f"/admin/privacy/events/{event_id}/erase",
                             data={"csrf_token": token, "confirm": "erase"}, follow_redirects=True)
    assert "Personal data can be erased only after the event has ended." in page.get_data(as_text=True)


def test_only_admins_reach_personal_data(app, organizer_client, liaison_client):
    for client in (organizer_client, liaison_client):
        token = csrf_token(client, "/account")
        assert client.get("/admin/privacy/").status_code == 403
        assert client.post("/admin/privacy/export", data={"csrf_token": token,
                                                          "email": "a@example.org"}).status_code == 403


def test_cli_exports_json(app, runner, tmp_path):
    with app.app_context():
        _ended_event_with_delegates()
    out = tmp_path / "data.json"
    result = runner.invoke(args=["privacy", "export", "wang.fang@example.org", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["delegate_records"][0]["arrival_details"] == "CA 935"


@pytest.mark.both_dbs
def test_erasure_leaves_an_address_held_for_another_purpose(app_ctx):
    """The same person is a unit's contact and a delegate of a later event too: only the copies
    tied to the erased event go; the contact, the later registration and their history stay."""
    event, _delegation, head = _ended_event_with_delegates(people=2)
    member = next(d for d in head.delegation.delegates if d.id != head.id)
    member.email = "kept.person@example.org"
    contact = factories.make_contact(factories.make_unit(), email="wang.fang@example.org")
    later = factories.make_event()
    _later_delegation, later_head = factories.make_delegation(later, factories.make_unit())
    later_head.email = "kept.person@example.org"
    record("contact.update", contact, details={"changes": {"email": ["", "wang.fang@example.org"]}})
    record("delegate.change", later_head, details={"changes": {"mobile": ["", "+86 1"]}})
    enqueue(kind="broadcast", to_addr="wang.fang@example.org", subject="News", body_text="Hello")
    db.session.commit()
    contact_entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "contact.update"))

    erasure.erase_event(event)
    db.session.expire_all()
    assert db.session.get(type(contact), contact.id).email == "wang.fang@example.org"
    assert db.session.get(Delegate, later_head.id).email == "kept.person@example.org"
    assert db.session.get(AuditEntry, contact_entry.id).details["changes"]["email"][1] == \
        "wang.fang@example.org"
    later_entry = db.session.scalar(sa.select(AuditEntry).where(
        AuditEntry.target_type == "delegate", AuditEntry.target_id == later_head.id))
    assert later_entry.details["changes"]["mobile"] == ["", "+86 1"]
    news = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.kind == "broadcast"))
    assert news.to_addr == "wang.fang@example.org" and news.body_text == "Hello"
    # ...while the erased event's notice to that address lost address and text all the same.
    notice = db.session.scalar(sa.select(OutboxMessage).where(
        OutboxMessage.kind == "delegation_confirmed"))
    assert notice.to_addr == erasure.ERASED_ADDRESS and notice.body_text == erasure.ERASED
