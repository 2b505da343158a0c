"""The home page: what the platform is, the next events, and for someone logged in what waits for
them; and the same "what to do next" panel on the organizer dashboard (a template global)."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from ..calendar.links import public_feed_links
from ..core.i18n import current_language, reader_zone
from ..core.pagecache import cached_page
from . import queries

bp = Blueprint("home", __name__)


@bp.get("/")
@cached_page("events")
def index():
    language = current_language()
    return render_template("home/index.html", cards=queries.upcoming_cards(language, reader_zone()),
                           feed=public_feed_links(language), steps=what_next())


@bp.app_template_global()
def what_next() -> list[queries.Item] | None:
    """The logged-in person's "what to do next" items (None for a visitor)."""
    if not current_user.is_authenticated:
        return None
    return queries.for_user(current_user, current_language())
