"""The delegation emails, written to the outbox in each recipient's language (callers commit).

The unit (its liaisons, else its receiving contacts) hears about the delegation as a whole; each
delegate with an address hears about their own place. Every service that confirms, waitlists,
changes or removes a delegate calls one `delegate_*` function here, so the calendar part (iTIP over
iMIP, docs/calendar.md) cannot be forgotten: a seat brings a METHOD:REQUEST, leaving after holding
one a METHOD:CANCEL with the same UID. A personal link's raw token goes only in the first mail to a
person and after a rotation or a changed address (only its hash is stored).
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import func

from ..accounts.models import User
from ..accounts.notifications import language_of
from ..calendar.attachments import imip_parts
from ..calendar.builder import Attendee
from ..core.addresses import distinct_addresses
from ..core.gettext import lazy_gettext as _l
from ..core.timefmt import span_text
from ..core.tokens import new_token
from ..core.urls import external_url
from ..extensions import db
from ..mail.services import enqueue_template, register_kind
from . import labels
from .models import ACTIVE_DELEGATE_STATUSES, ADMITTED_DELEGATE_STATUSES, Delegate, Delegation

DELEGATION_NOTICE = register_kind("delegation_notice", _l("Delegation: notice to the unit"))
DELEGATE_NOTICE = register_kind("delegate_notice", _l("Delegation: notice to a delegate"))

LIAISON_SUBJECTS = {
    "received": _l("Delegation received, awaiting approval: %(event)s"),
    "confirmed": _l("Delegation registered: %(event)s"),
    "approved": _l("Delegation approved: %(event)s"),
    "rejected": _l("Delegation not accepted: %(event)s"),
    "withdrawn": _l("Delegation withdrawn: %(event)s"),
    "updated": _l("Your delegation was changed by the secretariat: %(event)s"),
    "promoted": _l("A seat was freed for your delegation: %(event)s"),
    "declined": _l("A delegate declined: %(event)s"),
    "event_cancelled": _l("Event cancelled: %(event)s"),
    "event_changed": _l("Changed: %(event)s"),
}
DELEGATE_SUBJECTS = {
    "confirmed": _l("Your registration is confirmed: %(event)s"),
    "promoted": _l("A seat is free: your registration is confirmed: %(event)s"),
    "waitlisted": _l("You are on the waiting list: %(event)s"),
    "changed": _l("Your registration was updated: %(event)s"),
    "removed": _l("Your registration was cancelled: %(event)s"),
    "link": _l("Your personal registration link: %(event)s"),
    "moved": _l("Your registration now uses another email address: %(event)s"),
    "event_changed": _l("Changed: %(event)s"),
    "event_cancelled": _l("Cancelled: %(event)s"),
}


LIAISON_INTROS = {
    "received": _l("We received your unit's delegation for %(event)s. The secretariat reviews "
                   "each delegation; you will hear from us when it is approved."),
    "confirmed": _l("Your unit's delegation for %(event)s is registered. Each delegate with an "
                    "email address receives a personal confirmation."),
    "approved": _l("The secretariat approved your unit's delegation for %(event)s."),
    "rejected": _l("The secretariat did not accept your unit's delegation for %(event)s."),
    "withdrawn": _l("Your unit's delegation for %(event)s was withdrawn; its seats were given "
                    "back."),
    "updated": _l("The secretariat changed your unit's delegation for %(event)s."),
    "promoted": _l("A seat was freed for %(event)s and given to this delegate of your unit, "
                   "who was on the waiting list:"),
    "declined": _l("This delegate of your unit declined their place at %(event)s:"),
    "event_cancelled": _l("%(event)s has been cancelled. Each of your delegates with an email "
                          "address has been told."),
    "event_changed": _l("The secretariat changed %(event)s. Each of your confirmed delegates "
                        "with an email address has received an update for their calendar."),
}
DELEGATE_INTROS = {
    "confirmed": _l("Your registration for %(event)s is confirmed: a seat is reserved for you "
                    "in the delegation of %(unit)s."),
    "promoted": _l("A seat became free: your registration for %(event)s is now confirmed."),
    "waitlisted": _l("%(event)s is full for now, so you are on the waiting list. When a seat "
                     "frees up you get it in turn, and we write to you at once."),
    "changed": _l("Your registration for %(event)s was updated."),
    "link": _l("Here is your new personal link for %(event)s. The links in earlier emails no "
               "longer work."),
    "moved": _l("Your registration for %(event)s now uses another email address. This mailbox "
                "will get no more messages about it, and the links in earlier emails no longer "
                "work. If you did not ask for this, write to the secretariat."),
    "event_changed": _l("The secretariat changed %(event)s. Your registration stays as it is."),
    "event_cancelled": _l("%(event)s has been cancelled."),
}
# The "removed" notice, by why the delegate is out.
REMOVED_INTROS = {
    "declined": _l("You declined your place at %(event)s. Your seat has been given back."),
    "substituted": _l("Your delegation has named another person in your place for %(event)s."),
    "rejected": _l("Your delegation's registration for %(event)s was not accepted by the "
                   "secretariat."),
    "withdrawn": _l("Your delegation withdrew its registration for %(event)s."),
    "removed": _l("You are no longer registered for %(event)s."),
}


def _send(*, kind: str, template: str, to_addr: str, to_name: str, language: str, subject, intro,
          context: dict[str, Any], refs: dict[str, Any], **options: Any) -> None:
    """One notice in `language`, the event's times on its own clock."""
    event, unit = context["event"], context.get("unit")
    with force_locale(language):
        title = event.text("title", language)[0]
        full = {
            "event_title": title,
            "event_when": span_text(event.starts_at, event.ends_at, event.timezone, date_first=True),
            "event_where": ", ".join(p for p in (event.shown("venue_name", language), event.place(language)) if p),
            "cancel_reason": (event.text("cancel_reason", language)[0]
                              if event.status == "cancelled" else ""),
            "labels": labels,
            "intro": str(intro) % {"event": title, "unit": unit.display_name(language) if unit else ""},
        } | context
        enqueue_template(kind=kind, template=template, to_addr=to_addr, to_name=to_name,
                         language=language, subject=str(subject) % {"event": title}, context=full,
                         refs=refs, **options)


