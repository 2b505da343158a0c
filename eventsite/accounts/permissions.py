"""Who may do what. Every check runs on the server, on the record itself, and fails closed."""
from __future__ import annotations

from functools import wraps
from typing import Callable

from flask import abort
from flask_login import current_user

from ..extensions import login_manager


def role_required(*roles: str) -> Callable:
    """Let the view run only for a logged-in user holding one of `roles` (else login or 403)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


staff_required = role_required("admin", "organizer")
admin_required = role_required("admin")


def can_manage_unit(user, unit) -> bool:
    return bool(user.is_authenticated and (
        user.is_staff or (user.role == "liaison" and unit is not None and user.unit_id == unit.id)))
