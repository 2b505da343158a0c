"""The bench's data set, fabricated through the test factories (real models, real constraints):
90 units with a liaison each, 60 published events with agendas, 2,000 delegates in 1,000
delegations, each answering an invitation; `scale` multiplies all of it (10 for the
statement-count check)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from eventsite.extensions import db, now_utc
from tests.factories import (
    PASSWORD,
    make_contact,
    make_delegation,
    make_event,
    make_invitation,
    make_session,
    make_unit,
    make_user,
)

UNITS, EVENTS, DELEGATIONS, PEOPLE, SESSIONS = 90, 60, 1000, 2, 5
BURST_CAPACITY, BURST_QUOTA = 120, 2  # 90 units asking for 2 seats each: 60 must wait


@dataclass
class Dataset:
    event_id: int  # a typical event (the pages bench's event page and overview)
    burst_event_id: int  # open for registration, nobody registered yet
    organizer_email: str
    liaison_emails: list[str]  # liaison_emails[i] belongs to the i-th unit
    password: str = PASSWORD


def fabricate(scale: int = 1) -> Dataset:
    """Commit the data set (inside an app context, on an empty database)."""
    now = now_utc()
    units, liaisons = [], []
    for i in range(UNITS * scale):
        language = "zh" if i % 2 else "en"
        unit = make_unit()
        make_contact(unit, role="liaison", language=language, receives_invitations=True)
        liaisons.append(make_user(role="liaison", unit=unit, locale=language).email)
        units.append(unit)
    organizer = make_user(role="organizer")
    events = []
    for e in range(EVENTS * scale):
        starts = (now + timedelta(days=20 + e % 300, hours=e % 24)).replace(minute=0, second=0,
                                                                          microsecond=0)
        event = make_event(starts_at=starts, capacity=100_000, default_quota=4,
                           registration_opens_at=now - timedelta(days=1),
                           registration_closes_at=starts - timedelta(days=2),
                           summary_en=f"An alliance forum on topic {e}.",
                           summary_zh=f"第{e}个主题的联盟论坛。")
        for s in range(SESSIONS):
            make_session(event, starts_at=starts + timedelta(hours=s))
        events.append(event)
    per_event = -(-DELEGATIONS // EVENTS)  # ceil: the first events are a little fuller
    made = 0
    for e, event in enumerate(events):
        for k in range(per_event):
            if made >= DELEGATIONS * scale:
                break
            unit = units[(e * per_event + k) % len(units)]
            invitation, _raw = make_invitation(event, unit, state="accepted")
            make_delegation(event, unit, invitation=invitation, people=PEOPLE)
            made += 1
        if e % 10 == 9:
            db.session.commit()
    burst = make_event(title_en="Burst Forum", capacity=BURST_CAPACITY, default_quota=BURST_QUOTA,
                       registration_opens_at=now - timedelta(hours=1),
                       registration_closes_at=now + timedelta(days=10))
    db.session.commit()
    return Dataset(event_id=events[0].id, burst_event_id=burst.id,
                   organizer_email=organizer.email, liaison_emails=liaisons)
