"""The organizer's buttons on one delegation: approve, reject (reason required), withdraw, promote,
remove (reason), edit a person, send a new link. Each goes through delegations' services, so the
seats, the waiting list, the notices and the audit log follow."""
from __future__ import annotations

from datetime import datetime

import pytest
from bs4 import BeautifulSoup

from eventsite.audit.models import AuditEntry
from eventsite.delegations.models import Delegate, Delegation
from eventsite.events.models import Event
from eventsite.extensions import db

from .. import factories
from ..conftest import csrf_token
from .admin_seed import register

# The queries (GROUP BY, FILTER, LIKE escapes, row locks) must work on both databases.
pytestmark = pytest.mark.both_dbs


def url(event_id, delegation_id, action=""):
    base = f"/organizer/events/{event_id}/delegations/{delegation_id}"
    return f"{base}/{action}" if action else base


def delegate_url(event_id, delegation_id, delegate_id, action):
    return f"/organizer/events/{event_id}/delegations/{delegation_id}/delegates/{delegate_id}/{action}"


def state(app, delegation_id):
    with app.app_context():
        delegation = db.session.get(Delegation, delegation_id)
        return delegation.status, [(d.family_name, d.status) for d in delegation.delegates]


def seats(app, event_id):
    with app.app_context():
        return db.session.get(Event, event_id).seats_taken


def actions(app):
    with app.app_context():
        return [e.action for e in db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id))]


def post(client, path, **data):
    token = csrf_token(client, "/account")
    return client.post(path, data={"csrf_token": token, **data}, follow_redirects=True)


def test_approve_then_reject_with_reason(app, organizer_client):
    with app.app_context():
        event = factories.make_event(approval_required=True, capacity=1)
        unit = factories.make_unit(name_en="Chengdu")
        delegation = register(event, unit, [{"family_name": "Wang", "email": "wang@example.org"},
                                            {"family_name": "Li"}])
        ids = event.id, delegation.id
    assert state(app, ids[1]) == ("submitted", [("Wang", "pending"), ("Li", "pending")])
    page = organizer_client.get(url(*ids)).get_data(as_text=True)
    assert "Approve" in page and "Reject" in page

    response = post(organizer_client, url(*ids, "approve"))
    assert "The delegation was approved." in response.get_data(as_text=True)
    assert state(app, ids[1]) == ("confirmed", [("Wang", "confirmed"), ("Li", "waitlisted")])
    assert seats(app, ids[0]) == 1
    # Approving twice is refused with a message, not a 500.
    response = post(organizer_client, url(*ids, "approve"))
    assert "Only a delegation awaiting approval can be approved." in response.get_data(as_text=True)

    # A rejection needs a reason; without one nothing changes.
    response = post(organizer_client, url(*ids, "reject"), reason="   ")
    assert "Give the reason for the rejection" in response.get_data(as_text=True)
    assert state(app, ids[1])[0] == "confirmed"
    response = post(organizer_client, url(*ids, "reject"), reason="Quota exceeded")
    assert "The delegation was rejected." in response.get_data(as_text=True)
    assert state(app, ids[1]) == ("rejected", [("Wang", "removed"), ("Li", "removed")])
    assert seats(app, ids[0]) == 0
    assert "Quota exceeded" in organizer_client.get(url(*ids)).get_data(as_text=True)
    assert {"delegation.approve", "delegation.reject"} <= set(actions(app))


