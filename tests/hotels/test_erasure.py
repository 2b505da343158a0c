"""Erasing an event's personal data erases the notes about its guests' stays, the liaison's
room requests and the rows of the rooming lists issued; names live on the delegate."""
from __future__ import annotations

from datetime import timedelta

from eventsite.extensions import db, now_utc
from eventsite.hotels import rooming, services
from eventsite.hotels.models import RoomAssignment, RoomingList, RoomRequest
from eventsite.privacy import erasure

from .helpers import change, setup


def test_erasure_clears_stay_notes_requests_and_lists(app_ctx):
    event, hotel, block, people, organizer = setup(people=2)
    a, b = people
    services.save_requests(a.delegation, [services.Wish(a.id, "share", b.id, "Snores loudly")], organizer)
    services.assign(event, [change(a, block, mate=b, notes="Allergic to feathers"),
                            change(b, block, mate=a)], organizer)
    rooming.issue(hotel, "csv", organizer)
    assert "Allergic to feathers" in str(db.session.scalars(db.select(RoomingList.rows)).one())
    event.ends_at = now_utc() - timedelta(days=1)
    event.starts_at = event.ends_at - timedelta(days=1)
    db.session.commit()
    erasure.erase_event(event, actor=organizer)
    assert db.session.scalars(db.select(RoomAssignment.notes)).all() == ["", ""]
    assert db.session.scalars(db.select(RoomRequest.note)).all() == [""]
    assert db.session.scalars(db.select(RoomingList.rows)).all() == [{}]
