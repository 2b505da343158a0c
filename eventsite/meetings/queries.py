"""The read side of meetings: an event's settings, slots and tables; a unit's delegation and the
other participants ranked by shared topics; meetings of a delegation; busy times; the organizer's
grid and interpreter needs; the calendar entries of a delegate."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import force_locale

from ..calendar.builder import Entry
from ..cooperation.queries import topic_codes_by_unit
from ..core.collation import sort_key
from ..core.gettext import gettext as _
from ..delegations.models import (
    ACTIVE_DELEGATE_STATUSES,
    LIVE_DELEGATION_STATUSES,
    Delegate,
    Delegation,
    delegate_session,
)
from ..events.models import AgendaSession, Event
from ..extensions import db
from .models import LIVE_MEETING_STATUSES, MatchmakingSettings, Meeting, MeetingSlot, MeetingTable


def settings_for(event_id: int) -> MatchmakingSettings | None:
    return db.session.scalar(sa.select(MatchmakingSettings).where(MatchmakingSettings.event_id == event_id))


def is_open(event_id: int) -> bool:
    settings = settings_for(event_id)
    return bool(settings and settings.is_open)


def slots(event_id: int) -> list[MeetingSlot]:
    return db.session.scalars(sa.select(MeetingSlot).where(MeetingSlot.event_id == event_id)
                              .order_by(MeetingSlot.starts_at)).all()


def tables(event_id: int) -> list[MeetingTable]:
    found = db.session.scalars(sa.select(MeetingTable).where(MeetingTable.event_id == event_id)).all()
    return sorted(found, key=lambda t: (len(t.name), t.name, t.id))  # "2" before "10"


def own_delegation(event_id: int, unit_id: int | None) -> Delegation | None:
    """The unit's live delegation at the event (the liaison's own)."""
    if unit_id is None:
        return None
    return db.session.scalar(sa.select(Delegation).where(
        Delegation.event_id == event_id, Delegation.unit_id == unit_id,
        Delegation.status.in_(LIVE_DELEGATION_STATUSES)))


def live_delegations(event_id: int) -> list[Delegation]:
    return db.session.scalars(sa.select(Delegation).where(
        Delegation.event_id == event_id, Delegation.status.in_(LIVE_DELEGATION_STATUSES))).all()


def _topics(unit_ids: list[int]) -> dict[int, tuple[set[str], set[str]]]:
    """{unit_id: (offered topic codes, sought topic codes)} from the units' cooperation profiles
    (the seam tests replace to rank made-up topics)."""
    return topic_codes_by_unit(unit_ids)


@dataclass
class Participant:
    delegation: Delegation
    name: str
    score: int = 0
    shared: list[str] = field(default_factory=list)


def participants(event_id: int, mine: Delegation, language: str) -> list[Participant]:
    """The other live delegations, those sharing most topics first (then by name)."""
    others = [d for d in live_delegations(event_id) if d.id != mine.id]
    topics = _topics([mine.unit_id] + [d.unit_id for d in others])
    my_offered, my_sought = topics.get(mine.unit_id, (set(), set()))
    found = []
    for delegation in others:
        offered, sought = topics.get(delegation.unit_id, (set(), set()))
        shared = (my_sought & offered) | (my_offered & sought)
        found.append(Participant(delegation, delegation.unit.display_name(language),
                                 len(my_sought & offered) + len(my_offered & sought), sorted(shared)))
    found.sort(key=lambda p: sort_key(p.name, language))
    found.sort(key=lambda p: -p.score)
    return found


def meetings_of(delegation_id: int) -> list[Meeting]:
    return db.session.scalars(sa.select(Meeting).where(
        sa.or_(Meeting.requester_id == delegation_id, Meeting.invitee_id == delegation_id))
        .order_by(Meeting.created_at.desc(), Meeting.id.desc())).all()


def busy_times(delegation_ids: list[int], except_meeting_id: int | None = None) -> list[tuple[datetime, datetime]]:
    """Times of the delegations' accepted meetings (but one)."""
    query = (sa.select(MeetingSlot.starts_at, MeetingSlot.ends_at).join(Meeting, Meeting.slot_id == MeetingSlot.id)
             .where(Meeting.status == "accepted",
                    sa.or_(Meeting.requester_id.in_(delegation_ids), Meeting.invitee_id.in_(delegation_ids))))
    if except_meeting_id is not None:
        query = query.where(Meeting.id != except_meeting_id)
    return [tuple(row) for row in db.session.execute(query).all()]


def chosen_session_times(delegation_ids: list[int]) -> list[tuple[datetime, datetime]]:
    """Times of the agenda sessions the delegations' people chose (delegates_choose sessions)."""
    query = (sa.select(AgendaSession.starts_at, AgendaSession.ends_at)
             .join(delegate_session, delegate_session.c.session_id == AgendaSession.id)
             .join(Delegate, Delegate.id == delegate_session.c.delegate_id)
             .where(Delegate.delegation_id.in_(delegation_ids), Delegate.status.in_(ACTIVE_DELEGATE_STATUSES))
             .distinct())
    return [tuple(row) for row in db.session.execute(query).all()]


