"""Organizers' letter pages for one event: open requests (issue or decline), the letters issued
(download, re-issue when details changed, revoke) and the event's letter settings with a preview."""
from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..accounts.permissions import staff_required
from ..core.domain import DomainError, rules_may_run, show_on_form
from ..core.gettext import gettext as _
from ..core.gettext import ngettext
from ..core.i18n import current_language
from ..core.lookup import get_or_404
from ..events.models import Event
from ..extensions import now_utc
from . import document, labels, queries, rules, services
from .forms import DecideForm, ReissueForm, RevokeForm, SettingsForm
from .models import Letter, LetterSettings
from .views import pdf_response

# What the preview's QR code points at: no letter has it, so the page says "No such letter".
SAMPLE_ADDRESS = "preview-of-a-letter"

bp = Blueprint("letter_admin", __name__, url_prefix="/organizer/events")


def _actor():
    return current_user._get_current_object()


def _title(event: Event) -> str:
    return event.shown("title", current_language())


@bp.get("/<int:event_id>/letters")
@staff_required
def index(event_id: int):
    event = get_or_404(Event, event_id)
    response = Response(render_template(
        "letters/admin_index.html", event=event, title=_title(event), requests=queries.open_requests(event.id),
        letters=queries.event_letters(event.id), form=DecideForm(), revoke_form=RevokeForm(),
        reissue_form=ReissueForm(), labels=labels, lang=current_language(),
        settings=services.settings_of(event.id)))
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/<int:event_id>/letters/decide")
@staff_required
def decide(event_id: int):
    event = get_or_404(Event, event_id)
    form = DecideForm()
    if form.validate_on_submit():
        try:
            if form.decline.data:
                count = services.decline(event, form.requests.data or [], form.reason.data or "", actor=_actor())
                flash(ngettext("%(num)d request declined.", "%(num)d requests declined.", count), "success")
            else:
                made = services.issue(event, form.requests.data or [], actor=_actor())
                flash(ngettext("%(num)d letter issued and mailed.", "%(num)d letters issued and mailed.",
                               len(made)), "success")
        except DomainError as error:
            show_on_form(None, error)
    else:
        flash(_("Nothing was changed: the form was not valid. Please try again."), "error")
    return redirect(url_for(".index", event_id=event_id))


@bp.post("/<int:event_id>/letters/<int:letter_id>/reissue")
@staff_required
def reissue(event_id: int, letter_id: int):
    letter = get_or_404(Letter, letter_id, event_id=event_id)
    if ReissueForm().validate_on_submit():
        try:
            new = services.reissue(letter, actor=_actor())
            flash(_("Letter %(new)s issued and mailed; %(old)s is marked replaced.",
                    new=new.reference, old=letter.reference), "success")
        except DomainError as error:
            show_on_form(None, error)
    return redirect(url_for(".index", event_id=event_id))


@bp.post("/<int:event_id>/letters/<int:letter_id>/revoke")
@staff_required
def revoke(event_id: int, letter_id: int):
    letter = get_or_404(Letter, letter_id, event_id=event_id)
    form = RevokeForm()
    if form.validate_on_submit():
        try:
            services.revoke(letter, form.reason.data or "", actor=_actor())
            flash(_("Letter %(ref)s revoked.", ref=letter.reference), "success")
        except DomainError as error:
            show_on_form(None, error)
    return redirect(url_for(".index", event_id=event_id))


@bp.get("/<int:event_id>/letters/<int:letter_id>.pdf")
@staff_required
def letter_pdf(event_id: int, letter_id: int):
    return pdf_response(get_or_404(Letter, letter_id, event_id=event_id), "organizer")


# --- the event's settings -------------------------------------------------------------------------


def sample_doc(event: Event, values: dict) -> document.LetterDoc:
    """A letter with sample people, as the settings would print it."""
    settings = LetterSettings(body_en=values.get("body_en") or "", body_zh=values.get("body_zh") or "")
    people = [{"id": 0, "name": "ZHANG San", "name_zh": "张三", "passport_number": "E12345678",
               "nationality": "CN", "birth_date": "1980-01-02",
               "passport_expiry": (date.today() + timedelta(days=900)).isoformat(), "title": "Director"}]
    unit = {"en": "Sample City", "zh": "示例市"}
    reference = services.reference_for(event.id, now_utc().year, 0)
    printed = services.snapshot_for(event, settings, unit, people, "", reference, now_utc())
    return document.LetterDoc(reference=reference, issued_on=date.today(), printed=printed,
                              verify_url=url_for("letters.verify", token=SAMPLE_ADDRESS, _external=True))


@bp.route("/<int:event_id>/letters/settings", methods=["GET", "POST"])
@staff_required
def settings(event_id: int):
    event = get_or_404(Event, event_id)
    current = services.settings_of(event.id)
    form = SettingsForm(obj=None if request.method == "POST" else current)
    if request.method == "GET":
        form.body_en.data = services.body_of(current, "en")
        form.body_zh.data = services.body_of(current, "zh")
    preview = None
    if request.method == "POST":
        values = {"mode": form.mode.data, "issue_on_confirmation": bool(form.issue_on_confirmation.data),
                  "body_en": form.body_en.data or "", "body_zh": form.body_zh.data or ""}
        try:
            if not form.validate_on_submit():
                if rules_may_run(form):
                    services.check_settings(values)
            elif form.save.data:
                services.save_settings(event, values, actor=_actor())
                flash(_("Letter settings saved."), "success")
                return redirect(url_for(".settings", event_id=event_id))
            else:
                services.check_settings(values)
                doc = sample_doc(event, values)
                if form.preview_pdf.data:
                    return pdf_response_of(doc)
                preview = doc.printed["texts"]
        except DomainError as error:
            show_on_form(form, error)
    return render_template("letters/admin_settings.html", event=event, title=_title(event), form=form,
                           preview=preview, placeholders=rules.PLACEHOLDERS)


def pdf_response_of(doc: document.LetterDoc) -> Response:
    response = Response(document.letter_pdf(doc), mimetype="application/pdf")
    response.headers["Content-Disposition"] = 'inline; filename="letter-preview.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
