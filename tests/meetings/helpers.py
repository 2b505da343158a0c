"""Two delegations at a forum with matchmaking open, two afternoon slots and tables."""
from __future__ import annotations

from datetime import timedelta

from eventsite.extensions import db
from eventsite.meetings.models import MatchmakingSettings, MeetingSlot, MeetingTable

from .. import factories


def forum(tables: int = 2, slots: int = 2, units: int = 2):
    """(event, organizer, [(unit, delegation, head, liaison)...], slots, tables)."""
    event = factories.make_event()
    organizer = factories.make_user("organizer")
    sides = []
    for n in range(units):
        unit = factories.make_unit(name_en=f"Unit {chr(65 + n)}", name_zh=f"单位{n}")
        delegation, head = factories.make_delegation(event, unit, people=2)
        liaison = factories.make_user("liaison", unit=unit)
        sides.append((unit, delegation, head, liaison))
    db.session.add(MatchmakingSettings(event_id=event.id, is_open=True))
    made_slots = []
    for n in range(slots):
        start = event.starts_at + timedelta(hours=5, minutes=30 * n)
        made_slots.append(MeetingSlot(event_id=event.id, starts_at=start, ends_at=start + timedelta(minutes=30)))
    made_tables = [MeetingTable(event_id=event.id, name=str(n + 1), room_en="Hall B", room_zh="B厅")
                   for n in range(tables)]
    db.session.add_all(made_slots + made_tables)
    db.session.flush()
    return event, organizer, sides, made_slots, made_tables


def values(invitee, slot, **more):
    return {"invitee": invitee.id, "slot": slot.id, "topic": "energy", "message": "Let us talk",
            "interpreter_needed": True, **more}


def meeting_world(event, delegation) -> dict:
    """For the security walks: matchmaking open, a slot, a table and an accepted meeting between
    `delegation` and a new unit C's; returns their ids."""
    from datetime import timedelta

    from eventsite.meetings.models import (
        MatchmakingSettings,
        Meeting,
        MeetingBooking,
        MeetingSlot,
        MeetingTable,
    )

    third, _head = factories.make_delegation(event, factories.make_unit(name_zh="丙市", name_en="Unit C"))
    slot = MeetingSlot(event_id=event.id, starts_at=event.starts_at, ends_at=event.starts_at + timedelta(minutes=30))
    table = MeetingTable(event_id=event.id, name="1")
    db.session.add_all([MatchmakingSettings(event_id=event.id, is_open=True), slot, table])
    db.session.flush()
    meeting = Meeting(event_id=event.id, requester_id=delegation.id, invitee_id=third.id, status="accepted",
                      slot_id=slot.id, table_id=table.id, shown_starts_at=slot.starts_at, shown_ends_at=slot.ends_at)
    db.session.add(meeting)
    db.session.flush()
    db.session.add_all([MeetingBooking(meeting_id=meeting.id, slot_id=slot.id, delegation_id=d)
                        for d in (delegation.id, third.id)])
    return {"meeting_id": meeting.id, "slot_id": slot.id, "table_id": table.id}
