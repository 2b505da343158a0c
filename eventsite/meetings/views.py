"""A liaison's meetings page for their own delegation (the unit comes from the login, never the
URL): the other delegations (suggestions first), the request form, requests in and out, accepted
meetings; answers (accept, decline, propose another time) and cancellations. Also the delegate's
personal page part (a template global)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from ..accounts.permissions import role_required
from ..core.domain import DomainError, rules_may_run, show_on_form
from ..core.gettext import gettext as _
from ..core.i18n import current_language
from ..core.lookup import get_or_404
from ..core.timefmt import local_time
from ..delegations.models import Delegate
from ..events.models import Event
from . import labels, queries, services
from .forms import ProposeForm, RequestForm
from .models import Meeting

bp = Blueprint("meetings", __name__)


def _context(event_id: int):
    """The event (not a draft) and the liaison's own live delegation at it."""
    if current_user.unit_id is None:
        abort(403)
    event = get_or_404(Event, event_id)
    if event.status == "draft":
        abort(404)
    return event, queries.own_delegation(event.id, current_user.unit_id)


def _slot_choices(event: Event) -> list[tuple[int, str]]:
    return [(s.id, local_time(s.starts_at, event.timezone)) for s in queries.slots(event.id)]


def _request_form(event: Event, mine, lang: str) -> RequestForm:
    form = RequestForm()
    form.invitee.choices = [(p.delegation.id, p.name) for p in queries.participants(event.id, mine, lang)]
    form.slot.choices = _slot_choices(event)
    return form


@bp.route("/events/<int:event_id>/meetings", methods=["GET", "POST"])
@role_required("liaison")
def index(event_id: int):
    event, mine = _context(event_id)
    lang = current_language()
    if mine is None:
        return render_template("meetings/index.html", event=event, mine=None, title=event.text("title", lang)[0])
    form = _request_form(event, mine, lang)
    if form.is_submitted():
        valid = form.validate()
        try:
            if valid:
                services.request_meeting(event, mine, form.values(), current_user._get_current_object())
            elif rules_may_run(form):
                services.check_request(event, mine, form.values())
        except DomainError as error:
            show_on_form(form, error)
        else:
            if valid:
                flash(_("Your request was sent."), "success")
                return redirect(url_for("meetings.index", event_id=event.id))
    settings = queries.settings_for(event.id)
    return render_template(
        "meetings/index.html", event=event, mine=mine, form=form, propose_form=ProposeForm(),
        title=event.text("title", lang)[0], settings=settings,
        participants=queries.participants(event.id, mine, lang), meetings=queries.meetings_of(mine.id),
        slot_choices=_slot_choices(event), labels=labels, local_time=local_time, lang=lang,
        location=lambda m: queries.location(m, lang))


def _act(event_id: int, meeting_id: int, action) -> object:
    event, mine = _context(event_id)
    if mine is None:
        abort(404)
    meeting = get_or_404(Meeting, meeting_id, event_id=event.id)
    if mine.id not in (meeting.requester_id, meeting.invitee_id):
        abort(404)  # another unit's meeting: as if it did not exist
    try:
        action(meeting, mine)
    except DomainError as error:
        show_on_form(None, error)
    return redirect(url_for("meetings.index", event_id=event.id))


def _actor():
    return current_user._get_current_object()


@bp.post("/events/<int:event_id>/meetings/<int:meeting_id>/accept")
@role_required("liaison")
def accept(event_id: int, meeting_id: int):
    def run(meeting, mine):
        services.accept(meeting, mine, _actor())
        flash(_("The meeting is confirmed: %(table)s.", table=queries.location(meeting, current_language())),
              "success")
    return _act(event_id, meeting_id, run)


@bp.post("/events/<int:event_id>/meetings/<int:meeting_id>/decline")
@role_required("liaison")
def decline(event_id: int, meeting_id: int):
    def run(meeting, mine):
        services.decline(meeting, mine, _actor())
        flash(_("Your answer was sent."), "success")
    return _act(event_id, meeting_id, run)


@bp.post("/events/<int:event_id>/meetings/<int:meeting_id>/cancel")
@role_required("liaison")
def cancel(event_id: int, meeting_id: int):
    def run(meeting, mine):
        services.cancel(meeting, mine, _actor())
        flash(_("The meeting was cancelled."), "success")
    return _act(event_id, meeting_id, run)


@bp.post("/events/<int:event_id>/meetings/<int:meeting_id>/propose")
@role_required("liaison")
def propose(event_id: int, meeting_id: int):
    def run(meeting, mine):
        form = ProposeForm()
        form.slot.choices = _slot_choices(meeting.event)
        if not form.validate():
            raise DomainError(_("Choose one of the event's meeting slots."), "slot")
        services.propose(meeting, mine, form.slot.data, _actor())
        flash(_("Your proposal was sent."), "success")
    return _act(event_id, meeting_id, run)


@bp.app_template_global()
def matchmaking_open(event_id: int) -> bool:
    """For a liaison on the event page: whether to show the way to the meetings page."""
    return queries.is_open(event_id)


@bp.app_template_global()
def meetings_of_delegate(delegate: Delegate, language: str) -> list[dict]:
    """The delegate's delegation's accepted meetings (their personal page)."""
    if not delegate.is_active:
        return []
    zone = delegate.delegation.event.timezone
    return [{"summary": queries.summary(m, delegate.delegation_id, language),
             "when": local_time(m.slot.starts_at, zone), "where": queries.location(m, language), "topic": m.topic}
            for m in queries.meetings_of(delegate.delegation_id) if m.is_accepted and m.slot is not None]
