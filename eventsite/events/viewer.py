"""The viewer's own time zone, shown beside the event's.

Order: the zone chosen or detected in this browser (kept in the session), else the account's
zone, else DEFAULT_TIMEZONE. The browser's zone is detected by static/js/viewer_timezone.js,
which posts it once (events.set_viewer_timezone) when nothing is remembered yet.
"""
from __future__ import annotations

from flask import current_app, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..audit.services import record
from ..core.domain import DomainError
from ..core.i18n import VIEWER_ZONE_KEY, reader_zone
from ..core.timezones import is_valid_zone
from ..extensions import db

SESSION_KEY = VIEWER_ZONE_KEY
MAX_ZONE_LENGTH = 64


def viewer_zone() -> str:
    """The IANA zone the current viewer reads times in (the same for every page of the site)."""
    return reader_zone()


def zone_remembered() -> bool:
    """True when this browser already has a zone (chosen, detected, or set on the account).

    An account whose zone is still the site default counts as not chosen, so the browser's zone
    is detected once for it too.
    """
    if isinstance(session.get(SESSION_KEY), str):
        return True
    return bool(
        current_user.is_authenticated
        and current_user.timezone
        and current_user.timezone != current_app.config["BABEL_DEFAULT_TIMEZONE"]
    )


def clean_zone(value: object) -> str:
    """The zone name from user input, or DomainError for anything that is not a known zone."""
    name = value.strip() if isinstance(value, str) else ""
    if not name or len(name) > MAX_ZONE_LENGTH or not is_valid_zone(name):
        raise DomainError(_l("Unknown time zone. Choose one from the list, e.g. Asia/Shanghai."))
    return name


def remember_viewer_zone(store: dict, user, zone_name: str) -> str:
    """Keep `zone_name` in `store` (the session) and on the account when logged in.

    Raises DomainError for an unknown zone (nothing is stored then). The account's change is
    audited and committed in one transaction, like a change made on the profile page.
    """
    name = clean_zone(zone_name)
    store[SESSION_KEY] = name
    if user is not None and getattr(user, "is_authenticated", False) and user.timezone != name:
        old = user.timezone
        user.timezone = name
        record("user.update", user, details={"changes": {"timezone": {"old": old, "new": name}}})
        db.session.commit()
    return name
