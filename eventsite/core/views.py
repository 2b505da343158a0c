"""Pages that belong to no feature: home, language switch, health check."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, session
from flask_login import current_user

from ..extensions import db
from . import home, next_steps
from .i18n import current_language, reader_zone, supported
from .pagecache import cached_page
from .security import csrf_when_logged_in
from .urls import safe_next

bp = Blueprint("core", __name__)


@bp.get("/")
@cached_page
def index():
    """What the platform is, the next events, and for someone logged in what waits for them."""
    language = current_language()
    steps = next_steps.for_user(current_user, language) if current_user.is_authenticated else None
    return render_template("core/index.html", cards=home.upcoming_cards(language, reader_zone()),
                           feed=home.public_feed(language), steps=steps)


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
