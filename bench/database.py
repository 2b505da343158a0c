"""The bench's own PostgreSQL database (BENCH_DATABASE_URL), emptied and rebuilt per phase."""
from __future__ import annotations

import os

import sqlalchemy as sa

from eventsite import create_app
from eventsite.extensions import db

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/eventsite_bench"


def url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)


def driver_url(plain: str) -> str:
    return "postgresql+psycopg://" + plain.split("://", 1)[1] if plain.startswith("postgresql://") else plain


def fresh_app(database_url: str, instance: str, **config):
    """An app on an emptied database with every table created (as `flask db upgrade` would)."""
    target = driver_url(database_url)
    if target.startswith("postgresql"):
        _create_if_missing(target)
        engine = sa.create_engine(target)
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
        engine.dispose()
    os.environ["EVENTSITE_INSTANCE"] = instance
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": target, **config})
    with app.app_context():
        db.create_all()
    return app


def _create_if_missing(target: str) -> None:
    """A fresh machine has no bench database yet: create it through the server's `postgres` one."""
    name = sa.engine.make_url(target).database
    admin = sa.create_engine(sa.engine.make_url(target).set(database="postgres"),
                             isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                  {"n": name}).scalar()
            if not exists:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))  # nosec B608 # our own setting
    finally:
        admin.dispose()
