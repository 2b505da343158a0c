"""Flask-Login wiring: the session id carries the account's session token, so a password
change or deactivation (which rotates the token) ends every existing session."""
from __future__ import annotations

import hmac

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import make_transient_to_detached

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
    # Every logged-in request starts here. While no change has been committed anywhere (the
    # page cache's content generation, which moves with any write to user_account: password
    # change, deactivation, logout all rotate the token), the account read last time still
    # holds, so it is rebuilt from kept values instead of read again (core/pagecache.py).
    cache = current_app.extensions.get("pagecache")
    generation = cache.generation() if cache is not None else None
    key = ("account", generation, user_id, token)
    if generation is not None and (values := cache.recall(key)) is not None:
        user = User(**values)
        make_transient_to_detached(user)
        return db.session.merge(user, load=False)
    user = db.session.get(User, user_id)
    if user is None or not user.is_active or not hmac.compare_digest(user.session_token, token):
        return None
    if generation is not None:
        cache.remember(key, {column.key: getattr(user, column.key) for column in _COLUMNS})
    return user


_COLUMNS = User.__mapper__.column_attrs
