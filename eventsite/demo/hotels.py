"""Demo hotel rooms for `flask demo load` (after the registrations): the flagship forum has one
hotel with a block of single rooms and a block of shared twin rooms; the first confirmed
delegations get rooms through the real services (mails, audit), two of their people share."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from ..accounts.models import User
from ..core.timezones import to_local
from ..delegations.models import Delegate, Delegation
from ..events.models import Event
from ..extensions import db
from ..hotels import services

# The flagship forum is in Brussels: a Brussels hotel near the venue, its rooming list in English.
HOTEL = {"name_en": "Hotel Mont des Arts", "name_zh": "艺术山酒店",
         "address_en": "Rue Ravenstein 12, 1000 Brussels, Belgium", "address_zh": "比利时布鲁塞尔拉文斯坦街12号，1000",
         "phone": "+32 2 500 00 00", "email": "groups@montdesarts-hotel.example.org", "list_language": "en",
         "notes": "Group rate until 30 days before arrival."}
BLOCKS = [({"room_type_en": "Deluxe single room", "room_type_zh": "豪华单人间", "beds": 1, "rooms": 12}),
          ({"room_type_en": "Twin room", "room_type_zh": "双床房", "beds": 2, "rooms": 8})]


def add_hotels(events: list[Event], organizer: User, title: str) -> None:
    event = next((e for e in events if e.title_en == title), None)
    if event is None:
        return
    first = to_local(event.starts_at, event.timezone).date() - timedelta(days=1)
    last = to_local(event.ends_at, event.timezone).date() + timedelta(days=1)
    hotel = services.save_hotel(event, None, dict(HOTEL), organizer)
    single, twin = (services.save_block(hotel, None, values | {"check_in": first, "check_out": last, "notes": ""},
                                        organizer) for values in BLOCKS)
    people = db.session.scalars(
        sa.select(Delegate).join(Delegation, Delegation.id == Delegate.delegation_id)
        .where(Delegate.event_id == event.id, Delegate.status == "confirmed", Delegation.status == "confirmed")
        .order_by(Delegate.delegation_id, Delegate.position).limit(6)).all()
    if len(people) < 4:
        return
    head, second, third, fourth = people[:4]
    changes = [services.Change(head.id, single.id), services.Change(second.id, single.id, check_in=first + timedelta(days=1)),
               services.Change(third.id, twin.id, mate_id=fourth.id), services.Change(fourth.id, twin.id, mate_id=third.id)]
    changes += [services.Change(p.id, single.id) for p in people[4:]]
    services.assign(event, changes, organizer)
