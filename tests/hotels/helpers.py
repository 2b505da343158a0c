"""Shared set-up for the hotel tests: an event with a hotel and blocks, seated delegates."""
from __future__ import annotations

from datetime import date

from eventsite.extensions import db
from eventsite.hotels import services
from eventsite.hotels.models import Hotel, RoomBlock

from ..factories import make_delegation, make_event, make_unit, make_user

CHECK_IN, CHECK_OUT = date(2030, 5, 10), date(2030, 5, 13)


def hotel_values(**values) -> dict:
    return {"name_en": "Grand Hotel", "name_zh": "大酒店", "address_en": "1 Bund Road",
            "address_zh": "外滩路1号", "phone": "+86 21 1234", "email": "desk@hotel.example",
            "list_language": "zh", "notes": "", **values}


def block_values(**values) -> dict:
    return {"room_type_en": "Twin room", "room_type_zh": "双床房", "beds": 2, "check_in": CHECK_IN,
            "check_out": CHECK_OUT, "rooms": 2, "notes": "", **values}


def make_hotel(event, **values) -> Hotel:
    hotel = Hotel(event_id=event.id, **hotel_values(**values))
    db.session.add(hotel)
    db.session.flush()
    return hotel


def make_block(hotel, **values) -> RoomBlock:
    block = RoomBlock(hotel_id=hotel.id, event_id=hotel.event_id, rooms_used=0, **block_values(**values))
    db.session.add(block)
    db.session.flush()
    return block


def setup(people: int = 3, units: int = 1, **block_fields):
    """(event, hotel, block, [delegates], organizer) committed; the first unit has a liaison."""
    event = make_event()
    hotel = make_hotel(event)
    block = make_block(hotel, **block_fields)
    delegates = []
    for n in range(units):
        unit = make_unit()
        if n == 0:
            make_user(role="liaison", unit=unit, locale="en")
        delegation, _head = make_delegation(event, unit, people=people)
        delegates += list(delegation.delegates)
    organizer = make_user(role="organizer")
    db.session.commit()
    return event, hotel, block, delegates, organizer


def change(delegate, block=None, mate=None, **values) -> services.Change:
    return services.Change(delegate_id=delegate.id, block_id=block.id if block else None,
                           mate_id=mate.id if mate else None, **values)
