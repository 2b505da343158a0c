"""Extension objects, created unbound so models and services can import them without the app."""
from __future__ import annotations

from datetime import datetime, timezone

from flask_babel import Babel
from flask_bootstrap import Bootstrap5
from flask_caching import Cache
from flask_login import LoginManager
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import DateTime, MetaData
from sqlalchemy import event as sa_event
from sqlalchemy.orm import DeclarativeBase, registry
from sqlalchemy.types import TypeDecorator

from .core.dates import clamped

# Named constraints keep Alembic migrations stable across SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """An instant, always stored and returned as an aware UTC datetime: naive values are refused
    (a local time never slips in), SQLite's naive values come back as UTC, and one stored outside
    the accepted years comes back clamped to them (core/dates.py)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return clamped(value.replace(tzinfo=timezone.utc) if value.tzinfo is None
                       else value.astimezone(timezone.utc))


def configure_sessions(engine) -> None:
    """PostgreSQL sessions on UTC whatever the server's or client's zone (a value near the year 1 or
    9999, read in another zone, fits no Python datetime); SQLite's lower() folding every letter as
    PostgreSQL's does (built in, only A-Z), so text searches ignore the case of "É" on both; and
    SQLite writers wait up to 30 s for another's transaction (issuing certificates, printing badges
    render PDFs inside theirs) instead of failing with "database is locked" after sqlite3's 5 s."""
    if engine.dialect.name == "postgresql":
        sa_event.listen(engine, "connect", _utc_session)
    elif engine.dialect.name == "sqlite":
        sa_event.listen(engine, "connect", _unicode_lower)
        sa_event.listen(engine, "connect", _busy_timeout)


def _utc_session(dbapi_connection, _record) -> None:
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET TIME ZONE 'UTC'")
    dbapi_connection.commit()


def _unicode_lower(dbapi_connection, _record) -> None:
    dbapi_connection.create_function(
        "lower", 1, lambda value: value.lower() if isinstance(value, str) else value, deterministic=True)


def _busy_timeout(dbapi_connection, _record) -> None:
    dbapi_connection.execute("PRAGMA busy_timeout = 30000")


def one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    # Every `Mapped[datetime]` column is a UTC instant (see UTCDateTime).
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
mail = Mail()
csrf = CSRFProtect()
babel = Babel()
bootstrap = Bootstrap5()
cache = Cache()  # kept pages (core/pagecache.py)
# Built calendar feeds, per process, whatever kept pages do (calendar/feeds.py: keys change with content).
feed_cache = Cache(config={"CACHE_TYPE": "SimpleCache", "CACHE_THRESHOLD": 16, "CACHE_DEFAULT_TIMEOUT": 0})
