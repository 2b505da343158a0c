"""Badge states (never printed, printed, outdated), the selection's filters, the audit entry and
erasure."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventsite.audit.models import AuditEntry
from eventsite.badges import services
from eventsite.badges.models import BadgePrint
from eventsite.badges.queries import Selection, overview
from eventsite.core.domain import DomainError
from eventsite.delegations.models import Delegate
from eventsite.delegations.notifications import issue_link
from eventsite.events.models import Event
from eventsite.extensions import db, now_utc
from eventsite.privacy.erasure import erase_event

from .. import factories
from .helpers import make_people


def _print(app, event_id, fmt="a6", actor=None, **selection) -> bytes:
    with app.test_request_context():
        event = db.session.get(Event, event_id)
        return services.print_badges(event, Selection(**selection), fmt, actor=actor, lang="en")


def _states(event_id, **selection) -> dict[int, str]:
    event = db.session.get(Event, event_id)
    return {row.delegate.id: row.state for row in overview(event, Selection(**selection), "en").rows}


@pytest.mark.both_dbs
def test_printing_records_each_badge_and_a_name_change_makes_it_outdated(app):
    with app.app_context():
        event, (first, second) = make_people()
        organizer = factories.make_user("organizer")
        db.session.commit()
        event_id, first_id, second_id = event.id, first.id, second.id
        assert set(_states(event_id).values()) == {"never"}

        _print(app, event_id, actor=organizer)
        assert _states(event_id) == {first_id: "printed", second_id: "printed"}
        rows = db.session.scalars(sa.select(BadgePrint)).all()
        assert {r.delegate_id for r in rows} == {first_id, second_id} and {r.by_id for r in rows} == {organizer.id}

        db.session.get(Delegate, first_id).name_zh = "李明明"
        db.session.commit()
        assert _states(event_id) == {first_id: "outdated", second_id: "printed"}
        counts = overview(db.session.get(Event, event_id), Selection(), "en").counts
        assert counts == {"never": 0, "outdated": 1, "printed": 1}

        _print(app, event_id, pending_only=True)  # the outdated one only
        assert _states(event_id) == {first_id: "printed", second_id: "printed"}
        assert db.session.scalar(sa.select(sa.func.count()).select_from(BadgePrint)) == 2  # updated, not added
        entries = db.session.scalars(sa.select(AuditEntry).filter_by(action="badges.printed")
                                     .order_by(AuditEntry.id)).all()
        assert [e.details["count"] for e in entries] == [2, 1]
        assert entries[0].details["format"] == "a6" and entries[0].actor_id == organizer.id
        assert entries[1].details["filter"]["pending_only"] is True
        assert entries[0].target_type == "event" and entries[0].target_id == event_id


def test_a_new_personal_link_gives_a_new_code_and_the_badge_is_outdated(app):
    with app.app_context():
        event, (first, _second) = make_people()
        event_id, first_id = event.id, first.id
        with app.test_request_context():
            issue_link(first)  # the person's first link
        db.session.commit()
        _print(app, event_id)
        old_code = db.session.get(Delegate, first_id).badge_code
        with app.test_request_context():
            issue_link(db.session.get(Delegate, first_id))  # a new link: the badge's code is cleared
        db.session.commit()
        assert _states(event_id)[first_id] == "outdated"
        _print(app, event_id, delegate_id=first_id)
        new_code = db.session.get(Delegate, first_id).badge_code
        assert new_code and new_code != old_code
        assert _states(event_id)[first_id] == "printed"


def test_role_and_unit_changes_make_it_outdated_an_unshown_field_does_not(app):
    with app.app_context():
        event, (first, second) = make_people()
        event_id, first_id, second_id = event.id, first.id, second.id
        _print(app, event_id)
        db.session.get(Delegate, first_id).role = "interpreter"
        db.session.get(Delegate, second_id).dietary = "vegetarian"
        db.session.commit()
        assert _states(event_id) == {first_id: "outdated", second_id: "printed"}
        db.session.get(Delegate, second_id).delegation.unit.name_en = "Renamed City"
        db.session.get(Event, event_id).title_en = "Another title"
        db.session.commit()
        assert set(_states(event_id).values()) == {"outdated"}


def test_filters_by_status_role_delegation_and_person(app):
    with app.app_context():
        event, people = make_people(units=2, people=2)
        a_head, a_member, b_head, b_member = people
        a_member.status = "waitlisted"
        b_member.status = "pending"
        b_head.role = "press"
        db.session.commit()
        ids = {d.id for d in people}
        assert set(_states(event.id)) == ids - {b_member.id}  # admitted: confirmed and waitlisted
        assert set(_states(event.id, statuses=("pending",))) == {b_member.id}
        assert set(_states(event.id, roles=("press",))) == {b_head.id}
        assert set(_states(event.id, roles=("head", "press"))) == {a_head.id, b_head.id}
        assert set(_states(event.id, delegation_id=a_head.delegation_id)) == {a_head.id, a_member.id}
        assert set(_states(event.id, delegate_id=a_member.id)) == {a_member.id}
        other_event, (stranger, _) = make_people()
        assert _states(event.id, delegate_id=stranger.id) == {}  # another event's person: no one


def test_print_order_is_by_unit_then_name(app):
    with app.app_context():
        event = factories.make_event()
        names = {}
        for unit_name in ("Zhuhai", "Anshan"):
            unit = factories.make_unit(name_en=unit_name)
            delegation, _ = factories.make_delegation(event, unit, people=2)
            for person, given in zip(delegation.delegates, ("Zoe", "Adam")):
                person.given_name, person.family_name = given, unit_name
                names[person.id] = f"{unit_name} {given}"
        db.session.commit()
        order = [names[i] for i in _states(event.id)]
        assert order == ["Anshan Adam", "Anshan Zoe", "Zhuhai Adam", "Zhuhai Zoe"]


def test_nothing_to_print_and_a_bad_format_change_nothing(app):
    with app.app_context():
        event, _people = make_people()
        event_id = event.id
        with pytest.raises(DomainError) as error:
            _print(app, event_id, fmt="a5")
        assert error.value.problems.get("format")
        db.session.rollback()
        with pytest.raises(DomainError):
            _print(app, event_id, roles=("press",))
        db.session.rollback()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(BadgePrint)) == 0
        assert not db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))
        assert all(d.badge_code is None for d in db.session.scalars(sa.select(Delegate)))


@pytest.mark.both_dbs
def test_erasure_deletes_the_event_s_print_records_and_badge_codes(app):
    with app.app_context():
        event, _people = make_people()
        other, _ = make_people()
        event_id, other_id = event.id, other.id
        _print(app, event_id)
        _print(app, other_id)
        event = db.session.get(Event, event_id)
        event.starts_at, event.ends_at = now_utc() - timedelta(days=3), now_utc() - timedelta(days=2)
        db.session.commit()
        erase_event(event)
        left = db.session.scalars(sa.select(BadgePrint.event_id)).all()
        assert left and set(left) == {other_id}
        entry = db.session.scalar(sa.select(AuditEntry).filter_by(action="privacy.erase_event"))
        assert entry.details["badges"] == 2
        codes = dict(db.session.execute(sa.select(Delegate.event_id, Delegate.badge_code)).all())
        assert codes[event_id] is None and codes[other_id]  # a badge found later checks no one in
