"""The viewer's own time zone, shown beside the event's: chosen in the zone form or detected once
by static/js/viewer_timezone.js, kept in the session and, when logged in, on the account."""
from __future__ import annotations

from ...audit.services import record
from ...core.domain import DomainError
from ...core.gettext import lazy_gettext as _l
from ...core.i18n import VIEWER_ZONE_KEY
from ...core.timezones import is_valid_zone
from ...extensions import db

MAX_ZONE_LENGTH = 64


def remember_viewer_zone(store: dict, user, zone_name: str) -> str:
    """Keep `zone_name` in `store` (the session) and on the account when logged in (audited and
    committed like a change on the profile page); DomainError for an unknown zone."""
    name = zone_name.strip() if isinstance(zone_name, str) else ""
    if not name or len(name) > MAX_ZONE_LENGTH or not is_valid_zone(name):
        raise DomainError(_l("Unknown time zone. Choose one from the list, e.g. Asia/Shanghai."))
    store[VIEWER_ZONE_KEY] = name
    if user is not None and getattr(user, "is_authenticated", False) and user.timezone != name:
        record("user.update", user, details={"changes": {"timezone": {"old": user.timezone, "new": name}}})
        user.timezone = name
        db.session.commit()
    return name
