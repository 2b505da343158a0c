"""Use cases of events: create, edit, publish, cancel, reopen, duplicate. Times come as wall-clock
times in the event's zone (a time skipped by daylight saving is refused) or aware instants; SEQUENCE
(RFC 5545) grows by one per save that changes a field of CALENDAR_FIELDS; the UID never changes."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy.exc import IntegrityError

from ...audit.services import record
from ...core.dates import FIRST_DAY, LAST_DAY, OutOfRange, range_message
from ...core.domain import DomainError, Problems
from ...core.gettext import gettext as _
from ...core.gettext import ngettext
from ...core.pagecache import bump
from ...core.timezones import NonexistentTime, local_naive, to_utc, zone, zone_label
from ...extensions import db, now_utc
from ...members.services import apply_values
from .. import signals
from ..models import CALENDAR_FIELDS, DEFAULT_DELEGATE_DETAILS, EVENT_TIMES, AgendaSession, Event
from ..rules import check_event, check_session, check_zone, normalize, outside_days

EVENT_FIELDS = (
    "kind", "title_en", "title_zh", "summary_en", "summary_zh", "description_en", "description_zh",
    "venue_name_en", "venue_name_zh", "venue_address_en", "venue_address_zh", "city_en", "city_zh",
    "country", "timezone", "starts_at", "ends_at",
    "contact_name", "contact_email", "contact_phone", "registration_mode", "registration_opens_at",
    "registration_closes_at", "capacity", "default_quota", "approval_required", "edit_deadline",
    "reminder_days", "delegate_details",
)
SESSION_FIELDS = ("kind", "track", "title_en", "title_zh", "description_en", "description_zh",
                  "starts_at", "ends_at", "room_en", "room_zh", "speakers", "capacity", "delegates_choose")
SESSION_TIMES = ("starts_at", "ends_at")
EVENT_DEFAULTS: dict[str, Any] = {f: "" for f in EVENT_FIELDS} | {
    "kind": "forum", "country": "CN", "timezone": "Asia/Shanghai", "starts_at": None,
    "ends_at": None, "registration_mode": "all_members", "registration_opens_at": None,
    "registration_closes_at": None, "edit_deadline": None, "capacity": None, "default_quota": 5,
    "approval_required": False, "reminder_days": "7,2",
    "delegate_details": ",".join(DEFAULT_DELEGATE_DETAILS),
}


# --- times ----------------------------------------------------------------------------------

def _instant(value: datetime | None, zone_name: str, field: str, warnings: list[str]) -> datetime | None:
    """A UTC instant for a naive wall-clock time in `zone_name` (aware values pass through)."""
    if value is None or value.tzinfo is not None:
        return value
    try:
        instant, ambiguous = to_utc(value, zone_name)
    except OutOfRange:
        raise DomainError(range_message(), field) from None
    except NonexistentTime:
        raise DomainError(_("%(time)s does not exist in %(zone)s: the clocks skip that hour for "
                           "daylight saving time. Choose another time.",
                           time=value.strftime("%Y-%m-%d %H:%M"), zone=zone_name), field) from None
    if ambiguous:
        warnings.append(_("%(time)s happens twice in %(zone)s (the clocks go back); the first one "
                          "(%(label)s) was taken.", time=value.strftime("%Y-%m-%d %H:%M"),
                          zone=zone_name, label=zone_label(instant, zone_name)))
    return instant


def resolve_times(values: dict[str, Any], fields: tuple[str, ...], zone_name: str,
                  warnings: list[str], problems: Problems) -> dict[str, Any]:
    """`values` with `fields` as UTC instants; times that name no instant are noted in `problems`."""
    return values | {f: problems.check(_instant, values[f], zone_name, f, warnings)
                     for f in fields if f in values}


def display_title(obj) -> str:
    return obj.title_en or obj.title_zh or f"#{obj.id}"


# --- events ---------------------------------------------------------------------------------

def create_event(values: dict[str, Any], created_by=None) -> tuple[Event, list[str]]:
    """A new draft; returns it and warnings to show (e.g. an ambiguous time)."""
    warnings: list[str] = []
    merged = _checked(EVENT_DEFAULTS, values, warnings)
    event = Event(status="draft", sequence=0, created_by=created_by)
    apply_values(event, merged, EVENT_FIELDS)
    db.session.add(event)
    record("event.create", event, target_label=display_title(event))
    db.session.commit()
    return event, warnings


def check_values(values: dict[str, Any], event: Event | None = None) -> None:
    """The rules of create_event (or update_event, for `event`) without saving anything: a form
    with mistakes of its own still shows the rules' problems in the same round."""
    current = EVENT_DEFAULTS if event is None else {f: getattr(event, f) for f in EVENT_FIELDS}
    _checked(current, values, [])


