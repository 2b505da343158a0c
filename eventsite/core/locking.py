"""Making two transactions that change the same rows take turns, on both databases.

PostgreSQL locks the rows themselves (`SELECT ... FOR UPDATE`); SQLite has no row locks, so there
the rows are "updated" to the values they hold, which takes the database's write lock until the
commit: the other writer waits for it (extensions: busy_timeout) and then reads what was committed.
Call it before reading what the decision depends on (a count against a capacity, the last number).
"""
from __future__ import annotations

import sqlalchemy as sa

from ..extensions import db


def lock_rows(table: sa.Table, *where) -> None:
    """Lock the rows of `table` matching `where` until the transaction ends, in primary-key order
    (two transactions locking the same rows wait for each other instead of deadlocking)."""
    if db.session.get_bind().dialect.name == "postgresql":
        key = list(table.primary_key.columns)
        db.session.execute(sa.select(*key).where(*where).order_by(*key).with_for_update())
        return
    # The same values again; columns with an onupdate (updated_at) are named too, or they'd change.
    unchanged = {column.name: column for column in table.columns if column.primary_key or column.onupdate}
    db.session.execute(sa.update(table).where(*where).values(unchanged))
