"""SQL statements per page at the data set's size and at ten times it (SQLite, in process):
the count must not grow with the data (tests/test_statement_counts.py asserts the same)."""
from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from eventsite.accounts.models import User
from eventsite.extensions import db

from . import database, dataset
from .pages import page_paths


def count(app, data: dataset.Dataset) -> dict[str, int]:
    """Each page's statements, every request in its own app context (as in production: an
    outer context would keep flask-login's user in `g` from one request to the next)."""
    counts = {}
    with app.app_context():
        users = {"liaison": db.session.scalar(sa.select(User).filter_by(email=data.liaison_emails[0])),
                 "organizer": db.session.scalar(sa.select(User).filter_by(email=data.organizer_email))}
        user_ids = {who: user.get_id() for who, user in users.items()}
        engine = db.engine
    for name, (path, who) in page_paths(data).items():
        client = app.test_client()
        if who:
            with client.session_transaction() as session:
                session["_user_id"], session["_fresh"] = user_ids[who], True
        headers = {}
        if name.endswith("304"):
            headers["If-None-Match"] = client.get(path).headers["ETag"]
        seen = []

        def listen(conn, cursor, statement, *args, seen=seen):
            seen.append(statement)

        sa.event.listen(engine, "before_cursor_execute", listen)
        try:
            response = client.get(path, headers=headers)
        finally:
            sa.event.remove(engine, "before_cursor_execute", listen)
        if response.status_code not in (200, 304):
            raise RuntimeError(f"{name}: {path} answered {response.status_code}")
        counts[name] = len(seen)
    return counts


def run(work: Path) -> dict:
    results = {}
    for scale in (1, 10):
        # The statements of building each page: kept pages (which take none) are turned off.
        app = database.fresh_app(f"sqlite:///{work / f'statements-{scale}.sqlite'}",
                                 str(work / "instance"), PAGE_CACHE_SECONDS=0)
        with app.app_context():
            data = dataset.fabricate(scale)
        results[f"{scale}x"] = count(app, data)
    results["constant"] = results["1x"] == results["10x"]
    return results