def unit_recipients(unit) -> list[tuple[str, str, str]]:
    """(address, name, language) of the unit's liaison accounts, else its receiving contacts;
    one per address (core.addresses.distinct_addresses), so contacts sharing a mailbox get one
    message and the outbox's dedupe keys never clash."""
    users = db.session.scalars(
        db.select(User).where(User.unit_id == unit.id, User.role == "liaison",
                              User.is_active_flag.is_(True)).order_by(User.id)
    ).all()
    if users:
        return [(address, u.name, language_of(u))
                for address, u in distinct_addresses(users, lambda u: u.email)]
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    contacts = [c for c in unit.contacts if c.receives_invitations]
    return [(address, c.name_latin or c.name_zh,
             c.language if c.language in ("zh", "en") else default)
            for address, c in distinct_addresses(contacts, lambda c: c.email)]


def to_liaisons(delegation: Delegation, notice: str, *, people: list[Delegate] | None = None,
                reason: str = "", context: dict[str, Any] | None = None,
                dedupe: Callable[[str], str] | None = None) -> None:
    """Tell the unit what happened to its delegation, with everyone's status. `context` adds to
    the template's; `dedupe(address)` gives each message its outbox dedupe_key."""
    active = [d for d in delegation.delegates if d.is_active]
    counts = {s: sum(1 for d in active if d.status == s) for s in ACTIVE_DELEGATE_STATUSES}
    link = external_url("delegations.register", event_id=delegation.event_id)
    for address, name, language in unit_recipients(delegation.unit):
        _send(kind=DELEGATION_NOTICE, template="delegation_liaison", to_addr=address, to_name=name,
              language=language, subject=LIAISON_SUBJECTS[notice], intro=LIAISON_INTROS[notice],
              context={"event": delegation.event, "notice": notice, "delegation": delegation,
                       "delegates": active, "counts": counts, "people": people or [],
                       "reason": reason or delegation.reject_reason,
                       "link": link} | (context or {}),
              refs={"delegation": delegation.id, "notice": notice},
              unit_id=delegation.unit_id, event_id=delegation.event_id,
              dedupe_key=dedupe(address) if dedupe else None)


def to_delegate(delegate: Delegate, notice: str, *, link: str | None = None, reason: str = "",
                changes: dict[str, Any] | None = None, context: dict[str, Any] | None = None,
                address: str | None = None, **options: Any) -> None:
    """One delegate's notice. `address`: the mailbox they left, if not their own; `options` go
    to the outbox (iMIP parts, dedupe_key)."""
    address = address or delegate.email
    if not address:
        return
    language, delegation = delegate.mail_language, delegate.delegation
    _send(kind=DELEGATE_NOTICE, template="delegation_delegate", to_addr=address,
          to_name=delegate.display_name(language), language=language,
          subject=DELEGATE_SUBJECTS[notice],
          intro=REMOVED_INTROS[reason] if notice == "removed" else DELEGATE_INTROS[notice],
          context={"event": delegation.event, "notice": notice, "delegate": delegate,
                   "name": delegate.display_name(language), "unit": delegation.unit,
                   "link": link, "reason": reason, "changes": sorted(changes or {}),
                   "calendar_method": options.get("calendar_method")} | (context or {}),
          refs={"delegate": delegate.id, "delegation": delegation.id, "notice": notice},
          unit_id=delegation.unit_id, delegate_id=delegate.id, event_id=delegation.event_id,
          **options)