def test_promote_only_into_a_free_seat_and_remove_frees_one(app, organizer_client, outbox):
    with app.app_context():
        event = factories.make_event(capacity=1)
        first = register(event, factories.make_unit(), [{"family_name": "Wang"}])
        second = register(event, factories.make_unit(), [{"family_name": "Rossi", "email": "rossi@example.org",
                                                          "language": "en"}])
        ids = event.id, first.id, second.id
        rossi = second.delegates[0].id
        wang = first.delegates[0].id
    assert state(app, ids[2]) == ("confirmed", [("Rossi", "waitlisted")])
    page = organizer_client.get(url(ids[0], ids[2])).get_data(as_text=True)
    assert "Give a seat now" in page

    response = post(organizer_client, delegate_url(ids[0], ids[2], rossi, "promote"))
    assert "No seat is free" in response.get_data(as_text=True)
    assert state(app, ids[2]) == ("confirmed", [("Rossi", "waitlisted")])

    with app.app_context():
        db.session.get(Event, ids[0]).capacity = 2
        db.session.commit()
    response = post(organizer_client, delegate_url(ids[0], ids[2], rossi, "promote"))
    assert "The person now has a seat." in response.get_data(as_text=True)
    assert state(app, ids[2]) == ("confirmed", [("Rossi", "confirmed")])
    assert seats(app, ids[0]) == 2
    with app.app_context():
        assert any("seat" in m.subject.lower() for m in outbox(to_addr="rossi@example.org"))

    # Removing needs a reason; the head alone may be removed (the delegation keeps no one else).
    response = post(organizer_client, delegate_url(ids[0], ids[1], wang, "remove"), reason="")
    assert "Give the reason for removing this person." in response.get_data(as_text=True)
    response = post(organizer_client, delegate_url(ids[0], ids[1], wang, "remove"), reason="Visa refused")
    assert "The person was removed" in response.get_data(as_text=True)
    assert state(app, ids[1])[1] == [("Wang", "removed")]
    assert seats(app, ids[0]) == 1
    assert {"delegate.promote", "delegate.remove"} <= set(actions(app))


def test_remove_gives_the_seat_to_the_first_waiting(app, organizer_client):
    with app.app_context():
        event = factories.make_event(capacity=2)
        first = register(event, factories.make_unit(), [{"family_name": "Wang"}, {"family_name": "Li"}])
        waiting = register(event, factories.make_unit(), [{"family_name": "Rossi"}, {"family_name": "Bianchi"}])
        ids = event.id, first.id, waiting.id
        li = first.delegates[1].id
    assert state(app, ids[2])[1] == [("Rossi", "waitlisted"), ("Bianchi", "waitlisted")]
    post(organizer_client, delegate_url(ids[0], ids[1], li, "remove"), reason="Ill")
    assert state(app, ids[2])[1] == [("Rossi", "confirmed"), ("Bianchi", "waitlisted")]
    assert seats(app, ids[0]) == 2
    # The overview's waiting list now holds only Bianchi.
    soup = BeautifulSoup(organizer_client.get(f"/organizer/events/{ids[0]}/delegations").data, "html.parser")
    assert [li.get_text(" ", strip=True).split(" (")[0] for li in soup.select("#waitlist li")] == ["BIANCHI"]


def test_withdraw_whole_delegation(app, organizer_client):
    with app.app_context():
        event = factories.make_event(capacity=5)
        delegation = register(event, factories.make_unit(), [{"family_name": "Wang"}, {"family_name": "Li"}])
        ids = event.id, delegation.id
    response = post(organizer_client, url(*ids, "withdraw"))
    assert "withdrawn" in response.get_data(as_text=True)
    assert state(app, ids[1]) == ("withdrawn", [("Wang", "removed"), ("Li", "removed")])
    assert seats(app, ids[0]) == 0
    assert "delegation.withdraw" in actions(app)
    # A closed delegation offers no more buttons, and pressing them anyway changes nothing.
    page = organizer_client.get(url(*ids)).get_data(as_text=True)
    assert "Approve" not in page and "Withdraw the whole delegation" not in page
    response = post(organizer_client, url(*ids, "withdraw"))
    assert response.status_code == 200 and "no longer active" in response.get_data(as_text=True)


