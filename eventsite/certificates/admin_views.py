"""Organizers' certificate page for one event: the counts (checked in, issued, to issue), the
button that issues the missing ones, the list (download, revoke)."""
from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_login import current_user

from ..accounts.permissions import staff_required
from ..core.domain import DomainError, show_on_form
from ..core.gettext import gettext as _
from ..core.gettext import ngettext
from ..core.i18n import current_language
from ..core.lookup import get_or_404
from ..core.timefmt import local_date
from ..events.models import Event
from . import queries, services
from .forms import IssueForm, RevokeForm
from .models import Certificate
from .views import pdf_response

bp = Blueprint("certificate_admin", __name__, url_prefix="/organizer/events")


@bp.context_processor
def helpers():
    return {"local_date": local_date}


def _actor():
    return current_user._get_current_object()


@bp.get("/<int:event_id>/certificates")
@staff_required
def index(event_id: int):
    event = get_or_404(Event, event_id)
    counts = queries.counts(event.id)
    blocked = services.blocked_reason(event, counts.checked_in)
    response = Response(render_template(
        "certificates/admin_index.html", event=event, title=event.shown("title", current_language()),
        counts=counts, blocked=blocked, certificates=queries.event_certificates(event.id), form=IssueForm(),
        revoke_form=RevokeForm(), lang=current_language()))
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/<int:event_id>/certificates/issue")
@staff_required
def issue(event_id: int):
    event = get_or_404(Event, event_id)
    if IssueForm().validate_on_submit():
        try:
            made = services.issue_all(event, actor=_actor())
        except DomainError as error:
            show_on_form(None, error)
        else:
            if made:
                flash(ngettext("%(num)d certificate issued: its mail goes out in the next minutes.",
                               "%(num)d certificates issued: their mails go out in the next minutes.",
                               len(made)), "success")
            else:
                flash(_("Everyone checked in already has a certificate."), "info")
    else:
        flash(_("Nothing was changed: the form was not valid. Please try again."), "error")
    return redirect(url_for(".index", event_id=event_id))


@bp.post("/<int:event_id>/certificates/<int:certificate_id>/revoke")
@staff_required
def revoke(event_id: int, certificate_id: int):
    certificate = get_or_404(Certificate, certificate_id, event_id=event_id)
    if RevokeForm().validate_on_submit():
        try:
            services.revoke(certificate, actor=_actor())
            flash(_("Certificate %(number)s revoked.", number=certificate.number), "success")
        except DomainError as error:
            show_on_form(None, error)
    else:
        flash(_("Nothing was changed: the form was not valid. Please try again."), "error")
    return redirect(url_for(".index", event_id=event_id))


@bp.get("/<int:event_id>/certificates/<int:certificate_id>.pdf")
@staff_required
def certificate_pdf(event_id: int, certificate_id: int):
    return pdf_response(get_or_404(Certificate, certificate_id, event_id=event_id))
