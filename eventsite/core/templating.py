"""Helpers every template may use."""
from __future__ import annotations

import re
from functools import lru_cache

from flask import Flask
from markupsafe import Markup, escape

from .i18n import format_instant
from .markdown import render_markdown
from .masking import mask_passport
from .timefmt import day_span
from .urls import url_with_page


def init_app(app: Flask) -> None:
    app.jinja_env.globals["url_with_page"] = url_with_page
    app.jinja_env.filters["instant"] = format_instant
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.globals["zone_datalist"] = zone_datalist
    app.jinja_env.filters["cell_labels"] = cell_labels
    app.jinja_env.filters["mask_passport"] = mask_passport
    app.jinja_env.globals["day_span"] = day_span


@lru_cache(maxsize=4)
def zone_datalist(element_id: str) -> Markup:
    """The <datalist> of every IANA zone (about 600 options): the same on every page, so built
    once per process instead of by a template loop on each request."""
    from .timezones import all_zones

    options = "".join(f'<option value="{escape(zone)}">' for zone in all_zones())
    return Markup(f'<datalist id="{escape(element_id)}">{options}</datalist>')  # nosec B704 # zone names and the id are escaped above


_CELL = re.compile(r"<(/?)(tr|td|th)\b([^>]*)>", re.IGNORECASE)
_BLANK_CELL = re.compile(r"\s*</t[dh]\s*>", re.IGNORECASE)
_COLSPAN = re.compile(r"""\bcolspan\s*=\s*["']?(\d+)""", re.IGNORECASE)


def cell_labels(row: str, headers) -> Markup:
    """The table row(s) `row` (our own template's HTML) with each cell given its column's name as
    `data-label`, so that on a phone, where a list's table becomes a stack of cards (site.css,
    .table-cards), each value shows what it is. `headers`: data_table's, each a name or a
    (name, class) pair; a visually hidden or empty name gives no label (e.g. a column of buttons); an empty cell gets
    `data-blank` instead (hidden on a phone). Cells of a nested table, cells that already have a
    data-label and cells past the last column are left as they are; a colspan moves on by its span."""
    labels = [h if isinstance(h, str) else ("" if h[1] == "visually-hidden" else h[0]) for h in headers]
    out, last, column, depth = [], 0, 0, 0
    for match in _CELL.finditer(row):
        closing, tag, attributes = match.group(1), match.group(2).lower(), match.group(3)
        if tag == "tr":
            column = 0 if not closing and depth == 0 else column
            continue
        if closing:
            depth = max(depth - 1, 0)
            continue
        depth += 1
        if depth > 1:
            continue
        label = labels[column] if column < len(labels) else None
        span = _COLSPAN.search(attributes)
        column += int(span.group(1)) if span else 1
        if label and not span and "data-label" not in attributes:
            at = match.end(2)
            out.append(row[last:at])
            # An empty cell gets no card line of its own: a label with nothing beside it says nothing.
            blank = _BLANK_CELL.match(row, match.end())
            out.append(" data-blank" if blank else f' data-label="{escape(str(label))}"')
            last = at
    out.append(row[last:])
    return Markup("".join(out))  # nosec B704 # the row is already-escaped template output; labels are escaped
