"""Organizers' badge page for one event: whose badges (format, status, role, delegation or one
person; links from elsewhere use ?delegation=<id> / ?delegate=<id>), each person's badge state,
and printing (a PDF download)."""
from __future__ import annotations

from flask import Blueprint, Response, flash, render_template, request
from flask_login import current_user

from ..accounts.permissions import staff_required
from ..core.domain import DomainError, show_on_form
from ..core.gettext import gettext as _
from ..core.i18n import current_language
from ..core.lookup import get_or_404
from ..core.numbers import whole_number
from ..core.timefmt import local_time
from ..delegations import labels as delegation_labels
from ..delegations.models import ADMITTED_DELEGATE_STATUSES
from ..events.models import Event
from . import document, labels, queries, services
from .forms import BadgeForm

bp = Blueprint("badges", __name__, url_prefix="/organizer/events")


def _form(event: Event, lang: str) -> BadgeForm:
    if request.method == "POST":
        form = BadgeForm()
    else:  # a link's filter; nothing is written on GET, so no CSRF token
        form = BadgeForm(formdata=request.args if request.args else None, meta={"csrf": False})
    form.delegation.choices = [("", _("Every delegation"))] + queries.delegation_choices(event.id, lang)
    return form


def _selection(form: BadgeForm, pending: bool) -> queries.Selection:
    return queries.Selection(
        delegate_id=whole_number(form.delegate.data) if form.delegate.data else None,
        delegation_id=form.delegation.data, statuses=tuple(form.status.data or ()) or ADMITTED_DELEGATE_STATUSES,
        roles=tuple(form.role.data or ()), pending_only=bool(form.pending.data) or pending)


def _pdf(data: bytes, name: str) -> Response:
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/<int:event_id>/badges", methods=["GET", "POST"])
@staff_required
def index(event_id: int):
    event = get_or_404(Event, event_id)
    lang = current_language()
    form = _form(event, lang)
    printing = request.method == "POST" and bool(form.print.data or form.print_pending.data)
    valid = form.validate_on_submit() if request.method == "POST" else form.validate()
    overview = None
    if valid:
        selection = _selection(form, pending=bool(form.print_pending.data))
        if printing:
            try:
                pdf = services.print_badges(event, selection, form.format.data, actor=current_user._get_current_object(),
                                            lang=lang)
                return _pdf(pdf, document.filename(event.id, document.FORMATS[form.format.data]))
            except DomainError as error:
                show_on_form(form, error)
        overview = queries.overview(event, selection, lang)
    elif printing:
        flash(_("Nothing was printed: please correct the marked fields."), "error")
    response = Response(render_template(
        "badges/index.html", event=event, title=event.shown("title", lang), form=form, overview=overview,
        labels=labels, delegation_labels=delegation_labels, lang=lang, local_time=local_time))
    response.headers["Cache-Control"] = "private, no-store"
    return response
