"""Every route of the app, every method: who may not, gets nothing and changes nothing.

A liaison may use the public pages, their own account and their own unit; everything staff-only
must answer 403/404 (or 405) and leave the database as it was. An anonymous visitor is sent to
the login page (or refused) on everything that is not public. New routes are covered
automatically: this walks `app.url_map`.
"""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from eventsite.checkin.services import check_in
from eventsite.extensions import db
from eventsite.mail.services import enqueue

from .. import factories
from ..conftest import csrf_token
from ..cooperation.helpers import cooperation_world
from ..hotels.helpers import make_block, make_hotel
from ..meetings.helpers import meeting_world

PUBLIC = {
    "static", "bootstrap.static", "home.index", "core.set_language", "core.healthz",
    "core.site_file", "members.public_list", "accounts.login", "accounts.forgot_password", "accounts.reset_password",
    "accounts.activate",
    "events.upcoming", "events.archive", "events.detail", "events.programme_pdf", "events.set_viewer_timezone",
    "calendar.event_ics", "calendar.add_to", "calendar.public_feed",
    # Reached by secret links: with the world's made-up token they answer 404 and change nothing;
    # tests/invitations, tests/delegations and tests/calendar try real, expired and foreign tokens.
    "invitations.show", "invitations.accept", "invitations.decline", "invitations.setup_account",
    "calendar.unit_feed", "calendar.delegate_feed", "delegate.personal", "delegate.decline",
    "delegate.new_link", "letters.verify", "letters.delegate_pdf",
    "certificates.verify", "certificates.delegate_pdf",
    "cooperation.catalogue", "cooperation.project_page", "cooperation.brochure", "cooperation.exhibitors",
    "checkin.service_worker",  # the desk's service worker: a script holding no data
}
# Pages a liaison uses for their own unit (the unit comes from the login, never from the URL);
# tests/invitations and tests/delegations check that they never show another unit's data.
LIAISON_OWN = {"invitations.mine", "invitations.accept_mine", "invitations.decline_mine",
               "delegations.register", "delegations.withdraw", "calendar.rotate_unit_feed",
               "hotels.rooms", "letters.request_page", "letters.liaison_pdf",
               # answers to a meeting (accept, decline, ...) stay in the walk: another unit's
               # liaison gets 404 on the world's meeting between two other units
               "meetings.index",
               # tests/cooperation/test_views.py: another unit's projects answer 404
               "cooperation.profile", "cooperation.projects", "cooperation.edit_project",
               "cooperation.submit_project", "cooperation.withdraw_project", "cooperation.brochures",
               "cooperation.delete_brochure"}
OWN_ACCOUNT = {"accounts.logout", "accounts.profile", "accounts.change_password", "members.my_unit"}
# Members routes are walked with A/B unit and contact combinations in tests/members/test_access.py;
# here they are covered for anonymous visitors.
LIAISON_SKIP = PUBLIC | OWN_ACCOUNT | LIAISON_OWN
TABLES = ("user_account", "member_unit", "contact", "tag", "outbox_message", "broadcast",
          "account_token", "event", "agenda_session", "invitation", "invitation_link",
          "invitation_round", "invitation_reminder", "delegation", "delegate", "delegate_session",
          "hotel", "room_block", "room_assignment", "room_request", "rooming_list",
          "letter", "letter_person", "letter_request", "letter_settings",
          "pickup_run", "pickup_passenger", "checkin", "session_checkin", "checkin_assignment",
          "certificate", "badge_print", "matchmaking_settings", "meeting_slot", "meeting_table", "meeting",
          "meeting_booking", "coop_topic", "coop_profile", "coop_profile_topic", "coop_project",
          "coop_project_topic", "coop_project_attachment", "coop_stand", "audit_entry")


def snapshot(app):
    with app.app_context():
        return {t: db.session.execute(sa.text(f"SELECT * FROM {t} ORDER BY 1")).all() for t in TABLES}


