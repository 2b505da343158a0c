"""Organizer pages: the dashboard, event editing and life cycle, the agenda editor, covers
(staff only, except the cover image of a published or cancelled event)."""
from __future__ import annotations

from datetime import timedelta
from itertools import groupby

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from ..accounts.permissions import staff_required
from ..core.domain import DomainError, rules_may_run, show_on_form
from ..core.gettext import gettext as _
from ..core.gettext import ngettext
from ..core.i18n import current_language
from ..core.listing import paginate, query_arg
from ..core.lookup import get_or_404
from ..core.timefmt import local_time, span_text
from ..core.timezones import all_zones, local_naive, to_local, zone_label
from ..invitations import queries as invitation_status
from ..members.labels import country_name
from . import labels, notifications, queries, rules, services, uploads
from .forms import CancelForm, CoverForm, DuplicateForm, EventChangeForm, EventForm, SessionForm
from .models import EVENT_TIMES, AgendaSession, Event

bp = Blueprint("event_admin", __name__, url_prefix="/organizer/events")

PER_PAGE = 50
COMMON_ZONES = ("Asia/Shanghai", "Europe/Brussels", "Europe/Berlin", "Europe/Paris", "Europe/Rome",
                "Europe/London", "Europe/Madrid", "Europe/Warsaw", "America/New_York", "UTC")


@bp.context_processor
def organizer_helpers():
    return {"labels": labels, "local_time": local_time, "zone_label": zone_label,
            "time_span": lambda s, e, z: span_text(s, e, z, date_first=False),
            "country_name": country_name,
            "zones": COMMON_ZONES + tuple(z for z in all_zones() if z not in COMMON_ZONES)}


def _warn(warnings: list[str]) -> None:
    for warning in warnings:
        flash(warning, "warning")


# --- dashboard and events -------------------------------------------------------------------

@bp.get("/")
@staff_required
def dashboard():
    status = query_arg("status", 16)
    status = status if status in labels.DASHBOARD_FILTER_LABELS else ""
    page = paginate(queries.dashboard_query(status), PER_PAGE)
    return render_template("event_admin/dashboard.html", page=page, status=status,
                           rows=queries.rows(page.items, current_language()))


@bp.route("/new", methods=["GET", "POST"])
@staff_required
def create():
    form = EventForm()
    if request.method == "GET":
        form.kind.data, form.country.data, form.timezone.data, form.registration_mode.data = (
            "forum", "CN", "Asia/Shanghai", "all_members")
    if form.validate_on_submit():
        try:
            event, warnings = services.create_event(form.values(),
                                                    created_by=current_user._get_current_object())
        except DomainError as error:
            show_on_form(form, error)
        else:
            flash(_("The event was created as a draft."), "success")
            _warn(warnings)
            return redirect(url_for("event_admin.detail", event_id=event.id))
    elif rules_may_run(form):
        _check_too(form)
    return render_template("event_admin/event_form.html", form=form, event=None)


def _over_quota(event: Event) -> list[str]:
    """A default quota below what units registered removes nobody: say what it means."""
    return [_("%(unit)s has %(registered)d people registered, more than its quota of %(quota)d. "
              "Nobody is removed: the liaison can still correct their details, but can add "
              "nobody until the delegation is within the quota.", unit=unit, registered=registered,
              quota=event.default_quota)
            for unit, registered in queries.over_default_quota(event, current_language())]


def _check_too(form: EventForm, event: Event | None = None) -> None:
    """The form has mistakes of its own: show the rules' problems with them, in the same round."""
    try:
        services.check_values(form.values(), event)
    except DomainError as error:
        show_on_form(form, error)


@bp.get("/<int:event_id>")
@staff_required
def detail(event_id: int):
    event = get_or_404(Event, event_id)
    title, fallback = event.text("title", current_language())
    duplicate = DuplicateForm()
    duplicate.new_start.data = local_naive(event.starts_at, event.timezone) + timedelta(days=365)
    return render_template(
        "event_admin/detail.html", event=event, title=title, fallback=fallback,
        phase=event.phase(), registration=rules.registration_state(event),
        cancel_form=CancelForm(),
        cancel_audience=queries.audience(event) if event.status == "published" else None,
        duplicate_form=duplicate, cover_form=CoverForm(),
        has_cover=uploads.cover_path(event) is not None, sessions=len(event.sessions),
        invitation_counts=invitation_status.summary(event),
        counts=queries.counts_for([event.id])[event.id],
    )


