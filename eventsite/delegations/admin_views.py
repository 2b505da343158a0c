"""Organizers review, approve, edit and export an event's delegations (staff only)."""
from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..accounts.permissions import staff_required
from ..audit.services import record
from ..core.domain import DomainError, rules_may_run, show_on_form
from ..core.gettext import gettext as _
from ..core.i18n import current_language
from ..core.listing import query_arg
from ..core.lookup import get_or_404
from ..core.pagecache import cached_page
from ..core.timefmt import local_time, short_date
from ..events.models import Event
from ..extensions import db
from ..mail import queries as mail_queries
from ..members.labels import KIND_LABELS, country_name
from . import exports, labels, queries, services
from .forms import OrganizerDetailsForm, session_choices
from .models import Delegate, Delegation
from .services import decisions, selfservice

bp = Blueprint("delegation_admin", __name__, url_prefix="/organizer/events")


@bp.context_processor
def helpers():
    lang = current_language()
    return {"labels": labels, "local_time": local_time, "short_date": short_date,
            "name_of": lambda obj: obj.display_name(lang), "people": queries.people,
            "country_name": country_name}


def _filters() -> queries.Filters:
    return queries.Filters(status=query_arg("status", 16), kind=query_arg("kind", 32),
                            q=query_arg("q", 100)).cleaned()


def _title(event: Event) -> str:
    return event.text("title", current_language())[0]


@bp.get("/<int:event_id>/delegations")
@staff_required
@cached_page("event:{event_id}", "delegations:{event_id}", "members", "user:{user.id}", personal=True)
def index(event_id: int):
    event = get_or_404(Event, event_id)
    filters = _filters()
    rows = queries.delegations(event.id, filters, lang=current_language())
    return render_template(
        "delegation_admin/index.html", event=event, title=_title(event), filters=filters, rows=rows,
        counts=queries.counts(event), totals=queries.totals(rows, event.timezone),
        waitlist=queries.waitlist(event.id), kinds=KIND_LABELS,
    )


@bp.get("/<int:event_id>/delegations/<int:delegation_id>")
@staff_required
def detail(event_id: int, delegation_id: int):
    event, delegation = _records(event_id, delegation_id)
    delegates = queries.people(delegation)
    return render_template(
        "delegation_admin/detail.html", event=event, title=_title(event), delegation=delegation,
        delegates=delegates, counts=queries.counts(event),
        unit_messages=mail_queries.messages_of(unit_id=delegation.unit_id, event_id=event.id),
        delegate_messages=mail_queries.messages_of_delegates([d.id for d in delegates]),
        positions={d.id: queries.waitlist_position(d) for d in delegation.delegates
                   if d.status == "waitlisted"},
    )


def _export(event_id: int, fmt: str, mimetype: str) -> Response:
    """The file, audited (who took which personal data) and committed; never cached."""
    event = get_or_404(Event, event_id)
    filters = _filters()
    travel = exports.with_travel(event, request.args.get("travel") == "1")
    table = exports.rows(event, queries.delegations(event.id, filters, with_sessions=True, lang=current_language()),
                         current_language(), travel)
    data = exports.to_file(event, table, fmt, _title(event), travel)
    record("delegation.export_travel" if travel else "delegation.export", event, actor=_actor(),
           target_label=_title(event), details={"format": fmt, "rows": len(table), "filters": filters.args()})
    db.session.commit()
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="delegations-{event.id}.{fmt}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<int:event_id>/delegations.csv")
@staff_required
def export_csv(event_id: int):
    return _export(event_id, "csv", "text/csv; charset=utf-8")


