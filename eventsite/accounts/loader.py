"""Flask-Login wiring: the session id carries the account's session token, so a password
change or deactivation (which rotates the token) ends every existing session."""
from __future__ import annotations

import hmac

from ..core.gettext import lazy_gettext as _l
from ..core.numbers import whole_number
from ..extensions import db, login_manager
from .models import User

login_manager.login_view = "accounts.login"
login_manager.login_message = _l("Please log in to see this page.")
login_manager.login_message_category = "warning"
login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    text, _, token = session_id.partition(":")
    user_id = whole_number(text, 1)
    if user_id is None or not token:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.is_active or not hmac.compare_digest(user.session_token, token):
        return None
    return user
