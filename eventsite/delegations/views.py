"""A liaison registers and edits the unit's delegation (the unit comes from the login, never the
URL); a delegate reaches their personal page by the link in their mail, with no account.

The personal link's token is the only key: an unknown, malformed or other-event token gets the
same 404 page, revealing nothing; every answer is `no-store` with no Referer
(core.security.token_page), so the link stays out of caches and other sites' logs."""
from __future__ import annotations

import secrets
from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_login import current_user
from sqlalchemy.exc import OperationalError

from ..accounts.permissions import role_required
from ..calendar.links import delegate_feed_url, feed_links
from ..core.domain import DomainError, rules_may_run, show_on_form
from ..core.gettext import gettext as _
from ..core.gettext import ngettext
from ..core.i18n import current_language, localized, reader_zone
from ..core.lookup import get_or_404
from ..core.numbers import whole_number
from ..core.security import token_page
from ..core.timefmt import clock, local_time, short_date
from ..core.timezones import zone_label
from ..events.models import Event
from ..extensions import db, now_utc
from ..members.labels import country_name
from ..members.models import MemberUnit
from . import labels, queries
from .forms import DelegationForm, DetailsForm, PersonForm, WithdrawForm, session_choices
from .models import Delegate, Delegation
from .services import (
    PersonRow,
    active_delegates,
    check_delegation,
    registration_for,
    save_delegation,
    selfservice,
)
from .services import withdraw as withdraw_delegation

bp = Blueprint("delegations", __name__)
personal_bp = Blueprint("delegate", __name__)


@bp.app_template_global()
def unit_registration(event_id: int):
    """For a liaison, on the public event page: where their unit stands with the event."""
    if not (current_user.is_authenticated and current_user.role == "liaison" and current_user.unit_id):
        return None
    return registration_for(db.session.get(Event, event_id), current_user.unit_id)


def _context(event_id: int) -> tuple[Event, int]:
    """The event (not a draft) and the liaison's own unit."""
    if current_user.unit_id is None:
        abort(403)
    event = get_or_404(Event, event_id)
    if event.status == "draft":
        abort(404)
    return event, current_user.unit_id


@bp.route("/events/<int:event_id>/delegation", methods=["GET", "POST"])
@role_required("liaison")
def register(event_id: int):
    event, unit_id = _context(event_id)
    registration = registration_for(event, unit_id)
    editable = registration.can_register or registration.can_edit
    current = active_delegates(registration.delegation) if registration.can_edit else []
    choices = session_choices(event, current_language())
    form = DelegationForm()
    if request.method == "GET" or not editable:
        if request.method == "POST":
            flash(registration.message or _("The delegation can no longer be changed."), "error")
            return redirect(url_for(".register", event_id=event.id))
        _fill(form, registration, current, event)
    for entry in form.people:  # every row needs its choices before it validates or renders
        entry.form.sessions.choices = choices
    status = 200
    if request.method == "POST":
        persons = [entry.form for entry in form.people if not entry.form.is_blank()]
        if form.add_row.data:  # without JavaScript: the same rows again, plus a blank one
            if len(form.people) < registration.quota:  # (at the quota the button says why not)
                entry = form.people.append_entry()
                entry.form.sessions.choices = choices
                entry.form.role.data, entry.form.language.data = "member", "zh"
        else:
            saved, status = _save(event, unit_id, form, persons, choices)
            if saved:
                return redirect(url_for(".receipt", delegation_id=saved))
    # The separator is explicit: WTForms adds no "-" after a prefix ending in "_".
    blank = PersonForm(prefix="people-__i__-")
    blank.sessions.choices = choices
    return render_template(
        "delegations/register.html", event=event, registration=registration, form=form,
        editable=editable, blank=blank, people={d.id: d for d in current},
        history=[d for d in registration.delegation.delegates if not d.is_active]
        if registration.delegation else [], zone_label=zone_label(event.starts_at, event.timezone),
        local_time=local_time, labels=labels,
        withdraw_form=WithdrawForm(), at_quota=len(form.people) >= registration.quota,
        over_quota=len(current) > registration.quota,
    ), status


def _save(event: Event, unit_id: int, form: DelegationForm, persons: list, choices) -> tuple[int, int]:
    """Check the posted rows and save them: (the saved delegation's id or 0, the page's status).
    A form with mistakes of its own is checked against the rules too (nothing saved), so one
    submit shows every problem."""
    valid = form.validate() & all([p.check_moments() for p in persons])
    # A tampered id becomes -1, which the service refuses as unknown.
    rows = [PersonRow(values=p.values(), id=(whole_number(p.id.data, 1) or -1) if p.id.data else None,
                      substitute=bool(p.substitute.data), remove=bool(p.remove.data),
                      session_ids=list(p.sessions.data or []) if choices else None)
            for p in persons]
    try:
        if not valid:
            check_delegation(event, unit_id, rows)
            return 0, 200
        result = save_delegation(event, db.session.get(MemberUnit, unit_id), rows,
                                 notes=form.notes.data or "",
                                 submission_key=form.submission_key.data or None,
                                 actor=current_user._get_current_object())
    except DomainError as error:
        fields = {"notes": form.notes}  # rows by their index among the non-blank ones
        for index, person in enumerate(persons):
            fields |= person.shown_as(f"people-{index}-")
        show_on_form(form, error, fields)
        return 0, 200
    except OperationalError:  # SQLite's lock wait ran out under a burst of submissions
        db.session.rollback()
        flash(_("Many registrations are arriving at this moment. Nothing was saved: please "
                "submit again."), "error")
        return 0, 503
    flash(_success_message(result), "success")
    return result.delegation.id, 200


