"""The admin's privacy page: find and export one person's data; erase ended events' delegates."""
from __future__ import annotations

import json

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for

from ..accounts.permissions import admin_required
from ..core.addresses import deliverable
from ..core.domain import DomainError
from ..core.gettext import gettext as _
from ..core.lookup import get_or_404
from . import erasure, services

bp = Blueprint("privacy", __name__, url_prefix="/admin/privacy")


@bp.route("/", methods=["GET", "POST"])
@admin_required
def index():
    summary, email = None, ""
    if request.method == "POST":
        email = deliverable(request.form.get("email")) or ""  # the address rule's spelling
        if not email:
            flash(_("Enter a valid email address."), "error")
        else:
            summary = services.personal_data(email)
    return render_template("privacy/index.html", summary=summary, email=email,
                           events=erasure.erasable_events(), retention=erasure.retention_days())


@bp.post("/export")
@admin_required
def export():
    email = deliverable(request.form.get("email"))
    if not email:
        flash(_("Enter a valid email address."), "error")
        return redirect(url_for("privacy.index"))
    body = json.dumps(services.export(email), ensure_ascii=False, indent=2)
    filename = "personal-data-" + "".join(ch if ch.isalnum() else "-" for ch in email) + ".json"
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.post("/events/<int:event_id>/erase")
@admin_required
def erase_event(event_id: int):
    from ..events.models import Event

    event = get_or_404(Event, event_id)
    if request.form.get("confirm") != "erase":
        flash(_("Tick the box to confirm the erasure."), "error")
        return redirect(url_for("privacy.index"))
    try:
        count = erasure.erase_event(event)
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(_("The personal data of %(num)d delegates was erased.", num=count), "success")
    return redirect(url_for("privacy.index"))
