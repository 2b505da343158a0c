"""Calendar feeds: the alliance's public feed and personal feeds at secret, revocable URLs (an HMAC
of SECRET_KEY, the record and its `feed_version`: nothing secret is stored; raising `feed_version`
kills every copy of the old URL). Cancelled events stay (so calendars learn of it), drafts never
appear. Built files are kept per process under a `feed_key` of a few columns: a 304 loads no
event."""
from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable
from datetime import timedelta

from flask import current_app

from ..delegations.models import LIVE_DELEGATION_STATUSES, Delegate, Delegation
from ..delegations.notifications import unit_recipients
from ..events.models import PUBLIC_STATUSES, Event
from ..extensions import db, feed_cache, now_utc
from ..invitations.models import OPEN_STATES, Invitation
from ..invitations.rules import active_unit
from .builder import LANGUAGES, content_tag

# How far back the public feed reaches: a year of past events keeps calendars' history.
PUBLIC_FEED_PAST = timedelta(days=365)
TOKEN_LENGTH = 32  # 192 bits of the HMAC, URL-safe


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


def public_events_query():
    return (db.select(Event)
            .where(Event.status.in_(PUBLIC_STATUSES), Event.ends_at > now_utc() - PUBLIC_FEED_PAST)
            .order_by(Event.starts_at, Event.id))


def unit_events_query(unit_id: int):
    """Events the unit is registered for or invited to (and has not declined), drafts excluded.
    A deactivated unit's feed keeps its registrations but shows no invitations."""
    registered = db.select(Delegation.event_id).where(
        Delegation.unit_id == unit_id, Delegation.status.in_(LIVE_DELEGATION_STATUSES))
    invited = db.select(Invitation.event_id).where(
        Invitation.unit_id == unit_id, Invitation.state.in_(OPEN_STATES), active_unit(Invitation.unit_id))
    return (db.select(Event)
            .where(Event.status.in_(PUBLIC_STATUSES),
                   db.or_(Event.id.in_(registered), Event.id.in_(invited)))
            .order_by(Event.starts_at, Event.id))


def stamps(query) -> list:
    """Only the columns `feed_key` reads: deciding 304 needs no Event objects (the costly part)."""
    return db.session.execute(
        query.with_only_columns(Event.id, Event.sequence, Event.status, Event.updated_at)).all()


def delegate_event(delegate) -> Event | None:
    """The delegate's event while the delegate is still part of it (its sessions load when read)."""
    if not delegate.is_active:
        return None
    return db.session.scalar(
        db.select(Event).where(Event.id == delegate.event_id, Event.status.in_(PUBLIC_STATUSES)))


def feed_key(events: list, *extra: object) -> str:
    """The key of a kept feed file: everything in the database it shows (rows of `stamps`: any
    change of an event moves its `updated_at`); code, translations and config are fixed per process."""
    digest = hashlib.sha256()
    for part in extra:
        digest.update(repr(part).encode())
    for event in events:
        digest.update(f"{event.id}:{event.sequence}:{event.status}:{event.updated_at.isoformat()}".encode())
    return digest.hexdigest()[:32]


def cached_body(key: str, build: Callable[[], bytes]) -> tuple[bytes, str]:
    """The feed file for `key` and its ETag, built once per process (icalendar's serializer is the
    slowest part of a feed request; a kept copy is never stale, only its DTSTAMP is older)."""
    kept = feed_cache.get(key)
    if kept is None:
        body = build()
        kept = (body, content_tag(body))
        feed_cache.set(key, kept)
    return kept


def owner_language(record) -> str:
    """A delegate's own language; a unit's, that of the people who read the unit's notices."""
    language = (record.language if isinstance(record, Delegate)
                else next((lang for _address, _name, lang in unit_recipients(record)), None))
    return language if language in LANGUAGES else current_app.config["BABEL_DEFAULT_LOCALE"]
