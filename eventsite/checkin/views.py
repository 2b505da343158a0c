"""Check-in pages for door staff (role "checkin", on the events assigned to them) and organizers."""
from __future__ import annotations

from flask import Blueprint, abort

from ..accounts.permissions import role_required

bp = Blueprint("checkin", __name__, url_prefix="/checkin")


@bp.route("/badge/<code>")
@role_required("admin", "organizer", "checkin")
def badge(code: str):
    """The address a badge's QR carries (services.badge_url); the check-in page comes next."""
    abort(404)
