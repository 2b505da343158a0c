"""Finding the record a URL names, or a 404: one rule for every page.

Ids beyond PostgreSQL's integer range are simply not found (never a database error), and a
record reached through a parent in the URL must belong to that parent — another event's
delegation or invitation is as unknown as a missing one.
"""
from __future__ import annotations

from typing import Any, TypeVar

from flask import abort

from ..extensions import db

MAX_ID = 2**31 - 1
T = TypeVar("T")


def get_or_404(model: type[T], record_id: int, **belongs_to: Any) -> T:
    """The `model` row with `record_id` whose attributes equal `belongs_to`, else 404."""
    record = db.session.get(model, record_id) if 0 < record_id <= MAX_ID else None
    if record is None or any(getattr(record, key) != value for key, value in belongs_to.items()):
        abort(404)
    return record
