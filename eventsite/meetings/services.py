"""Meeting use cases. Organizer: matchmaking settings, slots, tables. Liaisons (for their own
delegation): request, accept, decline, propose another slot, cancel. Each checks the rules, writes,
audits, mails (with the calendar message) and commits once.

Allocation: an accepted meeting books both delegations in its slot (`meeting_booking`, unique per
slot and delegation) and a table (`meeting.slot_id, table_id`, unique): each insert runs in a
savepoint, so of two acceptances racing for the last table the database lets one win; the other
tries the next table or is told that none is left (as checkin.services.check_in settles devices)."""
from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from ..audit.services import record
from ..core.domain import DomainError, Problems
from ..core.gettext import gettext as _
from ..core.numbers import MAX_INT
from ..core.timezones import to_utc
from ..delegations.models import Delegation
from ..events.models import Event
from ..extensions import db, now_utc
from . import notifications, queries, rules
from .models import MatchmakingSettings, Meeting, MeetingBooking, MeetingSlot, MeetingTable

TOPIC_LENGTH, MESSAGE_LENGTH = 64, 2000


# --- organizer ----------------------------------------------------------------------------------
def save_settings(event: Event, is_open: bool, deadline_local: datetime | None, actor) -> MatchmakingSettings:
    deadline = None
    if deadline_local is not None:
        try:
            deadline = to_utc(deadline_local, event.timezone)[0]
        except ValueError as error:
            raise DomainError(_("That time does not exist on the event's clock."), "deadline") from error
    settings = queries.settings_for(event.id) or MatchmakingSettings(event_id=event.id)
    settings.is_open, settings.request_deadline = bool(is_open), deadline
    db.session.add(settings)
    record("meeting.settings", event, actor=actor, details={"open": settings.is_open,
                                                            "deadline": deadline.isoformat() if deadline else ""})
    db.session.commit()
    return settings


def generate_slots(event: Event, days: list[date], start: time, end: time, minutes: int, actor) -> int:
    """Slots of `minutes` from `start` to `end` (event's clock) on each day; existing ones kept."""
    wall = rules.slot_times(days, start, end, minutes)
    existing = {s.starts_at for s in queries.slots(event.id)}
    added = 0
    for local_start, local_end in wall:
        try:
            starts, ends = to_utc(local_start, event.timezone)[0], to_utc(local_end, event.timezone)[0]
        except ValueError:
            continue  # a time the clock skips
        if starts in existing:
            continue
        db.session.add(MeetingSlot(event_id=event.id, starts_at=starts, ends_at=ends))
        added += 1
    record("meeting.add_slots", event, actor=actor, details={"count": added, "minutes": minutes})
    db.session.commit()
    return added


def remove_slot(slot: MeetingSlot, actor) -> None:
    used = db.session.scalar(sa.select(sa.func.count(Meeting.id)).where(
        sa.or_(Meeting.slot_id == slot.id, Meeting.proposed_slot_id == slot.id),
        Meeting.status.in_(("requested", "proposed", "accepted"))))
    if used:
        raise DomainError(_("Meetings use this slot: it cannot be removed."))
    record("meeting.remove_slot", db.session.get(Event, slot.event_id), actor=actor, details={"slot": slot.id})
    db.session.delete(slot)
    db.session.commit()


def add_table(event: Event, name: str, room_en: str, room_zh: str, actor) -> MeetingTable:
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Give the table a name or number."), "name")
    if any(t.name == name for t in queries.tables(event.id)):
        raise DomainError(_("There is already a table with that name."), "name")
    table = MeetingTable(event_id=event.id, name=name[:50], room_en=(room_en or "").strip()[:200],
                         room_zh=(room_zh or "").strip()[:200])
    db.session.add(table)
    db.session.flush()
    record("meeting.add_table", event, actor=actor, details={"table": table.name})
    db.session.commit()
    return table


def remove_table(table: MeetingTable, actor) -> None:
    if db.session.scalar(sa.select(sa.func.count(Meeting.id)).where(Meeting.table_id == table.id)):
        raise DomainError(_("Meetings are held at this table: it cannot be removed."))
    event = db.session.get(Event, table.event_id)
    record("meeting.remove_table", event, actor=actor, details={"table": table.name})
    db.session.delete(table)
    db.session.commit()


