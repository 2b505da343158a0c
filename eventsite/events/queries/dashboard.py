"""The organizer's read side: the dashboard (every event with its phase, registration state and
next action, in a constant number of statements: the events, then grouped counts for the page's
events) and who a notice of an event reaches."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case

from ...core.gettext import gettext as _
from ...core.gettext import ngettext
from ...core.timefmt import local_date, local_time
from ...delegations.models import (
    ACTIVE_DELEGATE_STATUSES,
    ADMITTED_DELEGATE_STATUSES,
    LIVE_DELEGATION_STATUSES,
    Delegate,
    Delegation,
)
from ...extensions import db, now_utc
from ...invitations.models import Invitation
from ...members.models import MemberUnit
from ..models import Event
from ..rules import registration_state


def dashboard_query(status: str, now: datetime | None = None):
    """Events for the filter, upcoming first (soonest first), then the ended ones (latest first)."""
    now = now or now_utc()
    query = db.select(Event)
    if status == "upcoming":
        query = query.where(Event.ends_at > now)
    elif status in ("draft", "cancelled"):
        query = query.where(Event.status == status)
    elif status == "published":
        query = query.where(Event.status == "published", Event.ends_at > now)
    elif status == "past":
        query = query.where(Event.status == "published", Event.ends_at <= now)
    ended = case((Event.ends_at <= now, 1), else_=0)
    return query.order_by(ended, case((Event.ends_at > now, Event.starts_at)),
                          Event.starts_at.desc(), Event.id)


@dataclass
class Counts:
    invited: int = 0
    answered: int = 0  # accepted or declined
    delegations: int = 0  # submitted or confirmed
    waiting_approval: int = 0
    confirmed: int = 0  # delegates holding a seat
    waitlisted: int = 0


def counts_for(event_ids: list[int]) -> dict[int, Counts]:
    """Invitation and delegation counts per event, in three grouped queries."""
    counts = {event_id: Counts() for event_id in event_ids}
    if not event_ids:
        return counts
    for event_id, state, n in db.session.execute(
        db.select(Invitation.event_id, Invitation.state, db.func.count())
        .where(Invitation.event_id.in_(event_ids), Invitation.state != "revoked")
        .group_by(Invitation.event_id, Invitation.state)
    ):
        counts[event_id].invited += n
        if state in ("accepted", "declined"):
            counts[event_id].answered += n
    for event_id, status, n in db.session.execute(
        db.select(Delegation.event_id, Delegation.status, db.func.count())
        .where(Delegation.event_id.in_(event_ids), Delegation.status.in_(LIVE_DELEGATION_STATUSES))
        .group_by(Delegation.event_id, Delegation.status)
    ):
        counts[event_id].delegations += n
        if status == "submitted":
            counts[event_id].waiting_approval += n
    for event_id, status, n in db.session.execute(
        db.select(Delegate.event_id, Delegate.status, db.func.count())
        .where(Delegate.event_id.in_(event_ids), Delegate.status.in_(ADMITTED_DELEGATE_STATUSES))
        .group_by(Delegate.event_id, Delegate.status)
    ):
        setattr(counts[event_id], status, n)
    return counts


@dataclass
class Row:
    event: Event
    title: str
    title_language: str | None
    place: str
    starts: str
    ends: str
    phase: str
    registration: str
    next_action: str | None
    counts: Counts


def next_action(event: Event, phase: str, registration: str, counts: Counts) -> str | None:
    if phase == "draft":
        return _("Publish when the agenda is ready")
    if phase == "past":
        return _("Archive")
    if phase != "published":
        return None
    if counts.waiting_approval:
        return ngettext("%(num)d delegation waits for approval",
                        "%(num)d delegations wait for approval", counts.waiting_approval)
    if registration in ("not_open", "open") and not counts.invited and event.registration_mode == "invited_only":
        return _("Invite member units")
    if registration == "not_open":
        return _("Registration opens on %(date)s",
                 date=local_date(event.registration_opens_at, event.timezone))
    if registration == "open" and event.registration_closes_at:
        return _("Registration closes on %(date)s",
                 date=local_date(event.registration_closes_at, event.timezone))
    if registration == "none":
        return _("Set the registration dates")
    return _("Prepare the event")


def rows(events, lang: str, now: datetime | None = None) -> list[Row]:
    now = now or now_utc()
    counts = counts_for([event.id for event in events])
    out = []
    for event in events:
        phase, registration = event.phase(now), registration_state(event, now)
        out.append(Row(event, *event.text("title", lang), event.place(lang),
                       local_time(event.starts_at, event.timezone), local_time(event.ends_at, event.timezone),
                       phase, registration, next_action(event, phase, registration, counts[event.id]),
                       counts[event.id]))
    return out


@dataclass(frozen=True)
class Audience:
    """How many people an event-level notice reaches (shown to the organizer before saving)."""

    confirmed: int  # a calendar message (REQUEST / CANCEL)
    waiting: int  # waitlisted or awaiting approval: a plain notice on cancellation
    units: int  # units with a live delegation: their liaisons, on cancellation


def audience(event: Event) -> Audience:
    counts = dict(db.session.execute(
        db.select(Delegate.status, db.func.count(Delegate.id))
        .where(Delegate.event_id == event.id, Delegate.email != "")
        .group_by(Delegate.status)
    ).all())
    units = db.session.scalar(
        db.select(db.func.count(Delegation.id))
        .where(Delegation.event_id == event.id, Delegation.status.in_(LIVE_DELEGATION_STATUSES))
    )
    return Audience(counts.get("confirmed", 0), counts.get("waitlisted", 0) + counts.get("pending", 0),
                    units or 0)


def over_default_quota(event: Event, language: str) -> list[tuple[str, int]]:
    """(unit name, people registered) of the units without an invitation (their quota is the
    event's default) whose delegation has more people coming than that quota."""
    invited = db.select(Invitation.unit_id).where(Invitation.event_id == event.id)
    found = db.session.execute(
        db.select(MemberUnit, db.func.count(Delegate.id))
        .join(Delegation, Delegation.unit_id == MemberUnit.id)
        .join(Delegate, Delegate.delegation_id == Delegation.id)
        .where(Delegation.event_id == event.id, Delegation.status.in_(LIVE_DELEGATION_STATUSES),
               Delegate.status.in_(ACTIVE_DELEGATE_STATUSES), MemberUnit.id.not_in(invited))
        .group_by(MemberUnit.id)
        .having(db.func.count(Delegate.id) > event.default_quota)
        .order_by(MemberUnit.id)).all()
    return [(unit.display_name(language), registered) for unit, registered in found]
