"""Error pages in the reader's language."""
from __future__ import annotations

from flask import Flask, render_template
from flask.globals import request_ctx
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ..extensions import db


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_template("errors/error.html", code=400, reason="csrf"), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        template = f"errors/{code}.html" if code in (403, 404, 500) else "errors/error.html"
        if not _can_build_urls():
            template = "errors/bare.html"
        response = error.get_response()
        response.data = render_template(template, code=code, reason=None)
        response.content_type = "text/html; charset=utf-8"
        return response

    @app.errorhandler(500)
    def server_error(error):
        # The failed request's transaction must not leak into the error page's queries.
        db.session.rollback()
        return render_template("errors/500.html" if _can_build_urls() else "errors/bare.html", code=500), 500


def _can_build_urls() -> bool:
    """False when the request never got a URL adapter: its Host is not in TRUSTED_HOSTS (the
    page must then link nowhere, least of all to the host it was asked under)."""
    return request_ctx.url_adapter is not None
