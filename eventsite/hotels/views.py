"""The liaison's room requests for the unit's delegation (the unit comes from the login, never
the URL), and the delegate's stay on their personal page (a template global)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..accounts.permissions import role_required
from ..core.domain import DomainError, show_on_form
from ..core.fields import options
from ..core.gettext import gettext as _
from ..core.i18n import current_language, localized
from ..core.lookup import get_or_404
from ..core.numbers import whole_number
from ..delegations.services import delegation_for
from ..events.models import Event
from . import labels, queries, services
from .forms import RequestsForm, request_choices

bp = Blueprint("hotels", __name__)


@bp.app_template_global()
def delegate_stay(delegate):
    """For the delegate's personal page: their hotel, dates, room type and roommate, or None."""
    return queries.delegate_room(delegate, current_language())


@bp.app_template_global()
def unit_stays(delegation):
    """For the liaison's delegation page: each active member's request and stay."""
    return queries.unit_rooms(delegation, current_language())


@bp.app_template_global()
def hotel_labels():
    return labels


def _delegation(event_id: int):
    if current_user.unit_id is None:
        abort(403)
    event = get_or_404(Event, event_id)
    delegation = delegation_for(event.id, current_user.unit_id) if event.status != "draft" else None
    if delegation is None or not delegation.is_live:
        abort(404)
    return event, delegation


@bp.route("/events/<int:event_id>/delegation/rooms", methods=["GET", "POST"])
@role_required("liaison")
def rooms(event_id: int):
    event, delegation = _delegation(event_id)
    lang = current_language()
    members = queries.unit_rooms(delegation, lang)
    form = RequestsForm()
    if request.method == "GET":
        ours = {m.delegate.id for m in members}
        for member in members:
            entry = form.rows.append_entry()
            entry.form.delegate_id.data = str(member.delegate.id)
            if member.request is not None:
                entry.form.kind.data = member.request.kind
                entry.form.share_with.data = str(member.request.share_with_id or "")
                entry.form.note.data = member.request.note
            elif member.stay is not None:  # no request yet: what was assigned, not "single" for all
                mate = member.stay.roommate_id if member.stay.roommate_id in ours else None
                entry.form.kind.data = "share" if mate else "single"
                entry.form.share_with.data = str(mate or "")
    others = options([("", "—")] + [(str(m.delegate.id), m.delegate.display_name(lang)) for m in members])
    kinds = request_choices()
    for entry in form.rows:
        entry.form.share_with.choices = others
        entry.form.kind.choices = kinds
    if form.validate_on_submit():
        wishes = [services.Wish(delegate_id=whole_number(e.form.delegate_id.data or "", 1) or -1,
                                kind=e.form.kind.data,
                                share_with_id=whole_number(e.form.share_with.data or "", 1),
                                note=e.form.note.data or "") for e in form.rows]
        try:
            services.save_requests(delegation, wishes, current_user._get_current_object())
        except DomainError as error:
            show_on_form(form, error)
        else:
            flash(_("Your room requests were sent to the secretariat."), "success")
            return redirect(url_for("hotels.rooms", event_id=event.id))
    by_id = {m.delegate.id: m for m in members}
    return render_template("hotels/rooms.html", event=event, delegation=delegation, form=form, labels=labels, lang=lang,
                           title=localized(event, "title", lang), members=members,
                           rows=[(e, by_id.get(whole_number(e.form.delegate_id.data or "", 1))) for e in form.rows])
