"""The demo event in progress (started yesterday, ends tomorrow, on Shanghai's clock): admitted
delegations with badge codes, door and session check-ins, and the check-in staff account
door@demo.example.org assigned to it (docs/onsite/door.md)."""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from ..accounts.models import User
from ..checkin.models import CheckinAssignment
from ..checkin.services import check_in, ensure_badge_code
from ..delegations.models import Delegate
from ..delegations.services import save_delegation
from ..events.models import Event
from ..extensions import db, now_utc
from ..members.models import MemberUnit
from . import events, registrations

TITLE = "Urban Renewal Forum (in progress)"
DOOR_EMAIL = "door@demo.example.org"
# (unit, delegation size): in the demo units list.
UNITS = [("Chengdu", 4), ("Wuhan", 3), ("Suzhou", 3), ("Yiwu", 2), ("Ningbo", 4), ("Luoyang", 2),
         ("Zhengzhou", 3), ("Duisburg", 2), ("Rotterdam", 2)]
AGENDA: list[events.Row] = [
    (0, "09:00", "10:30", "plenary", "", "Opening plenary", "开幕全体会议", "Main hall", "", None, False),
    (0, "11:00", "12:30", "parallel", "A", "Renewing old neighbourhoods", "老旧小区改造", "Room A", "", 12, False),
    (1, "09:00", "12:00", "site_visit", "", "Site visit: Kuanzhai Alley", "实地考察：宽窄巷子", "", "", 15, False),
    (1, "14:00", "16:00", "plenary", "", "Dialogue of mayors", "市长对话", "Main hall", "", None, False),
    (2, "09:00", "11:00", "plenary", "", "Closing plenary", "闭幕全体会议", "Main hall", "", None, False),
]


def add_event_in_progress(organizer: User, door: User, today: date | None = None) -> Event:
    """Create, register, badge and check in; the delegations go through save_delegation (each
    commits), the check-ins are committed at the end."""
    today = today or now_utc().date()
    event = events._event(today, -1, 3, "Asia/Shanghai", kind="forum", title_en=TITLE,
                          title_zh="城市更新论坛（进行中）", summary_en="Three days on renewing old city districts.",
                          summary_zh="三天会议，聚焦老城区更新。", **events.CHENGDU_VENUE, country="CN",
                          capacity=60, default_quota=4, created_by=organizer,
                          delegate_details="title,organization,mobile,dietary,notes")
    event.sessions = events._agenda(event, today - timedelta(days=1), AGENDA)
    db.session.add(event)
    db.session.flush()
    db.session.add(CheckinAssignment(user_id=door.id, event_id=event.id))
    db.session.commit()
    rng = random.Random(20261206)  # nosec B311 # seeded demo data
    units = {u.name_en: u for u in db.session.scalars(db.select(MemberUnit))}
    registered_at = event.starts_at - timedelta(days=20)
    for name, size in UNITS:
        if name in units:
            rows = registrations._people(event, units[name], registrations.ROLES[size], rng)
            save_delegation(event, units[name], rows, actor=organizer, as_organizer=True, now=registered_at)
    _check_in(event, organizer, door, rng)
    db.session.commit()
    return event


def _check_in(event: Event, organizer: User, door: User, rng: random.Random) -> None:
    """Three people in four came through the door yesterday morning; those arrived attend the
    sessions already begun (the parallel session fills up)."""
    people = db.session.scalars(db.select(Delegate).filter_by(event_id=event.id, status="confirmed")
                                .order_by(Delegate.id)).all()
    morning = event.starts_at - timedelta(minutes=50)
    arrived = []
    for n, delegate in enumerate(people):
        ensure_badge_code(delegate)
        if rng.random() < 0.25:
            continue
        method = "manual" if n == 3 else rng.choice(("scan", "scan", "scan", "search"))
        seen = morning + timedelta(minutes=2 * n, seconds=rng.randint(0, 59))
        check_in(delegate, by=organizer if method == "manual" else door, scanned_at=seen, method=method,
                 device="demo-phone-1" if method != "manual" else "")
        arrived.append(delegate)
    now = now_utc()
    for session in event.sessions:
        if session.starts_at > now:
            continue
        room = session.capacity or len(arrived)
        for delegate in arrived[:room]:
            check_in(delegate, by=door, session=session, method="scan", device="demo-phone-1",
                     scanned_at=_before(session.starts_at, rng))


def _before(start: datetime, rng: random.Random) -> datetime:
    return start - timedelta(minutes=rng.randint(1, 15), seconds=rng.randint(0, 59))
