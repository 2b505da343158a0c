"""Whole numbers people typed, one strict rule: ASCII digits within the column's range, or not a
number (`str.isdigit` takes '²' and `int()` takes '٣', '1_000' and ' 7 ')."""
from __future__ import annotations

MAX_INT = 2**31 - 1  # PostgreSQL's integer (ids, counts); SQLite's is wider


def whole_number(text: object, low: int = 0, high: int = MAX_INT) -> int | None:
    """`text` as an int if it is ASCII digits with a value in [low, high], else None."""
    if not isinstance(text, str) or not text or len(text) > len(str(high)):
        return None
    if not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if low <= value <= high else None
