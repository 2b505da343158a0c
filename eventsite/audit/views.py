"""The admin page to browse and filter the audit log."""
from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import Blueprint, render_template, request
from flask_babel import get_timezone

from ..accounts.permissions import admin_required
from ..core.listing import paginate, query_arg
from ..extensions import db
from .models import AuditEntry

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")


def _parse_day(value: str | None):
    try:
        return datetime.strptime(value, "%Y-%m-%d").date() if value else None
    except ValueError:
        return None


@bp.get("/")
@admin_required
def index():
    args = request.args
    query = db.select(AuditEntry).order_by(AuditEntry.id.desc())
    action = query_arg("action", 64)
    actor = query_arg("actor", 320)
    target_type = query_arg("target_type", 64)
    target_id = query_arg("target_id", 12)
    if action:
        query = query.where(AuditEntry.action == action)
    if actor:
        query = query.where(AuditEntry.actor_label.contains(actor.lower()))
    if target_type:
        query = query.where(AuditEntry.target_type == target_type)
    if target_id.isdigit():
        query = query.where(AuditEntry.target_id == int(target_id))
    # Days are the reader's days: convert their midnight to UTC.
    zone = get_timezone()
    since, until = _parse_day(args.get("since")), _parse_day(args.get("until"))
    if since:
        query = query.where(AuditEntry.at >= datetime.combine(since, time(), zone))
    if until:
        query = query.where(AuditEntry.at < datetime.combine(until + timedelta(days=1), time(), zone))
    page = paginate(query, per_page=50)
    actions = db.session.scalars(db.select(AuditEntry.action).distinct().order_by(AuditEntry.action)).all()
    target_types = db.session.scalars(
        db.select(AuditEntry.target_type).where(AuditEntry.target_type.is_not(None)).distinct()
    ).all()
    return render_template(
        "audit/index.html", page=page, actions=actions, target_types=sorted(target_types),
        filters={"action": action, "actor": actor, "target_type": target_type,
                 "target_id": target_id, "since": args.get("since", ""), "until": args.get("until", "")},
    )
