"""Agenda use cases: add, edit, duplicate, reorder and delete the sessions of an event.

Each is audited, but none raises the event's SEQUENCE: the event's calendar entry carries the
event's own title, time and venue, not its programme. A session has its own calendar entry (in
downloads with sessions and delegate feeds), whose SEQUENCE rises when its time, room or title
changes (`AgendaSession.sequence`).
"""
from __future__ import annotations

import string
from datetime import datetime
from typing import Any

from flask_babel import gettext as _

from ..audit.services import record
from ..core.dates import check_times
from ..core.domain import DomainError
from ..core.pagecache import bump
from ..core.timezones import to_local
from ..extensions import db
from ..members.services import apply_values
from .models import SESSION_CALENDAR_FIELDS, SESSION_KINDS, AgendaSession, Event
from .services import MAX_INT, SESSION_FIELDS, SESSION_TIMES, check_text, display_title, resolve_times


def check_session(event: Event, v: dict[str, Any], warnings: list[str]) -> None:
    check_text(AgendaSession, v)
    if v.get("kind") not in SESSION_KINDS:
        raise DomainError(_("Choose a valid kind of session."), "kind")
    if not (v.get("title_en") or v.get("title_zh")):
        raise DomainError(_("Give an English or a Chinese title."), "title_en")
    starts, ends = v.get("starts_at"), v.get("ends_at")
    if starts is None or ends is None:
        raise DomainError(_("Give the start and the end."), "starts_at" if starts is None else "ends_at")
    check_times(v, ("starts_at", "ends_at"))
    if ends <= starts:
        raise DomainError(_("The end must be after the start."), "ends_at")
    capacity = v.get("capacity")
    if capacity is not None and capacity < 0:
        raise DomainError(_("The capacity cannot be negative."), "capacity")
    if capacity is not None and capacity > MAX_INT:
        raise DomainError(_("The capacity is too large."), "capacity")
    first = to_local(event.starts_at, event.timezone).date()
    last = to_local(event.ends_at, event.timezone).date()
    if to_local(starts, event.timezone).date() < first or to_local(ends, event.timezone).date() > last:
        warnings.append(_("This session is outside the event's days (%(first)s to %(last)s). It was "
                          "saved anyway.", first=first.isoformat(), last=last.isoformat()))


def _slot(event: Event, starts_at: datetime, exclude: AgendaSession | None = None) -> list[AgendaSession]:
    """Sessions starting at the same instant, in their order."""
    same = [s for s in event.sessions if s.starts_at == starts_at and s is not exclude]
    return sorted(same, key=lambda s: (s.position, s.id or 0))


def _renumber(sessions: list[AgendaSession]) -> None:
    for index, session in enumerate(sessions):
        session.position = index


def _session_label(session: AgendaSession) -> str:
    return display_title(session)


def add_session(event: Event, values: dict[str, Any]) -> tuple[AgendaSession, list[str]]:
    """A new session, after the others of its time slot; returns it and warnings."""
    warnings: list[str] = []
    merged = resolve_times({"kind": "plenary", "track": "", "title_en": "", "title_zh": "",
                       "description_en": "", "description_zh": "", "room": "", "speakers": "",
                       "capacity": None, "delegates_choose": False} | values,
                      SESSION_TIMES, event.timezone, warnings)
    check_session(event, merged, warnings)
    slot = _slot(event, merged["starts_at"])
    session = AgendaSession(event=event)
    apply_values(session, merged, SESSION_FIELDS)
    _renumber(slot)
    session.position = len(slot)
    db.session.add(session)
    record("event.session_add", event, target_label=display_title(event),
           details={"session": _session_label(session), "starts_at": session.starts_at.isoformat()})
    bump(f"event:{event.id}")
    db.session.commit()
    return session, warnings


def update_session(session: AgendaSession, values: dict[str, Any]) -> tuple[dict[str, list], list[str]]:
    event = session.event
    warnings: list[str] = []
    current = {f: getattr(session, f) for f in SESSION_FIELDS}
    merged = resolve_times(current | {f: values[f] for f in SESSION_FIELDS if f in values},
                      SESSION_TIMES, event.timezone, warnings)
    check_session(event, merged, warnings)
    moved = merged["starts_at"] != session.starts_at
    changes = apply_values(session, merged, SESSION_FIELDS)
    if moved:
        session.position = len(_slot(event, session.starts_at, exclude=session))
    if set(changes) & set(SESSION_CALENDAR_FIELDS):
        session.sequence = (session.sequence or 0) + 1
    if changes:
        record("event.session_update", event, target_label=display_title(event),
               details={"session_id": session.id, "changed": changes})
        bump(f"event:{event.id}")
        db.session.commit()
    return changes, warnings


def delete_session(session: AgendaSession) -> None:
    event = session.event
    record("event.session_delete", event, target_label=display_title(event),
           details={"session_id": session.id, "session": _session_label(session),
                    "starts_at": session.starts_at.isoformat()})
    event.sessions.remove(session)
    bump(f"event:{event.id}")
    db.session.commit()


def _next_track(track: str, taken: list[str]) -> str:
    """Track "A" copied becomes the first free letter after it ("B", then "C"); other names stay."""
    letters = string.ascii_uppercase
    if len(track) != 1 or track.upper() not in letters:
        return track
    for letter in letters[letters.index(track.upper()) + 1:]:
        if letter not in {t.upper() for t in taken}:
            return letter
    return track


def duplicate_session(session: AgendaSession) -> AgendaSession:
    """A copy of a session in the same time slot (e.g. track B from track A).

    A one-letter track name moves on to the next free letter and the copy goes to the end of the
    slot, so duplicating track A twice gives tracks A, B, C in that order: building a three-track
    slot is one session and two clicks. Any other copy is placed right after its original.
    """
    event = session.event
    slot = _slot(event, session.starts_at)
    copy = AgendaSession(event=event)
    for field in SESSION_FIELDS:
        setattr(copy, field, getattr(session, field))
    copy.track = _next_track(session.track, [s.track for s in slot])
    # A new lettered track goes last (A, B, C read in order); any other copy follows its original.
    slot.insert(len(slot) if copy.track != session.track else slot.index(session) + 1, copy)
    _renumber(slot)
    db.session.add(copy)
    record("event.session_duplicate", event, target_label=display_title(event),
           details={"session_id": session.id, "session": _session_label(session)})
    bump(f"event:{event.id}")
    db.session.commit()
    return copy


def move_session(session: AgendaSession, direction: str) -> bool:
    """Swap with the neighbour in the same time slot; False when there is none."""
    event = session.event
    slot = _slot(event, session.starts_at)
    index = slot.index(session)
    other = index - 1 if direction == "up" else index + 1 if direction == "down" else -1
    if not 0 <= other < len(slot):
        return False
    slot[index], slot[other] = slot[other], slot[index]
    _renumber(slot)
    record("event.session_move", event, target_label=display_title(event),
           details={"session_id": session.id, "direction": direction})
    bump(f"event:{event.id}")
    db.session.commit()
    return True


def default_session_start(event: Event) -> datetime:
    """Where the next session most likely starts: the end of the last one, else the event's start."""
    ends = [s.ends_at for s in event.sessions]
    return max(ends) if ends else event.starts_at

