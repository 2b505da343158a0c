"""Public pages kept rendered per app process, and thrown away the moment the data changes.

On registration day ninety cities open the same few public pages (the event list, an event, the
alliance feed) again and again; rendering them is nearly all of their cost. A page marked with
`@cached_page` is kept, for anonymous readers only, under a key made of everything it depends on:
the URL, the language, the reader's zone, and the *content generation*, a number that changes
whenever a transaction that changed content commits, in this process or any other:

- PostgreSQL: every such transaction sends `NOTIFY eventsite_content` (delivered by the database
  only if and when it commits); each process LISTENs on its own connection and drains the
  notifications without blocking at the start of each cached request (a few microseconds).
- SQLite: `PRAGMA data_version` on a connection of its own changes when any other connection
  commits.
- This process's own commits count at once (read your own writes without waiting for a notice).

What no transaction announces (time passing: an event moving to the archive when it ends; an
operator's hand-written SQL) is bounded by PAGE_CACHE_SECONDS, after which a kept page is built
again. If the listening connection is lost nothing is cached until it is back. Logged-in readers,
sessions carrying a message to show, and anything but a plain 200 are never kept.
"""
from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from functools import wraps

from flask import Flask, current_app, request, session
from flask_login import current_user
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from werkzeug.http import unquote_etag
from werkzeug.wrappers import Response

log = logging.getLogger(__name__)

CHANNEL = "eventsite_content"
# Tables no cached page shows and that change all the time: writing them must not throw the
# pages away (the mail worker updates an outbox row per message; every action is audited).
QUIET_TABLES = frozenset({
    "outbox_message", "outbox_attachment", "audit_entry", "account_token", "login_throttle",
    "invitation_reminder",
})
RETRY_SECONDS = 5.0  # after a failed connection to listen on
MAX_ENTRIES = 512
MAX_BYTES = 32 * 1024 * 1024  # per process; the least recently read pages go first
# Headers a kept page is served without: per response (Werkzeug sets the length again), or never
# kept at all (a response setting a cookie is not kept).
DROPPED_HEADERS = frozenset({"content-length", "set-cookie", "date"})

_inherited: list = []  # listening connections of a parent process (see _connect)

# Commits in this process that changed content (all apps of the process share it: more apps only
# means more pages rebuilt, never a stale one).
_local = {"changes": 0}


# --- telling that content changed ---------------------------------------------------------------


def _touches_content(table_names) -> bool:
    return any(name not in QUIET_TABLES for name in table_names)


def _announce(session: Session) -> None:
    """Mark the transaction; on PostgreSQL queue the NOTIFY (sent only if it commits)."""
    if session.info.get("content_changed"):
        return
    session.info["content_changed"] = True
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text(f"NOTIFY {CHANNEL}"))


@event.listens_for(Session, "after_flush")
def _after_flush(session, _context) -> None:
    changed = [*session.new, *session.dirty, *session.deleted]
    tables = {getattr(getattr(obj, "__table__", None), "name", "") for obj in changed}
    if _touches_content(tables):
        _announce(session)


@event.listens_for(Session, "do_orm_execute")
def _bulk_statement(state) -> None:
    # Conditional UPDATEs (seats), bulk deletes and inserts bypass the flush.
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    table = getattr(state.statement, "table", None)
    if table is not None and _touches_content({getattr(table, "name", "")}):
        _announce(state.session)


# (A savepoint rolled back after the NOTIFY would take it along while the flag stays set; the only
# savepoint in the code, login throttling on other databases, writes a quiet table.)
@event.listens_for(Session, "after_commit")
def _after_commit(session) -> None:
    if session.info.pop("content_changed", False):
        _local["changes"] += 1


@event.listens_for(Session, "after_rollback")
def _after_rollback(session) -> None:
    session.info.pop("content_changed", None)


# --- knowing that content changed ---------------------------------------------------------------


