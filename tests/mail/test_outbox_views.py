"""The admin's outbox pages."""
from __future__ import annotations

from email import message_from_bytes, policy

import pytest

from eventsite.audit.models import AuditEntry
from eventsite.extensions import db
from eventsite.mail.mime import message_bytes
from eventsite.mail.models import OutboxMessage
from eventsite.mail.services import Attachment, enqueue
from tests.conftest import csrf_token


@pytest.fixture
def message_id(app):
    with app.app_context():
        row = enqueue(
            kind="invitation", to_addr="li@example.org", to_name="李四", subject="论坛邀请",
            body_text="正文 text part", body_html='<p>HTML part</p><script>alert(1)</script>', language="zh",
            attachments=[Attachment("agenda.pdf", "application/pdf", b"%PDF agenda")],
            calendar_method="REQUEST", calendar_ics=b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
        )
        enqueue(kind="password_reset", to_addr="other@example.org", subject="Reset", body_text="x")
        db.session.commit()
        return row.id


def test_access(client, organizer_client, liaison_client, message_id):
    for path in ("/admin/outbox/", f"/admin/outbox/{message_id}", f"/admin/outbox/{message_id}.eml",
                 f"/admin/outbox/{message_id}/html"):
        assert organizer_client.get(path).status_code == 403
        assert liaison_client.get(path).status_code == 403
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_list_filters_and_counts(admin_client, message_id):
    page = admin_client.get("/admin/outbox/").get_data(as_text=True)
    assert "pending: 2" in page and "li@example.org" in page and "other@example.org" in page
    page = admin_client.get("/admin/outbox/?kind=invitation").get_data(as_text=True)
    assert "li@example.org" in page and "other@example.org" not in page
    page = admin_client.get("/admin/outbox/?q=%E6%9D%8E").get_data(as_text=True)  # 李
    assert "li@example.org" in page and "other@example.org" not in page
    page = admin_client.get("/admin/outbox/?state=sent").get_data(as_text=True)
    assert "li@example.org" not in page


@pytest.mark.parametrize("query", ["?state=zz", "?page=abc", "?page=-5", "?q=" + "x" * 5000, "?kind=%25_"])
def test_list_bad_input_is_harmless(admin_client, message_id, query):
    assert admin_client.get("/admin/outbox/" + query).status_code == 200


def test_message_page_shows_headers_text_and_attachments(admin_client, message_id):
    page = admin_client.get(f"/admin/outbox/{message_id}").get_data(as_text=True)
    for text in ("论坛邀请", "李四", "li@example.org", "Message-ID", "zh-Hans", "正文 text part", "agenda.pdf",
                 "invite.ics", "<iframe sandbox"):
        assert text in page
    assert "<script>alert(1)</script>" not in page  # the HTML part is never injected into our page
    assert admin_client.get("/admin/outbox/999999").status_code == 404


def test_html_part_is_sandboxed(admin_client, message_id):
    response = admin_client.get(f"/admin/outbox/{message_id}/html")
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == (
        "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'"
    )
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"  # framed by our own page only
    assert "<p>HTML part</p>" in response.get_data(as_text=True)


@pytest.mark.both_dbs
def test_eml_is_exactly_the_built_bytes(app, admin_client, message_id):
    response = admin_client.get(f"/admin/outbox/{message_id}.eml")
    assert response.mimetype == "message/rfc822"
    with app.app_context():
        assert response.data == message_bytes(db.session.get(OutboxMessage, message_id))
    assert message_from_bytes(response.data, policy=policy.default)["Subject"] == "论坛邀请"


def test_attachment_download(admin_client, message_id):
    response = admin_client.get(f"/admin/outbox/{message_id}/attachments/0")
    assert response.data == b"%PDF agenda"
    assert response.mimetype == "application/octet-stream"
    assert "attachment" in response.headers["Content-Disposition"]
    ics = admin_client.get(f"/admin/outbox/{message_id}/attachments/1")
    assert ics.data == b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    assert admin_client.get(f"/admin/outbox/{message_id}/attachments/9").status_code == 404


def test_retry_failed_message(app, admin_client, organizer_client, message_id):
    with app.app_context():
        row = db.session.get(OutboxMessage, message_id)
        row.state, row.attempts, row.last_error = "failed", 12, "550 no"
        db.session.commit()
    path = f"/admin/outbox/{message_id}/retry"
    assert admin_client.post(path).status_code == 400  # no CSRF token
    token = csrf_token(organizer_client, "/messages/")
    assert organizer_client.post(path, data={"csrf_token": token}).status_code == 403
    token = csrf_token(admin_client, f"/admin/outbox/{message_id}")
    response = admin_client.post(path, data={"csrf_token": token})
    assert response.status_code == 302
    with app.app_context():
        row = db.session.get(OutboxMessage, message_id)
        assert (row.state, row.attempts) == ("pending", 0)
        entry = db.session.scalar(db.select(AuditEntry).filter_by(action="mail.retry"))
        assert entry.target_id == message_id
    # Retrying a message that is not failed changes nothing, and says why.
    page = admin_client.post(path, data={"csrf_token": token}, follow_redirects=True)
    assert "Only failed messages can be retried." in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(AuditEntry)) == 1
