"""The organizers' pickup pages: the arrivals overview, runs (list, new, edit, delete), putting
people on a run and taking them off, and the run's manifest (printable page and XLSX)."""
from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..accounts.permissions import staff_required
from ..audit.services import record
from ..core.domain import DomainError, rules_may_run, show_on_form
from ..core.gettext import gettext as _
from ..core.gettext import ngettext
from ..core.i18n import current_language
from ..core.listing import query_arg
from ..core.lookup import get_or_404
from ..core.timefmt import local_time, short_date
from ..core.timezones import local_naive
from ..delegations import labels as delegation_labels
from ..events.models import Event
from ..extensions import db
from . import exports, labels, queries, services
from .forms import AddPeopleForm, RunForm
from .models import DIRECTIONS, PickupPassenger, PickupRun

bp = Blueprint("pickup_admin", __name__, url_prefix="/organizer/events")


@bp.context_processor
def helpers():
    lang = current_language()
    return {"labels": labels, "delegation_labels": delegation_labels, "local_time": local_time,
            "short_date": short_date, "name_of": lambda obj: obj.display_name(lang), "lang": lang}


def _title(event: Event) -> str:
    return event.text("title", current_language())[0]


def _actor():
    return current_user._get_current_object()


def _direction() -> str:
    asked = query_arg("direction", 16)
    return asked if asked in DIRECTIONS else "arrival"


def _run(event_id: int, run_id: int) -> tuple[Event, PickupRun]:
    event = get_or_404(Event, event_id)
    return event, get_or_404(PickupRun, run_id, event_id=event.id)


@bp.get("/<int:event_id>/arrivals")
@staff_required
def overview(event_id: int):
    """Arrivals (or departures) by day and hour on the event's clock, with their pickup runs."""
    event = get_or_404(Event, event_id)
    direction = _direction()
    return render_template("pickup_admin/overview.html", event=event, title=_title(event), direction=direction,
                           days=queries.overview(event, direction, current_language()))


@bp.get("/<int:event_id>/pickups")
@staff_required
def runs(event_id: int):
    event = get_or_404(Event, event_id)
    return render_template("pickup_admin/runs.html", event=event, title=_title(event),
                           runs=queries.runs(event.id))


def _save_run(event: Event, form: RunForm, run: PickupRun | None):
    """Create or change the run; every problem at once (form and rules); None when shown again."""
    valid = form.validate_on_submit()
    if not (valid or rules_may_run(form)):
        return None
    try:
        if not valid:
            services.check_run(event, form.values())
        elif run is None:
            return services.create_run(event, form.values(), _actor())
        else:
            services.update_run(run, form.values(), _actor())
            return run
    except DomainError as error:
        show_on_form(form, error)
    return None


@bp.route("/<int:event_id>/pickups/new", methods=["GET", "POST"])
@staff_required
def new_run(event_id: int):
    event = get_or_404(Event, event_id)
    form = RunForm()
    if request.method == "GET":
        form.direction.data = _direction()
    run = _save_run(event, form, None)
    if run is not None:
        flash(_("The run was created. Now put people on it."), "success")
        return redirect(url_for("pickup_admin.run", event_id=event.id, run_id=run.id))
    return render_template("pickup_admin/run_form.html", event=event, title=_title(event), form=form, run=None)


@bp.route("/<int:event_id>/pickups/<int:run_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_run(event_id: int, run_id: int):
    event, run = _run(event_id, run_id)
    form = RunForm()
    if request.method == "GET":
        form.fill(run, local_naive(run.starts_at, event.timezone))
    if _save_run(event, form, run) is not None:
        flash(_("The run was saved; the people on it were told of any change."), "success")
        return redirect(url_for("pickup_admin.run", event_id=event.id, run_id=run.id))
    return render_template("pickup_admin/run_form.html", event=event, title=_title(event), form=form, run=run)


@bp.post("/<int:event_id>/pickups/<int:run_id>/delete")
@staff_required
def delete_run(event_id: int, run_id: int):
    event, run = _run(event_id, run_id)
    try:
        n = services.delete_run(run, _actor())
    except DomainError as error:  # someone changed the run at the same moment
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("pickup_admin.run", event_id=event.id, run_id=run_id))
    flash(ngettext("The run was deleted; %(num)d person was told.", "The run was deleted; %(num)d people "
                   "were told.", n), "success")
    return redirect(url_for("pickup_admin.runs", event_id=event.id))


@bp.route("/<int:event_id>/pickups/<int:run_id>", methods=["GET", "POST"])
@staff_required
def run(event_id: int, run_id: int):
    """The run's page: its manifest, and the people who fit it (suggested first) to put on it."""
    event, run = _run(event_id, run_id)
    language = current_language()
    form = AddPeopleForm()
    suggested = queries.suggestions(run, language)
    others = [t for t in queries.unassigned(run, language) if t not in suggested]
    form.delegates.choices = [(t.delegate.id, t.delegate.display_name(language)) for t in suggested + others]
    if form.validate_on_submit():
        try:
            added = services.add_passengers(run, form.delegates.data or [], _actor())
        except DomainError as error:
            show_on_form(form, error)
        else:
            flash(ngettext("%(num)d person was put on the run.", "%(num)d people were put on the run.",
                           len(added)), "success")
            return redirect(url_for("pickup_admin.run", event_id=event.id, run_id=run.id))
    return render_template("pickup_admin/run.html", event=event, title=_title(event), run=run, form=form,
                           people=queries.manifest(run, language), suggested=suggested, others=others,
                           passenger_ids=queries.passenger_ids(run))


@bp.post("/<int:event_id>/pickups/<int:run_id>/passengers/<int:passenger_id>/remove")
@staff_required
def remove_passenger(event_id: int, run_id: int, passenger_id: int):
    event, run = _run(event_id, run_id)
    passenger = get_or_404(PickupPassenger, passenger_id, run_id=run.id)
    try:
        services.remove_passenger(run, passenger, _actor())
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        flash(_("The person was taken off the run and told."), "success")
    return redirect(url_for("pickup_admin.run", event_id=event.id, run_id=run.id))


@bp.get("/<int:event_id>/pickups/<int:run_id>/manifest")
@staff_required
def manifest(event_id: int, run_id: int):
    """The printable manifest (print CSS; a PDF comes later)."""
    event, run = _run(event_id, run_id)
    return render_template("pickup_admin/manifest.html", event=event, title=_title(event), run=run,
                           people=queries.manifest(run, current_language()))


@bp.get("/<int:event_id>/pickups/<int:run_id>/manifest.xlsx")
@staff_required
def manifest_xlsx(event_id: int, run_id: int):
    """The manifest as XLSX, audited (who took which personal data); never cached."""
    event, run = _run(event_id, run_id)
    people = queries.manifest(run, current_language())
    data = exports.manifest_xlsx(run, people, _("Manifest"))
    record("pickup.export_manifest", run, actor=_actor(), target_label=_title(event), details={"rows": len(people)})
    db.session.commit()
    response = Response(data, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response.headers["Content-Disposition"] = f'attachment; filename="pickup-{run.id}.xlsx"'
    response.headers["Cache-Control"] = "no-store"
    return response
