"""`flask demo load` shows hotels: the flagship forum has a hotel, two blocks and assignments,
a shared room among them."""
from __future__ import annotations

from eventsite.extensions import db
from eventsite.hotels.models import Hotel, RoomAssignment, RoomBlock


def test_demo_has_a_hotel_two_blocks_and_a_shared_room(app, runner):
    result = runner.invoke(args=["demo", "load", "--password", "demo-pass-123"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Hotel.id))) == 1
        blocks = db.session.scalars(db.select(RoomBlock).order_by(RoomBlock.id)).all()
        assert [b.beds for b in blocks] == [1, 2]
        assignments = db.session.scalars(db.select(RoomAssignment)).all()
        assert len(assignments) >= 4
        shared = [a for a in assignments if a.block_id == blocks[1].id]
        assert len(shared) == 2 and len({a.room_no for a in shared}) == 1
        assert blocks[1].rooms_used == 1
