"""Helpers every template may use."""
from __future__ import annotations

from functools import lru_cache

from flask import Flask
from markupsafe import Markup, escape

from .i18n import format_instant
from .markdown import render_markdown
from .urls import url_with_page


def init_app(app: Flask) -> None:
    app.jinja_env.globals["url_with_page"] = url_with_page
    app.jinja_env.filters["instant"] = format_instant
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.globals["zone_datalist"] = zone_datalist


@lru_cache(maxsize=4)
def zone_datalist(element_id: str) -> Markup:
    """The <datalist> of every IANA zone (about 600 options): the same on every page, so built
    once per process instead of by a template loop on each request."""
    from .timezones import all_zones

    options = "".join(f'<option value="{escape(zone)}">' for zone in all_zones())
    return Markup(f'<datalist id="{escape(element_id)}">{options}</datalist>')  # nosec B704 # zone names and the id are escaped above
