"""The read side of the check-in desk: the events a user checks in at, the roster a phone keeps
for offline use (roster.json), and the card a scan shows."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func

from ..core.gettext import gettext as _
from ..core.timefmt import day_span, local_time
from ..core.timezones import to_local
from ..delegations import labels as delegation_labels
from ..delegations.models import ADMITTED_DELEGATE_STATUSES, Delegate, Delegation
from ..events.models import AgendaSession, Event
from ..extensions import db, now_utc
from .access import assigned_event_ids
from .models import CheckIn, SessionCheckIn

# The colour band of each role, as the badge prints it (CSS classes role-<code> in desk.css).
ROLE_COLOURS = {"head": "#b3261e", "deputy": "#c25e00", "member": "#1d5fb4", "interpreter": "#2e7d32",
                "staff": "#5f6368", "press": "#6a1b9a"}
# Events shown on the desk's list: running, upcoming, or ended at most this long ago.
RECENT = timedelta(days=2)


def desk_events(user, now=None) -> list[Event]:
    """The published events `user` may check in at: those running today first, then upcoming by
    start, then those that ended in the last two days."""
    now = now or now_utc()
    query = db.select(Event).where(Event.status == "published", Event.ends_at >= now - RECENT)
    ids = assigned_event_ids(user)
    if ids is not None:
        query = query.where(Event.id.in_(ids))
    events = list(db.session.scalars(query.order_by(Event.starts_at, Event.id)))

    def order(event: Event):
        day = to_local(now, event.timezone).date()
        running = to_local(event.starts_at, event.timezone).date() <= day <= to_local(
            event.ends_at, event.timezone).date()
        return (0 if running else 1 if event.starts_at > now else 2, event.starts_at)

    return sorted(events, key=order)


def desk_event_items(user, language: str) -> list[dict]:
    """desk_events as the list page shows them: title, days on the event's clock, place."""
    return [{"id": e.id, "title": e.shown("title", language), "place": e.place(language),
             "when": day_span(to_local(e.starts_at, e.timezone).date(), to_local(e.ends_at, e.timezone).date())}
            for e in desk_events(user)]


def staff_name(user) -> str:
    return (user.name or user.email) if user is not None else _("an organizer")


def seen_at(instant, event: Event, now=None) -> str:
    """'09:12' on the event's clock when it was today there, else the short date and time."""
    now = now or now_utc()
    local = to_local(instant, event.timezone)
    if local.date() == to_local(now, event.timezone).date():
        return local.strftime("%H:%M")
    return local_time(instant, event.timezone, "short")


def door(event: Event, session_id: int | None) -> AgendaSession | None:
    """The session whose door the desk works (`?session=`), None for the event's entrance."""
    if not session_id:
        return None
    return db.session.scalar(db.select(AgendaSession).filter_by(id=session_id, event_id=event.id))


def event_of_badge(code: str) -> int | None:
    """The event of the delegate whose badge carries `code` (codes are unique across events)."""
    return db.session.scalar(db.select(Delegate.event_id).filter_by(badge_code=code)) if code else None


def card(delegate: Delegate, event: Event, language: str, door: CheckIn | SessionCheckIn | None = None) -> dict:
    """What the desk shows of a person: both names, unit in both languages, role and its colour,
    status, what staff must know, and when and by whom they were checked in at this door."""
    unit = delegate.delegation.unit
    latin = " ".join(p for p in (delegate.given_name, delegate.family_name.upper()) if p)
    return {
        "code": delegate.badge_code, "name_zh": delegate.name_zh, "name_latin": latin,
        "unit_zh": unit.name_zh, "unit_en": unit.name_en,
        "role": delegate.role, "role_label": delegation_labels.role(delegate.role),
        "colour": ROLE_COLOURS.get(delegate.role, "#5f6368"),
        "status": delegate.status, "status_label": delegation_labels.delegate_status(delegate.status),
        "dietary": delegate.dietary, "accessibility": delegate.accessibility, "notes": delegate.notes,
        "in": None if door is None else {"at": seen_at(door.scanned_at, event), "by": staff_name(door.by)},
    }


def _checked_in(event: Event) -> dict[int, CheckIn]:
    rows = db.session.scalars(db.select(CheckIn).filter_by(event_id=event.id).options(
        db.joinedload(CheckIn.by)))
    return {row.delegate_id: row for row in rows}


def session_counts(event: Event, language: str) -> list[dict]:
    counts = dict(db.session.execute(
        db.select(SessionCheckIn.session_id, func.count(SessionCheckIn.id))
        .filter_by(event_id=event.id).group_by(SessionCheckIn.session_id)).all())
    sessions = db.session.scalars(db.select(AgendaSession).filter_by(event_id=event.id)
                                  .order_by(AgendaSession.starts_at, AgendaSession.position, AgendaSession.id))
    return [{"id": s.id, "title": s.shown("title", language), "starts": seen_at(s.starts_at, event),
             "capacity": s.capacity, "count": counts.get(s.id, 0)} for s in sessions]


def roster(event: Event, language: str) -> dict:
    """The desk's offline copy: every admitted delegate with a badge, and the sessions' counts."""
    people = db.session.scalars(
        db.select(Delegate).join(Delegation)
        .where(Delegate.event_id == event.id, Delegate.status.in_(ADMITTED_DELEGATE_STATUSES),
               Delegate.badge_code.is_not(None))
        .options(db.joinedload(Delegate.delegation).joinedload(Delegation.unit))
        .order_by(Delegation.unit_id, Delegate.position, Delegate.id))
    checked = _checked_in(event)
    return {"event": event.id, "generated_at": now_utc().isoformat(),
            "people": [card(d, event, language, checked.get(d.id)) for d in people],
            "sessions": session_counts(event, language)}
