"""Helpers every template may use."""
from __future__ import annotations

from flask import Flask

from .i18n import format_instant
from .markdown import render_markdown
from .urls import url_with_page


def init_app(app: Flask) -> None:
    app.jinja_env.globals["url_with_page"] = url_with_page
    app.jinja_env.filters["instant"] = format_instant
    app.jinja_env.filters["markdown"] = render_markdown