@bp.get("/<int:event_id>/delegations.xlsx")
@staff_required
def export_xlsx(event_id: int):
    return _export(event_id, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _act(event: Event, delegation: Delegation, action, success: str, anchor: str = ""):
    """Run one service call (a broken rule becomes a flashed message and changes nothing) and go
    back to the delegation's page."""
    try:
        action()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        flash(success, "success")
    return redirect(url_for("delegation_admin.detail", event_id=event.id,
                            delegation_id=delegation.id) + anchor)


def _records(event_id: int, delegation_id: int, delegate_id: int | None = None):
    """The event, its delegation (another event's id is a 404) and one of its delegates."""
    event = get_or_404(Event, event_id)
    delegation = get_or_404(Delegation, delegation_id, event_id=event.id)
    if delegate_id is None:
        return event, delegation
    return event, delegation, get_or_404(Delegate, delegate_id, delegation_id=delegation.id)


def _reason() -> str:
    return request.form.get("reason", "", type=str).replace("\x00", "").strip()


def _actor():
    return current_user._get_current_object()


@bp.post("/<int:event_id>/delegations/<int:delegation_id>/approve")
@staff_required
def approve(event_id: int, delegation_id: int):
    event, delegation = _records(event_id, delegation_id)
    return _act(event, delegation, lambda: decisions.approve(delegation, _actor()),
                _("The delegation was approved."))


@bp.post("/<int:event_id>/delegations/<int:delegation_id>/reject")
@staff_required
def reject(event_id: int, delegation_id: int):
    event, delegation = _records(event_id, delegation_id)
    return _act(event, delegation, lambda: decisions.reject(delegation, _reason(), _actor()),
                _("The delegation was rejected."))


@bp.post("/<int:event_id>/delegations/<int:delegation_id>/withdraw")
@staff_required
def withdraw(event_id: int, delegation_id: int):
    event, delegation = _records(event_id, delegation_id)
    return _act(event, delegation, lambda: services.withdraw(delegation, _actor(), as_organizer=True),
                _("The delegation was withdrawn; its seats went to the waiting list."))


@bp.post("/<int:event_id>/delegations/<int:delegation_id>/delegates/<int:delegate_id>/promote")
@staff_required
def promote(event_id: int, delegation_id: int, delegate_id: int):
    event, delegation, delegate = _records(event_id, delegation_id, delegate_id)
    return _act(event, delegation, lambda: decisions.promote(delegate, _actor()),
                _("The person now has a seat."), f"#delegate-{delegate.id}")


@bp.post("/<int:event_id>/delegations/<int:delegation_id>/delegates/<int:delegate_id>/remove")
@staff_required
def remove(event_id: int, delegation_id: int, delegate_id: int):
    event, delegation, delegate = _records(event_id, delegation_id, delegate_id)
    reason = _reason()

    def remove_with_reason():
        if not reason:  # the organizers' rule: the unit reads why
            raise DomainError(_("Give the reason for removing this person."))
        decisions.remove_delegate(delegate, _actor(), reason)

    return _act(event, delegation, remove_with_reason, _("The person was removed from the delegation."))


@bp.post("/<int:event_id>/delegations/<int:delegation_id>/delegates/<int:delegate_id>/link")
@staff_required
def send_link(event_id: int, delegation_id: int, delegate_id: int):
    """Mail the person a new personal link (the old one stops working)."""
    event, delegation, delegate = _records(event_id, delegation_id, delegate_id)

    def rotate():
        if not delegate.email or not delegate.is_active:
            raise DomainError(_("This person has no email address or is no longer in the delegation."))
        selfservice.rotate_link(delegate, _actor())

    return _act(event, delegation, rotate, _("A new personal link was sent; the old one no longer works."),
                f"#delegate-{delegate.id}")


@bp.route("/<int:event_id>/delegations/<int:delegation_id>/delegates/<int:delegate_id>/edit",
          methods=["GET", "POST"])
@staff_required
def edit_delegate(event_id: int, delegation_id: int, delegate_id: int):
    """The organizer edit path of the services: no period, deadline or quota applies."""
    event, delegation, delegate = _records(event_id, delegation_id, delegate_id)
    back = url_for("delegation_admin.detail", event_id=event.id, delegation_id=delegation.id)
    if not delegate.is_active:
        flash(_("This person is no longer in the delegation."), "error")
        return redirect(back)
    form = OrganizerDetailsForm()
    form.sessions.choices = session_choices(event, current_language())
    if request.method == "GET":
        form.fill(delegate, event.timezone)
    valid = form.validate_on_submit()
    if valid or rules_may_run(form):  # an invalid form is checked too: every problem at once
        row = services.PersonRow(values=form.values(), id=delegate.id,
                                 session_ids=form.sessions.data or [])
        try:
            if not valid:
                services.check_delegation(event, delegation.unit_id, [row], as_organizer=True)
            else:
                services.save_delegation(event, delegation.unit, [row], actor=_actor(), as_organizer=True)
                flash(_("The changes were saved."), "success")
                return redirect(f"{back}#delegate-{delegate.id}")
        except DomainError as error:
            show_on_form(form, error, form.shown_as() | form.shown_as("people-0-"))
    return render_template("delegation_admin/edit_delegate.html", event=event, title=_title(event),
                           delegation=delegation, delegate=delegate, form=form)