def accepted(event_id: int) -> list[Meeting]:
    return db.session.scalars(sa.select(Meeting).where(Meeting.event_id == event_id, Meeting.status == "accepted")
                              .order_by(Meeting.id)).all()


def grid(event_id: int) -> tuple[list[MeetingSlot], list[MeetingTable], dict[tuple[int, int], Meeting]]:
    """Slots, tables and {(slot id, table id): meeting} of the accepted meetings."""
    cells = {(m.slot_id, m.table_id): m for m in accepted(event_id)}
    return slots(event_id), tables(event_id), cells


def interpreter_needs(event_id: int) -> list[Meeting]:
    return db.session.scalars(sa.select(Meeting).where(
        Meeting.event_id == event_id, Meeting.interpreter_needed.is_(True),
        Meeting.status.in_(LIVE_MEETING_STATUSES)).order_by(Meeting.id)).all()


def people(delegation_id: int) -> list[Delegate]:
    """The delegation's people who take part, head first (they get the meeting's mail)."""
    return db.session.scalars(sa.select(Delegate).where(
        Delegate.delegation_id == delegation_id, Delegate.status.in_(ACTIVE_DELEGATE_STATUSES))
        .order_by(Delegate.position, Delegate.id)).all()


def summary(meeting: Meeting, delegation_id: int, language: str) -> str:
    other = meeting.invitee if delegation_id == meeting.requester_id else meeting.requester
    return _("Meeting with %(unit)s", unit=other.unit.display_name(language))


def location(meeting: Meeting, language: str) -> str:
    table = meeting.table
    if table is None:
        return ""
    room = table.text("room", language)[0]
    name = _("Table %(name)s", name=table.name)
    return f"{name}, {room}" if room else name


def entry(meeting: Meeting, delegation_id: int, language: str) -> Entry:
    """The meeting as one delegation's calendar entry (cancelled: the times it showed last)."""
    with force_locale(language):
        title = summary(meeting, delegation_id, language)
        if meeting.is_accepted and meeting.slot is not None:
            details = [_("Topic: %(topic)s", topic=meeting.topic) if meeting.topic else "",
                       _("Interpreter requested") if meeting.interpreter_needed else "",
                       _("Part of: %(event)s", event=meeting.event.text("title", language)[0])]
            return Entry(meeting.uid, meeting.sequence, meeting.slot.starts_at, meeting.slot.ends_at, title,
                         "\n".join(d for d in details if d), location(meeting, language))
        return Entry(meeting.uid, meeting.sequence, meeting.shown_starts_at, meeting.shown_ends_at,
                     _("Cancelled: %(what)s", what=title), _("This meeting was cancelled."), cancelled=True)


def calendar_entries(delegate: Delegate, event: Event, language: str) -> list[Entry]:
    """The delegate's delegation's meetings that were ever accepted (current ones, and cancelled
    ones under the same UID so calendars drop them)."""
    if not delegate.is_active:
        return []
    meetings = db.session.scalars(sa.select(Meeting).where(
        Meeting.event_id == event.id, Meeting.shown_starts_at.is_not(None),
        sa.or_(Meeting.requester_id == delegate.delegation_id, Meeting.invitee_id == delegate.delegation_id))
        .order_by(Meeting.id)).all()
    return [entry(m, delegate.delegation_id, language) for m in meetings
            if m.is_accepted or m.status in ("cancelled", "declined")]


def _unit_meetings_query(unit_id: int):
    mine = sa.select(Delegation.id).where(Delegation.unit_id == unit_id,
                                          Delegation.status.in_(LIVE_DELEGATION_STATUSES))
    return sa.select(Meeting).where(Meeting.shown_starts_at.is_not(None),
                                    sa.or_(Meeting.requester_id.in_(mine), Meeting.invitee_id.in_(mine)))


def unit_stamps(unit_id: int) -> list[tuple]:
    """What the unit feed's key needs of its meetings (any change moves `updated_at`)."""
    query = _unit_meetings_query(unit_id).with_only_columns(Meeting.id, Meeting.sequence, Meeting.status,
                                                            Meeting.updated_at).order_by(Meeting.id)
    return [tuple(row) for row in db.session.execute(query).all()]


def unit_entries(unit_id: int, language: str) -> list[tuple[Event, Entry]]:
    """The unit's meetings that were ever accepted, as (event, entry) for its calendar feed."""
    entries = []
    for meeting in db.session.scalars(_unit_meetings_query(unit_id).order_by(Meeting.id)):
        if meeting.is_accepted or meeting.status in ("cancelled", "declined"):
            side = meeting.requester_id if meeting.requester.unit_id == unit_id else meeting.invitee_id
            entries.append((meeting.event, entry(meeting, side, language)))
    return entries
