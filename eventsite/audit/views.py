"""The admin page to browse and filter the audit log."""
from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import Blueprint, render_template
from flask_babel import get_timezone

from ..accounts.permissions import admin_required
from ..core.dates import parse_day, range_message
from ..core.gettext import gettext as _
from ..core.i18n import current_language
from ..core.listing import paginate, query_arg, text_search
from ..core.numbers import whole_number
from ..extensions import db
from . import labels, queries
from .models import AuditEntry

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")


@bp.get("/")
@admin_required
def index():
    query = db.select(AuditEntry).order_by(AuditEntry.id.desc())
    filters = {name: query_arg(name, limit) for name, limit in (
        ("action", 64), ("actor", 320), ("target_type", 64), ("target_id", 12), ("since", 20), ("until", 20))}
    if filters["action"]:
        query = query.where(AuditEntry.action == filters["action"])
    if filters["actor"]:
        query = query.where(text_search(filters["actor"], AuditEntry.actor_label))
    if filters["target_type"]:
        query = query.where(AuditEntry.target_type == filters["target_type"])
    # A filter that cannot be read is left out, and the reader is told so.
    problems = []
    if (number := whole_number(filters["target_id"])) is not None:
        query = query.where(AuditEntry.target_id == number)
    elif filters["target_id"]:
        problems.append(_("The record id must be a whole number."))
    # Days are the reader's days: convert their midnight to UTC.
    zone = get_timezone()
    since, until = parse_day(filters["since"]), parse_day(filters["until"])
    if (filters["since"] and not since) or (filters["until"] and not until):
        problems.append(range_message())
    if since:
        query = query.where(AuditEntry.at >= datetime.combine(since, time(), zone))
    if until:
        query = query.where(AuditEntry.at < datetime.combine(until + timedelta(days=1), time(), zone))
    page = paginate(query, per_page=50)
    actions = db.session.scalars(db.select(AuditEntry.action).distinct()).all()
    target_types = db.session.scalars(
        db.select(AuditEntry.target_type).where(AuditEntry.target_type.is_not(None)).distinct()).all()
    return render_template("audit/index.html", page=page, rows=queries.rows(page.items, current_language()),
                           actions=queries.action_choices(actions),
                           target_types=sorted((t, labels.target_type_label(t)) for t in target_types),
                           problems=problems, filters=filters)
