"""The organizers' check-in pages of an event: the live page (and its live.json), a check-in by
hand and its undo, walk-ins and substitutes at the door, the check-in staff, attendance exports.
Admins and organizers only: check-in staff work on the phone pages (views.py)."""
from __future__ import annotations

from flask import Blueprint, Response, flash, jsonify, redirect, render_template, url_for
from flask_login import current_user

from ..accounts.models import User
from ..accounts.permissions import staff_required
from ..core.domain import DomainError, rules_may_run, show_on_form
from ..core.fields import options
from ..core.gettext import gettext as _
from ..core.i18n import current_language
from ..core.listing import query_arg
from ..core.lookup import get_or_404
from ..core.timefmt import local_time
from ..delegations.models import Delegate
from ..events.models import Event
from ..extensions import db
from ..members.models import MemberUnit
from . import door, exports, labels, overview
from .forms import AssignForm, ConfirmForm, NewStaffForm, SubstituteForm, UndoForm, WalkInForm
from .models import CheckIn

bp = Blueprint("checkin_admin", __name__, url_prefix="/organizer/events")


@bp.context_processor
def helpers():
    return {"labels": labels, "lang": current_language(), "local_time": local_time}


def _title(event: Event) -> str:
    return event.text("title", current_language())[0]


def _actor():
    return current_user._get_current_object()


def _live_url(event: Event, **args) -> str:
    return url_for("checkin_admin.live", event_id=event.id, **args)


@bp.get("/<int:event_id>/checkin")
@staff_required
def live(event_id: int):
    event = get_or_404(Event, event_id)
    lang, text = current_language(), query_arg("q", 100)
    return render_template("checkin/admin/live.html", event=event, title=_title(event), q=text,
                           live=overview.live(event, lang), found=overview.search(event, text, lang))


@bp.get("/<int:event_id>/checkin/live.json")
@staff_required
def live_json(event_id: int):
    event = get_or_404(Event, event_id)
    response = jsonify(overview.live(event, current_language()).as_json())
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/<int:event_id>/checkin/people/<int:delegate_id>/check-in")
@staff_required
def check_in(event_id: int, delegate_id: int):
    event = get_or_404(Event, event_id)
    delegate = get_or_404(Delegate, delegate_id, event_id=event.id)
    if not ConfirmForm().validate_on_submit():
        flash(_("The form expired. Try again."), "error")
        return redirect(_live_url(event))
    try:
        outcome = door.manual_check_in(event, delegate, _actor())
    except DomainError as error:
        show_on_form(None, error)
        return redirect(_live_url(event))
    if outcome.created:
        flash(_("%(name)s is checked in.", name=delegate.display_name(current_language())), "success")
    else:
        flash(door.already_text(outcome.record, event.timezone), "info")
    return redirect(_live_url(event))


@bp.route("/<int:event_id>/checkin/<int:checkin_id>/undo", methods=["GET", "POST"])
@staff_required
def undo(event_id: int, checkin_id: int):
    event = get_or_404(Event, event_id)
    row = get_or_404(CheckIn, checkin_id, event_id=event.id)
    form = UndoForm()
    if form.validate_on_submit():
        try:
            door.undo_check_in(event, row, form.reason.data, _actor())
            flash(_("The check-in was undone."), "success")
            return redirect(_live_url(event))
        except DomainError as error:
            show_on_form(form, error)
    return render_template("checkin/admin/undo.html", event=event, title=_title(event), form=form, row=row,
                           name=row.delegate.display_name(current_language()))


def _unit(form: WalkInForm) -> MemberUnit | None:
    unit_id = None if form.unit_id.errors else form.unit_id.data
    return db.session.get(MemberUnit, unit_id) if isinstance(unit_id, int) and unit_id > 0 else None


@bp.route("/<int:event_id>/checkin/walk-in", methods=["GET", "POST"])
@staff_required
def walk_in(event_id: int):
    event = get_or_404(Event, event_id)
    form = WalkInForm()
    form.unit_id.choices = options(overview.walk_in_units(current_language()))
    valid = form.validate_on_submit()
    unit = _unit(form) if form.is_submitted() else None
    if unit is not None and (valid or rules_may_run(form)):
        args = {"override": bool(form.override.data), "reason": form.reason.data or ""}
        try:
            if valid:
                delegate = door.walk_in(event, unit, form.values(), _actor(), **args)
                flash(_("%(name)s is registered and checked in.",
                        name=delegate.display_name(current_language())), "success")
                return redirect(_live_url(event))
            door.check_walk_in(event, unit, form.values(), **args)
        except DomainError as error:
            show_on_form(form, error, form.shown_as())
    return render_template("checkin/admin/walk_in.html", event=event, title=_title(event), form=form)


