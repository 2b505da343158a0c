"""Reading list filters and page numbers from the query string, safely.

Query strings are typed by anyone: a filter never carries NUL (PostgreSQL refuses it in a
parameter) nor more than its column can hold, and a page number is clamped so that a huge value
cannot overflow the database's integer (SQLite raises on OFFSET beyond 2**63). A text filter
matches with `text_search`: case-insensitive on both databases, `%` and `_` taken literally.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import request

from ..extensions import db

MAX_PAGE = 100_000


def query_arg(name: str, limit: int = 200) -> str:
    return request.args.get(name, "", type=str).replace("\x00", "").strip()[:limit]


def text_search(text: str, *columns) -> sa.ColumnElement[bool]:
    """Any of `columns` contains `text`, ignoring case (extensions.configure_sessions gives SQLite
    a lower() that folds non-ASCII letters too); LIKE's wildcards in `text` are plain characters."""
    return sa.or_(*(column.icontains(text, autoescape=True) for column in columns))


def page_number() -> int:
    return min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_PAGE)


def paginate(query, per_page: int):
    """One page of `query` for the current request (an out-of-range page is just empty)."""
    return db.paginate(query, page=page_number(), per_page=per_page, error_out=False)
