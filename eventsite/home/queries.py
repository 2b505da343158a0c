"""The home page's read side: the next events as cards, and "what to do next" for the person logged
in, each item with a count and a link, in a fixed number of statements; counts match the page each
link opens (an unanswered invitation is one the tracking page shows as "invited": invitations/queries.py)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import url_for

from ..core.gettext import gettext as _
from ..core.gettext import ngettext
from ..core.i18n import Text, localized
from ..core.timefmt import local_time
from ..delegations.models import ACTIVE_DELEGATE_STATUSES, LIVE_DELEGATION_STATUSES, Delegate, Delegation
from ..events.models import Event
from ..events.queries import EventCard, event_card
from ..extensions import db, now_utc
from ..invitations import queries as invitation_status
from ..invitations.models import Invitation
from ..invitations.rules import active_unit

# How many upcoming events the home page shows.
UPCOMING = 6
# A liaison is told about an editing deadline this long before it.
SOON = timedelta(days=7)


def upcoming_cards(language: str, viewer_zone: str) -> list[EventCard]:
    """Published events that have not ended, soonest first (one statement)."""
    events = db.session.scalars(db.select(Event).where(_published_open(now_utc()))
                                .order_by(Event.starts_at, Event.id).limit(UPCOMING))
    return [event_card(event, language, viewer_zone) for event in events]


@dataclass(frozen=True)
class Item:
    """One thing to do. `kind` names the rule (for styling and tests); `subject` is the event."""

    kind: str
    text: str
    url: str
    count: int | None = None
    subject: Text | None = None


def for_user(user, language: str, now: datetime | None = None) -> list[Item]:
    """The items for `user`'s role; nothing for anyone else (and for a liaison without a unit)."""
    now = now or now_utc()
    if not getattr(user, "is_authenticated", False):
        return []
    if user.is_staff:
        return for_staff(language, now)
    if user.role == "liaison" and user.unit_id:
        return for_liaison(user.unit_id, language, now)
    return []


# --- organizers and admins ----------------------------------------------------------------------
def _published_open(now: datetime) -> sa.ColumnElement[bool]:
    return sa.and_(Event.status == "published", Event.ends_at > now)


def _invitation_statuses(now: datetime) -> Counter[tuple[int, str]]:
    """(event id, shown status) -> count of pending, unexpired invitations of open events (2 statements)."""
    pending = sa.and_(Invitation.state == "pending", Invitation.expires_at > now, _published_open(now))
    rows = db.session.execute(
        db.select(Invitation, Delegation.status)
        .join(Event, Event.id == Invitation.event_id)
        .outerjoin(Delegation, sa.and_(Delegation.event_id == Invitation.event_id,
                                       Delegation.unit_id == Invitation.unit_id))
        .where(pending)).all()
    mail = invitation_status.mail_states(
        db.select(Invitation.id).join(Event, Event.id == Invitation.event_id).where(pending))
    counts: Counter[tuple[int, str]] = Counter()
    for invitation, delegation_status in rows:
        state = mail.get(invitation.id, invitation_status.MailState())
        delegation = (delegation_status, None) if delegation_status else None
        shown, _when = invitation_status.derive(invitation, state, delegation, now)
        counts[(invitation.event_id, shown)] += 1
    return counts


def _missing_details(where: sa.ColumnElement[bool]) -> dict[int, tuple[int, int]]:
    """event id -> (delegates without email, delegates with email but no arrival time)."""
    no_email = Delegate.email == ""
    no_arrival = sa.and_(Delegate.email != "", Delegate.arrival_at.is_(None))
    rows = db.session.execute(
        db.select(Delegate.event_id, sa.func.sum(sa.case((no_email, 1), else_=0)),
                  sa.func.sum(sa.case((no_arrival, 1), else_=0)))
        .join(Delegation, Delegation.id == Delegate.delegation_id)
        .join(Event, Event.id == Delegate.event_id)
        .where(where)
        .group_by(Delegate.event_id)).all()
    return {event_id: (int(a or 0), int(b or 0)) for event_id, a, b in rows}


def _missing_count(event: Event, counts: tuple[int, int]) -> int:
    """Without email always counts; without arrival time only when the event asks for travel."""
    no_email, no_arrival = counts
    return no_email + (no_arrival if event.collects("travel") else 0)


def _counted(kind: str, n: int, text: str, url: str, subject: Text | None = None) -> list[Item]:
    """The item when there is something to count, else none."""
    return [Item(kind, text, url, n, subject)] if n else []


