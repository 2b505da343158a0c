"""Starting a logged-in session: one place for every way in (password login, an account set up
from an invitation link), so each gets the same fresh, permanent session."""
from __future__ import annotations

from flask import session
from flask_login import login_user

from .models import User


def start_session(user: User) -> None:
    """A brand-new, permanent session for `user` (keeps only the chosen language), so nothing of
    an earlier visitor's session survives the login."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    login_user(user, remember=False)
    session.permanent = True
