"""Public event pages: upcoming events, the archive, one event with its agenda, and the
viewer's time zone."""
from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user

from ..calendar.links import event_links, public_feed_links
from ..core.collation import sort_key
from ..core.domain import DomainError
from ..core.gettext import gettext as _
from ..core.i18n import VIEWER_ZONE_KEY, current_language, reader_zone
from ..core.listing import paginate, query_arg
from ..core.pagecache import cached_page
from ..core.security import csrf_when_logged_in
from ..core.urls import safe_next
from ..members.labels import country_codes, country_name
from . import programme, queries
from .labels import EVENT_KIND_LABELS
from .services.viewer import remember_viewer_zone

bp = Blueprint("events", __name__)

PER_PAGE = 20


def _zone_context() -> dict:
    """What the zone chooser on every events page needs. The zone is remembered when chosen,
    detected, or set on the account; an account still on the site default counts as not chosen,
    so the browser's zone is detected once for it too."""
    remembered = isinstance(session.get(VIEWER_ZONE_KEY), str) or (
        current_user.is_authenticated
        and current_user.timezone not in ("", None, current_app.config["BABEL_DEFAULT_TIMEZONE"]))
    return {"viewer_zone": reader_zone(), "zone_remembered": remembered,
            "zone_next": request.full_path if request.query_string else request.path}


def _event_list(archive: bool):
    lang = current_language()
    places = queries.place_rows(archive)
    filters = queries.EventFilters(query_arg("kind", 32), query_arg("country", 2), query_arg("city"),
                                   query_arg("month", 7)).cleaned(country_codes())
    page = paginate(queries.list_query(filters, archive, sorted({z for *_place, z in places})), PER_PAGE)
    countries = sorted({c for c, *_rest in places}, key=lambda c: sort_key(country_name(c, lang), lang))
    zone_name = reader_zone()
    return render_template(
        "events/list.html", archive=archive, page=page, filters=filters, kinds=EVENT_KIND_LABELS,
        cards=[queries.event_card(e, lang, zone_name) for e in page.items],
        countries=[(c, country_name(c, lang)) for c in countries],
        cities=queries.city_choices(places, lang), public_feed=public_feed_links(lang),
        **_zone_context())


@bp.get("/events/")
@cached_page("events")
def upcoming():
    return _event_list(archive=False)


@bp.get("/events/archive")
@cached_page("events")
def archive():
    return _event_list(archive=True)


@bp.get("/events/<int:event_id>")
@cached_page("event:{event_id}")
def detail(event_id: int):
    event = queries.public_event_or_404(event_id)
    return render_template("events/detail.html", **_zone_context(),
                           event=queries.event_page(event, current_language(), reader_zone()),
                           calendar_links=event_links(event, current_language()))


@bp.get("/events/<int:event_id>/programme.pdf")
@cached_page("event:{event_id}")
def programme_pdf(event_id: int):
    """The printed programme, in the reader's language first (?lang=en|zh asks for the other)."""
    event = queries.public_event_or_404(event_id)
    asked = query_arg("lang", 8)
    language = asked if asked in ("en", "zh") else current_language()
    response = Response(programme.programme_pdf(event, language), mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'inline; filename="{programme.programme_filename(event, language)}"')
    return response


@bp.post("/viewer-timezone")
@csrf_when_logged_in
def set_viewer_timezone():
    """Posted by the browser's detection (auto=1: 204 or 400) or by the zone form (a redirect)."""
    automatic = request.form.get("auto") == "1"
    user = current_user._get_current_object() if current_user.is_authenticated else None
    try:
        name = remember_viewer_zone(session, user, request.form.get("timezone"))
    except DomainError as error:
        if automatic:
            return {"error": str(error.message)}, 400
        flash(error.message, "error")
    else:
        if automatic:
            return "", 204
        flash(_("Times are now also shown in %(zone)s.", zone=name), "success")
    return redirect(safe_next(request.form.get("next")) or url_for("events.upcoming"))
