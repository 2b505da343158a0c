"""Letters for liaisons (request, list, download: the unit comes from the login, never the URL),
for delegates (download from their personal page: the link's token is the key) and for anyone
(the public verification page, reached by the QR code on the letter)."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import format_date
from flask_login import current_user
from wtforms import SelectChoice

from ..accounts.permissions import role_required
from ..core.domain import DomainError, show_on_form
from ..core.gettext import gettext as _
from ..core.gettext import ngettext
from ..core.i18n import current_language, in_both_languages
from ..core.lookup import get_or_404
from ..core.security import token_page
from ..core.timezones import to_local
from ..delegations.models import Delegation
from ..delegations.services import selfservice
from ..events.models import Event
from ..extensions import db
from . import document, labels, queries, services
from .forms import RequestForm
from .models import Letter

bp = Blueprint("letters", __name__)


def pdf_response(letter: Letter, by: str, delegate=None) -> Response:
    """A letter's PDF, never kept by a cache (it holds passport numbers); the download is
    audited (`by`: organizer, liaison, delegate)."""
    try:
        data = services.download(letter, by, delegate=delegate)
    except DomainError as error:
        flash(str(error), "error")
        abort(410)
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{document.filename(letter.reference)}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- the liaison --------------------------------------------------------------------------------


def _own_delegation(event_id: int) -> Delegation:
    if current_user.unit_id is None:
        abort(403)
    event = get_or_404(Event, event_id)
    delegation = db.session.scalar(sa.select(Delegation).where(
        Delegation.event_id == event.id, Delegation.unit_id == current_user.unit_id))
    if event.status == "draft" or delegation is None:
        abort(404)
    return delegation


@bp.route("/events/<int:event_id>/delegation/letters", methods=["GET", "POST"])
@role_required("liaison")
def request_page(event_id: int):
    delegation = _own_delegation(event_id)
    choices = queries.member_choices(delegation)
    form = RequestForm()
    form.people.choices = [SelectChoice(c.delegate.id, c.delegate.display_name(current_language()))
                           for c in choices if c.can_choose]
    if form.validate_on_submit():
        try:
            made = services.request_letters(delegation, form.people.data or [], form.purpose.data or "",
                                            actor=current_user._get_current_object())
        except DomainError as error:
            show_on_form(form, error)
        else:
            flash(ngettext("A letter was requested for %(num)d member.",
                           "Letters were requested for %(num)d members.", len(made)), "success")
            return redirect(url_for(".request_page", event_id=event_id))
    response = Response(render_template(
        "letters/request.html", event=delegation.event, delegation=delegation, form=form, choices=choices,
        letters=queries.delegation_letters(delegation.id), requests=queries.delegation_requests(delegation.id),
        labels=labels, lang=current_language()))
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/events/<int:event_id>/delegation/letters/<int:letter_id>.pdf")
@role_required("liaison")
def liaison_pdf(event_id: int, letter_id: int):
    delegation = _own_delegation(event_id)
    return pdf_response(get_or_404(Letter, letter_id, delegation_id=delegation.id), "liaison")


# --- the delegate -------------------------------------------------------------------------------


@bp.get("/events/<int(beyond=0):event_id>/delegate/<token>/letters/<int:letter_id>.pdf")
@token_page
def delegate_pdf(event_id: int, token: str, letter_id: int):
    delegate = selfservice.find_delegate(event_id, token)
    if delegate is None:
        abort(404)
    letter = next((x for x in queries.delegate_letters(delegate.id) if x.id == letter_id), None)
    if letter is None:
        abort(404)
    return pdf_response(letter, "delegate", delegate=delegate)


@bp.app_template_global()
def letters_of_delegate(delegate_id: int) -> list[Letter]:
    """For the delegate's personal page: the valid letters that name them."""
    return queries.delegate_letters(delegate_id)


# --- anyone: the verification page ----------------------------------------------------------------



@bp.get("/letters/verify/<token>")
@token_page
def verify(token: str):
    letter = queries.by_token(token)
    if letter is None:
        response = Response(render_template("verify_unknown.html", texts=in_both_languages(lambda lang: (
            _("No such letter"), _("This address belongs to no letter issued by the secretariat. Check "
                                   "that it was typed exactly as printed under the QR code.")))), status=404)
    else:
        response = Response(render_template(
            "letters/verify.html", letter=letter, event=letter.event, people=queries.masked_people(letter),
            pages=in_both_languages(lambda lang: _verify_texts(letter, lang))))
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _verify_texts(letter: Letter, lang: str) -> dict:
    event = letter.event
    local = to_local(letter.issued_at, event.timezone).date()
    status = {"valid": _("This letter is valid."),
              "replaced": _("This letter was replaced by a newer letter and is no longer valid."),
              "revoked": _("This letter was revoked and is no longer valid.")}[letter.status]
    advice = {"valid": _("Compare the reference, the names and the passport numbers below with the "
                         "printed letter and the passport shown."),
              "replaced": _("The secretariat issued a newer letter with a different reference, for "
                            "example because a passport detail changed. Ask the holder for it and check "
                            "it with its own QR code."),
              "revoked": _("The secretariat withdrew this letter. It must not be relied on; the holder "
                           "may contact the secretariat.")}[letter.status]
    return {"title": _("Invitation letter check"), "status": status, "advice": advice,
            "labels": {"reference": _("Reference"), "event": _("Event"), "dates": _("Dates"),
                       "place": _("Place"), "issued": _("Issued on"), "status": _("Status"),
                       "people": _("People named in the letter"), "passport": _("Passport"),
                       "revoked": _("Revoked on")},
            "event": event.shown("title", lang),
            "dates": services.event_dates(event, lang), "place": event.place(lang),
            "issued": format_date(local, "long"),
            "revoked": format_date(to_local(letter.revoked_at, event.timezone).date(), "long")
            if letter.revoked_at else "",
            "status_label": str(labels.STATUS_LABELS[letter.status]),
            "erased": _("The personal details of this letter were erased after the event.")
            if letter.snapshot_erased_at else ""}