@pytest.fixture
def world(app, liaison_client):
    """Unit B with a contact, a liaison account, an outbox message and a broadcast."""
    from eventsite.certificates.models import Certificate
    from eventsite.mail.models import Broadcast
    from eventsite.pickups.models import PickupPassenger, PickupRun

    with app.app_context():
        other = factories.make_unit(name_zh="乙市", name_en="Unit B")
        contact = factories.make_contact(other)
        other_liaison = factories.make_user("liaison", unit=other)
        message = enqueue(kind="broadcast", to_addr="b@example.org", subject="s", body_text="t")
        broadcast = Broadcast(subject_en="s", body_en="b")
        db.session.add(broadcast)
        event = factories.make_event()  # published; public pages show it to anyone
        agenda_item = factories.make_session(event)
        invitation, raw = factories.make_invitation(event, other)
        delegation, delegate = factories.make_delegation(event, other, invitation=invitation)
        hotel = make_hotel(event)
        block = make_block(hotel)
        run = PickupRun(event_id=event.id, starts_at=event.starts_at, meeting_point_en="Gate", capacity=2,
                        seats_taken=1)
        db.session.add(run)
        db.session.flush()
        passenger = PickupPassenger(run_id=run.id, event_id=event.id, delegate_id=delegate.id,
                                    direction="arrival", starts_at=run.starts_at)
        db.session.add(passenger)
        door_checkin = check_in(delegate, by=None, scanned_at=event.starts_at, method="manual").record
        certificate = Certificate(event_id=event.id, delegate_id=delegate.id, sequence=1, number="2026-0001",
                                  token_hash="0" * 64, token="")
        db.session.add(certificate)
        meeting_ids = meeting_world(event, delegation)
        coop = cooperation_world(other)
        db.session.commit()
        return {**meeting_ids, **{k: v.id for k, v in coop.items()}, "direction": "up", "checkin_id": door_checkin.id, "run_id": run.id, "passenger_id": passenger.id, "event_id": event.id, "session_id": agenda_item.id, "unit_id": other.id,
                "contact_id": contact.id, "user_id": other_liaison.id, "message_id": message.id,
                "broadcast_id": broadcast.id, "n": 0, "token": "x" * 43,
                "invitation_id": invitation.id, "delegation_id": delegation.id,
                "delegate_id": delegate.id, "kind": "favicon", "service": "google",
                "hotel_id": hotel.id, "block_id": block.id, "fmt": "csv", "letter_id": 1, "code": "x" * 22,
                "certificate_id": certificate.id}


def _urls(app, world, skip):
    from flask import url_for

    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if rule.endpoint in skip:
                continue
            missing = rule.arguments - world.keys()
            assert not missing, f"add a value for {missing} ({rule.endpoint}) to the world fixture"
            url = url_for(rule.endpoint, **{k: world[k] for k in rule.arguments})
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule.endpoint, method, url


@pytest.mark.both_dbs
def test_liaison_refused_on_every_staff_route(app, liaison_client, world):
    token = csrf_token(liaison_client, "/account")
    before = snapshot(app)
    seen = 0
    for endpoint, method, url in _urls(app, world, LIAISON_SKIP | {
        e for e in app.view_functions if e.startswith("members.")
    }):
        response = liaison_client.open(url, method=method, data={"csrf_token": token, "subject_en": "x",
                                                                 "body_en": "y", "roles": "mayor",
                                                                 "send": "1", "email": "x@example.org",
                                                                 "role": "admin", "name": "x"})
        assert response.status_code in (403, 404, 405), (endpoint, method, response.status_code)
        seen += 1
    assert seen >= 15
    assert snapshot(app) == before


@pytest.mark.both_dbs
def test_anonymous_gets_nothing_private(app, client, world):
    token = csrf_token(client, "/login")
    before = snapshot(app)
    for endpoint, method, url in _urls(app, world, PUBLIC):
        response = client.open(url, method=method, data={"csrf_token": token})
        if response.status_code == 302:
            assert "/login" in response.headers["Location"], (endpoint, method)
        else:
            assert response.status_code in (400, 401, 403, 404, 405), (endpoint, method, response.status_code)
    assert snapshot(app) == before


@pytest.mark.both_dbs
def test_checkin_staff_refused_everywhere_but_the_desks_of_their_events(app, login, world):
    """Door staff (role "checkin") see their own account, the public pages and the list of their
    events; the world's event is not assigned to them, so its desk, roster and uploads are hidden."""
    with app.app_context():
        staff = factories.make_user("checkin")
        db.session.commit()
        client = login(app.test_client(), staff)
    token = csrf_token(client, "/account")
    before = snapshot(app)
    seen = 0
    for endpoint, method, url in _urls(app, world, PUBLIC | OWN_ACCOUNT | {"checkin.events"}):
        response = client.open(url, method=method, data={"csrf_token": token, "name": "x", "role": "admin"},
                               headers={"X-CSRFToken": token})
        assert response.status_code in (403, 404, 405), (endpoint, method, response.status_code)
        seen += 1
    assert seen >= 15
    assert snapshot(app) == before


def test_organizer_refused_on_admin_routes(app, organizer_client, world):
    token = csrf_token(organizer_client, "/account")
    admin_only = [r for r in app.url_map.iter_rules()
                  if r.endpoint.startswith(("users.", "audit.", "privacy.")) or r.endpoint.startswith("mail.")
                  and "outbox" in r.rule]
    assert admin_only
    before = snapshot(app)
    with app.test_request_context():
        from flask import url_for

        for rule in admin_only:
            url = url_for(rule.endpoint, **{k: world[k] for k in rule.arguments})
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                response = organizer_client.open(url, method=method, data={"csrf_token": token})
                assert response.status_code in (403, 404, 405), (rule.endpoint, method)
    assert snapshot(app) == before


# Hostile values on every route, every method and every role: test_fuzz_routes.py.
