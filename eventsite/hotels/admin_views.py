"""Organizers' pages of an event's hotels: hotels and room blocks, the assignment page, the
rooming lists (staff only)."""
from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..accounts.permissions import staff_required
from ..core.domain import DomainError, rules_may_run, show_on_form
from ..core.fields import options
from ..core.gettext import gettext as _
from ..core.i18n import current_language
from ..core.lookup import get_or_404
from ..core.numbers import whole_number
from ..core.timefmt import local_time
from ..delegations import labels as delegation_labels
from ..events.models import Event
from . import labels, queries, rooming, services
from .forms import AssignmentsForm, BlockForm, HotelForm
from .models import Hotel, RoomBlock

bp = Blueprint("hotel_admin", __name__, url_prefix="/organizer/events")

MIMETYPES = {"csv": "text/csv; charset=utf-8",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@bp.context_processor
def helpers():
    lang = current_language()
    return {"labels": labels, "lang": lang, "name_of": lambda obj: obj.display_name(lang),
            "shown": lambda obj, field: obj.shown(field, lang), "local_time": local_time,
            "role_label": delegation_labels.role}


def _title(event: Event) -> str:
    return event.text("title", current_language())[0]


def _actor():
    return current_user._get_current_object()


def _back(event: Event):
    return redirect(url_for("hotel_admin.index", event_id=event.id))


@bp.get("/<int:event_id>/hotels")
@staff_required
def index(event_id: int):
    event = get_or_404(Event, event_id)
    return render_template("hotels/index.html", event=event, title=_title(event),
                           hotels=queries.hotels(event.id), guests=queries.guests_per_block(event.id),
                           last_lists={h.id: rooming.last_list(h) for h in queries.hotels(event.id)})


@bp.route("/<int:event_id>/hotels/new", methods=["GET", "POST"])
@bp.route("/<int:event_id>/hotels/<int:hotel_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_hotel(event_id: int, hotel_id: int | None = None):
    event = get_or_404(Event, event_id)
    hotel = get_or_404(Hotel, hotel_id, event_id=event.id) if hotel_id is not None else None
    form = HotelForm()
    if request.method == "GET" and hotel is not None:
        form.fill(hotel)
    valid = form.validate_on_submit()
    if valid or rules_may_run(form):
        try:
            if valid:
                services.save_hotel(event, hotel, form.values(), _actor())
                flash(_("The hotel was saved."), "success")
                return _back(event)
            services.check_hotel(form.values())
        except DomainError as error:
            show_on_form(form, error)
    return render_template("hotels/hotel_form.html", event=event, title=_title(event), hotel=hotel, form=form)


@bp.post("/<int:event_id>/hotels/<int:hotel_id>/delete")
@staff_required
def delete_hotel(event_id: int, hotel_id: int):
    event = get_or_404(Event, event_id)
    hotel = get_or_404(Hotel, hotel_id, event_id=event.id)
    return _act(event, lambda: services.delete_hotel(hotel, _actor()), _("The hotel was deleted."))


def _act(event: Event, action, success: str):
    try:
        action()
    except DomainError as error:
        show_on_form(None, error)  # rolled back, every message flashed
    else:
        flash(success, "success")
    return _back(event)


@bp.route("/<int:event_id>/hotels/<int:hotel_id>/blocks/new", methods=["GET", "POST"])
@bp.route("/<int:event_id>/hotels/<int:hotel_id>/blocks/<int:block_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_block(event_id: int, hotel_id: int, block_id: int | None = None):
    event = get_or_404(Event, event_id)
    hotel = get_or_404(Hotel, hotel_id, event_id=event.id)
    block = get_or_404(RoomBlock, block_id, hotel_id=hotel.id) if block_id is not None else None
    form = BlockForm()
    if request.method == "GET" and block is not None:
        form.fill(block)
    valid = form.validate_on_submit()
    if valid or rules_may_run(form):
        try:
            if valid:
                services.save_block(hotel, block, form.values(), _actor())
                flash(_("The room block was saved."), "success")
                return _back(event)
            services.check_block(form.values(), block)
        except DomainError as error:
            show_on_form(form, error)
    return render_template("hotels/block_form.html", event=event, title=_title(event), hotel=hotel,
                           block=block, form=form)


@bp.post("/<int:event_id>/hotels/<int:hotel_id>/blocks/<int:block_id>/delete")
@staff_required
def delete_block(event_id: int, hotel_id: int, block_id: int):
    event = get_or_404(Event, event_id)
    hotel = get_or_404(Hotel, hotel_id, event_id=event.id)
    block = get_or_404(RoomBlock, block_id, hotel_id=hotel.id)
    return _act(event, lambda: services.delete_block(block, _actor()), _("The room block was deleted."))


@bp.route("/<int:event_id>/rooms", methods=["GET", "POST"])
@staff_required
def assign(event_id: int):
    """Every seated delegate with their request; each row: block, roommate, own dates."""
    event = get_or_404(Event, event_id)
    lang = current_language()
    rows = queries.assignment_rows(event.id, lang)
    form = AssignmentsForm()
    if request.method == "GET":
        _fill(form, rows)
    _choices(form, event, rows, lang)
    valid = form.validate_on_submit()
    if (valid or rules_may_run(form)) and _saved(event, form, valid):
        return redirect(url_for("hotel_admin.assign", event_id=event.id))
    by_id = {r.delegate.id: r for r in rows}
    return render_template("hotels/assign.html", event=event, title=_title(event), form=form,
                           rows=[(entry, by_id.get(whole_number(entry.form.delegate_id.data or "", 1)))
                                 for entry in form.rows],
                           hotels=queries.hotels(event.id), guests=queries.guests_per_block(event.id),
                           names={r.delegate.id: r.delegate.display_name(lang) for r in rows})


def _saved(event: Event, form: AssignmentsForm, valid: bool) -> bool:
    """Save the page's rows (or, for a form with mistakes of its own, check their rules so one
    submit shows every problem); True when saved."""
    changes = [_change(entry.form) for entry in form.rows]
    try:
        if not valid:
            services.check_assignments(event, changes)
            return False
        counts = services.assign(event, changes, _actor())
    except DomainError as error:
        show_on_form(form, error)
        return False
    flash(_("Saved: %(assigned)d assigned, %(moved)d moved, %(dates)d with new dates, "
            "%(removed)d removed. Each of them was told by email.", **counts), "success")
    return True


def _fill(form: AssignmentsForm, rows) -> None:
    for row in rows:
        entry = form.rows.append_entry()
        entry.form.delegate_id.data = str(row.delegate.id)
        if row.assignment is not None:
            entry.form.block.data = str(row.assignment.block_id)
            entry.form.check_in.data, entry.form.check_out.data = row.assignment.check_in, row.assignment.check_out
            entry.form.notes.data = row.assignment.notes
        entry.form.mate.data = str(row.roommate.id) if row.roommate else ""


def _choices(form: AssignmentsForm, event: Event, rows, lang: str) -> None:
    blocks = options(queries.block_choices(event.id, lang))
    mates = options([("", "—")] + [(str(r.delegate.id), f"{r.delegate.display_name(lang)} · {r.unit}") for r in rows])
    for entry in form.rows:
        entry.form.block.choices = blocks
        entry.form.mate.choices = mates


def _change(row) -> services.Change:
    """A tampered id becomes -1, which the service refuses."""
    def number(text):
        return (whole_number(text, 1) or -1) if text else None

    return services.Change(delegate_id=number(row.delegate_id.data) or -1, block_id=number(row.block.data),
                           mate_id=number(row.mate.data), check_in=row.check_in.data,
                           check_out=row.check_out.data, notes=row.notes.data or "")


@bp.get("/<int:event_id>/hotels/<int:hotel_id>/rooming-list.<any(xlsx, csv):fmt>")
@staff_required
def rooming_list(event_id: int, hotel_id: int, fmt: str):
    """A new list for the hotel, marking what changed since the last one; kept and audited."""
    event = get_or_404(Event, event_id)
    hotel = get_or_404(Hotel, hotel_id, event_id=event.id)
    data = rooming.issue(hotel, fmt, _actor())
    response = Response(data, mimetype=MIMETYPES[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="rooming-list-{hotel.id}.{fmt}"'
    response.headers["Cache-Control"] = "no-store"
    return response