def _fill(form: DelegationForm, registration, current, event: Event) -> None:
    form.submission_key.data = secrets.token_urlsafe(24)
    form.notes.data = registration.delegation.notes if registration.can_edit else ""
    for delegate in current:
        entry = form.people.append_entry()
        entry.form.fill(delegate, event.timezone, full=False)
        entry.form.id.data = str(delegate.id)
    if not current:
        for index in range(min(registration.quota, 2)):
            entry = form.people.append_entry()
            entry.form.role.data = "head" if index == 0 else "member"


def _success_message(result) -> str:
    if result.repeated:
        return _("This form was already saved; nothing was saved twice.")
    if result.created and result.delegation.status == "submitted":
        return _("Your delegation was submitted. The secretariat will review it.")
    if result.created:
        return _("Your delegation is registered.")
    return _("The changes were saved.") if result.changes else _("Nothing was changed.")


@bp.get("/delegations/<int:delegation_id>/receipt")
@role_required("liaison")
def receipt(delegation_id: int):
    """What the unit registered, its status and what happens next; printable. Only the
    liaisons of the delegation's unit see it (another unit's looks like a missing one)."""
    if current_user.unit_id is None:
        abort(403)
    delegation = get_or_404(Delegation, delegation_id, unit_id=current_user.unit_id)
    event = delegation.event
    if event.status == "draft":
        abort(404)
    lang = current_language()
    # One delegation per unit and event: the registration's is this one.
    registration = registration_for(event, current_user.unit_id)
    kept = queries.receipt(delegation, lang)
    return render_template(
        "delegations/receipt.html", event=event, delegation=delegation, receipt=kept,
        title=localized(event, "title", lang), labels=labels,
        when=clock(event.starts_at, event.ends_at, event.timezone, reader_zone(), with_date=True),
        unit_name=delegation.unit.display_name(lang), next_steps=_next_steps(kept, registration),
        can_edit=registration.can_edit,
    )


def _next_steps(kept, registration) -> list[str]:
    """What happens next, in words that depend on the delegation's status."""
    delegation, event = kept.delegation, kept.delegation.event
    steps = {
        "submitted": _("The secretariat reviews each delegation. You will hear from us by email "
                       "when it is approved; until then no seat is confirmed."),
        "confirmed": _("Your delegation is confirmed. Each delegate with an email address "
                       "receives a personal confirmation with their own link."),
        "rejected": _("The secretariat did not accept this delegation."),
        "withdrawn": _("This delegation was withdrawn; its seats were given back."),
    }
    said = [steps[delegation.status]]
    if delegation.is_live and kept.waitlisted:
        said.append(ngettext(
            "%(num)d person is on the waiting list: they get a seat in turn when one frees up, "
            "and we write to them at once.",
            "%(num)d people are on the waiting list: they get a seat in turn when one frees up, "
            "and we write to them at once.", kept.waitlisted))
    if registration.can_edit:
        said.append(_("You can still change or withdraw the delegation until %(when)s.",
                      when=local_time(registration.edit_until, event.timezone)))
    elif delegation.is_live:
        said.append(_("The delegation can no longer be changed here. To change anything, write "
                      "to the secretariat."))
    return said


@bp.post("/events/<int:event_id>/delegation/withdraw")
@role_required("liaison")
def withdraw(event_id: int):
    event, unit_id = _context(event_id)
    registration = registration_for(event, unit_id)
    form = WithdrawForm()
    if not registration.can_edit:
        flash(registration.message or _("There is no delegation to withdraw."), "error")
    elif not (form.validate() and form.confirm.data):
        flash(_("Tick the box to confirm that the whole delegation withdraws."), "error")
    else:
        try:
            withdraw_delegation(registration.delegation, current_user._get_current_object())
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            flash(_("Your delegation was withdrawn; the seats were given back."), "success")
    return redirect(url_for(".register", event_id=event.id))


# --- the delegate's personal page (no account: the token in the URL is the only key) ---------


def _notice(texts):
    """A page in both languages (we do not know the reader): `texts()` gives (title, text)."""
    bilingual = {}
    for lang in ("en", "zh"):
        with force_locale(lang):
            bilingual[lang] = texts()
    return render_template("delegations/personal_notice.html", texts=bilingual)


