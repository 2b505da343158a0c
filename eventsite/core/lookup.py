"""Finding the record a URL names, or a 404: one rule for every page.

Ids beyond the database's integer range are simply not found (never a database error), and a
record reached through a parent in the URL must belong to that parent — another event's
delegation or invitation is as unknown as a missing one.

Every `<int:...>` segment of every route is read by `RecordId` (registered as the app's `int`
converter), so a path like `/messages/9223372036854775808` or `/directory/٣` matches no route
at all: a view only ever receives an id the database can hold. Pages reached by a secret link
give one answer to every link that does not work, a mistyped event id included: their rules say
`<int(beyond=0):event_id>`, and get 0 (which names no record) for an id out of range.
"""
from __future__ import annotations

from typing import Any, TypeVar

from flask import Flask, abort
from werkzeug.routing import IntegerConverter, ValidationError

from ..extensions import db
from .numbers import MAX_INT as MAX_ID

T = TypeVar("T")


class RecordId(IntegerConverter):
    """`<int:...>` in a route: ASCII digits only (Python's `\\d` also takes other scripts'
    digits) and at most MAX_ID; anything else is a 404 before the view runs."""

    regex = r"[0-9]{1,10}"

    def __init__(self, map, fixed_digits=0, min=0, max=MAX_ID, signed=False,  # noqa: A002
                 beyond: int | None = None):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)
        self.beyond = beyond
        if beyond is not None:
            self.regex = r"[0-9]{1,1000}"

    def to_python(self, value: str) -> int:
        try:
            return super().to_python(value)
        except ValidationError:
            if self.beyond is None:
                raise
            return self.beyond


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = RecordId


def get_or_404(model: type[T], record_id: int, **belongs_to: Any) -> T:
    """The `model` row with `record_id` whose attributes equal `belongs_to`, else 404."""
    record = db.session.get(model, record_id) if 0 < record_id <= MAX_ID else None
    if record is None or any(getattr(record, key) != value for key, value in belongs_to.items()):
        abort(404)
    return record