class _Watch:
    """A connection of this process's own, kept only to learn of changes."""

    conn = None
    pid = 0  # the process that opened `conn`: a child inherits it but must never use or close it

    def close(self) -> None:
        if self.conn is not None and self.pid == os.getpid():
            self.conn.close()
        self.conn = None

    __del__ = close  # an app dropped without close() (tests build many) takes its connection along


class _PostgresListener(_Watch):
    """One LISTENing connection per process; `generation()` counts the notices seen so far."""

    def __init__(self, url: str):
        self.conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        self.epoch = 0  # bumped on every (re)connection: changes while deaf are unknown
        self.seen = 0
        self.retry_at = 0.0
        self.lock = threading.Lock()

    def generation(self) -> tuple | None:
        with self.lock:  # threaded servers: one connection, drained by one thread at a time
            if self.conn is None or self.pid != os.getpid():
                if not self._connect():
                    return None
            try:
                for _notice in self.conn.notifies(timeout=0):
                    self.seen += 1
            except Exception as exc:  # psycopg.Error and OSError: deaf until reconnected
                log.warning("page cache: lost the listening connection: %s", exc)
                self.conn.close()
                self.conn = None
                return None
            return (self.pid, self.epoch, self.seen)

    def _connect(self) -> bool:
        if time.monotonic() < self.retry_at:
            return False
        import psycopg

        try:
            conn = psycopg.connect(self.conninfo, autocommit=True, connect_timeout=2)
            conn.execute(f"LISTEN {CHANNEL}")
        except Exception as exc:  # no database: serve uncached, try again a little later
            log.warning("page cache: cannot listen for changes: %s", exc)
            self.retry_at = time.monotonic() + RETRY_SECONDS
            return False
        if self.conn is not None:  # inherited through fork: the parent's socket, never close it
            _inherited.append(self.conn)
        self.conn, self.pid, self.epoch = conn, os.getpid(), self.epoch + 1
        return True


class _SqliteVersion(_Watch):
    """`PRAGMA data_version` on a private connection: it moves when any other connection commits."""

    def __init__(self, path: str):
        self.path = path
        self.lock = threading.Lock()

    def generation(self) -> tuple | None:
        with self.lock:
            try:
                if self.conn is None or self.pid != os.getpid():
                    self.conn = sqlite3.connect(self.path, check_same_thread=False)
                    self.pid = os.getpid()
                version = self.conn.execute("PRAGMA data_version").fetchone()[0]
                return (self.pid, id(self.conn), version)
            except sqlite3.Error:
                self.conn = None
                return None