def _not_found():
    """The same answer for every token that does not open a page."""
    return _notice(lambda: (_("This link does not work"),
                            _("The link is not valid, or it was replaced by a newer one. Use the "
                              "link in the latest message you received, or ask your delegation's "
                              "liaison or the secretariat."))), 404


def _with_delegate(view):
    """Find the delegate of the URL's link first: every token that opens nothing gets the same 404."""
    @wraps(view)
    def wrapper(event_id: int, token: str):
        delegate = selfservice.find_delegate(event_id, token)
        return _not_found() if delegate is None else view(delegate, event_id, token)
    return wrapper


def closed_message(delegate: Delegate, now=None) -> str:
    """Why an active delegate can no longer change their details here ("" if they can)."""
    if not delegate.is_active or selfservice.can_self_edit(delegate, now):
        return ""
    event = delegate.delegation.event
    if event.status != "published" or (now or now_utc()) >= event.starts_at:
        return _("This registration can no longer be changed here.")
    until = event.changes_until()
    return _("Changes closed on %(when)s. To change anything, write to your liaison or the "
             "secretariat.", when=local_time(until, event.timezone))


def _ics_url(delegate: Delegate) -> str:
    """The download: while they are in, their own file (the event and the sessions they chose,
    through their feed's secret address); else the public event's."""
    if delegate.is_active:
        return delegate_feed_url(delegate) + "?download=1"
    return url_for("calendar.event_ics", event_id=delegate.event_id)


@personal_bp.route("/events/<int(beyond=0):event_id>/delegate/<token>", methods=["GET", "POST"])
@token_page
@_with_delegate
def personal(delegate, event_id: int, token: str):
    event = delegate.delegation.event
    lang = current_language()
    can_edit = selfservice.can_self_edit(delegate)
    form = DetailsForm()
    form.sessions.choices = session_choices(event, lang)
    if request.method == "GET" or not can_edit:
        form.fill(delegate, event.timezone)
    if request.method == "POST":
        if not can_edit:
            flash(closed_message(delegate) or _("Your registration can no longer be changed here."),
                  "error")
            return redirect(request.path)
        valid = form.validate_on_submit()
        try:
            if valid:
                selfservice.update_own_details(delegate, form.values(), form.sessions.data or [])
            elif rules_may_run(form):  # the rules too, so one submit shows every problem
                selfservice.check_own_details(delegate, form.values(), form.sessions.data or [])
        except DomainError as error:
            show_on_form(form, error, form.shown_as())
        else:
            if valid:
                flash(_("Your details were saved."), "success")
                return redirect(request.path)
    viewer = reader_zone()
    return render_template(
        "delegations/personal.html", delegate=delegate, delegation=delegate.delegation, event=event,
        title=localized(event, "title", lang), other_title=event.text("title", "zh" if lang == "en" else "en")[0],
        when=clock(event.starts_at, event.ends_at, event.timezone, viewer, with_date=True),
        where=event.where(lang), unit_name=delegate.delegation.unit.display_name(lang),
        status_label=labels.delegate_status(delegate.status), role_label=labels.role(delegate.role),
        position=queries.waitlist_position(delegate), form=form, can_edit=can_edit,
        closed_message=closed_message(delegate), can_decline=selfservice.can_decline(delegate),
        token=token, ics_url=_ics_url(delegate),
        feed=(feed_links(delegate_feed_url(delegate), delegate.display_name(lang), lang)
              if delegate.is_active else None),  # the event and their sessions, while they are in
        chosen=[s.text("title", lang)[0] for s in delegate.sessions], local_time=local_time,
        labels=labels, country_name=country_name, short_date=short_date,
    )


@personal_bp.post("/events/<int(beyond=0):event_id>/delegate/<token>/decline")
@token_page
@_with_delegate
def decline(delegate, event_id: int, token: str):
    back = url_for("delegate.personal", event_id=event_id, token=token)
    if request.form.get("confirm") != "yes":
        flash(_("Tick the box to confirm that you will not attend."), "error")
        return redirect(back)
    try:
        selfservice.decline(delegate)
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(_("You have declined. Your seat was given back; thank you for telling us."), "success")
    return redirect(back)


@personal_bp.post("/events/<int(beyond=0):event_id>/delegate/<token>/new-link")
@token_page
@_with_delegate
def new_link(delegate, event_id: int, token: str):
    """A delegate who forwarded their link by mistake gets a new one by mail; this one dies."""
    if not delegate.email or not delegate.is_active:
        flash(_("A new link can only be sent while you are registered and have an email address."),
              "error")
        return redirect(url_for("delegate.personal", event_id=event_id, token=token))
    selfservice.rotate_link(delegate)
    return _notice(lambda: (_("A new link is on its way"),
                            _("We sent a new personal link to the email address of your "
                              "registration. The link you used just now no longer works.")))
