"""Pages kept rendered (Flask-Caching), keyed on the versions of the content they show.

A kept page names the scopes of content it shows, e.g. `@cached_page("event:{event_id}")`
(filled in with the view's arguments and `user`, the reader). Its cache key holds the current
version of each scope, read in one statement from the `content_version` table. A service that
changes what such pages show calls `bump("event:7", ...)` inside its transaction, before its one
commit: from that commit on, every process computes a new key and builds the page again, while
pages of other scopes stay kept (a delegation saved for one event leaves the other events alone).
Scopes in use: events, event:<id>, delegations:<id>, members, unit:<id>, user:<id>.

Nothing else is watched: what no service bumps (time passing: an event moving to the archive when
it ends; SQL typed by hand) shows within PAGE_CACHE_SECONDS, the lifetime of a kept page.

Only GET/HEAD, only anonymous readers (per reader with `personal=True`: put it under the access
check), never while the session holds messages to show, and only plain 200s that set no cookie
and left the session alone. Kept pages carry an ETag; If-None-Match is answered with 304.
"""
from __future__ import annotations

import hashlib
from functools import wraps

import sqlalchemy as sa
from flask import Flask, current_app, request, session
from flask_login import current_user
from sqlalchemy import String, bindparam, or_, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.wrappers import Response

from ..extensions import cache, db
from .i18n import VIEWER_ZONE_KEY, current_language, reader_zone

# A kept response is served again without these: per response, or never kept (a cookie).
DROPPED_HEADERS = frozenset({"content-length", "set-cookie", "date"})


class ContentVersion(db.Model):
    """How many committed changes a scope of content ("events", "event:7", "unit:3") has seen."""

    __tablename__ = "content_version"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(default=0)


def bump(*names: str) -> None:
    """Call inside the writing transaction, just before its commit (the rows stay locked until
    then): pages showing `names` are rebuilt once it commits."""
    table = ContentVersion.__table__
    insert = postgresql_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    # Sorted: two transactions bumping the same rows lock them in the same order (no deadlock).
    rows = [{"name": name, "version": 1} for name in sorted(set(names))]
    db.session.execute(insert(table).values(rows).on_conflict_do_update(
        index_elements=[table.c.name], set_={"version": table.c.version + 1}))


def _versions_query(count: int):
    """name = :n0 OR name = :n1 ...: built once per kept view; building it on every request
    (and an expanding IN, rendered on every execution) cost more than the round trip."""
    table = ContentVersion.__table__
    return select(table.c.name, table.c.version).where(
        or_(*(table.c.name == bindparam(f"n{i}") for i in range(count))))


def versions_engine():
    """The engine the versions are read with: on PostgreSQL its own small pool in autocommit, with
    no ping on checkout and no rollback on return (each a round trip of its own, and a kept page
    needs nothing but this one SELECT). SQLite runs in process: the app's engine does."""
    return current_app.extensions.get("page_versions") or db.engine


def _versions(query, names: list[str]) -> tuple[int, ...]:
    with versions_engine().connect() as connection:
        found = dict(connection.execute(query, {f"n{i}": name for i, name in enumerate(names)}).all())
    return tuple(found.get(name, 0) for name in names)


def _key(scopes: tuple[str, ...], query, kwargs: dict, personal: bool) -> str | None:
    """Everything the page depends on, or None when this request's page must not be kept."""
    if (not current_app.config["PAGE_CACHE_SECONDS"] or request.method not in ("GET", "HEAD")
            or "_flashes" in session):
        return None
    reader: tuple = ()
    if current_user.is_authenticated:
        if not personal:
            return None
        # The page carries the session's CSRF token: without one yet, rendering makes it (the
        # session changes, so that page is not kept); with one, it is part of the key.
        reader = (current_user.id, current_user.session_token, session.get("csrf_token"))
    names = [scope.format(user=current_user, **kwargs) for scope in scopes]
    try:
        versions = _versions(query, names)
    except DBAPIError:  # e.g. a connection the server closed (no ping): build it, keep nothing
        return None
    parts = (versions, names, reader, request.endpoint, request.scheme, request.host,
             request.full_path, current_language(), reader_zone(),
             isinstance(session.get(VIEWER_ZONE_KEY), str))
    return "page:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _keep(key: str, response: Response) -> None:
    if (response.status_code != 200 or response.direct_passthrough or session.modified
            or "Set-Cookie" in response.headers):
        return
    if "ETag" not in response.headers:
        response.add_etag()
    headers = [(name, value) for name, value in response.headers.items()
               if name.lower() not in DROPPED_HEADERS]
    cache.set(key, (response.get_data(), headers))


def cached_page(*scopes: str, personal: bool = False):
    """Keep the view's page under the versions of `scopes` (see the module doc)."""

    query = _versions_query(len(scopes))

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            key = _key(scopes, query, kwargs, personal)
            kept = cache.get(key) if key else None
            if kept is not None:
                response = Response(kept[0], headers=kept[1])
            else:
                response = current_app.make_response(view(*args, **kwargs))
                if key:
                    _keep(key, response)
            # The language follows Accept-Language (or the session): shared caches must not mix them.
            response.vary.add("Accept-Language")
            return response.make_conditional(request)

        return wrapper

    return decorate


def init_app(app: Flask) -> None:
    """CACHE_TYPE comes from config.py (SimpleCache, or RedisCache with CACHE_REDIS_URL); 0 is off."""
    seconds = app.config["PAGE_CACHE_SECONDS"]
    app.config["CACHE_DEFAULT_TIMEOUT"] = seconds
    if not seconds:
        app.config.update(CACHE_TYPE="NullCache", CACHE_NO_NULL_WARNING=True)
    cache.init_app(app)
    url = sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if seconds and url.get_backend_name() == "postgresql":
        app.extensions["page_versions"] = sa.create_engine(
            url, isolation_level="AUTOCOMMIT", pool_reset_on_return=None, pool_size=2)
