"""The audit log records who did what, from where, and only admins may browse it."""
from __future__ import annotations

from datetime import timedelta

import pytest

from eventsite.audit.models import AuditEntry
from eventsite.audit.services import record
from eventsite.extensions import db, now_utc

from .. import factories


def test_record_takes_actor_and_address_from_the_request(app):
    with app.app_context():
        unit = factories.make_unit()
        user = factories.make_user("organizer")
        db.session.commit()
        user_id, unit_id = user.id, unit.id
    with app.test_request_context("/", environ_base={"REMOTE_ADDR": "203.0.113.9"}):
        from flask_login import login_user

        login_user(db.session.get(factories.User, user_id))
        entry = record("member.update", db.session.get(factories.MemberUnit, unit_id),
                       details={"name_en": ["Old", "New"]})
        db.session.commit()
        assert entry.actor_id == user_id
        assert entry.ip == "203.0.113.9"
        assert entry.target_type == "member_unit" and entry.target_id == unit_id
        assert entry.details == {"name_en": ["Old", "New"]}


def test_record_flushes_a_new_target_to_point_at_it(app):
    with app.app_context():
        unit = factories.MemberUnit(kind="town", name_zh="新镇")
        db.session.add(unit)
        entry = record("member.create", unit)
        assert entry.target_id == unit.id is not None


def _seed(app):
    with app.app_context():
        db.session.add_all(
            [
                AuditEntry(action="auth.login", actor_label="a@example.org", at=now_utc() - timedelta(days=3)),
                AuditEntry(action="member.update", actor_label="b@example.org", target_type="member_unit",
                           target_id=7, target_label="Chengdu"),
                AuditEntry(action="auth.login_failed", details={"email": "c@example.org"}),
            ]
        )
        db.session.commit()


def test_admin_browses_and_filters(app, admin_client):
    _seed(app)
    page = admin_client.get("/admin/audit/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "member.update" in html and "auth.login_failed" in html

    filtered = admin_client.get("/admin/audit/?action=member.update").get_data(as_text=True)
    assert "Chengdu" in filtered and "c@example.org" not in filtered

    by_actor = admin_client.get("/admin/audit/?actor=A@EXAMPLE").get_data(as_text=True)
    assert 'data-action="auth.login"' in by_actor and "Chengdu" not in by_actor

    by_target = admin_client.get("/admin/audit/?target_type=member_unit&target_id=7").get_data(as_text=True)
    assert "Chengdu" in by_target

    today = now_utc().date().isoformat()
    recent = admin_client.get(f"/admin/audit/?since={today}").get_data(as_text=True)
    assert 'data-action="auth.login"' not in recent and "Chengdu" in recent


@pytest.mark.both_dbs
def test_bad_filters_are_ignored_not_errors(admin_client):
    for query in ("since=notadate", "target_id=abc", "page=-3", "page=abc", "until=2026-13-45",
                  "action=" + "x" * 5000, "actor=%25_"):
        assert admin_client.get(f"/admin/audit/?{query}").status_code == 200, query


def test_only_admins(client, organizer_client, liaison_client):
    assert organizer_client.get("/admin/audit/").status_code == 403
    assert liaison_client.get("/admin/audit/").status_code == 403
    response = client.get("/admin/audit/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_times_follow_the_zone_chosen_in_this_browser(app, admin_client):
    """The zone picked on the events pages applies to every page, so all times agree."""
    from datetime import datetime, timezone

    with app.app_context():
        db.session.add(AuditEntry(action="member.update", target_label="Brussels",
                                  at=datetime(2026, 1, 15, 12, 0, tzinfo=timezone.utc)))
        db.session.commit()
    with admin_client.session_transaction() as session:
        session["viewer_tz"] = "America/New_York"
    html = admin_client.get("/admin/audit/?action=member.update", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "7:00" in html and "(UTC-5)" in html
