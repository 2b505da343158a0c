"""The delegation rules: quota, one head, the period, invitations, deadlines, seats and the queue."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from eventsite.audit.models import AuditEntry
from eventsite.core.domain import DomainError
from eventsite.delegations.models import Delegate, Delegation
from eventsite.delegations.services import (
    PersonRow,
    decisions,
    fill_from_waitlist,
    registration_for,
    save_delegation,
    selfservice,
    withdraw,
)
from eventsite.events.models import Event
from eventsite.extensions import db, now_utc

from ..factories import make_invitation, make_session
from .helpers import count, person, rows, setup, statuses, unit_with_liaison

pytestmark = pytest.mark.both_dbs


def _actions() -> list[str]:
    return list(db.session.scalars(db.select(AuditEntry.action).order_by(AuditEntry.id)))


def test_register_confirms_people_seat_by_seat_and_waitlists_the_rest(app_ctx):
    event, unit, liaison = setup(capacity=3, default_quota=5)
    result = save_delegation(event, unit, rows(4), submission_key="k1", actor=liaison)
    assert result.created and result.delegation.status == "confirmed"
    assert statuses(result.delegation) == ["confirmed"] * 3 + ["waitlisted"]
    db.session.refresh(event)
    assert event.seats_taken == 3
    assert "delegation.submit" in _actions()


def test_unlimited_capacity_confirms_everyone(app_ctx):
    event, unit, liaison = setup(capacity=None, default_quota=3)
    result = save_delegation(event, unit, rows(3), actor=liaison)
    assert statuses(result.delegation) == ["confirmed"] * 3


def test_quota_is_enforced_for_the_liaison_and_may_be_overridden_by_an_organizer(app_ctx):
    event, unit, liaison = setup(default_quota=2)
    with pytest.raises(DomainError, match="at most 2"):
        save_delegation(event, unit, rows(3), actor=liaison)
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(Delegation.id))) == 0
    result = save_delegation(event, unit, rows(3), as_organizer=True)
    assert len(result.delegation.delegates) == 3
    assert "delegation.quota_override" in _actions()


def test_invitation_quota_overrides_the_default(app_ctx):
    event, unit, liaison = setup(default_quota=2, registration_mode="invited_only")
    make_invitation(event, unit, quota=4)
    db.session.commit()
    assert registration_for(event, unit.id).quota == 4
    result = save_delegation(event, unit, rows(4), actor=liaison)
    assert result.delegation.invitation.state == "accepted"  # registering answers the invitation
    assert result.delegation.invitation_id is not None


@pytest.mark.parametrize("roles", [["member", "member"], ["head", "head"]])
def test_exactly_one_head(app_ctx, roles):
    event, unit, liaison = setup()
    people = [PersonRow(person(role, n)) for n, role in enumerate(roles)]
    with pytest.raises(DomainError, match="head"):
        save_delegation(event, unit, people, actor=liaison)


def test_a_person_needs_a_name_and_a_valid_email(app_ctx):
    event, unit, liaison = setup()
    nameless = PersonRow({"role": "head", "email": "x@example.org"})
    with pytest.raises(DomainError) as error:
        save_delegation(event, unit, [nameless], actor=liaison)
    assert error.value.field == "people-0-family_name"
    bad_mail = [PersonRow(person("head", 1)), PersonRow(person("member", 2, email="nope"))]
    with pytest.raises(DomainError) as error:
        save_delegation(event, unit, bad_mail, actor=liaison)
    assert error.value.field == "people-1-email"
    only_chinese = PersonRow({"role": "head", "name_zh": "李明", "language": "zh"})
    assert save_delegation(event, unit, [only_chinese], actor=liaison).created


def test_nobody_at_all_is_refused(app_ctx):
    event, unit, liaison = setup()
    with pytest.raises(DomainError, match="at least one"):
        save_delegation(event, unit, [], actor=liaison)


def test_registration_only_while_open(app_ctx):
    now = now_utc()
    event, unit, liaison = setup(registration_opens_at=now + timedelta(days=1),
                                 registration_closes_at=now + timedelta(days=5))
    with pytest.raises(DomainError, match="opens"):
        save_delegation(event, unit, rows(1), actor=liaison, now=now)
    later = now + timedelta(days=6)
    with pytest.raises(DomainError, match="closed"):
        save_delegation(event, unit, rows(1), actor=liaison, now=later)
    assert save_delegation(event, unit, rows(1), actor=liaison, now=now + timedelta(days=2)).created


def test_draft_and_cancelled_events_take_no_registrations(app_ctx):
    event, unit, liaison = setup(status="draft")
    with pytest.raises(DomainError):
        save_delegation(event, unit, rows(1), actor=liaison)
    event.status = "cancelled"
    db.session.commit()
    with pytest.raises(DomainError, match="cancelled"):
        save_delegation(event, unit, rows(1), actor=liaison)


def test_invited_only_events_admit_only_units_with_an_open_invitation(app_ctx):
    event, unit, liaison = setup(registration_mode="invited_only")
    with pytest.raises(DomainError, match="invited"):
        save_delegation(event, unit, rows(1), actor=liaison)
    invitation, _raw = make_invitation(event, unit)
    invitation.state = "revoked"
    db.session.commit()
    with pytest.raises(DomainError, match="invited"):
        save_delegation(event, unit, rows(1), actor=liaison)
    invitation.state = "pending"
    db.session.commit()
    assert save_delegation(event, unit, rows(1), actor=liaison).created


def test_after_the_edit_deadline_the_liaison_cannot_change_but_an_organizer_can(app_ctx):
    now = now_utc()
    event, unit, liaison = setup(edit_deadline=now + timedelta(days=3))
    delegation = save_delegation(event, unit, rows(1), actor=liaison, now=now).delegation
    late = now + timedelta(days=4)
    assert not registration_for(event, unit.id, late).can_edit
    add = [PersonRow(person("head", 0), id=delegation.delegates[0].id), PersonRow(person("member", 9))]
    with pytest.raises(DomainError, match="Changes are closed"):
        save_delegation(event, unit, add, actor=liaison, now=late)
    with pytest.raises(DomainError):
        withdraw(delegation, liaison, now=late)
    result = save_delegation(event, unit, add, as_organizer=True, now=late)
    assert len(result.delegation.delegates) == 2


def test_one_delegation_per_unit_and_event(app_ctx):
    event, unit, liaison = setup()
    first = save_delegation(event, unit, rows(1), submission_key="a", actor=liaison).delegation
    # A second registration (another tab) edits the same delegation instead of making another.
    again = save_delegation(event, unit, [PersonRow(person("head", 0), id=first.delegates[0].id),
                                          PersonRow(person("member", 5))],
                            submission_key="b", actor=liaison)
    assert again.delegation.id == first.id and not again.created
    assert db.session.scalar(db.select(db.func.count(Delegation.id))) == 1


def test_the_same_submission_twice_saves_once(app_ctx, outbox):
    event, unit, liaison = setup(capacity=10)
    first = save_delegation(event, unit, rows(2), submission_key="same", actor=liaison)
    mails = len(outbox())
    second = save_delegation(event, unit, rows(2), submission_key="same", actor=liaison)
    assert second.repeated and second.delegation.id == first.delegation.id
    assert db.session.scalar(db.select(db.func.count(Delegate.id))) == 2
    assert len(outbox()) == mails
    db.session.refresh(event)
    assert event.seats_taken == 2


def test_edit_corrects_adds_and_removes(app_ctx):
    event, unit, liaison = setup(capacity=2, default_quota=5)
    delegation = save_delegation(event, unit, rows(2), actor=liaison).delegation
    head, member = delegation.delegates
    changed = [PersonRow(person("head", 0, title="Mayor"), id=head.id),
               PersonRow(person("member", 1), id=member.id, remove=True),
               PersonRow(person("member", 7))]
    result = save_delegation(event, unit, changed, actor=liaison)
    assert head.title == "Mayor" and member.status == "removed"
    newcomer = result.delegation.delegates[-1]
    assert newcomer.status == "confirmed"  # the removed person's seat
    db.session.refresh(event)
    assert event.seats_taken == 2
    assert {"delegate.change", "delegate.remove", "delegation.update"} <= set(_actions())


def test_substitute_keeps_the_seat_and_the_place(app_ctx, outbox):
    event, unit, liaison = setup(capacity=2)
    delegation = save_delegation(event, unit, rows(2), actor=liaison).delegation
    other, _liaison = unit_with_liaison()
    waiting = save_delegation(event, other, rows(1, start=50)).delegation
    assert statuses(waiting) == ["waitlisted"]
    head, member = delegation.delegates
    sub = [PersonRow(person("head", 0), id=head.id),
           PersonRow({"role": "member", "family_name": "New", "email": "new@example.org",
                      "language": "zh"}, id=member.id, substitute=True)]
    save_delegation(event, unit, sub, actor=liaison)
    db.session.refresh(event)
    assert event.seats_taken == 2 and member.status == "removed"
    replacement = db.session.scalar(db.select(Delegate).filter_by(substitute_for_id=member.id))
    assert replacement.status == "confirmed" and replacement.position == member.position
    assert statuses(waiting) == ["waitlisted"]  # nobody overtook the queue, nobody lost a seat
    to_old = [m for m in outbox() if m.to_addr == member.email]
    to_new = [m for m in outbox() if m.to_addr == "new@example.org"]
    assert "cancelled" in to_old[-1].subject
    assert to_new and to_new[0].language == "zh"
    assert "delegate.substitute" in _actions()


def test_withdraw_frees_seats_and_promotes_in_order_with_notices(app_ctx, outbox):
    event, unit, liaison = setup(capacity=2)
    first = save_delegation(event, unit, rows(2), actor=liaison).delegation
    units = [unit_with_liaison() for _n in range(3)]
    waiting = [save_delegation(event, u, rows(1, start=10 + n), now=now_utc() + timedelta(seconds=n)).delegation
               for n, (u, _l) in enumerate(units)]
    assert [statuses(d) for d in waiting] == [["waitlisted"]] * 3
    withdraw(first, liaison)
    assert first.status == "withdrawn" and statuses(first) == ["removed", "removed"]
    assert [statuses(d) for d in waiting] == [["confirmed"], ["confirmed"], ["waitlisted"]]
    db.session.refresh(event)
    assert event.seats_taken == 2
    promoted = [m for m in outbox() if m.subject.startswith("A seat is free")]
    assert [m.to_addr for m in promoted] == ["p10@example.org", "p11@example.org"]
    assert _actions().count("delegate.auto_promote") == 2
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="delegate.auto_promote"))
    assert entry.actor_id is None and entry.actor_label == "system"


def test_withdrawn_delegation_may_register_again_on_the_same_row(app_ctx):
    event, unit, liaison = setup(capacity=5)
    first = save_delegation(event, unit, rows(2), actor=liaison).delegation
    withdraw(first, liaison)
    again = save_delegation(event, unit, rows(1, start=20), submission_key="again", actor=liaison)
    assert again.created and again.delegation.id == first.id
    assert again.delegation.status == "confirmed" and again.delegation.withdrawn_at is None
    db.session.refresh(event)
    assert event.seats_taken == 1


def test_approval_flow(app_ctx, outbox):
    event, unit, liaison = setup(capacity=2, approval_required=True)
    organizer = liaison  # the actor's identity does not matter to the rule
    delegation = save_delegation(event, unit, rows(3), actor=liaison).delegation
    assert delegation.status == "submitted" and statuses(delegation) == ["pending"] * 3
    db.session.refresh(event)
    assert event.seats_taken == 0
    assert [m.subject for m in outbox()] == [f"Delegation received, awaiting approval: {event.title_en}"]
    decisions.approve(delegation, organizer)
    assert delegation.status == "confirmed"
    assert statuses(delegation) == ["confirmed", "confirmed", "waitlisted"]
    with pytest.raises(DomainError):
        decisions.approve(delegation, organizer)


def test_reject_needs_a_reason_and_frees_everything(app_ctx, outbox):
    event, unit, liaison = setup(capacity=5, approval_required=True)
    delegation = save_delegation(event, unit, rows(2), actor=liaison).delegation
    with pytest.raises(DomainError, match="reason"):
        decisions.reject(delegation, "  ", liaison)
    decisions.reject(delegation, "Quota of the province reached", liaison)
    assert delegation.status == "rejected" and statuses(delegation) == ["removed", "removed"]
    assert delegation.reject_reason == "Quota of the province reached"
    assert "Quota of the province reached" in outbox()[-1].body_text
    # The pending people never heard from us: no "cancelled" mail to them.
    assert all(m.to_addr == liaison.email for m in outbox())


def test_organizer_promote_only_into_a_free_seat(app_ctx):
    event, unit, liaison = setup(capacity=1)
    delegation = save_delegation(event, unit, rows(2), actor=liaison).delegation
    head, member = delegation.delegates
    with pytest.raises(DomainError, match="No seat"):
        decisions.promote(member, liaison)
    db.session.rollback()
    event.capacity = 2
    db.session.commit()
    decisions.promote(member, liaison)
    assert member.status == "confirmed"
    with pytest.raises(DomainError):
        decisions.promote(member, liaison)


def test_organizer_removes_a_member_and_the_queue_moves(app_ctx):
    event, unit, liaison = setup(capacity=2)
    delegation = save_delegation(event, unit, rows(3), actor=liaison).delegation
    head, member, third = delegation.delegates
    with pytest.raises(DomainError, match="head"):
        decisions.remove_delegate(head, liaison)
    decisions.remove_delegate(member, liaison, reason="Not eligible")
    assert member.status == "removed" and third.status == "confirmed"


def test_decline_frees_the_seat_for_the_next_in_line(app_ctx, outbox):
    event, unit, liaison = setup(capacity=1)
    delegation = save_delegation(event, unit, rows(2), actor=liaison).delegation
    head, member = delegation.delegates
    selfservice.decline(head)
    assert head.status == "declined" and member.status == "confirmed"
    db.session.refresh(event)
    assert event.seats_taken == 1
    assert "delegate.decline" in _actions()
    with pytest.raises(DomainError):
        selfservice.decline(head)


def test_fill_from_waitlist_does_nothing_without_free_seats(app_ctx):
    event, unit, liaison = setup(capacity=1)
    save_delegation(event, unit, rows(2), actor=liaison)
    assert fill_from_waitlist(event.id) == []
    db.session.rollback()
    assert count(event.id, "waitlisted") == 1


def test_arrival_in_the_event_zone_is_stored_in_utc(app_ctx):
    event, unit, liaison = setup()
    local = datetime(2026, 5, 3, 14, 30)  # Shanghai wall clock
    row = PersonRow(person("head", 0, arrival_at=local, arrival_details="CA 933"))
    delegate = save_delegation(event, unit, [row], actor=liaison).delegation.delegates[0]
    assert delegate.arrival_at.isoformat() == "2026-05-03T06:30:00+00:00"


def test_session_choices_only_from_choosable_sessions_with_room(app_ctx):
    event, unit, liaison = setup()
    choosable = make_session(event, delegates_choose=True, capacity=1)
    fixed = make_session(event)
    db.session.commit()
    with pytest.raises(DomainError, match="agenda"):
        save_delegation(event, unit, [PersonRow(person("head"), session_ids=[fixed.id])], actor=liaison)
    with pytest.raises(DomainError, match="full"):
        save_delegation(event, unit, [PersonRow(person("head", 0), session_ids=[choosable.id]),
                                      PersonRow(person("member", 1), session_ids=[choosable.id])],
                        actor=liaison)
    delegation = save_delegation(event, unit, [PersonRow(person("head"), session_ids=[choosable.id])],
                                 actor=liaison).delegation
    assert delegation.delegates[0].sessions == [choosable]


def test_seat_count_never_goes_negative(app_ctx):
    from eventsite.delegations import seats

    event, _unit, _liaison = setup(capacity=2)
    seats.release(event.id, 5)
    db.session.commit()
    assert db.session.get(Event, event.id).seats_taken == 0
