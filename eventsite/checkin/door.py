"""What organizers do at the door (docs/onsite/door.md): check a person in by hand, undo a
check-in with a reason, admit a walk-in or a substitute through the registration rules of
delegations (an organizer may override a refusal, recorded), and assign the check-in staff.
Each use case checks every rule first (Problems: one submit shows everything), writes, audits and
commits once."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from ..accounts.models import User
from ..accounts.services import add_account, new_account_address
from ..audit.services import record
from ..core.domain import DomainError, Problems, atomic
from ..core.gettext import gettext as _
from ..core.gettext import ngettext
from ..core.timefmt import local_time
from ..core.validators import has_control_chars
from ..delegations import seats
from ..delegations.models import ADMITTED_DELEGATE_STATUSES, Delegate
from ..delegations.rules import PersonRow, make_plan
from ..delegations.services import active_delegates, registration_for, save_delegation
from ..events.models import Event
from ..extensions import db, now_utc
from .models import CheckIn, CheckinAssignment
from .services import Outcome, check_in

REASON_MAX = 500
# What a walk-in or substitute form gives of the person (the rest is asked later, if ever).
DOOR_FIELDS = ("family_name", "given_name", "name_zh", "role", "email", "language")


def _reason(reason: str | None, required: bool = True) -> str:
    reason = (reason or "").strip()
    if "\x00" in reason or len(reason) > REASON_MAX:
        raise DomainError(_("At most %(n)d characters.", n=REASON_MAX), "reason")
    if required and not reason:
        raise DomainError(_("Give the reason: it is kept in the audit log."), "reason")
    return reason


def already_text(row: CheckIn, zone: str) -> str:
    by = row.by.name or row.by.email if row.by is not None else _("unknown")
    return _("Already checked in at %(when)s by %(who)s.", when=local_time(row.scanned_at, zone), who=by)


def _admitted(delegate: Delegate, event: Event) -> None:
    if delegate.event_id != event.id or delegate.status not in ADMITTED_DELEGATE_STATUSES:
        raise DomainError(_("Only a confirmed or waiting delegate of this event can be checked in."))


# --- manual check-in and undo ----------------------------------------------------------------
@atomic
def manual_check_in(event: Event, delegate: Delegate, actor, now: datetime | None = None) -> Outcome:
    """Check `delegate` in by hand (method "manual"); a second time changes nothing."""
    _admitted(delegate, event)
    outcome = check_in(delegate, by=actor, scanned_at=now or now_utc(), method="manual")
    if outcome.created:
        record("checkin.manual", delegate, actor=actor, target_label=delegate.display_name(),
               details={"event_id": event.id})
    db.session.commit()
    return outcome


@atomic
def undo_check_in(event: Event, row: CheckIn, reason: str, actor) -> None:
    """The door check-in is deleted (the person counts as not arrived again); the reason is kept."""
    reason = _reason(reason)
    if row.event_id != event.id:
        raise DomainError(_("This check-in belongs to another event."))
    delegate = row.delegate
    record("checkin.undone", delegate, actor=actor, target_label=delegate.display_name(),
           details={"event_id": event.id, "reason": reason, "method": row.method, "by_id": row.by_id,
                    "scanned_at": row.scanned_at.isoformat()})
    deleted = db.session.execute(sa.delete(CheckIn).where(CheckIn.id == row.id)).rowcount
    if deleted != 1:
        raise DomainError(_("This check-in was undone a moment ago elsewhere."))
    db.session.commit()


# --- walk-ins and substitutes ----------------------------------------------------------------
def _person(values: dict) -> dict:
    return {f: values[f] for f in DOOR_FIELDS if f in values}


def check_walk_in(event: Event, unit, values: dict, *, override: bool = False,
                  reason: str = "") -> list[str]:
    """Every problem of a walk-in at once (DomainError); returns the refusals the override lifts."""
    problems = Problems()
    registration = registration_for(event, unit.id)
    delegation = registration.delegation
    live = delegation is not None and delegation.is_live
    if event.status != "published":
        problems.add(None, _("Only a published event admits people at the door."))
    if live and delegation.status == "submitted":
        problems.add(None, _("This unit's delegation awaits approval: approve it first."))
    elif not live and event.approval_required:
        problems.add(None, _("This event requires approval: register the unit's delegation and "
                             "approve it on the delegations page first."))
    current = active_delegates(delegation) if live else []
    problems.check(make_plan, event, current, [PersonRow(_person(values))], None)
    refusals = []
    if len(current) + 1 > registration.quota:
        refusals.append(ngettext("The unit's quota is %(num)d person.",
                                 "The unit's quota is %(num)d people.", registration.quota))
    if registration.seats_left == 0:
        refusals.append(_("The event is full (%(n)d seats).", n=event.capacity or 0))
    if refusals and not override:
        for message in refusals:
            problems.add(None, message)
        problems.add("override", _("To admit this person anyway, tick the override and give the "
                                   "reason."))
    if override and refusals:
        problems.check(_reason, reason)
    problems.raise_if_any()
    return refusals


@atomic
def walk_in(event: Event, unit, values: dict, actor, *, override: bool = False, reason: str = "",
            now: datetime | None = None) -> Delegate:
    """A person not registered joins the unit's delegation (or a new one) through the same rules
    as online registration (delegations.services.save_delegation) and is checked in."""
    now = now or now_utc()
    refusals = check_walk_in(event, unit, values, override=override, reason=reason)
    result = save_delegation(event, unit, [PersonRow(_person(values))], actor=actor, as_organizer=True,
                             now=now, commit=False)
    delegate = db.session.get(Delegate, result.changes["added"][0])
    raised = _seat(event, delegate, override, now)
    if override and (refusals or raised):
        record("checkin.override", delegate, actor=actor, target_label=delegate.display_name(),
               details={"event_id": event.id, "reason": _reason(reason), "refused": [str(r) for r in refusals],
                        "capacity_raised": raised})
    check_in(delegate, by=actor, scanned_at=now, method="walk_in")
    record("checkin.walk_in", delegate, actor=actor, target_label=delegate.display_name(),
           details={"event_id": event.id, "unit_id": unit.id, "override": bool(override and refusals)})
    db.session.commit()
    return delegate


def _seat(event: Event, delegate: Delegate, override: bool, now: datetime) -> bool:
    """The walk-in holds a seat now. Without one (the last seat went to another door a moment
    ago, or to those waiting): refused, or with the override the capacity grows by one.
    True when it grew."""
    if delegate.status == "confirmed":
        return False
    if delegate.status != "waitlisted":
        raise DomainError(_("This unit's delegation awaits approval: approve it first."))
    if not override:
        raise DomainError(_("No seat is free: the last one was just taken. To admit this person "
                            "anyway, tick the override and give the reason."), "override")
    table = Event.__table__
    db.session.execute(sa.update(table).where(table.c.id == event.id, table.c.capacity.is_not(None))
                       .values(capacity=table.c.capacity + 1))
    db.session.expire(event, ["capacity"])
    if not seats.take(event.id) or not seats.move(delegate, "confirmed", confirmed_at=now):
        raise DomainError(_("This person was changed at the same moment elsewhere. Reload the page."))
    seats.announce_confirmed([delegate])
    return True


def check_substitute(event: Event, original: Delegate, values: dict) -> None:
    problems = Problems()
    if original.event_id != event.id or original.status not in ADMITTED_DELEGATE_STATUSES:
        problems.add(None, _("Only a confirmed or waiting delegate can be replaced."))
    elif db.session.scalar(db.select(CheckIn.id).filter_by(event_id=event.id, delegate_id=original.id)):
        problems.add(None, _("This person has already checked in: undo the check-in first."))
    delegation = original.delegation
    current = active_delegates(delegation) if delegation.is_live else []
    values = {"role": original.role} | _person(values)
    problems.check(make_plan, event, current,
                   [PersonRow(values, id=original.id, substitute=True)], None)
    problems.raise_if_any()


@atomic
def substitute(event: Event, original: Delegate, values: dict, actor,
               now: datetime | None = None) -> Delegate:
    """A newcomer takes the place (and the seat) of a registered person who did not come; the
    original is marked removed as delegations do for substitutes; the newcomer is checked in."""
    now = now or now_utc()
    check_substitute(event, original, values)
    values = {"role": original.role} | _person(values)
    result = save_delegation(event, original.delegation.unit, [PersonRow(values, id=original.id, substitute=True)],
                             actor=actor, as_organizer=True, now=now, commit=False)
    delegate = db.session.get(Delegate, result.changes["substituted"][0][1])
    check_in(delegate, by=actor, scanned_at=now, method="walk_in")
    record("checkin.substitute", delegate, actor=actor, target_label=delegate.display_name(),
           details={"event_id": event.id, "replaces": original.id, "replaced_name": original.display_name()})
    db.session.commit()
    return delegate


# --- check-in staff --------------------------------------------------------------------------
def staff_of(event: Event) -> list[User]:
    return list(db.session.scalars(
        db.select(User).join(CheckinAssignment, CheckinAssignment.user_id == User.id)
        .where(CheckinAssignment.event_id == event.id).order_by(User.name, User.email)))


def assignable(event: Event) -> list[User]:
    """Check-in accounts not yet assigned to the event."""
    assigned = db.select(CheckinAssignment.user_id).where(CheckinAssignment.event_id == event.id)
    return list(db.session.scalars(
        db.select(User).where(User.role == "checkin", User.id.not_in(assigned)).order_by(User.name, User.email)))


def _assign(event: Event, user: User, actor) -> None:
    if user.role != "checkin":
        raise DomainError(_("Only a check-in staff account can be assigned."), "user")
    try:
        with db.session.begin_nested():
            db.session.add(CheckinAssignment(user_id=user.id, event_id=event.id))
    except IntegrityError:
        raise DomainError(_("This account is already assigned to the event."), "user") from None
    record("checkin.staff_assign", user, actor=actor, target_label=user.email,
           details={"event_id": event.id})


@atomic
def assign_staff(event: Event, user: User, actor) -> None:
    _assign(event, user, actor)
    db.session.commit()


@atomic
def create_staff(event: Event, *, email: str, name: str, language: str | None, actor) -> User:
    """A new check-in account (activation link mailed, as the admin's new accounts), assigned."""
    problems = Problems()
    address = problems.check(new_account_address, email)
    name = (name or "").strip()
    if not name or has_control_chars(name) or len(name) > 200:
        problems.add("name", _("Give the person's name (one line, at most 200 characters)."))
    if language not in ("zh", "en"):
        problems.add("language", _("Choose Chinese or English."))
    problems.raise_if_any()
    user = add_account(User(email=address, name=name, role="checkin", locale=language, password_hash=None),
                       {"role": "checkin", "locale": language, "event_id": event.id}, actor=actor)
    _assign(event, user, actor)
    db.session.commit()
    return user


@atomic
def unassign_staff(event: Event, user: User, actor) -> None:
    deleted = db.session.execute(sa.delete(CheckinAssignment).where(
        CheckinAssignment.event_id == event.id, CheckinAssignment.user_id == user.id)).rowcount
    if not deleted:
        raise DomainError(_("This account is not assigned to the event."))
    record("checkin.staff_unassign", user, actor=actor, target_label=user.email,
           details={"event_id": event.id})
    db.session.commit()
