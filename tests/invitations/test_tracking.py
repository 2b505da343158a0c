"""The organizers' tracking page: every invited unit with its status and when, counts, filters,
and the actions on one invitation (resend, revoke, quota)."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventsite.audit.models import AuditEntry
from eventsite.events.models import Event
from eventsite.extensions import db, now_utc
from eventsite.invitations import queries as status
from eventsite.invitations.models import Invitation
from eventsite.invitations.services import issuing
from eventsite.mail.models import OutboxMessage
from eventsite.mail.worker import send_pending
from eventsite.members.audience import Audience
from eventsite.members.models import MemberUnit

from .. import factories
from ..conftest import csrf_token
from .organizer_helpers import CONTENT, directory, statements


def _issue(ids, *unit_keys):
    event = db.session.get(Event, ids["event"])
    user = db.session.get(factories.User, ids["organizer"])
    selection = Audience(unit_ids=[ids[k] for k in unit_keys]) if unit_keys else \
        Audience(everyone=True)
    return issuing.issue(event, selection, CONTENT, user)


def _statuses(ids, now=None):
    event = db.session.get(Event, ids["event"])
    return {row.unit.name_en: row.status for row in status.rows_for(event, now)}


@pytest.mark.both_dbs
def test_every_status(app):
    ids = directory(app)
    with app.app_context():
        _issue(ids)
        event = db.session.get(Event, ids["event"])
        extra = {name: factories.make_unit(name_en=name) for name in
                 ("Declined", "Accepted", "Registered", "Revoked", "Expired")}
        for unit in extra.values():
            factories.make_contact(unit)
        made = {name: factories.make_invitation(event, unit)[0] for name, unit in extra.items()}
        made["Declined"].state, made["Declined"].decline_reason = "declined", "Budget"
        made["Declined"].responded_at = now_utc()
        made["Accepted"].state, made["Accepted"].responded_at = "accepted", now_utc()
        factories.make_delegation(event, extra["Registered"], invitation=made["Registered"],
                                  status="submitted")
        made["Revoked"].state, made["Revoked"].revoked_at = "revoked", now_utc()
        made["Expired"].expires_at = now_utc() - timedelta(minutes=1)
        db.session.commit()
        assert _statuses(ids) == {
            "Alpha City": "invited", "Beta City": "invited", "Gamma Town": "no_address",
            "Declined": "declined", "Accepted": "accepted", "Registered": "registered",
            "Revoked": "revoked", "Expired": "no_reply",
        }
        # Everything not answered has no reply once registration closes.
        later = now_utc() + timedelta(days=11)
        assert _statuses(ids, later)["Alpha City"] == "no_reply"
        assert status.summary(event) == {"invited": 2, "no_address": 1, "mail_failed": 0,
                                         "accepted": 1, "registered": 1, "declined": 1,
                                         "no_reply": 1, "revoked": 1}


@pytest.mark.both_dbs
def test_failed_delivery_shows_and_a_resend_fixes_it(app, smtp_server):
    ids = directory(app)
    with app.app_context():
        _issue(ids, "beta")
        smtp_server.reject_with = "550 5.1.1 mailbox unavailable"
        send_pending()
        assert _statuses(ids)["Beta City"] == "mail_failed"
        event = db.session.get(Event, ids["event"])
        [row] = status.rows_for(event)
        assert (row.mail.failed, row.mail.sent) == (1, 0)
        smtp_server.reject_with = None
        invitation = db.session.scalar(sa.select(Invitation))
        issuing.resend(invitation, db.session.get(factories.User, ids["organizer"]))
        assert _statuses(ids)["Beta City"] == "invited"  # the new sending is on its way
        send_pending()
        [row] = status.rows_for(event)
        assert row.status == "invited" and (row.mail.sent, row.mail.failed) == (1, 0)
    assert [m.rcpt_tos for m in smtp_server.received] == [["mayor.b@example.org"]]


def test_no_address_until_a_contact_is_added_and_the_invitation_resent(app):
    ids = directory(app)
    with app.app_context():
        _issue(ids, "gamma")
        unit = db.session.get(MemberUnit, ids["gamma"])
        factories.make_contact(unit, email="new@example.org")
        db.session.commit()
        event = db.session.get(Event, ids["event"])
        [row] = status.rows_for(event)
        assert row.status == "no_address" and row.contacts_now == 1
        issuing.resend(row.invitation, None)
        assert _statuses(ids)["Gamma Town"] == "invited"


def test_table_is_a_constant_number_of_queries(app):
    ids = directory(app)
    with app.app_context():
        _issue(ids)
        event = db.session.get(Event, ids["event"])
        db.session.expire_all()
        with statements() as few:
            status.table(event, status.Filters())
        for n in range(12):
            unit = factories.make_unit()
            factories.make_contact(unit)
            invitation, _raw = factories.make_invitation(event, unit)
            if n % 3 == 0:
                factories.make_delegation(event, unit, invitation=invitation)
        db.session.commit()
        event = db.session.get(Event, ids["event"])
        db.session.expire_all()
        with statements() as many:
            rows = status.table(event, status.Filters()).rows
        assert len(rows) == 15 and len(many) == len(few) <= 5


def test_filters_and_counts(app):
    ids = directory(app)
    with app.app_context():
        _issue(ids)
        event = db.session.get(Event, ids["event"])

        def names(**filters):
            return [r.unit.name_en for r in status.table(event, status.Filters(**filters)).rows]

        assert names() == ["Alpha City", "Beta City", "Gamma Town"]
        assert names(status="no_address") == ["Gamma Town"]
        assert names(kind="county_city") == ["Alpha City"]
        assert names(province="CN-GD") == ["Beta City"]
        assert names(q="贝塔") == ["Beta City"] and names(q="gamma") == ["Gamma Town"]
        table = status.table(event, status.Filters(status="invited", province="CN-SC"))
        assert table.total == 2 and table.counts["invited"] == 1 and table.counts["no_address"] == 1


# --- pages -----------------------------------------------------------------------------------


def test_tracking_page(app, organizer_client):
    ids = directory(app)
    with app.app_context():
        _issue(ids)
        invitation = db.session.scalar(sa.select(Invitation).filter_by(unit_id=ids["beta"]))
        invitation.state, invitation.decline_reason = "declined", "Budget cuts"
        invitation.responded_at = now_utc()
        db.session.commit()
    url = f"/organizer/events/{ids['event']}/invitations"
    page = organizer_client.get(url).get_data(as_text=True)
    assert "Alpha City" in page and "Budget cuts" in page and "no address" in page
    assert 'data-status="declined"' in page
    filtered = organizer_client.get(url + "?status=declined").get_data(as_text=True)
    assert "Budget cuts" in filtered and "Alpha City</a>" not in filtered
    for junk in ("?status=bogus&province=" + "x" * 500, "?q=" + "é" * 300 + "&kind=x"):
        assert organizer_client.get(url + junk).status_code == 200
    only = organizer_client.get(url + "?status=no_address").get_data(as_text=True)
    assert "Gamma Town" in only and 'id="invitation-' in only and "Alpha City</a>" not in only
    detail = organizer_client.get(f"/organizer/events/{ids['event']}").get_data(as_text=True)
    assert f'href="/organizer/events/{ids["event"]}/invitations"' in detail
    assert "invited: 1" in detail and "declined: 1" in detail


def test_quota_resend_and_revoke_from_the_page(app, organizer_client, outbox):
    ids = directory(app)
    with app.app_context():
        _issue(ids, "alpha")
        invitation_id = db.session.scalar(sa.select(Invitation.id))
    base = f"/organizer/events/{ids['event']}/invitations/{invitation_id}"
    token = csrf_token(organizer_client, f"/organizer/events/{ids['event']}/invitations")
    assert organizer_client.post(base + "/quota", data={"csrf_token": token, "quota": "9"}).status_code == 302
    bad = organizer_client.post(base + "/quota", data={"csrf_token": token, "quota": "0"},
                                follow_redirects=True)
    assert "Each quota is a whole number" in bad.get_data(as_text=True)
    assert organizer_client.post(base + "/resend", data={"csrf_token": token}).status_code == 302
    assert organizer_client.post(base + "/revoke", data={"csrf_token": token}).status_code == 302
    again = organizer_client.post(base + "/resend", data={"csrf_token": token}, follow_redirects=True)
    assert "Only an open invitation can be sent again." in again.get_data(as_text=True)
    with app.app_context():
        invitation = db.session.get(Invitation, invitation_id)
        assert invitation.quota == 9 and invitation.state == "revoked"
        assert len(outbox(kind="invitation")) == 4
        entries = db.session.execute(sa.select(AuditEntry.action, AuditEntry.details)
                                     .order_by(AuditEntry.id)).all()
        assert [a for a, _d in entries] == ["invitation.issue", "invitation.quota",
                                            "invitation.resend", "invitation.revoke"]
        assert entries[1][1] == {"quota": [3, 9]}
    page = organizer_client.get(f"/organizer/events/{ids['event']}/invitations").get_data(as_text=True)
    assert f"/invitations/new?units={ids['alpha']}" in page  # invite again
    again_page = organizer_client.get(f"/organizer/events/{ids['event']}/invitations/new?units={ids['alpha']}")
    assert re.search(rf'<input checked class="form-check-input" id="units-\d+" name="units" type="checkbox" '
                     rf'value="{ids["alpha"]}">', again_page.get_data(as_text=True))  # ticked in the list


def test_quota_post_without_csrf_is_refused(app, organizer_client):
    ids = directory(app)
    with app.app_context():
        _issue(ids, "alpha")
        invitation_id = db.session.scalar(sa.select(Invitation.id))
    response = organizer_client.post(
        f"/organizer/events/{ids['event']}/invitations/{invitation_id}/quota", data={"quota": "8"})
    assert response.status_code in (302, 400)
    with app.app_context():
        assert db.session.get(Invitation, invitation_id).quota == 3
        assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 2
