"""Demo bilateral meetings: the flagship forum has matchmaking open, 30-minute slots over its
first two afternoons, six tables, and a few meetings (accepted ones at tables, requests waiting),
the liaisons' units among them."""
from __future__ import annotations

from datetime import time, timedelta

import sqlalchemy as sa

from ..accounts.models import User
from ..core.domain import DomainError
from ..core.timezones import local_naive
from ..events.models import Event
from ..extensions import db
from ..meetings import queries, services
from . import data

TOPICS = ("urban renewal", "green transport", "smart city", "water management")


def add_meetings(title: str, organizer: User) -> int:
    """Matchmaking for the event titled `title`; returns how many meetings were accepted."""
    event = db.session.scalar(sa.select(Event).where(Event.title_en == title))
    if event is None:
        return 0
    first = local_naive(event.starts_at, event.timezone).date()
    last = local_naive(event.ends_at, event.timezone).date()
    days = [first + timedelta(days=n) for n in range(min(2, (last - first).days + 1))]
    services.save_settings(event, True, None, organizer)
    services.generate_slots(event, days, time(14, 0), time(17, 0), 30, organizer)
    for n in range(1, 7):
        services.add_table(event, str(n), "Meeting hall B", "B洽谈厅", organizer)
    delegations = sorted(queries.live_delegations(event.id), key=lambda d: (
        d.unit.name_en not in data.LIAISON_UNITS, d.id))
    if len(delegations) < 6:
        return 0
    slots = queries.slots(event.id)
    liaisons = {d.id: db.session.scalar(sa.select(User).where(User.unit_id == d.unit_id, User.role == "liaison"))
                or organizer for d in delegations}
    plan = [(0, 1, 0, True), (2, 0, 1, False), (3, 4, 0, True), (1, 5, 2, False), (4, 0, 3, False)]
    accepted = 0
    for n, (a, b, slot, accept) in enumerate(plan):
        mine, other = delegations[a], delegations[b]
        meeting = services.request_meeting(event, mine, {
            "invitee": other.id, "slot": slots[slot].id, "topic": TOPICS[n % len(TOPICS)],
            "message": "We would like to discuss a partnership. / 希望探讨合作。",
            "interpreter_needed": n % 2 == 0}, liaisons[mine.id])
        if accept:
            try:
                services.accept(meeting, other, liaisons[other.id])
            except DomainError:  # a session its people chose: the request stays open
                db.session.rollback()
                continue
            accepted += 1
    services.save_settings(event, True, local_naive(event.starts_at, event.timezone), organizer)
    return accepted
