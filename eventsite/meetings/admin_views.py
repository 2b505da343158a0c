"""The organizers' meeting pages: matchmaking settings, slots (generator, remove), tables (add,
remove), the grid (slots x tables) with interpreter needs, the table plan (CSV/XLSX) and each
delegation's printable schedule (PDF, both languages)."""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_login import current_user

from ..accounts.permissions import staff_required
from ..audit.services import record
from ..core.domain import DomainError, rules_may_run, show_on_form
from ..core.gettext import gettext as _
from ..core.gettext import ngettext
from ..core.i18n import current_language
from ..core.listing import query_arg
from ..core.lookup import get_or_404
from ..core.timefmt import local_time
from ..core.timezones import local_naive
from ..delegations.models import Delegation
from ..events.models import Event
from ..extensions import db
from . import document, exports, labels, queries, rules, services
from .forms import SettingsForm, SlotsForm, TableForm
from .models import MeetingSlot, MeetingTable

bp = Blueprint("meeting_admin", __name__, url_prefix="/organizer/events")

MIMETYPES = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _actor():
    return current_user._get_current_object()


def _title(event: Event) -> str:
    return event.text("title", current_language())[0]


def _back(event: Event):
    return redirect(url_for("meeting_admin.index", event_id=event.id))


def _page(event: Event, settings_form=None, slots_form=None, table_form=None):
    settings = queries.settings_for(event.id)
    if settings_form is None:
        settings_form = SettingsForm(formdata=None)
        if settings is not None:
            settings_form.is_open.data = settings.is_open
            settings_form.deadline.data = local_naive(settings.request_deadline, event.timezone)
    if slots_form is None:
        slots_form = SlotsForm(formdata=None, first_day=local_naive(event.starts_at, event.timezone).date(),
                               days=max(1, (event.ends_at - event.starts_at + timedelta(hours=23)).days))
    lang = current_language()
    slots, tables, cells = queries.grid(event.id)
    return render_template(
        "meeting_admin/index.html", event=event, title=_title(event), settings=settings,
        settings_form=settings_form, slots_form=slots_form, table_form=table_form or TableForm(formdata=None),
        slots=slots, tables=tables, cells=cells, needs=queries.interpreter_needs(event.id),
        delegations=sorted(queries.live_delegations(event.id), key=lambda d: d.unit.display_name(lang)),
        local_time=local_time, labels=labels, lang=lang, location=lambda m: queries.location(m, lang))


@bp.get("/<int:event_id>/meetings")
@staff_required
def index(event_id: int):
    return _page(get_or_404(Event, event_id))


@bp.post("/<int:event_id>/meetings/settings")
@staff_required
def settings(event_id: int):
    event = get_or_404(Event, event_id)
    form = SettingsForm()
    if not form.validate():
        return _page(event, settings_form=form), 400
    try:
        services.save_settings(event, form.is_open.data, form.deadline.data, _actor())
    except DomainError as error:
        show_on_form(form, error)
        return _page(event, settings_form=form), 400
    flash(_("Saved."), "success")
    return _back(event)


@bp.post("/<int:event_id>/meetings/slots")
@staff_required
def add_slots(event_id: int):
    event = get_or_404(Event, event_id)
    form = SlotsForm()
    if not form.validate():
        if rules_may_run(form) and form.starts.data and form.ends.data and not form.ends.errors:
            try:  # the rules too, so one submit shows every problem
                rules.check_span(form.starts.data, form.ends.data)
            except DomainError as error:
                show_on_form(form, error)
        return _page(event, slots_form=form), 400
    days = [form.first_day.data + timedelta(days=n) for n in range(form.days.data)]
    try:
        added = services.generate_slots(event, days, form.starts.data, form.ends.data, form.minutes.data, _actor())
    except DomainError as error:
        show_on_form(form, error)
        return _page(event, slots_form=form), 400
    flash(ngettext("%(num)d slot added.", "%(num)d slots added.", added), "success")
    return _back(event)


@bp.post("/<int:event_id>/meetings/slots/<int:slot_id>/remove")
@staff_required
def remove_slot(event_id: int, slot_id: int):
    event = get_or_404(Event, event_id)
    slot = get_or_404(MeetingSlot, slot_id, event_id=event.id)
    try:
        services.remove_slot(slot, _actor())
        flash(_("The slot was removed."), "success")
    except DomainError as error:
        show_on_form(None, error)
    return _back(event)


@bp.post("/<int:event_id>/meetings/tables")
@staff_required
def add_table(event_id: int):
    event = get_or_404(Event, event_id)
    form = TableForm()
    valid = form.validate()
    try:
        if valid:
            services.add_table(event, form.name.data, form.room_en.data, form.room_zh.data, _actor())
        elif not form.name.data:
            raise DomainError(_("Give the table a name or number."), "name")
    except DomainError as error:
        show_on_form(form, error)
        return _page(event, table_form=form), 400
    if not valid:
        return _page(event, table_form=form), 400
    flash(_("The table was added."), "success")
    return _back(event)


@bp.post("/<int:event_id>/meetings/tables/<int:table_id>/remove")
@staff_required
def remove_table(event_id: int, table_id: int):
    event = get_or_404(Event, event_id)
    table = get_or_404(MeetingTable, table_id, event_id=event.id)
    try:
        services.remove_table(table, _actor())
        flash(_("The table was removed."), "success")
    except DomainError as error:
        show_on_form(None, error)
    return _back(event)


@bp.get("/<int:event_id>/meetings/plan.<fmt>")
@staff_required
def plan(event_id: int, fmt: str):
    event = get_or_404(Event, event_id)
    if fmt not in MIMETYPES:
        return Response(status=404)
    data = exports.plan(event, current_language(), fmt)
    record("meeting.export", event, actor=_actor(), details={"format": fmt})
    db.session.commit()
    response = Response(data, mimetype=MIMETYPES[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="meetings-{event.id}.{fmt}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<int:event_id>/meetings/schedules.pdf")
@staff_required
def schedules(event_id: int):
    """One delegation's schedule (?delegation=<id>) or every live delegation's, in both languages."""
    event = get_or_404(Event, event_id)
    asked = query_arg("delegation", 12)
    if asked:
        delegation = get_or_404(Delegation, int(asked) if asked.isdigit() else 0, event_id=event.id)
        chosen = [delegation]
    else:
        chosen = queries.live_delegations(event.id)
    data = document.schedules_pdf(event, chosen)
    record("meeting.export", event, actor=_actor(), details={"format": "pdf", "rows": len(chosen)})
    db.session.commit()
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="meetings-{event.id}.pdf"'
    response.headers["Cache-Control"] = "no-store"
    return response
