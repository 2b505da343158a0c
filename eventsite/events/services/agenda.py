"""Agenda use cases: add, edit, duplicate, reorder and delete sessions. None raises the event's
SEQUENCE (its calendar entry has no programme); a session's own entry has `AgendaSession.sequence`."""
from __future__ import annotations

import string
from datetime import datetime
from typing import Any

from ...audit.services import record
from ...core.domain import Problems
from ...core.pagecache import bump
from ...extensions import db
from ...members.services import apply_values
from ..models import SESSION_CALENDAR_FIELDS, AgendaSession, Event
from ..rules import check_session
from .lifecycle import SESSION_FIELDS, SESSION_TIMES, display_title, resolve_times


def _checked(event: Event, values: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """`values` with times as UTC instants, and warnings; one DomainError with every problem."""
    warnings: list[str] = []
    problems = Problems()
    merged = resolve_times(values, SESSION_TIMES, event.timezone, warnings, problems)
    check_session(event, merged, warnings, problems)
    return merged, warnings


def _saved(event: Event, action: str, details: dict[str, Any]) -> None:
    record(f"event.{action}", event, target_label=display_title(event), details=details)
    bump(f"event:{event.id}")
    db.session.commit()


def _slot(event: Event, starts_at: datetime, exclude: AgendaSession | None = None) -> list[AgendaSession]:
    """Sessions starting at the same instant, in their order."""
    same = [s for s in event.sessions if s.starts_at == starts_at and s is not exclude]
    return sorted(same, key=lambda s: (s.position, s.id or 0))


def _renumber(sessions: list[AgendaSession]) -> None:
    for index, session in enumerate(sessions):
        session.position = index


def add_session(event: Event, values: dict[str, Any]) -> tuple[AgendaSession, list[str]]:
    """A new session, after the others of its time slot; returns it and warnings."""
    merged, warnings = _checked(event, {
        "kind": "plenary", "track": "", "title_en": "", "title_zh": "", "description_en": "",
        "description_zh": "", "room_en": "", "room_zh": "", "speakers": "", "capacity": None,
        "delegates_choose": False} | values)
    slot = _slot(event, merged["starts_at"])
    session = AgendaSession(event=event)
    apply_values(session, merged, SESSION_FIELDS)
    _renumber(slot)
    session.position = len(slot)
    db.session.add(session)
    db.session.flush()  # its id, so the audit log names it in each reader's language
    _saved(event, "session_add", {"session_id": session.id, "session": display_title(session),
                                  "starts_at": session.starts_at.isoformat()})
    return session, warnings


def update_session(session: AgendaSession, values: dict[str, Any]) -> tuple[dict[str, list], list[str]]:
    event = session.event
    current = {f: getattr(session, f) for f in SESSION_FIELDS}
    merged, warnings = _checked(event, current | {f: values[f] for f in SESSION_FIELDS if f in values})
    moved = merged["starts_at"] != session.starts_at
    changes = apply_values(session, merged, SESSION_FIELDS)
    if moved:
        session.position = len(_slot(event, session.starts_at, exclude=session))
    if set(changes) & set(SESSION_CALENDAR_FIELDS):
        session.sequence = (session.sequence or 0) + 1
    if changes:
        _saved(event, "session_update", {"session_id": session.id, "changed": changes})
    return changes, warnings


def delete_session(session: AgendaSession) -> None:
    event = session.event
    details = {"session_id": session.id, "session": display_title(session),
               "starts_at": session.starts_at.isoformat()}
    event.sessions.remove(session)
    _saved(event, "session_delete", details)


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
    """A copy in the same time slot: track A copied twice gives tracks A, B, C in that order."""
    event = session.event
    slot = _slot(event, session.starts_at)
    copy = AgendaSession(event=event)
    for field in SESSION_FIELDS:
        setattr(copy, field, getattr(session, field))
    copy.track = _next_track(session.track, [s.track for s in slot])
    # A new lettered track goes last; any other copy follows its original.
    slot.insert(len(slot) if copy.track != session.track else slot.index(session) + 1, copy)
    _renumber(slot)
    db.session.add(copy)
    _saved(event, "session_duplicate", {"session_id": session.id, "session": display_title(session)})
    return copy


def move_session(session: AgendaSession, direction: str) -> bool:
    """Swap with the neighbour in the same time slot; False when there is none."""
    event, slot = session.event, _slot(session.event, session.starts_at)
    index = slot.index(session)
    other = index - 1 if direction == "up" else index + 1 if direction == "down" else -1
    if not 0 <= other < len(slot):
        return False
    slot[index], slot[other] = slot[other], slot[index]
    _renumber(slot)
    _saved(event, "session_move", {"session_id": session.id, "direction": direction})
    return True


def default_session_start(event: Event) -> datetime:
    """Where the next session most likely starts: the end of the last one, else the event's start."""
    ends = [s.ends_at for s in event.sessions]
    return max(ends) if ends else event.starts_at