def test_edit_a_person_as_organizer_after_the_deadline(app, organizer_client):
    from datetime import timedelta

    from eventsite.extensions import now_utc

    with app.app_context():
        event = factories.make_event(timezone="Europe/Brussels")
        choose = factories.make_session(event, title_en="Site visit", delegates_choose=True)
        delegation = register(event, factories.make_unit(), [{"family_name": "Wang"}, {"family_name": "Li"}])
        # The liaison's deadline has passed; organizers still edit.
        event.edit_deadline = now_utc() - timedelta(hours=1)
        db.session.commit()
        ids = event.id, delegation.id, delegation.delegates[1].id, choose.id
    edit = delegate_url(ids[0], ids[1], ids[2], "edit")
    page = organizer_client.get(edit).get_data(as_text=True)
    assert 'value="Li"' in page and "Site visit" in page and "Europe/Brussels" in page
    token = csrf_token(organizer_client, edit)
    form = {"csrf_token": token, "family_name": "Liu", "given_name": "Yang", "name_zh": "刘洋",
            "language": "en", "role": "deputy", "email": "liu@example.org",
            "arrival_date": "2030-07-01", "arrival_time": "09:30", "arrival_details": "LH 720",
            "sessions": str(ids[3])}
    response = organizer_client.post(edit, data=form)
    assert response.status_code == 302
    with app.app_context():
        person = db.session.get(Delegate, ids[2])
        assert (person.family_name, person.role, person.language, person.name_zh) == ("Liu", "deputy", "en", "刘洋")
        assert person.arrival_at == datetime.fromisoformat("2030-07-01T07:30:00+00:00")  # CEST
        assert [s.id for s in person.sessions] == [ids[3]]
        assert person.status == "confirmed"
    assert "delegate.change" in actions(app)

    # A second head is refused by the rules, next to the form; nothing changes.
    response = organizer_client.post(edit, data={**form, "role": "head"})
    assert response.status_code == 200
    assert "exactly one head" in response.get_data(as_text=True)
    # A bad email is refused by the form.
    response = organizer_client.post(edit, data={**form, "email": "not an address"})
    assert response.status_code == 200 and "valid email" in response.get_data(as_text=True)
    with app.app_context():
        person = db.session.get(Delegate, ids[2])
        assert (person.role, person.email) == ("deputy", "liu@example.org")


def test_send_a_new_link(app, organizer_client, outbox):
    with app.app_context():
        event = factories.make_event()
        delegation = register(event, factories.make_unit(), [{"family_name": "Wang", "email": "wang@example.org"}])
        ids = event.id, delegation.id, delegation.delegates[0].id
        old_hash = delegation.delegates[0].token_hash
        before = len(outbox(to_addr="wang@example.org"))
    response = post(organizer_client, delegate_url(*ids, "link"))
    assert "A new personal link was sent" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Delegate, ids[2]).token_hash not in (None, old_hash)
        assert len(outbox(to_addr="wang@example.org")) == before + 1
    assert "delegate.link_rotate" in actions(app)


def test_actions_need_csrf_and_the_right_event(app, organizer_client):
    with app.app_context():
        event = factories.make_event(approval_required=True)
        other = factories.make_event()
        delegation = register(event, factories.make_unit(), [{"family_name": "Wang"}])
        ids = event.id, delegation.id, other.id, delegation.delegates[0].id
    assert organizer_client.post(url(ids[0], ids[1], "approve")).status_code == 400
    token = csrf_token(organizer_client, "/account")
    # The delegation through another event's URL does not exist.
    assert organizer_client.post(url(ids[2], ids[1], "approve"), data={"csrf_token": token}).status_code == 404
    assert organizer_client.post(delegate_url(ids[2], ids[1], ids[3], "remove"),
                                 data={"csrf_token": token, "reason": "x"}).status_code == 404
    assert state(app, ids[1]) == ("submitted", [("Wang", "pending")])


def test_liaison_cannot_use_the_buttons(app, liaison_client):
    with app.app_context():
        event = factories.make_event(approval_required=True)
        delegation = register(event, factories.make_unit(), [{"family_name": "Wang"}])
        ids = event.id, delegation.id, delegation.delegates[0].id
    token = csrf_token(liaison_client, "/account")
    for path in (url(*ids[:2], "approve"), url(*ids[:2], "reject"), url(*ids[:2], "withdraw"),
                 delegate_url(*ids, "promote"), delegate_url(*ids, "remove"), delegate_url(*ids, "edit"),
                 delegate_url(*ids, "link")):
        assert liaison_client.post(path, data={"csrf_token": token, "reason": "x"}).status_code == 403
    assert state(app, ids[1]) == ("submitted", [("Wang", "pending")])
