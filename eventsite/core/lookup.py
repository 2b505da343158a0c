"""Finding the record a URL names, or a 404: one rule for every page.

Every `<int:...>` segment is read by `RecordId` (the app's `int` converter): ASCII digits up to the
database's integer, else no route matches, so a view only receives an id the database can hold. A
record reached through a parent in the URL must belong to it. Pages reached by a secret link say
`<int(beyond=0):event_id>` and get 0 for an id out of range: one answer for every link that fails.
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