def issue_link(delegate: Delegate) -> tuple[str, str]:
    """A new personal link (the old one stops working): (raw token, URL)."""
    raw, digest = new_token()
    if delegate.token_hash is not None:  # a replaced link replaces the badge's code too
        delegate.badge_code = None
    delegate.token_hash = digest
    return raw, external_url("delegate.personal", event_id=delegate.event_id, token=raw)


def _first_link(delegate: Delegate) -> str | None:
    return issue_link(delegate)[1] if delegate.email and delegate.token_hash is None else None


def calendar_message(delegate: Delegate, method: str, *, address: str | None = None,
                     now: datetime | None = None) -> dict[str, Any]:
    """The iMIP parts (REQUEST or CANCEL) of one mail to `delegate`, with that person's SEQUENCE.

    RFC 5546: each calendar message to a person must be newer than the last one they got (a
    CANCEL than its REQUEST, a later REQUEST than that CANCEL), so each carries the higher of the
    event's SEQUENCE and the person's last one + 1, kept in `Delegate.calendar_sequence` (an
    address registered again continues above what it got before). The event's own SEQUENCE is
    not raised for one person: everyone else's copy stays current."""
    event = delegate.delegation.event
    address = address or delegate.email
    last = delegate.calendar_sequence
    if last is None:
        with db.session.no_autoflush:
            last = db.session.scalar(
                db.select(func.max(Delegate.calendar_sequence))
                .where(Delegate.event_id == event.id,
                       func.lower(Delegate.email) == (address or "").lower()))
    sequence = int(event.sequence or 0) if last is None else max(int(event.sequence or 0), last + 1)
    delegate.calendar_sequence = sequence
    language = delegate.mail_language
    return imip_parts(event, Attendee(address, delegate.display_name(language)),
                      method=method, language=language, now=now, sequence=sequence)


def _imip(delegate: Delegate, method: str, address: str | None = None) -> dict:
    """No calendar part for a draft (publishing sends the REQUESTs) or a cancelled event (its
    CANCEL went to everyone)."""
    if delegate.delegation.event.status != "published":
        return {}
    return calendar_message(delegate, method, address=address)


def delegate_confirmed(delegate: Delegate, *, promoted: bool = False) -> None:
    """The delegate now holds a seat (registered, approved, promoted, or a substitute)."""
    if delegate.email:
        to_delegate(delegate, "promoted" if promoted else "confirmed", link=_first_link(delegate),
                    **_imip(delegate, "REQUEST"))


def delegate_waitlisted(delegate: Delegate) -> None:
    if delegate.email:
        to_delegate(delegate, "waitlisted", link=_first_link(delegate))


def delegate_changed(delegate: Delegate, changes: dict[str, Any]) -> None:
    """Pending delegates have not heard from us yet: no mail. No calendar part (the entry did
    not change) except for a confirmed delegate's new address, which never got the REQUEST; the
    address left gets a CANCEL and learns of the move (a change they did not make shows)."""
    if not delegate.email or delegate.status not in ADMITTED_DELEGATE_STATUSES or not changes:
        return
    confirmed = delegate.status == "confirmed"
    if "email" in changes and delegate.token_hash is not None and changes["email"][0]:
        old = changes["email"][0]
        to_delegate(delegate, "moved", address=old,
                    **(_imip(delegate, "CANCEL", address=old) if confirmed else {}))
    link = issue_link(delegate)[1] if "email" in changes else _first_link(delegate)
    calendar = _imip(delegate, "REQUEST") if "email" in changes and confirmed else {}
    to_delegate(delegate, "changed", link=link, changes=changes, **calendar)


def delegate_removed(delegate: Delegate, reason: str) -> None:
    """Only people who heard from us before are told; who was sent a REQUEST (confirmed at some
    point) gets a METHOD:CANCEL, so the entry leaves their calendar."""
    if not delegate.email or delegate.token_hash is None:
        return
    held_seat = delegate.confirmed_at is not None or delegate.status == "confirmed"
    to_delegate(delegate, "removed", reason=reason if reason in REMOVED_INTROS else "removed",
                **(_imip(delegate, "CANCEL") if held_seat else {}))