@bp.route("/<int:event_id>/checkin/people/<int:delegate_id>/substitute", methods=["GET", "POST"])
@staff_required
def substitute(event_id: int, delegate_id: int):
    event = get_or_404(Event, event_id)
    original = get_or_404(Delegate, delegate_id, event_id=event.id)
    form = SubstituteForm()
    if not form.is_submitted():
        form.role.data = original.role
        form.language.data = original.language
    valid = form.validate_on_submit()
    if valid or rules_may_run(form):
        try:
            if valid:
                delegate = door.substitute(event, original, form.values(), _actor())
                flash(_("%(name)s replaces %(old)s and is checked in.",
                        name=delegate.display_name(current_language()),
                        old=original.display_name(current_language())), "success")
                return redirect(_live_url(event))
            door.check_substitute(event, original, form.values())
        except DomainError as error:
            show_on_form(form, error, form.shown_as())
    return render_template("checkin/admin/substitute.html", event=event, title=_title(event), form=form,
                           original=original, name=original.display_name(current_language()))


# --- check-in staff --------------------------------------------------------------------------
def _staff_page(event: Event, assign: AssignForm, new: NewStaffForm):
    return render_template("checkin/admin/staff.html", event=event, title=_title(event),
                           staff=door.staff_of(event), assign=assign, new=new, unassign=ConfirmForm())


def _assign_form(event: Event) -> AssignForm:
    form = AssignForm()
    form.user_id.choices = options((u.id, f"{u.name} <{u.email}>" if u.name else u.email) for u in door.assignable(event))
    return form


@bp.get("/<int:event_id>/checkin/staff")
@staff_required
def staff(event_id: int):
    event = get_or_404(Event, event_id)
    return _staff_page(event, _assign_form(event), NewStaffForm(formdata=None))


@bp.post("/<int:event_id>/checkin/staff/assign")
@staff_required
def assign(event_id: int):
    event = get_or_404(Event, event_id)
    form = _assign_form(event)
    if form.validate_on_submit():
        try:
            door.assign_staff(event, get_or_404(User, form.user_id.data), _actor())
            flash(_("The account was assigned to the event."), "success")
            return redirect(url_for("checkin_admin.staff", event_id=event.id))
        except DomainError as error:
            show_on_form(form, error, {"user": form.user_id})
    return _staff_page(event, form, NewStaffForm(formdata=None))


@bp.post("/<int:event_id>/checkin/staff/new")
@staff_required
def new_staff(event_id: int):
    event = get_or_404(Event, event_id)
    form = NewStaffForm()
    valid = form.validate_on_submit()
    if valid:
        try:
            door.create_staff(event, email=form.email.data, name=form.name.data, language=form.language.data,
                              actor=_actor())
            flash(_("The account was created and assigned; its activation link was sent."), "success")
            return redirect(url_for("checkin_admin.staff", event_id=event.id))
        except DomainError as error:
            show_on_form(form, error)
    return _staff_page(event, _assign_form(event), form)


@bp.post("/<int:event_id>/checkin/staff/<int:user_id>/unassign")
@staff_required
def unassign(event_id: int, user_id: int):
    event = get_or_404(Event, event_id)
    user = get_or_404(User, user_id)
    if ConfirmForm().validate_on_submit():
        try:
            door.unassign_staff(event, user, _actor())
            flash(_("The account no longer works at this event's door."), "success")
        except DomainError as error:
            show_on_form(None, error)
    else:
        flash(_("The form expired. Try again."), "error")
    return redirect(url_for("checkin_admin.staff", event_id=event.id))


# --- exports ---------------------------------------------------------------------------------
def _download(data: bytes, mimetype: str, name: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.get("/<int:event_id>/checkin/attendance.xlsx")
@staff_required
def attendance_xlsx(event_id: int):
    event = get_or_404(Event, event_id)
    return _download(exports.attendance_xlsx(event, current_language(), _title(event)),
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     f"attendance-{event.id}.xlsx")


@bp.get("/<int:event_id>/checkin/attendance.csv")
@staff_required
def attendance_csv(event_id: int):
    event = get_or_404(Event, event_id)
    return _download(exports.attendance_csv(event, current_language()), "text/csv; charset=utf-8",
                     f"attendance-{event.id}.csv")
