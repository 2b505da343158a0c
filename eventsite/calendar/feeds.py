"""Calendar feeds: the alliance's public feed and personal feeds at secret, revocable URLs.

A personal feed URL carries the record's id and a token derived from the app's SECRET_KEY, the
record and its `feed_version`: nothing secret is stored, the URL can be shown again whenever the
owner asks for it, and raising `feed_version` ("new address") kills every copy of the old one.
Changing SECRET_KEY changes every feed URL (subscribers must subscribe again).

Feeds are PUBLISH calendars. Cancelled events stay in them (STATUS:CANCELLED) so subscribed
calendars learn of the cancellation; drafts never appear. A personal feed speaks its owner's
language (`owner_language`), unless its address names one (?lang=).

The validator for conditional GET (the ETag) is the hash of the file itself without its DTSTAMP
lines (`builder.content_tag`): it changes whenever any byte of the content would, whatever the
change (an agenda session moved, a translation or the configuration changed on a deploy). So that
a current client still costs little, the public and unit feeds keep their built file per process
under a `feed_key` read from a few columns: an unchanged feed answers 304 from the kept file
without loading an event.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy.orm import selectinload

from ..events.models import Event
from ..extensions import db, now_utc
from .builder import LANGUAGES, content_tag

PUBLIC_STATUSES = ("published", "cancelled")
# How far back the public feed reaches: a year of past events keeps calendars' history.
PUBLIC_FEED_PAST = timedelta(days=365)
TOKEN_LENGTH = 32  # 192 bits of the HMAC, URL-safe
# Built feeds kept per app (per worker process), by `feed_key` (see `cached_body`).
BODY_CACHE_SIZE = 16


def feed_token(kind: str, record_id: int, version: int) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    message = f"eventsite-feed:{kind}:{int(record_id)}:{int(version)}".encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode()[:TOKEN_LENGTH]


def token_matches(kind: str, record, token: str) -> bool:
    if record is None or not token or len(token) != TOKEN_LENGTH:
        return False
    return hmac.compare_digest(feed_token(kind, record.id, record.feed_version), token)


def rotate(record) -> None:
    """Give `record` a new feed address; the old one stops working (caller audits and commits)."""
    record.feed_version = (record.feed_version or 0) + 1


def public_events_query(now: datetime | None = None):
    now = now or now_utc()
    return (db.select(Event)
            .where(Event.status.in_(PUBLIC_STATUSES), Event.ends_at > now - PUBLIC_FEED_PAST)
            .order_by(Event.starts_at, Event.id))


def public_events(now: datetime | None = None) -> list[Event]:
    return list(db.session.scalars(public_events_query(now)))


def unit_events_query(unit_id: int):
    """Events the unit is registered for or invited to (and has not declined), drafts excluded.
    A deactivated unit's feed keeps its registrations but shows no invitations."""
    from ..delegations.models import LIVE_DELEGATION_STATUSES, Delegation
    from ..invitations.models import OPEN_STATES, Invitation
    from ..invitations.rules import active_unit

    registered = db.select(Delegation.event_id).where(
        Delegation.unit_id == unit_id, Delegation.status.in_(LIVE_DELEGATION_STATUSES))
    invited = db.select(Invitation.event_id).where(
        Invitation.unit_id == unit_id, Invitation.state.in_(OPEN_STATES),
        active_unit(Invitation.unit_id))
    return (db.select(Event)
            .where(Event.status.in_(PUBLIC_STATUSES),
                   db.or_(Event.id.in_(registered), Event.id.in_(invited)))
            .order_by(Event.starts_at, Event.id))


def unit_events(unit_id: int) -> list[Event]:
    return list(db.session.scalars(unit_events_query(unit_id)))


def stamps(query) -> list:
    """Only the columns `feed_key` reads, for the rows of an Event `query`: deciding 304 (or
    finding a kept body) needs no Event objects, which cost most of such a request."""
    return db.session.execute(
        query.with_only_columns(Event.id, Event.sequence, Event.status, Event.updated_at)).all()


def delegate_event(delegate) -> Event | None:
    """The delegate's event with its sessions, while the delegate is still part of it."""
    if not delegate.is_active:
        return None
    return db.session.scalar(
        db.select(Event).where(Event.id == delegate.event_id, Event.status.in_(PUBLIC_STATUSES))
        .options(selectinload(Event.sessions))
    )


def feed_key(events: list, *extra: object) -> str:
    """The key of a kept feed file: everything in the database the file shows, read without
    building it (rows of `stamps`: any change of an event moves its `updated_at`). Within one
    process the code, translations and configuration are fixed, so the key is complete there;
    the ETag itself is the file's hash (see the module doc)."""
    digest = hashlib.sha256()
    for part in extra:
        digest.update(repr(part).encode())
    for event in events:
        digest.update(f"{event.id}:{event.sequence}:{event.status}:{event.updated_at.isoformat()}"
                      .encode())
    return digest.hexdigest()[:32]


def cached_body(key: str, build: Callable[[], bytes]) -> tuple[bytes, str]:
    """The feed file for `key` (see `feed_key`) and its ETag, built once per process: building
    is the slowest part of a feed request (icalendar's serializer) and `key` changes with
    everything the file shows, so a kept copy is never stale (only its DTSTAMP is older)."""
    bodies, lock = current_app.extensions.setdefault(
        "eventsite_feed_bodies", (OrderedDict(), threading.Lock()))
    with lock:
        kept = bodies.get(key)
        if kept is not None:
            bodies.move_to_end(key)
            return kept
    body = build()
    kept = (body, content_tag(body))
    with lock:
        bodies[key] = kept
        while len(bodies) > BODY_CACHE_SIZE:
            bodies.popitem(last=False)
    return kept


def owner_language(record) -> str:
    """The language a personal feed speaks: a delegate's own; a unit's, that of the people who
    read its mail (its liaisons' accounts, else its receiving contacts: the same people, in the
    same order, as the unit's notices)."""
    from ..delegations.models import Delegate
    from ..delegations.notifications import unit_recipients

    if isinstance(record, Delegate):
        language = record.language
    else:
        language = next((lang for _address, _name, lang in unit_recipients(record)), None)
    return language if language in LANGUAGES else current_app.config["BABEL_DEFAULT_LOCALE"]
