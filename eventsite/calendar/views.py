"""Calendar downloads and feeds."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.permissions import role_required
from ..audit.services import record
from ..core.i18n import current_language
from ..core.listing import query_arg
from ..core.pagecache import cached_page
from ..events import queries
from ..extensions import db
from . import builder, feeds

bp = Blueprint("calendar", __name__)

# Calendar apps poll; five minutes spares the server, the ETag makes every check cheap.
MAX_AGE = 300


@bp.get("/events/<int:event_id>/calendar.ics")
def event_ics(event_id: int):
    """The public event as a .ics (PUBLISH); cancelled events too, so calendars learn of it."""
    event = queries.public_event(event_id)
    if event is None:
        abort(404)
    with_sessions = query_arg("sessions", 8) == "1"
    body = builder.event_ics(event, include_sessions=with_sessions, language=current_language())
    response = Response(body, mimetype="text/calendar")  # Werkzeug adds charset=utf-8
    filename = builder.calendar_filename(event, sessions=with_sessions)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Weak: two builds differ only in DTSTAMP, which content_tag leaves out.
    response.set_etag(builder.content_tag(body), weak=True)
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    response.vary.add("Accept-Language")  # the language follows the reader (Cookie is added by Flask)
    return response.make_conditional(request)


# --- feeds ------------------------------------------------------------------------------------


def _feed_language() -> str:
    """Calendar apps send no useful Accept-Language: the URL says which language (?lang=zh)."""
    lang = query_arg("lang", 8)
    return lang if lang in builder.LANGUAGES else current_language()


def _feed_response(query, name: str, filename: str, *, public: bool, language: str):
    """The feed of the events `query` selects, or 304 when the client's copy is current
    (decided from a few columns, before any event is loaded or the file built)."""
    tag = feeds.validator(feeds.stamps(query), language, name)
    if request.if_none_match.contains_weak(tag):
        response = Response(status=304)
    else:
        body = feeds.cached_body(tag, lambda: builder.feed_ics(
            db.session.scalars(query), name=name, language=language))
        response = Response(body, mimetype="text/calendar")
        response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.set_etag(tag, weak=True)
    if public:
        response.cache_control.public = True
        response.cache_control.max_age = MAX_AGE
    else:  # a secret URL: no shared cache may keep it
        response.cache_control.private = True
        response.cache_control.no_cache = True
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.get("/calendar/alliance.ics")
@cached_page
def public_feed():
    """Every published event (and cancelled ones, so calendars drop them), a year back."""
    language = _feed_language()
    with force_locale(language):
        name = _("City Alliance Events")
    return _feed_response(feeds.public_events_query(), name, "alliance-events.ics", public=True,
                          language=language)


@bp.get("/calendar/units/<int:unit_id>/<token>.ics")
def unit_feed(unit_id: int, token: str):
    from ..members.models import MemberUnit

    unit = db.session.get(MemberUnit, unit_id)
    if not feeds.token_matches("unit", unit, token):
        abort(404)
    language = _feed_language()
    return _feed_response(feeds.unit_events_query(unit.id), unit.display_name(language),
                          f"unit-{unit.id}.ics", public=False, language=language)


@bp.get("/calendar/delegates/<int:delegate_id>/<token>.ics")
def delegate_feed(delegate_id: int, token: str):
    """The delegate's event and the agenda sessions they chose (all sessions if none to choose)."""
    from ..delegations.models import Delegate

    delegate = db.session.get(Delegate, delegate_id)
    if not feeds.token_matches("delegate", delegate, token):
        abort(404)
    event = feeds.delegate_event(delegate)
    language = _feed_language()
    events = [event] if event is not None else []
    tag = feeds.validator(events, language, delegate.status, sorted(s.id for s in delegate.sessions))
    if request.if_none_match.contains_weak(tag):
        response = Response(status=304)
    else:
        if event is None:
            body = builder.feed_ics([], name=delegate.display_name(language), language=language)
        else:
            body = builder.event_ics(event, include_sessions=True, language=language,
                                     only_sessions=_chosen_sessions(event, delegate))
        response = Response(body, mimetype="text/calendar")
        response.headers["Content-Disposition"] = f'inline; filename="delegate-{delegate.id}.ics"'
    response.set_etag(tag, weak=True)
    response.cache_control.private = True
    response.cache_control.no_cache = True
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _chosen_sessions(event, delegate) -> set[int]:
    """Sessions delegates choose appear only when chosen; the others are for everyone."""
    chosen = {s.id for s in delegate.sessions}
    return {s.id for s in event.sessions if not s.delegates_choose or s.id in chosen}


@bp.post("/my/unit/calendar/new-address")
@role_required("liaison")
def rotate_unit_feed():
    """The liaison replaces their unit's feed address (e.g. after it leaked)."""
    unit = current_user.unit
    feeds.rotate(unit)
    record("calendar.rotate_feed", unit)
    db.session.commit()
    flash(_("Your unit's calendar has a new address. The old one no longer works: subscribe "
            "again with the new one."), "success")
    return redirect(url_for("members.my_unit"))
