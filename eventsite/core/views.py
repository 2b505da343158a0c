"""Pages that belong to no feature: the language switch and the health check."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, request, session
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


@bp.get("/healthz")
def healthz():
    db.session.execute(db.text("SELECT 1"))
    return {"status": "ok", "version": current_app.config.get("VERSION", "0.1.0")}
