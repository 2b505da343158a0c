"""A delegate's personal page, reached by the link in their mail: no account needed.

The token in the URL is the only key: an unknown, malformed or other-event token gets the same
404 page (in both languages, since we do not know the reader), revealing nothing. Every answer is
`no-store` and sends no Referer (core.security.token_page), so the link stays out of caches and
other sites' logs. The rules (what may change, seats, notices, audit) are in
delegations/selfservice.py.
"""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from ..core.domain import DomainError, show_on_form
from ..core.i18n import current_language, localized, reader_zone
from ..core.security import token_page
from ..core.timefmt import clock, local_time
from ..extensions import now_utc
from . import labels, overview, selfservice
from .forms import DetailsForm, session_choices
from .models import Delegate

bp = Blueprint("delegate", __name__)


def _not_found():
    """The same answer for every token that does not open a page, in both languages."""
    texts = {}
    for lang in ("en", "zh"):
        with force_locale(lang):
            texts[lang] = (_("This link does not work"),
                           _("The link is not valid, or it was replaced by a newer one. Use the "
                             "link in the latest message you received, or ask your delegation's "
                             "liaison or the secretariat."))
    return render_template("delegations/personal_notice.html", texts=texts), 404


def _find(event_id: int, token: str) -> Delegate | None:
    return selfservice.find_delegate(event_id, token)


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


@bp.route("/events/<int(beyond=0):event_id>/delegate/<token>", methods=["GET", "POST"])
@token_page
def personal(event_id: int, token: str):
    delegate = _find(event_id, token)
    if delegate is None:
        return _not_found()
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
        if form.validate_on_submit():
            try:
                selfservice.update_own_details(delegate, form.values(), form.sessions.data or [])
            except DomainError as error:
                show_on_form(form, error, form.shown_as())
            else:
                flash(_("Your details were saved."), "success")
                return redirect(request.path)
    viewer = reader_zone()
    return render_template(
        "delegations/personal.html", delegate=delegate, delegation=delegate.delegation, event=event,
        title=localized(event, "title", lang), other_title=event.text("title", "zh" if lang == "en" else "en")[0],
        when=clock(event.starts_at, event.ends_at, event.timezone, viewer, with_date=True),
        place=event.place(lang), unit_name=delegate.delegation.unit.display_name(lang),
        status_label=labels.delegate_status(delegate.status), role_label=labels.role(delegate.role),
        position=overview.waitlist_position(delegate), form=form, can_edit=can_edit,
        closed_message=closed_message(delegate), can_decline=selfservice.can_decline(delegate),
        token=token,
        ics_url=_ics_url(event), feed=_feed(delegate), chosen=[s.text("title", lang)[0] for s in delegate.sessions],
        local_time=local_time, labels=labels,
    )


@bp.post("/events/<int(beyond=0):event_id>/delegate/<token>/decline")
@token_page
def decline(event_id: int, token: str):
    delegate = _find(event_id, token)
    if delegate is None:
        return _not_found()
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


@bp.post("/events/<int(beyond=0):event_id>/delegate/<token>/new-link")
@token_page
def new_link(event_id: int, token: str):
    """A delegate who forwarded their link by mistake gets a new one by mail; this one dies."""
    delegate = _find(event_id, token)
    if delegate is None:
        return _not_found()
    if not delegate.email or not delegate.is_active:
        flash(_("A new link can only be sent while you are registered and have an email address."),
              "error")
        return redirect(url_for("delegate.personal", event_id=event_id, token=token))
    selfservice.rotate_link(delegate)
    texts = {}
    for lang in ("en", "zh"):
        with force_locale(lang):
            texts[lang] = (_("A new link is on its way"),
                           _("We sent a new personal link to the email address of your "
                             "registration. The link you used just now no longer works."))
    return render_template("delegations/personal_notice.html", texts=texts)


def _ics_url(event) -> str:
    return url_for("calendar.event_ics", event_id=event.id)


def _feed(delegate: Delegate):
    """The delegate's own feed (the event and the sessions they attend), while they are in."""
    from ..calendar.links import delegate_feed_url, feed_links

    if not delegate.is_active:
        return None
    return feed_links(delegate_feed_url(delegate), delegate.display_name(current_language()))
