"""Two acceptances racing for the last table of a slot, through two app instances and real
threads: never both win (the unique (slot, table) constraint decides), on SQLite and PostgreSQL;
and the same delegation accepting two meetings in one slot at once gets one."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from eventsite.accounts.models import User
from eventsite.delegations.models import Delegation
from eventsite.extensions import db
from eventsite.meetings import services
from eventsite.meetings.models import Meeting, MeetingBooking

from ..races import at_once
from .helpers import forum, values

pytestmark = pytest.mark.both_dbs


def _accept_at_once(apps, jobs):
    """jobs: [(meeting id, answering delegation id, liaison id)]."""
    def accept(meeting, mine, user):
        services.accept(meeting, mine, user)
        return "accepted"

    return at_once(
        apps, jobs,
        load=lambda meeting_id, delegation_id, user_id: (
            db.session.get(Meeting, meeting_id), db.session.get(Delegation, delegation_id),
            db.session.get(User, user_id)),
        act=accept)


def test_two_acceptances_never_share_the_last_table(app_factory):
    apps = [app_factory(), app_factory()]
    for _round in range(3):
        with apps[0].app_context():
            event, _org, sides, slots, _tables = forum(tables=1, slots=1, units=4)
            (_ua, a, _ha, la), (_ub, b, _hb, lb), (_uc, c, _hc, lc), (_ud, d, _hd, ld) = sides
            first = services.request_meeting(event, a, values(b, slots[0]), la)
            second = services.request_meeting(event, c, values(d, slots[0]), lc)
            jobs = [(first.id, b.id, lb.id), (second.id, d.id, ld.id)]
            slot_id = slots[0].id
        assert sorted(_accept_at_once(apps, jobs)) == ["accepted", "refused"]
        with apps[1].app_context():
            held = db.session.scalar(sa.select(sa.func.count(Meeting.id)).where(Meeting.slot_id == slot_id))
            assert held == 1


def test_one_delegation_two_meetings_in_one_slot_at_once(app_factory):
    apps = [app_factory(), app_factory()]
    with apps[0].app_context():
        event, _org, sides, slots, _tables = forum(tables=2, slots=1, units=3)
        (_ua, a, _ha, la), (_ub, b, _hb, lb), (_uc, c, _hc, lc) = sides
        first = services.request_meeting(event, b, values(a, slots[0]), lb)
        second = services.request_meeting(event, c, values(a, slots[0]), lc)
        jobs = [(first.id, a.id, la.id), (second.id, a.id, la.id)]
        a_id = a.id
    assert sorted(_accept_at_once(apps, jobs)) == ["accepted", "refused"]
    with apps[1].app_context():
        assert db.session.scalar(sa.select(sa.func.count(MeetingBooking.id))
                                 .where(MeetingBooking.delegation_id == a_id)) == 1