# --- liaisons -----------------------------------------------------------------------------------
def check_request(event: Event, mine: Delegation, values: dict[str, Any], now: datetime | None = None) -> dict:
    """Every problem of a request at once; returns the cleaned values."""
    problems = Problems()
    settings = queries.settings_for(event.id)
    problems.check(rules.check_requests_open, bool(settings and settings.is_open),
                   settings.request_deadline if settings else None, now or now_utc())
    invitee = _get(Delegation, values.get("invitee"))
    if invitee is None or invitee.event_id != event.id or not invitee.is_live or invitee.id == mine.id:
        problems.add("invitee", _("Choose a delegation taking part in this event."))
    elif db.session.scalar(sa.select(sa.func.count(Meeting.id)).where(
            Meeting.status.in_(("requested", "proposed")),
            sa.or_(sa.and_(Meeting.requester_id == mine.id, Meeting.invitee_id == invitee.id),
                   sa.and_(Meeting.requester_id == invitee.id, Meeting.invitee_id == mine.id)))):
        problems.add("invitee", _("A request between your two delegations is already waiting for an answer."))
    slot = _get(MeetingSlot, values.get("slot"))
    if slot is None or slot.event_id != event.id:
        problems.add("slot", _("Choose one of the event's meeting slots."))
    if len(values.get("topic") or "") > TOPIC_LENGTH:
        problems.add("topic", _("The topic is too long."))
    if len(values.get("message") or "") > MESSAGE_LENGTH:
        problems.add("message", _("The message is too long."))
    problems.raise_if_any()
    return {"invitee": invitee, "slot": slot}


def request_meeting(event: Event, mine: Delegation, values: dict[str, Any], actor) -> Meeting:
    found = check_request(event, mine, values)
    meeting = Meeting(event_id=event.id, requester_id=mine.id, invitee_id=found["invitee"].id,
                      topic=(values.get("topic") or "").strip(), project_id=values.get("project_id"),
                      message=(values.get("message") or "").strip(),
                      interpreter_needed=bool(values.get("interpreter_needed")), status="requested",
                      proposed_slot_id=found["slot"].id, proposed_by_id=mine.id)
    db.session.add(meeting)
    db.session.flush()
    record("meeting.request", meeting, actor=actor, target_label=_label(meeting),
           details={"slot": found["slot"].id, "interpreter": meeting.interpreter_needed})
    notifications.requested(meeting)
    db.session.commit()
    return meeting


def _answering(meeting: Meeting, mine: Delegation) -> None:
    """Only the side that did not make the pending proposal answers it."""
    if mine.id not in (meeting.requester_id, meeting.invitee_id) or meeting.proposed_slot_id is None:
        raise DomainError(_("There is nothing for you to answer in this meeting."))
    if meeting.proposed_by_id == mine.id:
        raise DomainError(_("The other delegation answers this proposal."))
    if meeting.status not in ("requested", "proposed", "accepted"):
        raise DomainError(_("This meeting is no longer open."))


def accept(meeting: Meeting, mine: Delegation, actor) -> Meeting:
    """Accept the pending slot (a request, a counter-proposal or a reschedule): book it and a table."""
    _answering(meeting, mine)
    slot = meeting.proposed_slot
    rescheduled = meeting.is_accepted
    if rescheduled:
        _release(meeting)
    _allocate(meeting, slot)
    meeting.status, meeting.proposed_slot_id, meeting.proposed_by_id = "accepted", None, None
    if rescheduled or meeting.shown_starts_at is not None:
        meeting.sequence += 1
    meeting.shown_starts_at, meeting.shown_ends_at = slot.starts_at, slot.ends_at
    db.session.flush()
    record("meeting.reschedule" if rescheduled else "meeting.accept", meeting, actor=actor,
           target_label=_label(meeting), details={"slot": slot.id, "table": meeting.table.name})
    notifications.booked(meeting, rescheduled=rescheduled)
    db.session.commit()
    return meeting


def decline(meeting: Meeting, mine: Delegation, actor) -> Meeting:
    """Decline the pending proposal: a request ends; a reschedule leaves the meeting as it was."""
    _answering(meeting, mine)
    if meeting.is_accepted:
        meeting.proposed_slot_id = meeting.proposed_by_id = None
        record("meeting.decline_reschedule", meeting, actor=actor, target_label=_label(meeting))
        notifications.answered(meeting, mine.id, "kept")
    else:
        meeting.status, meeting.proposed_slot_id, meeting.proposed_by_id = "declined", None, None
        record("meeting.decline", meeting, actor=actor, target_label=_label(meeting))
        notifications.answered(meeting, mine.id, "declined")
    db.session.commit()
    return meeting


