"""Organizers read, without changing anything, the messages the app sent to a unit's people and
to delegates: one message as sent, a unit's whole history (staff only). The admin's outbox, with
every message and its retry, stays in views.py. Other features' pages show a unit's or a
delegate's list through the template globals below (templates/mail/_messages.html)."""
from __future__ import annotations

import re

from flask import Blueprint, abort, render_template, request

from ..accounts.permissions import staff_required
from ..core.listing import paginate
from ..core.lookup import get_or_404
from ..core.numbers import whole_number
from ..extensions import db
from ..members.models import MemberUnit
from . import labels, queries
from .mime import attachments_of, body_text, message_bytes, parsed
from .models import OutboxMessage
from .services import message_kind_label

bp = Blueprint("message_admin", __name__)

# A personal link's token (core.tokens: 43 URL-safe characters) at the end of a URL path: shown to
# the organizer without it, since the link lets whoever holds it act as the recipient.
_TOKEN_IN_URL = re.compile(r"(https?://[^\s<>\"']*?/)[A-Za-z0-9_-]{32,}")
HIDDEN = "[…]"


def without_tokens(text: str) -> str:
    return _TOKEN_IN_URL.sub(lambda m: m.group(1) + HIDDEN, text or "")


@bp.app_template_global()
def message_state(message: OutboxMessage) -> dict[str, str]:
    """How one message reads on an organizer's page: queued, sent or failed, and why in words."""
    code = labels.delivery(message.state)
    return {"code": code, "label": str(labels.DELIVERY_LABELS[code]), "badge": labels.DELIVERY_BADGES[code],
            "words": labels.error_in_words(message.state, message.last_error)}


bp.add_app_template_global(message_kind_label, "message_kind_label")


@bp.app_template_global()
def unit_messages(unit_id: int, limit: int = 20) -> queries.MessageList:
    """The unit's newest messages, every event and message to groups (the directory page)."""
    return queries.messages_of(unit_id=unit_id, limit=limit)


def _owned(message_id: int) -> OutboxMessage:
    """A message that belongs to a unit or a delegate; account mail (activation, password reset)
    is not an organizer's to read: 404, as for a message that does not exist."""
    row = get_or_404(OutboxMessage, message_id)
    if row.unit_id is None and row.delegate_id is None:
        abort(404)
    return row


@bp.get("/messages/read/<int:message_id>")
@staff_required
def read(message_id: int):
    row = _owned(message_id)
    try:
        message = parsed(message_bytes(row))
    except ValueError:  # recorded as not sendable: what was stored
        text, attachments = row.body_text, [(a.filename, a.content_type, len(a.data)) for a in row.attachments]
    else:
        text, attachments = body_text(message, "plain") or "", attachments_of(message)
    hidden = without_tokens(text)
    return render_template("mail/read.html", row=row, text=hidden, links_hidden=hidden != text,
                           attachments=attachments, state=message_state(row),
                           unit=db.session.get(MemberUnit, row.unit_id) if row.unit_id is not None else None)


@bp.get("/messages/units/<int:unit_id>")
@staff_required
def unit_history(unit_id: int):
    unit = get_or_404(MemberUnit, unit_id)
    event_id = whole_number(request.args.get("event", ""), 1)
    page = paginate(queries.owned_query(unit_id=unit.id, event_id=event_id), per_page=30)
    return render_template("mail/unit_history.html", unit=unit, page=page, event_id=event_id)
