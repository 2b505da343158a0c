"""Checks the meeting services share; they read nothing but their arguments."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from ..core.domain import DomainError
from ..core.gettext import gettext as _

MAX_SLOTS = 200  # one generator run
MIN_LENGTH, MAX_LENGTH = 5, 240  # minutes


def overlaps(start: datetime, end: datetime, other_start: datetime, other_end: datetime) -> bool:
    return start < other_end and other_start < end


def check_requests_open(is_open: bool, deadline: datetime | None, now: datetime) -> None:
    if not is_open:
        raise DomainError(_("Meeting requests are not open for this event."))
    if deadline is not None and now > deadline:
        raise DomainError(_("The deadline for meeting requests has passed."))


def check_no_clash(slot_start: datetime, slot_end: datetime, busy: Iterable[tuple[datetime, datetime]],
                   sessions: Iterable[tuple[datetime, datetime]], field: str | None = "slot") -> None:
    """`busy`: the times of both delegations' other accepted meetings; `sessions`: the agenda
    sessions their members chose."""
    if any(overlaps(slot_start, slot_end, s, e) for s, e in busy):
        raise DomainError(_("One of the two delegations already has a meeting at that time."), field)
    if any(overlaps(slot_start, slot_end, s, e) for s, e in sessions):
        raise DomainError(_("A member of one of the two delegations attends a session at that time."), field)


def check_span(start: time, end: time) -> None:
    if end <= start:
        raise DomainError(_("The end must be after the start."), "ends")


def slot_times(days: Iterable[date], start: time, end: time, minutes: int) -> list[tuple[datetime, datetime]]:
    """Wall-clock (naive) slots of `minutes` from `start` to `end` on each day."""
    if not MIN_LENGTH <= minutes <= MAX_LENGTH:
        raise DomainError(_("A slot lasts between %(low)d and %(high)d minutes.", low=MIN_LENGTH, high=MAX_LENGTH),
                          "minutes")
    check_span(start, end)
    found = []
    for day in days:
        at, stop = datetime.combine(day, start), datetime.combine(day, end)
        while at + timedelta(minutes=minutes) <= stop:
            found.append((at, at + timedelta(minutes=minutes)))
            at += timedelta(minutes=minutes)
    if not found:
        raise DomainError(_("No slot fits between these times."), "ends")
    if len(found) > MAX_SLOTS:
        raise DomainError(_("That makes more than %(count)d slots at once.", count=MAX_SLOTS), "minutes")
    return found