def _merged(event: Event, values: dict[str, Any], warnings: list[str]) -> dict[str, Any]:
    """The event's fields with `values` applied and checked (times UTC instants); nothing set."""
    return _checked({f: getattr(event, f) for f in EVENT_FIELDS}, values, warnings)


def _checked(current: dict[str, Any], values: dict[str, Any], warnings: list[str]) -> dict[str, Any]:
    """`current` with `values` applied, normalized, times as UTC instants (or one DomainError)."""
    problems = Problems()
    merged = current | {f: values[f] for f in EVENT_FIELDS if f in values}
    problems.check(check_zone, merged["timezone"])
    if not problems:
        merged = resolve_times(merged, EVENT_TIMES, merged["timezone"], warnings, problems)
    check_event(normalize(merged, problems), problems)
    return merged


def calendar_changes(event: Event, values: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """What saving `values` would change on calendars ({field: (old, new)}), changing nothing."""
    return _calendar_diff(event, _merged(event, values, []))


def preview_change(event: Event, values: dict[str, Any], move_agenda: bool = True
                   ) -> tuple[dict[str, tuple[Any, Any]], AgendaPlan | None]:
    """What saving `values` would do, changing nothing: the calendar changes ({field: (old, new)})
    and what becomes of the agenda (None: the event's times do not change, or it has no sessions).
    Raises DomainError as update_event would (a session moved out of the accepted years)."""
    merged = _merged(event, values, [])
    return _calendar_diff(event, merged), _plan_agenda(event, merged, move_agenda)


def _calendar_diff(event: Event, merged: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {f: (getattr(event, f), merged[f]) for f in CALENDAR_FIELDS
            if f in merged and getattr(event, f) != merged[f]}


@dataclass(frozen=True)
class SessionPlan:
    """One session of the agenda before and after the event's times change (UTC instants)."""

    session: AgendaSession
    old: tuple[datetime, datetime]
    new: tuple[datetime, datetime]
    outside: bool  # outside the event's new days (saved anyway, as check_session allows)

    @property
    def moves(self) -> bool:
        return self.old != self.new


@dataclass(frozen=True)
class AgendaPlan:
    """What a change of the event's times does to its sessions, for `move` (the organizer's choice:
    move them by the same wall-clock distance, or keep them where they are)."""

    move: bool
    shifts: bool  # the start or the zone changes: the choice matters
    delta: timedelta  # the wall-clock distance the start moves
    sessions: list[SessionPlan]
    old_zone: str
    new_zone: str
    window: tuple[datetime, datetime]  # the event's new start and end

    @property
    def moving(self) -> list[SessionPlan]:
        return [s for s in self.sessions if s.moves]

    @property
    def outside(self) -> list[SessionPlan]:
        return [s for s in self.sessions if s.outside]


def _plan_agenda(event: Event, merged: dict[str, Any], move: bool) -> AgendaPlan | None:
    """The agenda once `merged` is saved. Moving keeps each session at the same wall-clock distance
    from the start, read in the (possibly corrected) zone: 09:00 stays 09:00; keeping leaves the
    instants as they are."""
    times = ("starts_at", "ends_at", "timezone")
    changed = {f for f in times if getattr(event, f) != merged[f]}
    sessions = list(event.sessions)
    if not sessions or not changed:
        return None
    old_zone, new_zone = event.timezone, merged["timezone"]
    delta = local_naive(merged["starts_at"], new_zone) - local_naive(event.starts_at, old_zone)  # type: ignore[operator]
    shifts = bool({"starts_at", "timezone"} & changed)
    plans = []
    for session in sessions:
        old = (session.starts_at, session.ends_at)
        new = old
        if move and shifts:
            # The agenda as organizers typed it: wall-clock times in the old zone.
            new = tuple(_at_wall_clock(local_naive(t, old_zone) + delta, new_zone, "starts_at")  # type: ignore[operator]
                        for t in old)  # type: ignore[assignment]
        plans.append(SessionPlan(session, old, new, outside_days(
            merged["starts_at"], merged["ends_at"], new_zone, *new)))
    return AgendaPlan(move, shifts, delta, plans, old_zone, new_zone,
                      (merged["starts_at"], merged["ends_at"]))


def update_event(event: Event, values: dict[str, Any], move_agenda: bool = True, note: str = ""
                 ) -> tuple[dict[str, list], list[str]]:
    """Save changed fields; returns {field: [old, new]} and warnings. SEQUENCE +1 at most once,
    and then the change is sent to the confirmed delegates with `note` (signals.event_changed).
    With `move_agenda`, a new start or zone moves every session by the same wall-clock distance
    (09:00 stays 09:00; correcting a wrong zone keeps the times as typed); without, the sessions
    stay where they are. Sessions left outside the event's days are saved with a warning."""
    warnings: list[str] = []
    merged = _merged(event, values, warnings)
    calendar = _calendar_diff(event, merged)
    plan = _plan_agenda(event, merged, move_agenda)
    changes = apply_values(event, merged, EVENT_FIELDS)
    if changes:
        details: dict[str, Any] = {"changed": changes}
        if plan is not None and plan.shifts:
            for item in plan.moving:
                item.session.starts_at, item.session.ends_at = item.new
            moved = [item.session.id for item in plan.moving]
            if plan.move:
                details["agenda_moved"] = {"sessions": moved, "by": str(plan.delta)}
            else:
                details["agenda_kept"] = {"sessions": [item.session.id for item in plan.sessions]}
        if plan is not None and plan.outside:
            details["agenda_outside"] = {"sessions": [item.session.id for item in plan.outside]}
            warnings.append(ngettext(
                "%(num)d session is outside the event's days; it was saved anyway. Move it in the agenda.",
                "%(num)d sessions are outside the event's days; they were saved anyway. Move them in the "
                "agenda.", len(plan.outside)))
        if calendar:
            event.sequence += 1
        if {"registration_closes_at", "starts_at"} & set(changes):
            details["invitations_expire_at"] = _move_invitation_expiry(event)
        details["sequence"] = event.sequence
        if calendar:
            agenda = ({"moved": plan.move, "sessions": len(plan.sessions), "by": plan.delta}
                      if plan is not None and plan.shifts else None)
            details["notified"] = signals.send(signals.event_changed, event, changes=calendar, note=note,
                                               agenda=agenda)
        _commit(event, "update", details)
    return changes, warnings


def _commit(event: Event, action: str, details: dict[str, Any]) -> None:
    """Audit and commit; a concurrent save of the same event took the same SEQUENCE and its notices
    (the outbox refuses a second message per delegate and SEQUENCE): nothing is saved twice."""
    record(f"event.{action}", event, target_label=display_title(event), details=details)
    bump("events", f"event:{event.id}")
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise DomainError(_("The event was changed at the same moment elsewhere. Reload the page "
                           "and check it.")) from None


def _move_invitation_expiry(event: Event) -> str:
    """Open invitations expire when registration closes (else at the start): keep them in step."""
    from ...invitations.models import OPEN_STATES, Invitation  # invitations build on events, not the reverse

    expires_at = event.registration_closes_at or event.starts_at
    db.session.execute(
        db.update(Invitation)
        .where(Invitation.event_id == event.id, Invitation.state.in_(OPEN_STATES))
        .values(expires_at=expires_at)
        .execution_options(synchronize_session="fetch")
    )
    return expires_at.isoformat()


def publish(event: Event) -> None:
    if event.status != "draft":
        raise DomainError(_("Only a draft can be published."))
    check_event({f: getattr(event, f) for f in EVENT_FIELDS})
    event.status, event.published_at = "published", now_utc()
    event.sequence += 1
    # Confirmed delegates exist only when a cancelled event comes back (or delegates were
    # entered on a draft): their calendars learn it now.
    notified = signals.send(signals.event_changed, event, changes={"status": ("draft", "published")})
    _commit(event, "publish", {"sequence": event.sequence, **({"notified": notified} if notified else {})})


def cancel(event: Event, reason_en: str, reason_zh: str, note: str = "") -> None:
    """Cancelled with a reason; if it was published, its delegates and units are told (iMIP
    CANCEL to those holding a seat), with the organizer's optional `note`."""
    reason_en, reason_zh = (reason_en or "").strip(), (reason_zh or "").strip()
    if event.status == "cancelled" or event.phase() == "past":
        raise DomainError(_("Only a draft or an upcoming published event can be cancelled."))
    if not (reason_en or reason_zh):
        raise DomainError(_("Give the reason for the cancellation, in English or in Chinese."), "reason_en")
    if "\x00" in reason_en + reason_zh:
        raise DomainError(_("Control characters are not allowed here."), "reason_en")
    was_published = event.status == "published"
    event.status, event.cancelled_at = "cancelled", now_utc()
    event.cancel_reason_en, event.cancel_reason_zh = reason_en, reason_zh
    event.sequence += 1
    details: dict[str, Any] = {"reason_en": reason_en[:200], "reason_zh": reason_zh[:200],
                               "sequence": event.sequence}
    if was_published:
        details["notified"] = signals.send(signals.event_cancelled, event, note=note)
    _commit(event, "cancel", details)


def reopen(event: Event) -> None:
    """A cancelled event goes back to draft (to be published again)."""
    if event.status != "cancelled":
        raise DomainError(_("Only a cancelled event can be reopened."))
    event.status, event.cancelled_at, event.published_at = "draft", None, None
    event.cancel_reason_en = event.cancel_reason_zh = ""
    event.sequence += 1
    _commit(event, "reopen", {"sequence": event.sequence})


def _at_wall_clock(local: datetime, zone_name: str, field: str) -> datetime:
    """The instant a wall-clock time names in `zone_name`; one in a skipped hour is taken as the
    clock reads just after the change (a moved session never fails on a DST gap). A time moved
    out of the accepted years is refused, naming the `field` that moved it."""
    try:
        return to_utc(local, zone_name)[0]
    except OutOfRange:
        raise DomainError(_("Moved by the same distance, a date of the event or of its agenda would "
                           "fall outside %(first)s to %(last)s.", first=FIRST_DAY.isoformat(),
                           last=LAST_DAY.isoformat()), field) from None
    except NonexistentTime:
        return local.replace(tzinfo=zone(zone_name)).astimezone(timezone.utc)


def duplicate_event(event: Event, new_start_local: datetime | date, created_by=None) -> Event:
    """A new draft copy of `event` and its agenda, moved to `new_start_local` (a date keeps the time)."""
    zone_name = event.timezone
    old_start = local_naive(event.starts_at, zone_name)
    if not isinstance(new_start_local, datetime):
        new_start_local = datetime.combine(new_start_local, old_start.time())  # type: ignore[union-attr]
    _instant(new_start_local, zone_name, "new_start", [])
    delta = new_start_local - old_start  # type: ignore[operator]
    sessions = list(event.sessions)  # loaded before the copy exists, so no flush sees it half-made
    copy = Event(status="draft", sequence=0, copied_from_id=event.id, created_by=created_by)
    def copy_fields(source, target, fields: tuple[str, ...], times: tuple[str, ...]) -> None:
        """Times move by `delta` on the wall clock of the event's zone (09:00 stays 09:00)."""
        for field in fields:
            value = getattr(source, field)
            if field in times and value is not None:
                value = _at_wall_clock(local_naive(value, zone_name) + delta, zone_name, "new_start")  # type: ignore[operator]
            setattr(target, field, value)

    copy_fields(event, copy, EVENT_FIELDS, EVENT_TIMES)
    for session in sessions:
        copy_fields(session, AgendaSession(event=copy, position=session.position), SESSION_FIELDS,
                    SESSION_TIMES)
    # The copy obeys the rules of any event (its original may predate some of them).
    check_event({f: getattr(copy, f) for f in EVENT_FIELDS})
    for new in copy.sessions:
        check_session(copy, {f: getattr(new, f) for f in SESSION_FIELDS}, [])
    db.session.add(copy)
    record("event.duplicate", copy, target_label=display_title(copy),
           details={"copied_from": event.id, "days": delta.days, "sessions": len(sessions)})
    db.session.commit()
    return copy
