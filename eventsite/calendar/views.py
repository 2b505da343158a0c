"""Calendar downloads and feeds."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, request, url_for
from flask_login import current_user

from ..accounts.permissions import role_required
from ..audit.services import record
from ..core.gettext import gettext as _
from ..core.i18n import current_language, site_name
from ..core.listing import query_arg
from ..core.pagecache import cached_page
from ..delegations.models import Delegate
from ..events import queries
from ..extensions import db
from ..meetings import queries as meeting_queries
from ..members.models import MemberUnit
from ..pickups import queries as pickup_queries
from . import builder, feeds, links

bp = Blueprint("calendar", __name__)

# Calendar apps poll; five minutes spares the server, the ETag makes every check cheap.
MAX_AGE = 300


def _asked_language() -> str | None:
    """The language the feed's address names (?lang=zh): calendar apps send no useful Accept-Language."""
    lang = query_arg("lang", 8)
    return lang if lang in builder.LANGUAGES else None


def _calendar_response(body: bytes, tag: str, filename: str, *, public: bool, download: bool = False):
    """The file with `tag`, its content tag, as a weak ETag (two builds differ only in DTSTAMP,
    which content_tag leaves out); `download`: a file to save rather than one to read."""
    response = Response(body, mimetype="text/calendar")  # Werkzeug adds charset=utf-8
    disposition = "attachment" if download else "inline"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response.set_etag(tag, weak=True)
    if public:
        response.cache_control.public = True
        response.cache_control.max_age = MAX_AGE
    else:  # a secret URL: no shared cache may keep it
        response.cache_control.private = True
        response.cache_control.no_cache = True
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.get("/events/<int:event_id>/calendar.ics")
@cached_page("event:{event_id}")
def event_ics(event_id: int):
    """The public event as a .ics (PUBLISH); cancelled events too, so calendars learn of it."""
    event = queries.public_event_or_404(event_id)
    with_sessions = query_arg("sessions", 8) == "1"
    body = builder.event_ics(event, include_sessions=with_sessions, language=current_language())
    filename = builder.calendar_filename(event, sessions=with_sessions)
    # @cached_page answers If-None-Match and adds Vary: Accept-Language
    return _calendar_response(body, builder.content_tag(body), filename, public=True, download=True)


@bp.get("/events/<int:event_id>/add/<service>")
def add_to(event_id: int, service: str):
    """The short "add to Google Calendar / Outlook" link of mails: a redirect to the service's long
    address, built now in the language the link names (?lang=, else the reader's); 404 for a
    service not enabled for that language (CALENDAR_LINKS_EN / _ZH)."""
    language = _asked_language() or current_language()
    if service not in links.enabled_services(language):
        abort(404)
    event = queries.public_event_or_404(event_id)
    return redirect(links.add_to_url(event, service, language), 302)


# --- feeds ------------------------------------------------------------------------------------
def _kept_feed(query, name: str, language: str, unit_id: int | None = None) -> tuple[bytes, str]:
    """The feed and its tag (a kept file is found before any event is loaded); a unit's feed
    also carries its bilateral meetings (their stamps are part of the key)."""
    meetings = meeting_queries.unit_stamps(unit_id) if unit_id is not None else []
    key = feeds.feed_key(feeds.stamps(query), language, name, meetings)
    return feeds.cached_body(key, lambda: builder.feed_ics(
        db.session.scalars(query), name=name, language=language,
        entries=meeting_queries.unit_entries(unit_id, language) if meetings else ()))


@bp.get("/calendar/alliance.ics")
@cached_page("events")
def public_feed():
    """Every published event (and cancelled ones, so calendars drop them), a year back; in the
    language of the address, else the reader's (then the file varies with Accept-Language)."""
    asked = _asked_language()
    language = asked or current_language()
    name = site_name(language)
    body, tag = _kept_feed(feeds.public_events_query(), name, language)
    response = _calendar_response(body, tag, "alliance-events.ics", public=True)
    if asked is None:
        response.vary.add("Accept-Language")
    return response


@bp.get("/calendar/units/<int:unit_id>/<token>.ics")
def unit_feed(unit_id: int, token: str):
    """The unit's events and meetings, in the language of the people who read the unit's mail."""
    unit = db.session.get(MemberUnit, unit_id)
    if not feeds.token_matches("unit", unit, token):
        abort(404)
    language = _asked_language() or feeds.owner_language(unit)
    body, tag = _kept_feed(feeds.unit_events_query(unit.id), unit.display_name(language), language, unit.id)
    return _calendar_response(body, tag, f"unit-{unit.id}.ics", public=False).make_conditional(request)


@bp.get("/calendar/delegates/<int:delegate_id>/<token>.ics")
def delegate_feed(delegate_id: int, token: str):
    """The delegate's event, chosen sessions, pickups and meetings (built on every request: one event is
    cheap); also the personal page's download (?download=1)."""
    delegate = db.session.get(Delegate, delegate_id)
    if not feeds.token_matches("delegate", delegate, token):
        abort(404)
    event = feeds.delegate_event(delegate)
    language = _asked_language() or feeds.owner_language(delegate)
    if event is None:
        body = builder.feed_ics([], name=delegate.display_name(language), language=language)
    else:  # sessions delegates choose appear only when chosen; the others are for everyone
        chosen = {s.id for s in delegate.sessions}
        body = builder.event_ics(event, include_sessions=True, language=language, only_sessions={
            s.id for s in event.sessions if not s.delegates_choose or s.id in chosen},
            entries=pickup_queries.calendar_entries(delegate, event, language)
            + meeting_queries.calendar_entries(delegate, event, language))
    return _calendar_response(body, builder.content_tag(body), f"delegate-{delegate.id}.ics",
                              public=False, download=query_arg("download", 8) == "1"
                              ).make_conditional(request)


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
