"""Check-in pages for door staff (role "checkin", on the events assigned to them) and organizers:
the list of events, the desk (a phone page: camera, search, the person's card), the roster the
desk keeps for offline use and the upload of its scans (docs/onsite/desk.md)."""
from __future__ import annotations

import json

from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from ..accounts.permissions import role_required
from ..core.gettext import gettext as _
from ..core.i18n import current_language
from ..core.numbers import whole_number
from . import queries, scans
from .access import DESK_ROLES, desk_required, may_use_desk
from .services import code_from_scan

bp = Blueprint("checkin", __name__, url_prefix="/checkin")


@bp.route("/events")
@role_required(*DESK_ROLES)
def events():
    return render_template("checkin/events.html",
                           events=queries.desk_event_items(current_user, current_language()))


@bp.route("/<int:event_id>")
@desk_required
def desk(event):
    door = queries.door(event, whole_number(request.args.get("session")))
    language = current_language()
    return render_template("checkin/desk.html", event=event, door=door, language=language,
                           sessions=queries.session_counts(event, language),
                           code=code_from_scan(request.args.get("code", ""))[:64])


@bp.route("/<int:event_id>/roster.json")
@desk_required
def roster(event):
    response = jsonify(queries.roster(event, current_language()))
    response.headers["Cache-Control"] = "no-store"
    # A fresh CSRF token for the uploads: a desk stays open longer than a page's token lasts.
    response.headers["X-CSRFToken"] = generate_csrf()
    return response


def _refused(message: str, status: int = 400):
    return jsonify({"error": message}), status


@bp.route("/<int:event_id>/scans", methods=["POST"])
@desk_required
def upload(event):
    if (request.content_length or 0) > scans.MAX_BODY:
        return _refused(_("Too many scans at once: send them in smaller parts."), 413)
    body = request.get_data()
    if len(body) > scans.MAX_BODY:
        return _refused(_("Too many scans at once: send them in smaller parts."), 413)
    try:
        batch = scans.read_upload(json.loads(body) if body else None)
    except scans.BadUpload as error:
        return _refused(str(error))
    except (ValueError, RecursionError):  # not JSON (UnicodeDecodeError is a ValueError too)
        return _refused(_("The body is not JSON."))
    answers = scans.upload(event, current_user._get_current_object(), batch, current_language())
    return jsonify({"results": answers, "sessions": queries.session_counts(event, current_language())})


@bp.route("/desk-worker.js")
def service_worker():
    """The desk's service worker, served under /checkin/ so that its scope covers the desks (a
    worker can control only pages below its own address). It holds no data; anyone may read it."""
    response = current_app.send_static_file("checkin/desk-worker.js")
    response.headers["Cache-Control"] = "no-cache"  # a new version reaches phones on their next visit
    return response


@bp.route("/badge/<code>")
@role_required(*DESK_ROLES)
def badge(code: str):
    """The address a badge's QR carries (services.badge_url): a phone's own camera app opens the
    desk of the badge's event, which checks the person in."""
    code = code_from_scan(code)
    event_id = queries.event_of_badge(code)
    if event_id is None or not may_use_desk(current_user, event_id):
        abort(404)
    return redirect(url_for("checkin.desk", event_id=event_id, code=code))