def _missing_text(n: int) -> str:
    return ngettext("%(num)d delegate with missing details", "%(num)d delegates with missing details", n)


def _invitation_text(shown: str, n: int) -> str:
    if shown == "invited":
        return ngettext("%(num)d invitation unanswered", "%(num)d invitations unanswered", n)
    if shown == "mail_failed":
        return ngettext("%(num)d invitation mail failed", "%(num)d invitation mails failed", n)
    return ngettext("%(num)d invited unit has no address to write to",
                    "%(num)d invited units have no address to write to", n)


def for_staff(language: str, now: datetime) -> list[Item]:
    """Five statements: open events, pending invitations, their mail, submitted delegations,
    delegates' missing details."""
    events = db.session.scalars(db.select(Event).where(Event.status != "cancelled", Event.ends_at > now)
                                .order_by(Event.starts_at, Event.id)).all()
    invitations = _invitation_statuses(now)
    waiting = dict(db.session.execute(
        db.select(Delegation.event_id, sa.func.count())
        .join(Event, Event.id == Delegation.event_id)
        .where(Delegation.status == "submitted", _published_open(now))
        .group_by(Delegation.event_id)).all())
    missing = _missing_details(sa.and_(Delegate.status == "confirmed", _published_open(now)))

    drafts = sum(1 for e in events if e.status == "draft" and e.starts_at > now)
    items = _counted("drafts", drafts, ngettext("%(num)d draft event to publish",
                                                "%(num)d draft events to publish", drafts),
                     url_for("event_admin.dashboard", status="draft"))
    for event in events:
        if event.status != "published":
            continue
        title = localized(event, "title", language)
        for shown in ("invited", "mail_failed", "no_address"):
            n = invitations[(event.id, shown)]
            items += _counted(f"invitations_{shown}", n, _invitation_text(shown, n),
                              url_for("invitation_admin.index", event_id=event.id, status=shown), title)
        n = waiting.get(event.id, 0)
        items += _counted("approval", n, ngettext("%(num)d delegation waits for approval",
                                                  "%(num)d delegations wait for approval", n),
                          url_for("delegation_admin.index", event_id=event.id, status="submitted"), title)
        n = _missing_count(event, missing.get(event.id, (0, 0)))
        items += _counted("missing_details", n, _missing_text(n),
                          url_for("delegation_admin.index", event_id=event.id), title)
    return items


# --- liaisons -----------------------------------------------------------------------------------
def for_liaison(unit_id: int, language: str, now: datetime) -> list[Item]:
    """Three statements on the unit's own records; nothing for a deactivated unit, which may
    neither answer nor change anything (the condition is in each statement)."""
    active = active_unit(unit_id)
    registered = sa.exists().where(Delegation.event_id == Invitation.event_id,
                                   Delegation.unit_id == Invitation.unit_id,
                                   Delegation.status.in_(LIVE_DELEGATION_STATUSES))
    to_answer = db.session.scalar(
        db.select(sa.func.count()).select_from(Invitation)
        .join(Event, Event.id == Invitation.event_id)
        .where(Invitation.unit_id == unit_id, Invitation.state == "pending",
               Invitation.expires_at > now, _published_open(now), ~registered, active)) or 0
    live = db.session.execute(
        db.select(Delegation, Event)
        .join(Event, Event.id == Delegation.event_id)
        .where(Delegation.unit_id == unit_id, Delegation.status.in_(LIVE_DELEGATION_STATUSES),
               Event.status == "published", Event.starts_at > now, active)
        .order_by(Event.starts_at, Event.id)).all()
    missing = _missing_details(sa.and_(
        Delegation.unit_id == unit_id, Delegation.status.in_(LIVE_DELEGATION_STATUSES),
        Delegate.status.in_(ACTIVE_DELEGATE_STATUSES), _published_open(now), active))

    items = _counted("invitations_to_answer", to_answer, ngettext(
        "%(num)d invitation to answer", "%(num)d invitations to answer", to_answer),
        url_for("invitations.mine"))
    for _delegation, event in live:
        until = event.changes_until()
        if until <= now:
            continue  # changes are closed: nothing the liaison can do here
        title = localized(event, "title", language)
        form = url_for("delegations.register", event_id=event.id)
        if until <= now + SOON:
            items.append(Item("edit_deadline", _("You can change your delegation until %(when)s",
                                                 when=local_time(until, event.timezone)),
                              form, None, title))
        n = _missing_count(event, missing.get(event.id, (0, 0)))
        items += _counted("missing_details", n, _missing_text(n), form, title)
    return items
