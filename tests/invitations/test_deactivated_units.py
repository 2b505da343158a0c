"""A deactivated unit answers no invitation, registers and changes no delegation and is shown
none of its invitations, on every path (link page, the liaison's list, the registration form,
withdrawing, the home page, the unit's feed); it is not reminded; organizers see its existing
registration flagged. Refusals say why, in the reader's language, and change nothing."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventsite.accounts.models import User
from eventsite.calendar.links import unit_feed_url
from eventsite.core.domain import DomainError
from eventsite.delegations import services as delegation_services
from eventsite.delegations.models import Delegation
from eventsite.events.models import Event
from eventsite.extensions import db, now_utc
from eventsite.invitations.models import Invitation
from eventsite.invitations.services import answers, issuing, reminders
from eventsite.mail.models import OutboxMessage
from eventsite.members.models import MemberUnit

from .. import factories
from ..conftest import csrf_token
from ..delegations.helpers import rows
from .answer_helpers import invite, snapshot

INACTIVE = "not an active member of the alliance"
INACTIVE_ZH = "目前不是联盟的有效成员单位"


@pytest.fixture
def gone(app, login):
    """An invited unit with a liaison, then deactivated: (invited, liaison client, liaison id)."""
    invited = invite(app, event_fields={"registration_closes_at": now_utc() + timedelta(days=10),
                                        "capacity": 20, "reminder_days": "7"})
    with app.app_context():
        unit = db.session.get(MemberUnit, invited.unit_id)
        liaison = factories.make_user("liaison", unit=unit, email="liaison@example.org")
        unit.is_active = False
        db.session.commit()
        client = login(app.test_client(), liaison)
        return invited, client, liaison.id


def _deactivate_later(app, unit_id):
    with app.app_context():
        db.session.get(MemberUnit, unit_id).is_active = False
        db.session.commit()


def _register(app, invited, people=2):
    """A delegation registered while the unit was still active."""
    with app.app_context():
        event = db.session.get(Event, invited.event_id)
        unit = db.session.get(MemberUnit, invited.unit_id)
        return delegation_services.save_delegation(event, unit, rows(people)).delegation.id


# --- the invitation link ------------------------------------------------------------------------


@pytest.mark.both_dbs
def test_the_link_shows_no_invitation_and_takes_no_answer(app, gone):
    invited, liaison, _ = gone
    client = app.test_client()
    response = client.get(invited.url)
    html = response.get_data(as_text=True)
    assert response.status_code == 403 and 'data-problem="inactive"' in html and INACTIVE in html
    assert "desk@example.org" in html  # the secretariat's contact, to ask why
    with app.app_context():
        unit = db.session.get(MemberUnit, invited.unit_id)
        assert unit.name_en not in html and unit.name_zh not in html
    zh = client.get(invited.url, headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert INACTIVE_ZH in zh and INACTIVE not in zh
    before = snapshot(app)
    token = csrf_token(client, invited.url)
    for action, data in (("decline", {"reason": "x"}), ("account", {"name": "A", "email": "a@example.org"})):
        assert client.post(f"{invited.url}/{action}", data={"csrf_token": token, **data}).status_code == 403
    assert liaison.post(invited.url + "/accept",
                        data={"csrf_token": csrf_token(liaison, "/account")}).status_code == 403
    assert snapshot(app) == before


@pytest.mark.both_dbs
def test_the_answer_services_refuse(app, gone):
    invited, _client, liaison_id = gone
    with app.test_request_context():
        invitation = db.session.get(Invitation, invited.invitation_id)
        link = invitation.links[0]
        user = db.session.get(User, liaison_id)
        for answer in (lambda: answers.accept(invitation, user),
                       lambda: answers.decline(invitation, "", user=user),
                       lambda: answers.decline(invitation, "", link=link)):
            with pytest.raises(DomainError) as refused:
                answer()
            assert INACTIVE in str(refused.value.message)
        assert not answers.may_set_up_account(invitation)
        with pytest.raises(DomainError):
            answers.setup_liaison_account(link, name="A", email="a@example.org", locale="en")
        assert db.session.get(Invitation, invited.invitation_id).state == "pending"


@pytest.mark.both_dbs
def test_a_deactivation_committed_meanwhile_wins_over_an_answer(app, login):
    """The answer's conditional UPDATE checks the unit in the database, not the copy read
    before: a deactivation committed between reading and answering is not overtaken."""
    invited = invite(app)
    with app.test_request_context():
        unit = db.session.get(MemberUnit, invited.unit_id)
        user = factories.make_user("liaison", unit=unit)
        db.session.commit()
        invitation = db.session.get(Invitation, invited.invitation_id)
        assert invitation.unit.is_active  # read while still active
        db.session.execute(sa.update(MemberUnit).where(MemberUnit.id == unit.id)
                           .values(is_active=False).execution_options(synchronize_session=False))
        db.session.commit()
        invitation.unit.is_active = True  # the stale copy the request would still hold
        db.session.expunge(invitation.unit)
        with pytest.raises(DomainError):
            answers.accept(invitation, user)
        db.session.expire_all()
        assert db.session.get(Invitation, invited.invitation_id).state == "pending"


# --- the liaison's pages -------------------------------------------------------------------------


@pytest.mark.both_dbs
def test_my_invitations_shows_none_and_answers_nothing(app, gone):
    invited, liaison, _ = gone
    html = liaison.get("/my/invitations").get_data(as_text=True)
    assert 'id="unit-inactive"' in html and INACTIVE in html
    assert f'data-invitation="{invited.invitation_id}"' not in html
    zh = liaison.get("/my/invitations", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert INACTIVE_ZH in zh
    before = snapshot(app)
    token = csrf_token(liaison, "/account")
    for action in ("accept", "decline"):
        response = liaison.post(f"/my/invitations/{invited.invitation_id}/{action}",
                                data={"csrf_token": token}, follow_redirects=True)
        assert INACTIVE in response.get_data(as_text=True)
    assert snapshot(app) == before


@pytest.mark.both_dbs
def test_the_registration_form_is_closed_and_refuses_a_post(app, gone):
    invited, liaison, _ = gone
    url = f"/events/{invited.event_id}/delegation"
    html = liaison.get(url).get_data(as_text=True)
    assert 'id="read-only"' in html and INACTIVE in html and 'id="delegation-form"' not in html
    before = snapshot(app)
    response = liaison.post(url, data={
        "csrf_token": csrf_token(liaison, "/account"), "submission_key": "k1",
        "people-0-role": "head", "people-0-family_name": "Li", "people-0-given_name": "Ming",
        "people-0-email": "li@example.org", "people-0-language": "zh"}, follow_redirects=True)
    assert INACTIVE in response.get_data(as_text=True)
    assert snapshot(app) == before
    # The event's public page tells the liaison the same.
    assert INACTIVE in liaison.get(f"/events/{invited.event_id}").get_data(as_text=True)


@pytest.mark.both_dbs
def test_an_existing_delegation_can_be_neither_changed_nor_withdrawn(app, login):
    invited = invite(app)
    with app.app_context():
        liaison = factories.make_user("liaison", unit=db.session.get(MemberUnit, invited.unit_id))
        db.session.commit()
        client = login(app.test_client(), liaison)
    delegation_id = _register(app, invited)
    _deactivate_later(app, invited.unit_id)
    url = f"/events/{invited.event_id}/delegation"
    html = client.get(url).get_data(as_text=True)
    assert INACTIVE in html and 'id="delegation-form"' not in html
    before = snapshot(app)
    token = csrf_token(client, "/account")
    response = client.post(url + "/withdraw", data={"csrf_token": token, "confirm": "y"},
                           follow_redirects=True)
    assert INACTIVE in response.get_data(as_text=True)
    response = client.post(url, data={"csrf_token": token, "people-0-role": "head",
                                      "people-0-family_name": "New", "people-0-given_name": "One",
                                      "people-0-language": "en"}, follow_redirects=True)
    assert INACTIVE in response.get_data(as_text=True)
    assert snapshot(app) == before
    with app.test_request_context():
        event = db.session.get(Event, invited.event_id)
        unit = db.session.get(MemberUnit, invited.unit_id)
        delegation = db.session.get(Delegation, delegation_id)
        with pytest.raises(DomainError):
            delegation_services.save_delegation(event, unit, rows(3))
        with pytest.raises(DomainError):
            delegation_services.withdraw(delegation)
        # The secretariat still can (it decides what happens to the registration).
        delegation_services.withdraw(delegation, as_organizer=True)
        assert db.session.get(Delegation, delegation_id).status == "withdrawn"


def test_the_home_page_lists_nothing_to_do(app):
    from eventsite.home import queries as next_steps

    invited = invite(app)
    _register(app, invited)
    with app.app_context():
        unit = db.session.get(MemberUnit, invited.unit_id)
        factories.make_invitation(factories.make_event(), unit)  # one to answer
        db.session.commit()
    with app.test_request_context():
        assert next_steps.for_liaison(invited.unit_id, "en", now_utc())
    _deactivate_later(app, invited.unit_id)
    with app.test_request_context():
        assert next_steps.for_liaison(invited.unit_id, "en", now_utc()) == []


def test_the_units_feed_keeps_registrations_and_drops_invitations(app):
    invited = invite(app)
    with app.app_context():
        unit = db.session.get(MemberUnit, invited.unit_id)
        other, _raw = factories.make_invitation(factories.make_event(title_en="Only Invited"), unit)
        db.session.commit()
    _register(app, invited)
    with app.test_request_context():
        path = unit_feed_url(db.session.get(MemberUnit, invited.unit_id)).split("eventsite.test", 1)[1]
    client = app.test_client()
    before = client.get(path).get_data(as_text=True)
    assert "Only Invited" in before
    _deactivate_later(app, invited.unit_id)
    after = client.get(path).get_data(as_text=True)
    assert "Only Invited" not in after and "Test Forum" in after


# --- the secretariat's side ----------------------------------------------------------------------


@pytest.mark.both_dbs
def test_no_reminders_and_no_resend(app, gone):
    invited, _client, _ = gone
    with app.test_request_context():
        event = db.session.get(Event, invited.event_id)
        assert reminders.non_responders(event) == []
        due = event.registration_closes_at - timedelta(days=6)
        db.session.execute(sa.update(Invitation).values(issued_at=due - timedelta(days=3)))
        db.session.commit()
        assert reminders.send_due_reminders(now=due) == 0
        with pytest.raises(DomainError):
            issuing.resend(db.session.get(Invitation, invited.invitation_id), None)
        assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 0
        # Reactivated, the unit is reminded again as usual.
        db.session.get(MemberUnit, invited.unit_id).is_active = True
        db.session.commit()
        assert reminders.send_due_reminders(now=due) == 1


@pytest.mark.both_dbs
def test_organizers_see_registrations_of_deactivated_units_flagged(app, organizer_client):
    invited = invite(app)
    delegation_id = _register(app, invited)
    pages = (f"/organizer/events/{invited.event_id}/invitations",
             f"/organizer/events/{invited.event_id}/delegations",
             f"/organizer/events/{invited.event_id}/delegations/{delegation_id}")
    for page in pages:
        response = organizer_client.get(page)
        assert response.status_code == 200, page
        assert "unit-inactive" not in response.get_data(as_text=True), page
    _deactivate_later(app, invited.unit_id)
    for page in pages:
        html = organizer_client.get(page).get_data(as_text=True)
        assert "unit-inactive" in html and "Unit deactivated" in html, page