def _version_source(url: str):
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        return _PostgresListener(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        return _SqliteVersion(parsed.database)
    return None  # in-memory SQLite is private to each connection: nothing to watch, no caching


# --- the kept pages -----------------------------------------------------------------------------


@dataclass
class _Entry:
    body: bytes
    headers: list[tuple[str, str]]
    etag: str
    expires: float


class PageCache:
    def __init__(self, app: Flask):
        self.seconds = float(app.config.get("PAGE_CACHE_SECONDS", 0))
        url = app.config.get("PAGE_CACHE_LISTEN_URL") or app.config["SQLALCHEMY_DATABASE_URI"]
        self.source = _version_source(url) if self.seconds > 0 else None
        self.entries: OrderedDict[tuple, _Entry] = OrderedDict()
        self.size = 0  # bytes of kept bodies
        self.values: OrderedDict[tuple, tuple[float, dict]] = OrderedDict()  # see recall()
        self.lock = threading.Lock()  # threaded servers: the dict is shared
        self.clock = time.monotonic  # tests move it to see a kept page expire

    def close(self) -> None:
        """Let go of the connection the cache watches with (tests build many apps)."""
        if self.source is not None:
            self.source.close()

    def key(self, personal: bool) -> tuple | None:
        """Everything the page depends on, or None when this request must not be cached."""
        if self.source is None or request.method not in ("GET", "HEAD") or "_flashes" in session:
            return None
        reader: tuple = ()
        if current_user.is_authenticated:
            if not personal:
                return None
            # The page carries this session's CSRF token: without one yet, rendering makes it
            # (the session changes, so that page is not kept); with one, it is part of the key.
            reader = (current_user.id, current_user.session_token, session.get("csrf_token"))
        generation = self.generation()
        if generation is None:
            return None
        from .i18n import VIEWER_ZONE_KEY, current_language, reader_zone

        return (generation, reader, request.endpoint, request.scheme,
                request.host, request.full_path, current_language(), reader_zone(),
                isinstance(session.get(VIEWER_ZONE_KEY), str))

    def generation(self) -> tuple | None:
        """Where content stands now, as far as this process knows; None when it cannot know
        (cache off, listening connection lost): then nothing may be reused."""
        if self.source is None:
            return None
        seen = self.source.generation()
        return None if seen is None else (seen, _local["changes"])

    def recall(self, key: tuple) -> dict | None:
        """A small value kept with `remember` under a key that includes `generation()`."""
        with self.lock:
            kept = self.values.get(key)
            if kept is None or kept[0] < self.clock():
                return None
            return kept[1]

    def remember(self, key: tuple, value: dict) -> None:
        with self.lock:
            self.values[key] = (self.clock() + self.seconds, value)
            while len(self.values) > MAX_ENTRIES:
                self.values.popitem(last=False)

    def get(self, key: tuple) -> _Entry | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is None or entry.expires < self.clock():
                return None
            self.entries.move_to_end(key)
            return entry

    def put(self, key: tuple, response: Response) -> _Entry | None:
        """Keep a plain 200 that set nothing in the session; returns what was kept."""
        if (response.status_code != 200 or response.direct_passthrough or session.modified
                or "Set-Cookie" in response.headers):
            return None
        body = response.get_data()
        etag = response.headers.get("ETag") or f'"{hashlib.sha256(body).hexdigest()[:32]}"'
        headers = [(name, value) for name, value in response.headers.items()
                   if name.lower() not in DROPPED_HEADERS]
        if "ETag" not in response.headers:
            headers.append(("ETag", etag))
        entry = _Entry(body, headers, etag, self.clock() + self.seconds)
        with self.lock:
            replaced = self.entries.pop(key, None)
            self.size += len(body) - (len(replaced.body) if replaced else 0)
            self.entries[key] = entry
            while len(self.entries) > MAX_ENTRIES or self.size > MAX_BYTES:
                _key, dropped = self.entries.popitem(last=False)
                self.size -= len(dropped.body)
        return entry


def _matches(etag: str, condition) -> bool:
    tag, _weak = unquote_etag(etag)
    return bool(tag) and condition.contains_weak(tag)


def _answer(entry: _Entry, condition) -> Response:
    if _matches(entry.etag, condition):
        response = Response(status=304)
        response.headers.extend((name, value) for name, value in entry.headers
                                if name in ("ETag", "Vary", "Cache-Control", "Last-Modified"))
        return response
    return Response(entry.body, headers=entry.headers)


def cached_page(view=None, *, personal: bool = False):
    """Serve the view's page from the cache (see the module doc): for anonymous readers, and with
    `personal=True` also for each logged-in reader separately (put it under the access check)."""
    if view is None:
        return lambda v: cached_page(v, personal=personal)

    @wraps(view)
    def wrapper(*args, **kwargs):
        cache: PageCache | None = current_app.extensions.get("pagecache")
        key = cache.key(personal) if cache else None
        if key is None:
            return view(*args, **kwargs)
        condition = request.if_none_match
        entry = cache.get(key)
        if entry is None:
            # Build the whole page even for a conditional request, so it can be kept; the
            # condition is answered below, from what was kept.
            request.environ.pop("HTTP_IF_NONE_MATCH", None)
            request.__dict__.pop("if_none_match", None)
            response = current_app.make_response(view(*args, **kwargs))
            entry = cache.put(key, response)
            if entry is None:
                return response
        response = _answer(entry, condition)
        # The language follows Accept-Language (or the session): shared caches must not mix them.
        response.vary.add("Accept-Language")
        return response

    return wrapper


def init_app(app: Flask) -> None:
    app.extensions["pagecache"] = PageCache(app)
