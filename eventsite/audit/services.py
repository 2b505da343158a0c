"""Recording what happened. Call `record()` inside the use case's transaction, before commit."""
from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from flask_login import current_user

from ..extensions import db
from .models import AuditEntry


def record(action: str, target: Any = None, *, details: dict[str, Any] | None = None, actor: Any = None,
           target_label: str | None = None) -> AuditEntry:
    """Add an audit entry to the session (the caller commits it with the change itself). The actor
    defaults to the logged-in user and the address to the request's: services need no request."""
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user._get_current_object()
    if target is not None and getattr(target, "id", None) is None:
        db.session.flush()  # a new record gets its id now, so the entry can point at it
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None), actor_label=getattr(actor, "email", "") or "", action=action,
        target_type=type(target).__tablename__ if target is not None else None,
        target_id=getattr(target, "id", None),
        target_label=(target_label if target_label is not None else _label(target))[:400],
        ip=request.remote_addr if has_request_context() else None, details=details or {})
    db.session.add(entry)
    return entry


def _label(target: Any) -> str:
    if target is None:
        return ""
    for attr in ("email", "name_en", "name_zh", "name_latin", "subject_en", "subject_zh"):
        value = getattr(target, attr, None)
        if value:
            return str(value)
    return f"#{getattr(target, 'id', '')}"