def propose(meeting: Meeting, mine: Delegation, slot_id: int | None, actor) -> Meeting:
    """Another slot: a counter-proposal to a request, or a reschedule of an accepted meeting."""
    if mine.id not in (meeting.requester_id, meeting.invitee_id) or meeting.status not in (
            "requested", "proposed", "accepted"):
        raise DomainError(_("This meeting is no longer open."))
    slot = _get(MeetingSlot, slot_id)
    if slot is None or slot.event_id != meeting.event_id:
        raise DomainError(_("Choose one of the event's meeting slots."), "slot")
    if meeting.is_accepted and slot.id == meeting.slot_id:
        raise DomainError(_("The meeting is already at that time."), "slot")
    rules.check_no_clash(slot.starts_at, slot.ends_at,
                         queries.busy_times([meeting.requester_id, meeting.invitee_id], meeting.id),
                         queries.chosen_session_times([meeting.requester_id, meeting.invitee_id]))
    if not meeting.is_accepted:
        meeting.status = "proposed"
    meeting.proposed_slot_id, meeting.proposed_by_id = slot.id, mine.id
    record("meeting.propose", meeting, actor=actor, target_label=_label(meeting),
           details={"slot": slot.id, "reschedule": meeting.is_accepted})
    notifications.proposed(meeting, mine.id)
    db.session.commit()
    return meeting


def cancel(meeting: Meeting, mine: Delegation, actor) -> Meeting:
    """Either side cancels: an open request or an accepted meeting (the calendars get CANCEL)."""
    if mine.id not in (meeting.requester_id, meeting.invitee_id) or meeting.status not in (
            "requested", "proposed", "accepted"):
        raise DomainError(_("This meeting is no longer open."))
    was_accepted = meeting.is_accepted
    if was_accepted:
        _release(meeting)
        meeting.sequence += 1
    meeting.status, meeting.proposed_slot_id, meeting.proposed_by_id = "cancelled", None, None
    db.session.flush()
    record("meeting.cancel", meeting, actor=actor, target_label=_label(meeting),
           details={"was_accepted": was_accepted})
    notifications.cancelled(meeting, mine.id, was_accepted=was_accepted)
    db.session.commit()
    return meeting


def end_for_delegation(delegation: Delegation) -> int:
    """The delegation no longer has anyone taking part: its open and accepted meetings are
    cancelled (the other side is told, calendars get CANCEL). Inside the caller's transaction
    (a receiver of delegations' `delegate_left`): no commit. Returns how many."""
    ended = 0
    for meeting in queries.meetings_of(delegation.id):
        if meeting.status not in ("requested", "proposed", "accepted"):
            continue
        was_accepted = meeting.is_accepted
        if was_accepted:
            _release(meeting)
            meeting.sequence += 1
        meeting.status, meeting.proposed_slot_id, meeting.proposed_by_id = "cancelled", None, None
        db.session.flush()
        record("meeting.cancel", meeting, target_label=_label(meeting),
               details={"was_accepted": was_accepted, "reason": "delegation_left"})
        notifications.cancelled(meeting, delegation.id, was_accepted=was_accepted)
        ended += 1
    return ended


# --- allocation ---------------------------------------------------------------------------------
def _release(meeting: Meeting) -> None:
    db.session.execute(sa.delete(MeetingBooking).where(MeetingBooking.meeting_id == meeting.id))
    meeting.slot_id = meeting.table_id = None
    db.session.flush()


def _allocate(meeting: Meeting, slot: MeetingSlot) -> None:
    """Book both delegations in `slot` and a free table (flushes; the caller commits)."""
    sides = [meeting.requester_id, meeting.invitee_id]
    rules.check_no_clash(slot.starts_at, slot.ends_at, queries.busy_times(sides, meeting.id),
                         queries.chosen_session_times(sides))
    try:
        with db.session.begin_nested():
            db.session.add_all([MeetingBooking(meeting_id=meeting.id, slot_id=slot.id, delegation_id=d)
                                for d in sides])
    except IntegrityError:
        raise DomainError(_("One of the two delegations already has a meeting at that time."), "slot") from None
    taken = set(db.session.scalars(sa.select(Meeting.table_id).where(Meeting.slot_id == slot.id)))
    for table in queries.tables(meeting.event_id):
        if table.id in taken:
            continue
        try:
            with db.session.begin_nested():
                meeting.slot_id, meeting.table_id = slot.id, table.id
                db.session.flush()
            return
        except IntegrityError:
            continue  # another acceptance took this table a moment ago
    raise DomainError(_("No table is left in this slot: propose another time."), "slot")


def _get(model, record_id):
    """The row with a typed id, or None (also for an id no column can hold)."""
    return db.session.get(model, record_id) if isinstance(record_id, int) and 0 < record_id <= MAX_INT else None


def _label(meeting: Meeting) -> str:
    return f"{meeting.requester.unit.display_name('en')} / {meeting.invitee.unit.display_name('en')}"