@bp.route("/<int:event_id>/edit", methods=["GET", "POST"])
@staff_required
def edit(event_id: int):
    """Save; a change that reaches delegates' calendars is first shown with their number and
    saved only on "Save and notify" (notifications.py)."""
    event = get_or_404(Event, event_id)
    form = EventChangeForm(obj=event) if request.method == "GET" else EventChangeForm()
    if request.method == "GET":
        for field in EVENT_TIMES:
            getattr(form, field).data = local_naive(getattr(event, field), event.timezone)
    pending = None
    form.count_sessions(len(event.sessions))
    if form.validate_on_submit():
        try:
            pending = notifications.check(event, form)
            if pending is None or not pending.ask:
                changes, warnings = services.update_event(
                    event, form.values(), move_agenda=form.move_agenda, note=form.notify_note.data or "")
                flash(_("The changes were saved.") if changes else _("Nothing was changed."), "success")
                if pending is not None and pending.notify:
                    flash(ngettext("%(num)d confirmed delegate was sent the update.",
                                   "%(num)d confirmed delegates were sent the update.", pending.count),
                          "success")
                _warn(warnings)
                if "default_quota" in changes:
                    _warn(_over_quota(event))
                return redirect(url_for("event_admin.detail", event_id=event.id))
        except DomainError as error:
            pending = None
            show_on_form(form, error)
    elif rules_may_run(form):
        _check_too(form, event)
    return render_template("event_admin/event_form.html", form=form, event=event,
                           has_sessions=bool(event.sessions), pending=pending)


def _life_cycle(event_id: int, action, success: str, form=None, invalid: str = ""):
    """Run `action` on the event (once `form`, when given, is valid, else flash `invalid`)."""
    event = get_or_404(Event, event_id)
    try:
        if form is not None and not form.validate():
            flash(invalid, "error")
            return redirect(url_for("event_admin.detail", event_id=event.id))
        action(event)
    except DomainError as error:
        show_on_form(None, error)
    else:
        flash(success, "success")
    return redirect(url_for("event_admin.detail", event_id=event.id))


@bp.post("/<int:event_id>/publish")
@staff_required
def publish(event_id: int):
    return _life_cycle(event_id, services.publish, _("The event is published."))


@bp.post("/<int:event_id>/reopen")
@staff_required
def reopen(event_id: int):
    return _life_cycle(event_id, services.reopen, _("The event is a draft again."))


@bp.post("/<int:event_id>/cancel")
@staff_required
def cancel(event_id: int):
    form = CancelForm()
    return _life_cycle(event_id, lambda e: services.cancel(
        e, form.reason_en.data or "", form.reason_zh.data or "", note=form.note.data or ""),
        _("The event was cancelled."), form,
        _("The reason or the note is too long or contains control characters."))


@bp.post("/<int:event_id>/duplicate")
@staff_required
def duplicate(event_id: int):
    event = get_or_404(Event, event_id)
    form = DuplicateForm()
    if not form.validate():
        # The field's own reason too (a day out of range, an unreadable value).
        flash(" ".join([_("Give the new start date and time."), *map(str, form.new_start.errors)]),
              "error")
        return redirect(url_for("event_admin.detail", event_id=event.id))
    try:
        copy = services.duplicate_event(event, form.new_start.data,
                                        created_by=current_user._get_current_object())
    except DomainError as error:
        show_on_form(None, error)
        return redirect(url_for("event_admin.detail", event_id=event.id))
    except OverflowError:
        flash(_("Give the new start date and time."), "error")
        return redirect(url_for("event_admin.detail", event_id=event.id))
    flash(_("This is the copy, a draft: check its texts and agenda, then publish it."), "success")
    return redirect(url_for("event_admin.detail", event_id=copy.id))


# --- agenda ---------------------------------------------------------------------------------

def _days(event: Event) -> dict:
    """Sessions grouped by their local day in the event's zone (sessions are in time order)."""
    by_day = groupby(event.sessions, key=lambda s: to_local(s.starts_at, event.timezone).date())
    return {day: list(sessions) for day, sessions in by_day}


def _slot_edges(event: Event) -> dict[int, tuple[bool, bool]]:
    """For each session: (first in its time slot, last in its time slot), for move buttons."""
    starts = [s.starts_at for s in event.sessions]
    return {s.id: (i == 0 or starts[i - 1] != starts[i], i + 1 == len(starts) or starts[i + 1] != starts[i])
            for i, s in enumerate(event.sessions)}


