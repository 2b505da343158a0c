"""Register and edit a delegation (a liaison, or an organizer with `as_organizer=True`), withdraw it.

Seats: a delegate holds one exactly while "confirmed", taken or released with seats.py in the
status move's transaction; after every release `fill_from_waitlist()` hands freed seats to those
waiting, so a newcomer never overtakes them. Organizers edit whatever the period and the deadline
say and may go beyond a unit's quota (audited), never beyond the event's capacity.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from ...audit.services import record
from ...core.domain import DomainError, atomic
from ...core.gettext import gettext as _
from ...core.pagecache import bump
from ...core.timefmt import local_time
from ...events.models import Event
from ...extensions import db, now_utc
from ...invitations import rules as invitation_rules
from .. import notifications, seats
from ..models import ENDED_DELEGATION_STATUSES, LIVE_DELEGATION_STATUSES, Delegate, Delegation
from ..rules import PERSON_FIELDS, PersonRow, Plan, apply_person, make_plan
from ..seats import fill_from_waitlist, remove


@dataclass
class Registration:
    """What the unit may do now; `message` says why not, when not."""

    delegation: Delegation | None
    quota: int
    seats_left: int | None
    can_register: bool  # may submit a (new or renewed) registration
    can_edit: bool  # may change or withdraw the current delegation
    message: str
    edit_until: datetime


def delegation_for(event_id: int, unit_id: int) -> Delegation | None:
    return db.session.scalar(
        db.select(Delegation).where(Delegation.event_id == event_id, Delegation.unit_id == unit_id)
    )


def active_delegates(delegation: Delegation | None) -> list[Delegate]:
    return [d for d in delegation.delegates if d.is_active] if delegation else []


def registration_for(event: Event, unit_id: int, now: datetime | None = None) -> Registration:
    now = now or now_utc()
    delegation = delegation_for(event.id, unit_id)
    live = delegation is not None and delegation.is_live
    active = invitation_rules.unit_is_active(unit_id)
    message = _closed_period(event, unit_id, now) if active else str(invitation_rules.INACTIVE_UNIT)
    can_register = not message and not live
    edit_until = event.changes_until()
    can_edit = (active and live and event.status == "published" and now < event.starts_at
                and now < edit_until)
    if active and live and not can_edit and event.status == "published":
        message = _("Changes are closed since %(when)s. To change your delegation, write to the "
                    "secretariat.", when=local_time(edit_until, event.timezone))
    return Registration(
        delegation=delegation, quota=invitation_rules.quota_for(event, unit_id),
        seats_left=seats.seats_left(event), can_register=can_register, can_edit=can_edit,
        message="" if can_register or can_edit else message, edit_until=edit_until,
    )


def _closed_period(event: Event, unit_id: int, now: datetime) -> str:
    """Why the unit may not register now ("" when it may)."""
    if event.status == "cancelled":
        return _("This event was cancelled.")
    if event.status != "published" or now >= event.starts_at:
        return _("Registration is not available for this event.")
    if not invitation_rules.may_register(event, unit_id, now):
        return _("This event is open to invited units only, and your unit has no open invitation.")
    if event.registration_opens_at and now < event.registration_opens_at:
        return _("Registration opens on %(when)s.",
                 when=local_time(event.registration_opens_at, event.timezone))
    if event.registration_closes_at and now >= event.registration_closes_at:
        return _("Registration closed on %(when)s.",
                 when=local_time(event.registration_closes_at, event.timezone))
    return ""


def check_delegation(event: Event, unit_id: int, rows: list[PersonRow], *,
                     as_organizer: bool = False) -> None:
    """The rules of save_delegation, nothing written: the pages call it when their form has
    mistakes of its own, so one submit shows every problem."""
    registration = registration_for(event, unit_id)
    delegation = registration.delegation
    live = delegation is not None and delegation.is_live
    make_plan(event, active_delegates(delegation) if live else [], rows,
              quota=None if as_organizer else registration.quota)


@dataclass
class SaveResult:
    delegation: Delegation
    created: bool = False  # a new (or renewed) registration
    repeated: bool = False  # the same form was already saved: nothing was done again
    changes: dict[str, Any] = field(default_factory=dict)


@atomic
def save_delegation(event: Event, unit, rows: list[PersonRow], *, notes: str | None = None,
                    submission_key: str | None = None, actor=None, as_organizer: bool = False,
                    now: datetime | None = None, commit: bool = True) -> SaveResult:
    """Register the unit's delegation, or apply changes to it (add, correct, substitute, remove).
    A `submission_key` seen before (double click, retried POST) does nothing again. `commit=False`:
    a larger use case (a walk-in at the door, checkin/door.py) commits it with its own writes."""
    now = now or now_utc()
    repeated = _by_key(submission_key, event.id, unit.id)
    if repeated is not None:
        return SaveResult(repeated, repeated=True)
    registration = registration_for(event, unit.id, now)
    delegation = registration.delegation
    renewing = delegation is None or delegation.status in ENDED_DELEGATION_STATUSES
    if not as_organizer:
        if renewing and not registration.can_register:
            raise DomainError(registration.message or _("Registration is not open."))
        if not renewing and not registration.can_edit:
            raise DomainError(registration.message)
    if notes is not None and ("\x00" in notes or len(notes) > 5000):
        raise DomainError(_("At most %(n)d characters.", n=5000), "notes")
    try:
        delegation, created = _open(event, unit, delegation, renewing, submission_key, actor, now)
    except _Repeated as first:
        return SaveResult(first.delegation, repeated=True)
    plan = make_plan(event, active_delegates(delegation), rows,
                     quota=None if as_organizer else registration.quota)
    if created:
        invitation = invitation_rules.invitation_for(event.id, unit.id)
        delegation.invitation = invitation
        invitation_rules.note_registration(invitation, actor, now)
    if notes is not None:
        delegation.notes = notes.strip()
    summary = _apply(event, delegation, plan, actor, now)
    _record_save(delegation, created, summary, actor, quota=registration.quota if as_organizer else None)
    bump(f"delegations:{delegation.event_id}", f"unit:{delegation.unit_id}")
    if commit:
        db.session.commit()
    return SaveResult(delegation, created=created, changes=summary)


def _open(event: Event, unit, delegation: Delegation | None, renewing: bool, submission_key: str | None,
          actor, now: datetime) -> tuple[Delegation, bool]:
    """The delegation to write into (inserted or locked) and whether it is new; _Repeated when
    the same form was saved already (by an earlier request, or one that held the lock first)."""
    if delegation is None:
        return _create(event, unit, submission_key, actor, now), True
    locked = _lock(delegation, ENDED_DELEGATION_STATUSES if renewing else LIVE_DELEGATION_STATUSES)
    again = _by_key(submission_key, event.id, unit.id)
    if again is not None:
        db.session.rollback()
        raise _Repeated(again)
    if not locked:
        db.session.rollback()
        raise DomainError(_("The delegation was changed at the same moment elsewhere. "
                            "Check it and try again."))
    if renewing:  # a rejected or withdrawn delegation registers again: same row, a fresh decision
        delegation.status = "submitted" if event.approval_required else "confirmed"
        delegation.submitted_at, delegation.submitted_by_id = now, getattr(actor, "id", None)
        delegation.decided_at = delegation.decided_by_id = delegation.withdrawn_at = None
        delegation.reject_reason = ""
    delegation.submission_key = submission_key or delegation.submission_key
    return delegation, renewing


def _record_save(delegation: Delegation, created: bool, summary: dict[str, Any], actor, *,
                 quota: int | None) -> None:
    """Audit a save and tell the liaisons. `quota`: set when an organizer saved (going beyond it
    is recorded)."""
    as_organizer = quota is not None
    if created:
        record("delegation.submit", delegation, actor=actor, target_label=_label(delegation),
               details={"status": delegation.status, **summary})
        notifications.to_liaisons(delegation, "received" if delegation.status == "submitted" else "confirmed")
    elif summary:
        record("delegation.update", delegation, actor=actor, target_label=_label(delegation),
               details={"by_organizer": as_organizer, **summary})
        if as_organizer:
            notifications.to_liaisons(delegation, "updated")
    if as_organizer and len(active_delegates(delegation)) > quota:
        record("delegation.quota_override", delegation, actor=actor, target_label=_label(delegation),
               details={"quota": quota, "people": len(active_delegates(delegation))})


def _by_key(key: str | None, event_id: int, unit_id: int) -> Delegation | None:
    if not key:
        return None
    found = db.session.scalar(db.select(Delegation).where(Delegation.submission_key == key))
    if found is not None and (found.event_id, found.unit_id) != (event_id, unit_id):
        raise DomainError(_("This form was already used for another registration. Reload the page."))
    return found


def _create(event: Event, unit, key: str | None, actor, now: datetime) -> Delegation:
    """Insert the delegation first: the unique keys refuse a second one made at the same moment."""
    delegation = Delegation(
        event_id=event.id, unit_id=unit.id, submission_key=key, submitted_at=now,
        submitted_by_id=getattr(actor, "id", None),
        status="submitted" if event.approval_required else "confirmed",
    )
    db.session.add(delegation)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        existing = _by_key(key, event.id, unit.id)
        if existing is not None:
            raise _Repeated(existing) from None
        raise DomainError(_("Your unit's delegation was registered at the same moment from "
                                "another window. Check it and make your changes there.")) from None
    return delegation


class _Repeated(Exception):
    def __init__(self, delegation: Delegation):
        self.delegation = delegation


def _lock(delegation: Delegation, statuses: tuple[str, ...]) -> bool:
    """Serialize changes to one delegation: a write to its row is a row lock on PostgreSQL and the
    write lock on SQLite, so everything read afterwards is current."""
    result = db.session.execute(
        sa.update(Delegation.__table__)
        .where(Delegation.__table__.c.id == delegation.id, Delegation.__table__.c.status.in_(statuses))
        .values(updated_at=now_utc())
    )
    db.session.expire_all()
    return result.rowcount == 1


def _apply(event: Event, delegation: Delegation, plan: Plan, actor, now: datetime) -> dict[str, Any]:
    """Carry out a checked plan: removals first (their seats go to the waiting list), then
    corrections and substitutions, then newcomers (who queue behind anyone already waiting)."""
    summary: dict[str, Any] = {}
    freed = 0
    for _index, delegate in plan.removals:
        freed += remove(delegate, "removed", actor=actor, action="delegate.remove")
    if plan.removals:
        summary["removed"] = [d.id for _i, d in plan.removals]
    if freed:
        fill_from_waitlist(event.id, now)
    for _index, delegate, values, sessions in plan.edits:
        changes = apply_person(delegate, values, sessions)
        if changes:
            record("delegate.change", delegate, actor=actor, target_label=delegate.display_name(),
                   details={"changes": changes})
            notifications.delegate_changed(delegate, changes)
            summary.setdefault("changed", []).append(delegate.id)
    for _index, delegate, values, sessions in plan.substitutes:
        new = _substitute(delegate, values, sessions, actor, now)
        summary.setdefault("substituted", []).append([delegate.id, new.id])
    if plan.additions:
        fill_from_waitlist(event.id, now)  # seats freed elsewhere go to those waiting first
    position = max((d.position for d in delegation.delegates), default=-1) + 1
    seated: list[Delegate] = []
    for _index, values, sessions in plan.additions:
        with db.session.no_autoflush:
            delegate = Delegate(delegation=delegation, event_id=event.id, position=position,
                                status="pending")
            db.session.add(delegate)
            apply_person(delegate, {f: v for f, v in values.items() if f in PERSON_FIELDS}, sessions)
        position += 1
        db.session.flush()
        if _seat_newcomer(delegation, delegate, now):
            seated.append(delegate)
        summary.setdefault("added", []).append(delegate.id)
    seats.announce_confirmed(seated, actor=actor)
    return summary


def _seat_newcomer(delegation: Delegation, delegate: Delegate, now: datetime) -> bool:
    """pending while the delegation awaits approval; else a seat if one is free, else the queue.
    True when the person got a seat (the caller announces it: seats.announce_confirmed)."""
    if delegation.status == "submitted":
        return False
    if seats.take(delegate.event_id):
        seats.move(delegate, "confirmed", confirmed_at=now)
        notifications.delegate_confirmed(delegate)
        return True
    seats.move(delegate, "waitlisted", waitlisted_at=now)
    notifications.delegate_waitlisted(delegate)
    return False


def seat_pending(delegation: Delegation, now: datetime, actor=None) -> None:
    """Approval: every pending delegate, in form order, gets a seat or a place in the queue."""
    fill_from_waitlist(delegation.event_id, now)
    seated = [d for d in delegation.delegates if d.status == "pending" and _seat_newcomer(delegation, d, now)]
    seats.announce_confirmed(seated, actor=actor)


def _substitute(old: Delegate, values: dict, sessions, actor, now: datetime) -> Delegate:
    """A different person takes `old`'s place: same position, same status, same seat or queue
    place. `old` is removed without releasing anything (and is told so)."""
    status, sessions = old.status, list(old.sessions) if sessions is None else sessions
    if not seats.move(old, "removed"):
        raise DomainError(_("The delegation was changed at the same moment elsewhere. "
                                "Check it and try again."))
    with db.session.no_autoflush:
        new = Delegate(delegation=old.delegation, event_id=old.event_id, position=old.position,
                       substitute_for_id=old.id, waitlisted_at=old.waitlisted_at, status=status,
                       confirmed_at=now if status == "confirmed" else None)
        db.session.add(new)
        apply_person(new, {"role": old.role} | values, sessions)
    db.session.flush()
    record("delegate.substitute", new, actor=actor, target_label=new.display_name(),
           details={"replaces": old.id, "replaced_name": old.display_name(), "status": status})
    notifications.delegate_removed(old, "substituted")
    if status == "confirmed":
        notifications.delegate_confirmed(new)
    elif status == "waitlisted":
        notifications.delegate_waitlisted(new)
    return new


@atomic
def withdraw(delegation: Delegation, actor=None, *, as_organizer: bool = False,
             now: datetime | None = None) -> None:
    now = now or now_utc()
    if not as_organizer and not registration_for(delegation.event, delegation.unit_id, now).can_edit:
        raise DomainError(_("The delegation can no longer be changed. Write to the secretariat."))
    end_delegation(delegation, "withdrawn", actor=actor, now=now,
                   details={"by_organizer": as_organizer})
    notifications.to_liaisons(delegation, "withdrawn")
    bump(f"delegations:{delegation.event_id}", f"unit:{delegation.unit_id}")
    db.session.commit()


def end_delegation(delegation: Delegation, status: str, *, actor, now: datetime,
                   details: dict[str, Any], reason: str = "") -> None:
    """withdrawn or rejected: every active delegate removed and told, seats released, the waiting
    list filled; the caller commits."""
    if not _lock(delegation, LIVE_DELEGATION_STATUSES):
        raise DomainError(_("This delegation is no longer active."))
    freed = 0
    for delegate in active_delegates(delegation):
        freed += remove(delegate, "removed", reason=status)
    delegation.status = status
    if status == "withdrawn":
        delegation.withdrawn_at = now
    else:
        delegation.decided_at, delegation.decided_by_id = now, getattr(actor, "id", None)
        delegation.reject_reason = reason
    record("delegation.withdraw" if status == "withdrawn" else "delegation.reject", delegation,
           actor=actor, target_label=_label(delegation), details={"seats_freed": freed, **details})
    if freed:
        fill_from_waitlist(delegation.event_id, now)


def _label(delegation: Delegation) -> str:
    unit = delegation.unit
    return f"{getattr(unit, 'name_en', '') or getattr(unit, 'name_zh', '')} → event #{delegation.event_id}"
