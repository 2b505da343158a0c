"""Flask-Login wiring: the session id carries the account's session token, so a password
change or deactivation (which rotates the token) ends every existing session."""
from __future__ import annotations

import hmac

from flask_babel import lazy_gettext as _l

from ..extensions import db, login_manager
from .models import User

login_manager.login_view = "accounts.login"
login_manager.login_message = _l("Please log in to see this page.")
login_manager.login_message_category = "warning"
login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or not hmac.compare_digest(user.session_token, token):
        return None
    return user