@bp.route("/<int:event_id>/agenda", methods=["GET", "POST"])
@staff_required
def agenda(event_id: int):
    event = get_or_404(Event, event_id)
    form = SessionForm()
    if request.method == "GET":
        start = services.default_session_start(event)
        form.starts_at.data = local_naive(start, event.timezone)
        form.ends_at.data = local_naive(start + timedelta(hours=1), event.timezone)
        form.kind.data = "plenary"
    if form.validate_on_submit():
        try:
            _session_obj, warnings = services.add_session(event, form.values())
        except DomainError as error:
            show_on_form(form, error)
        else:
            flash(_("The session was added."), "success")
            _warn(warnings)
            return redirect(url_for("event_admin.agenda", event_id=event.id))
    title, _fallback = event.text("title", current_language())
    return render_template("event_admin/agenda.html", event=event, title=title, form=form,
                           days=_days(event), edges=_slot_edges(event))


@bp.route("/<int:event_id>/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@staff_required
def session_edit(event_id: int, session_id: int):
    event = get_or_404(Event, event_id)
    session = get_or_404(AgendaSession, session_id, event_id=event.id)
    form = SessionForm(obj=session) if request.method == "GET" else SessionForm()
    if request.method == "GET":
        form.starts_at.data = local_naive(session.starts_at, event.timezone)
        form.ends_at.data = local_naive(session.ends_at, event.timezone)
    if form.validate_on_submit():
        try:
            changes, warnings = services.update_session(session, form.values())
        except DomainError as error:
            show_on_form(form, error)
        else:
            flash(_("The changes were saved.") if changes else _("Nothing was changed."), "success")
            _warn(warnings)
            return redirect(url_for("event_admin.agenda", event_id=event.id))
    return render_template("event_admin/session_form.html", event=event, session=session, form=form)


def _agenda_back(event_id: int, session: AgendaSession | None = None):
    anchor = f"#session-{session.id}" if session is not None and session.id else ""
    return redirect(url_for("event_admin.agenda", event_id=event_id) + anchor)


@bp.post("/<int:event_id>/sessions/<int:session_id>/delete")
@staff_required
def session_delete(event_id: int, session_id: int):
    services.delete_session(get_or_404(AgendaSession, session_id, event_id=event_id))
    flash(_("The session was deleted."), "success")
    return _agenda_back(event_id)


@bp.post("/<int:event_id>/sessions/<int:session_id>/duplicate")
@staff_required
def session_duplicate(event_id: int, session_id: int):
    copy = services.duplicate_session(get_or_404(AgendaSession, session_id, event_id=event_id))
    flash(_("The session was duplicated; the copy follows the original."), "success")
    return _agenda_back(event_id, copy)


@bp.post("/<int:event_id>/sessions/<int:session_id>/move")
@staff_required
def session_move(event_id: int, session_id: int):
    session = get_or_404(AgendaSession, session_id, event_id=event_id)
    direction = request.form.get("direction", "")
    if direction not in ("up", "down"):
        abort(400)
    services.move_session(session, direction)
    return _agenda_back(event_id, session)


# --- cover image ----------------------------------------------------------------------------

@bp.post("/<int:event_id>/cover/upload")
@staff_required
def cover_upload(event_id: int):
    form = CoverForm()
    return _life_cycle(event_id, lambda e: uploads.set_cover(e, form.file.data.read(uploads.MAX_BYTES + 1)),
                       _("The cover image was saved."), form, _("Choose an image file."))


@bp.post("/<int:event_id>/cover/remove")
@staff_required
def cover_remove(event_id: int):
    event = get_or_404(Event, event_id)
    if uploads.remove_cover(event):
        flash(_("The cover image was removed."), "success")
    return redirect(url_for("event_admin.detail", event_id=event.id))


@bp.get("/<int:event_id>/cover")
def cover(event_id: int):
    """The cover: anyone for a published or cancelled event, staff for any event."""
    event = get_or_404(Event, event_id)
    is_staff = current_user.is_authenticated and current_user.is_staff
    if event.status == "draft" and not is_staff:
        abort(404)
    path = uploads.cover_path(event)
    if path is None:
        abort(404)
    response = send_file(path, mimetype=event.cover_content_type or "application/octet-stream",
                         max_age=3600, conditional=True)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = "inline"
    if event.status == "draft":
        response.headers["Cache-Control"] = "private, no-store"
    return response
