"""Pages that belong to no feature: the language switch, the site's logo and favicon, the health check."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, redirect, request, send_file, session
from flask_login import current_user

from ..extensions import db
from .i18n import supported
from .security import csrf_when_logged_in
from .urls import safe_next

bp = Blueprint("core", __name__)


@bp.post("/language")
@csrf_when_logged_in
def set_language():
    """The language switch on every page; remembered on the account when logged in."""
    lang = supported(request.form.get("lang"))
    if lang is None:
        abort(400)
    session["lang"] = lang
    if current_user.is_authenticated and current_user.locale != lang:
        current_user.locale = lang
        db.session.commit()
    return redirect(safe_next(request.form.get("next")) or "/")


@bp.get("/site/<any(logo, favicon, style):kind>")
def site_file(kind: str):
    """The alliance's logo, favicon or own stylesheet (SITE_LOGO, SITE_FAVICON, SITE_STYLESHEET;
    relative paths are in the instance folder); without one, the favicon is the one shipped in
    static/ and there is no logo or extra style."""
    configured = current_app.config["SITE_STYLESHEET" if kind == "style" else f"SITE_{kind.upper()}"]
    if configured:
        path = Path(current_app.instance_path, configured)
        if path.is_file():
            return send_file(path, max_age=86400, mimetype="text/css" if kind == "style" else None)
    if kind == "favicon":
        return current_app.send_static_file("img/favicon.svg")
    abort(404)


@bp.get("/healthz")
def healthz():
    db.session.execute(db.text("SELECT 1"))
    return {"status": "ok", "version": current_app.config.get("VERSION", "0.1.0")}
