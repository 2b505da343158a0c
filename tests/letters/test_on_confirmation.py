"""Issue 17, second pass: an event may issue letters "on confirmation". Letters requested for
people still pending or waiting are issued, and mailed, by the service that confirms them
(an organizer's approval, a promotion by an organizer or from the waiting list), in its
transaction, through delegations' `delegates_confirmed` signal heard by letters/receivers.py."""
from __future__ import annotations

import pytest

from eventsite.audit.models import AuditEntry
from eventsite.delegations import seats
from eventsite.delegations.models import Delegate, Delegation
from eventsite.delegations.services import decisions
from eventsite.events.models import Event
from eventsite.extensions import db
from eventsite.letters import services
from eventsite.letters.models import Letter, LetterRequest, LetterSettings

from .. import factories
from .test_flow import PASSPORTS, with_passport

# Seats, status moves and the requests' claim are conditional UPDATEs (RETURNING): both databases.
pytestmark = pytest.mark.both_dbs


@pytest.fixture
def forum(app):
    """An event needing approval and issuing on confirmation; unit A's delegation of three awaits
    approval, letters requested for all three; A's liaison."""
    with app.app_context():
        event = factories.make_event(approval_required=True)
        unit = factories.make_unit(name_en="Chengdu", name_zh="成都市")
        delegation, _head = factories.make_delegation(event, unit, people=3, status="submitted")
        people = sorted(delegation.delegates, key=lambda d: d.position)
        for delegate, number in zip(people, PASSPORTS, strict=True):
            with_passport(delegate, number, f"PERSON {number}")
        db.session.add(LetterSettings(event_id=event.id, issue_on_confirmation=True))
        organizer = factories.make_user("organizer")
        factories.make_user("liaison", unit=unit)  # who receives a delegation's letter
        db.session.commit()
        services.request_letters(delegation, [p.id for p in people], "Plenary")
        return {"event": event.id, "delegation": delegation.id, "people": [p.id for p in people],
                "organizer": organizer.id}


def letter_mails(outbox) -> list:
    return [m for m in outbox() if m.kind == "letter"]


def test_approval_issues_the_requested_letters_in_its_transaction(app, forum, outbox):
    with app.app_context():
        assert db.session.scalars(db.select(Letter)).all() == []  # nobody confirmed yet
        delegation = db.session.get(Delegation, forum["delegation"])
        decisions.approve(delegation, db.session.get(factories.User, forum["organizer"]))
    with app.app_context():  # committed: a fresh session sees it all
        letter = db.session.scalars(db.select(Letter)).one()  # one letter for the delegation
        assert sorted(p.id for p in letter.people) == forum["people"]
        assert {r.status for r in db.session.scalars(db.select(LetterRequest))} == {"issued"}
        assert len(letter_mails(outbox)) == 1
        actions = [e.action for e in db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id))]
        assert actions.index("letter.issue") < actions.index("delegation.approve")


def test_a_failed_approval_issues_nothing(app, forum, outbox, monkeypatch):
    """The letters live and die with the confirmation: one commit."""
    from eventsite.delegations import notifications

    def broken(*args, **kwargs):
        raise RuntimeError("the mail template broke")

    monkeypatch.setattr(notifications, "to_liaisons", broken)
    with app.app_context():
        delegation = db.session.get(Delegation, forum["delegation"])
        with pytest.raises(RuntimeError):
            decisions.approve(delegation, db.session.get(factories.User, forum["organizer"]))
        db.session.rollback()
    with app.app_context():
        assert db.session.scalars(db.select(Letter)).all() == [] and letter_mails(outbox) == []
        assert {r.status for r in db.session.scalars(db.select(LetterRequest))} == {"requested"}


def test_promotions_from_the_waiting_list_issue_the_letter(app, forum, outbox):
    """Capacity 2: two get seats and their letter at approval; the third waits. An organizer's
    removal frees a seat, the waiting person is promoted automatically and gets theirs."""
    with app.app_context():
        event = db.session.get(Event, forum["event"])
        event.capacity = 2
        db.session.commit()
        organizer = db.session.get(factories.User, forum["organizer"])
        decisions.approve(db.session.get(Delegation, forum["delegation"]), organizer)
        first = db.session.scalars(db.select(Letter)).one()
        assert sorted(p.id for p in first.people) == forum["people"][:2]
        third = db.session.get(Delegate, forum["people"][2])
        assert third.status == "waitlisted"
        decisions.remove_delegate(db.session.get(Delegate, forum["people"][1]), organizer)
    with app.app_context():
        letters = db.session.scalars(db.select(Letter).order_by(Letter.id)).all()
        assert len(letters) == 2 and [p.id for p in letters[1].people] == [forum["people"][2]]
        assert letters[1].issued_by_id is None  # the automatic promotion issued it
        assert len(letter_mails(outbox)) == 2


def test_an_organizer_promotion_issues_the_letter(app, forum, outbox):
    with app.app_context():
        event = db.session.get(Event, forum["event"])
        event.capacity = 2
        db.session.commit()
        organizer = db.session.get(factories.User, forum["organizer"])
        decisions.approve(db.session.get(Delegation, forum["delegation"]), organizer)
        event = db.session.get(Event, forum["event"])
        event.capacity = 3
        db.session.commit()
        decisions.promote(db.session.get(Delegate, forum["people"][2]), organizer)
    with app.app_context():
        letters = db.session.scalars(db.select(Letter).order_by(Letter.id)).all()
        assert [p.id for p in letters[-1].people] == [forum["people"][2]]
        assert letters[-1].issued_by_id == forum["organizer"]


def test_without_the_setting_confirmation_leaves_the_requests_for_review(app, forum, outbox):
    with app.app_context():
        db.session.get(LetterSettings, forum["event"]).issue_on_confirmation = False
        db.session.commit()
        decisions.approve(db.session.get(Delegation, forum["delegation"]),
                          db.session.get(factories.User, forum["organizer"]))
    with app.app_context():
        assert db.session.scalars(db.select(Letter)).all() == [] and letter_mails(outbox) == []
        assert {r.status for r in db.session.scalars(db.select(LetterRequest))} == {"requested"}


def test_a_request_decided_elsewhere_is_not_issued_twice(app, forum, outbox):
    """The receiver claims only requests still open (one conditional UPDATE)."""
    with app.app_context():
        event = db.session.get(Event, forum["event"])
        first = db.session.scalars(db.select(LetterRequest).order_by(LetterRequest.id)).first()
        services.decline(event, [first.id], "Not needed")
        delegation = db.session.get(Delegation, forum["delegation"])
        issued = services.issue_for_confirmed(delegation, [], None)
        assert issued == []
        for delegate in delegation.delegates:
            delegate.status = "confirmed"
        letters = services.issue_for_confirmed(delegation, list(delegation.delegates), seats.SYSTEM)
        db.session.commit()
        assert len(letters) == 1 and len(letters[0].people) == 2
