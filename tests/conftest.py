"""Fixtures shared by every test: a fresh app and database per test, clients, logins, the
outbox and a real SMTP server on loopback.

Tests marked `both_dbs` run once on SQLite and once on PostgreSQL (when TEST_DATABASE_URL is
set, as CI does); `postgres_only` tests are skipped without it.
"""
from __future__ import annotations

import os
import socket
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
import sqlalchemy as sa

from eventsite import create_app
from eventsite.core import pagecache
from eventsite.extensions import db

from . import factories

PG_URL = os.environ.get("TEST_DATABASE_URL")
if PG_URL and PG_URL.startswith("postgresql://"):
    PG_URL = "postgresql+psycopg://" + PG_URL[len("postgresql://"):]
# pytest-xdist runs the suite in several processes (`make test`: one per core). Each empties its
# database for every test, so each worker gets its own: `test` becomes `test_gw0`, `test_gw1`, ...
_WORKER_DATABASE_READY = False


def worker_database_url(url: str) -> str:
    """The given database for a single process; a database of its own for each xdist worker,
    created (next to the given one, on the same server) the first time it is asked for."""
    global _WORKER_DATABASE_READY
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    given = sa.engine.make_url(url)
    own = given.set(database=f"{given.database}_{worker}")
    if not _WORKER_DATABASE_READY:
        admin = sa.create_engine(given, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            if not conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                               {"name": own.database}):
                conn.execute(sa.text(f'CREATE DATABASE "{own.database}"'))
        admin.dispose()
        _WORKER_DATABASE_READY = True
    return own.render_as_string(hide_password=False)


def pytest_generate_tests(metafunc):
    if "db_backend" in metafunc.fixturenames:
        if metafunc.definition.get_closest_marker("both_dbs"):
            metafunc.parametrize("db_backend", ["sqlite", "postgresql"], scope="function")
        elif metafunc.definition.get_closest_marker("postgres_only"):
            metafunc.parametrize("db_backend", ["postgresql"], scope="function")
        else:
            metafunc.parametrize("db_backend", ["sqlite"], scope="function")


def reset_postgres(url: str) -> None:
    """Empty the test database completely (tables, alembic_version, types)."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture
def database_url(db_backend, tmp_path):
    if db_backend == "postgresql":
        if not PG_URL:
            pytest.skip("TEST_DATABASE_URL is not set")
        url = worker_database_url(PG_URL)
        reset_postgres(url)
        return url
    # A file, not :memory:, so several connections and threads see the same database.
    return f"sqlite:///{tmp_path / 'test.sqlite'}"


@pytest.fixture
def app_factory(database_url, tmp_path):
    """Build an app on the test database; `create_tables=False` leaves it empty (migrations)."""
    made = []

    def make(create_tables: bool = True, **overrides):
        config = {"SQLALCHEMY_DATABASE_URI": database_url, **overrides}
        os.environ["EVENTSITE_INSTANCE"] = str(tmp_path / "instance")
        application = create_app("testing", config)
        if create_tables:
            with application.app_context():
                db.create_all()
        made.append(application)
        return application

    yield make
    for application in made:
        with application.app_context():
            db.session.remove()
            db.engine.dispose()
            pagecache.versions_engine().dispose()  # its own pool on PostgreSQL


@pytest.fixture
def app(app_factory):
    return app_factory()


@pytest.fixture
def app_ctx(app):
    with app.app_context():
        yield


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def login(app):
    """login(client, user): mark `client` as logged in as `user` without the login form."""

    def do(client, user):
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return client

    return do


def _make_role_client(app, login, role):
    with app.app_context():
        unit = factories.make_unit() if role == "liaison" else None
        user = factories.make_user(role=role, unit=unit)
        db.session.commit()
        user_id = user.id
    client = app.test_client()
    with app.app_context():
        login(client, db.session.get(factories.User, user_id))
    client.user_id = user_id  # type: ignore[attr-defined]
    return client


@pytest.fixture
def admin_client(app, login):
    return _make_role_client(app, login, "admin")


@pytest.fixture
def organizer_client(app, login):
    return _make_role_client(app, login, "organizer")


@pytest.fixture
def liaison_client(app, login):
    return _make_role_client(app, login, "liaison")


@pytest.fixture
def outbox(app):
    """outbox() -> every OutboxMessage, oldest first (call inside an app context)."""
    from eventsite.mail.models import OutboxMessage

    def read(**filters):
        query = db.select(OutboxMessage).filter_by(**filters).order_by(OutboxMessage.id)
        return db.session.scalars(query).all()

    return read


def csrf_token(client, path: str = "/") -> str:
    """A valid CSRF token for `client`, read from a rendered page. Public pages carry no token
    for anonymous readers (they are kept rendered, core/pagecache.py): then the login form's."""
    import re

    for page in (path, "/login"):
        html = client.get(page).get_data(as_text=True)
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
            r'value="([^"]+)"[^>]*name="csrf_token"', html
        )
        if match:
            return match.group(1)
    raise AssertionError(f"no CSRF token on {path} nor on the login page")


@contextmanager
def count_statements(engine=None):
    """The SQL statements sent while the block runs (db.engine by default; pass an engine kept
    from an app context to count a test client's requests outside one)."""
    seen: list[str] = []
    engine = engine if engine is not None else db.engine

    def listen(conn, cursor, statement, *args):
        seen.append(statement)

    sa.event.listen(engine, "before_cursor_execute", listen)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", listen)


# --- a real SMTP server on loopback ---------------------------------------------------------


@dataclass
class ReceivedMail:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.data, policy=policy.default)  # type: ignore[return-value]


@dataclass
class SMTPServer:
    """An aiosmtpd server that can be stopped and started again on the same port."""

    host: str = "127.0.0.1"
    port: int = 0
    received: list[ReceivedMail] = field(default_factory=list)
    # SMTP reply code to answer DATA with (e.g. 451 temporary, 550 permanent); None accepts.
    reject_with: str | None = None
    _controller: object = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        server = self

        class Handler:
            async def handle_DATA(self, _server, _session, envelope):
                if server.reject_with:
                    return server.reject_with
                with server._lock:
                    server.received.append(
                        ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), envelope.content)
                    )
                return "250 OK"

        if not self.port:
            with socket.socket() as sock:
                sock.bind((self.host, 0))
                self.port = sock.getsockname()[1]
        self._controller = Controller(Handler(), hostname=self.host, port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@pytest.fixture
def smtp_server(app):
    """A running SMTP server on loopback; the app is configured to deliver to it."""
    server = SMTPServer()
    server.start()
    app.config.update(MAIL_SERVER=server.host, MAIL_PORT=server.port, MAIL_TIMEOUT=5)
    app.extensions["mail"].server = server.host
    app.extensions["mail"].port = server.port
    yield server
    server.stop()
