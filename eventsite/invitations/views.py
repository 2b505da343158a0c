"""The invitation page reached from the emailed link (who may answer: services/answers.py), and a
liaison's own invitations."""
from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from ..accounts.permissions import role_required
from ..core.domain import DomainError, show_on_form
from ..core.gettext import gettext as _
from ..core.i18n import current_language, reader_zone
from ..core.listing import paginate
from ..core.lookup import get_or_404
from ..core.pagecache import cached_page
from ..core.security import token_page
from ..extensions import now_utc
from .forms import AcceptForm, DeclineForm, SetupAccountForm
from .models import Invitation
from .queries import invitation_view, unit_invitations_query, unit_views
from .rules import INACTIVE_UNIT, unit_is_active
from .services import answers

bp = Blueprint("invitations", __name__)

PER_PAGE = 20
PROBLEM_STATUS = {"invalid": 404, "mismatch": 404, "inactive": 403, "revoked": 410, "closed": 410}


def _visitor(invitation: Invitation) -> str:
    """"liaison" (answers for the unit), "anonymous" (holds the link), "other" (read-only)."""
    if answers.is_unit_liaison(current_user, invitation):
        return "liaison"
    return "other" if current_user.is_authenticated else "anonymous"


def _page(link, token: str, *, decline_form=None, setup_form=None):
    invitation = link.invitation
    now = now_utc()
    visitor = _visitor(invitation)
    view = invitation_view(invitation, answers.delegation_status(invitation), current_language(),
                           reader_zone(), now)
    offer_setup = visitor == "anonymous" and answers.may_set_up_account(invitation, now)
    if offer_setup and setup_form is None:
        setup_form = SetupAccountForm(formdata=None)
        setup_form.email.data = link.email
        setup_form.name.data = (link.contact.name_latin or link.contact.name_zh) if link.contact else ""
    urls = {name: url_for(f"invitations.{name}", event_id=invitation.event_id, token=token)
            for name in ("show", "accept", "decline", "setup_account")}
    return render_template("invitations/show.html", invitation=view, visitor=visitor, urls=urls,
                           decline_form=decline_form or DeclineForm(formdata=None),
                           setup_form=setup_form if offer_setup else None,
                           login_url=url_for("accounts.login", next=urls["show"]))


def _accept(invitation: Invitation, back: str, link=None):
    """Accept (the unit's liaison); on to the registration page, else back with the reason."""
    if AcceptForm().validate_on_submit():
        try:
            answers.accept(invitation, current_user._get_current_object(), link=link)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_("Thank you: your unit accepts the invitation. Please register your delegation."),
                  "success")
            return redirect(url_for("delegations.register", event_id=invitation.event_id))
    return redirect(back)


def _decline(invitation: Invitation, form, *, user=None, link=None) -> None:
    try:
        answers.decline(invitation, form.reason.data or "", user=user, link=link)
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(_("Your unit has declined the invitation. Thank you for letting us know."), "success")


def _with_link(view):
    """Resolve the URL's link first: a link that cannot be used gets the page that says why."""
    @wraps(view)
    def wrapper(event_id: int, token: str):
        resolved = answers.resolve_link(event_id, token, now_utc())
        if not resolved.problem:
            return view(resolved.link, event_id, token)
        # Only the event's secretariat contact is shown, and only for a link of this very event.
        event = resolved.link.invitation.event if resolved.link is not None else None
        return (render_template("invitations/link_problem.html", problem=resolved.problem, event=event),
                PROBLEM_STATUS[resolved.problem])
    return wrapper


@bp.get("/events/<int(beyond=0):event_id>/invitation/<token>")
@token_page
@_with_link
def show(link, event_id: int, token: str):
    answers.touch(link)
    return _page(link, token)


@bp.post("/events/<int(beyond=0):event_id>/invitation/<token>/accept")
@token_page
@_with_link
def accept(link, event_id: int, token: str):
    invitation = link.invitation
    show_url = url_for("invitations.show", event_id=event_id, token=token)
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login", next=show_url))
    if _visitor(invitation) != "liaison":
        abort(403)
    return _accept(invitation, show_url, link=link)


@bp.post("/events/<int(beyond=0):event_id>/invitation/<token>/decline")
@token_page
@_with_link
def decline(link, event_id: int, token: str):
    visitor = _visitor(link.invitation)
    if visitor == "other":
        abort(403)
    form = DeclineForm()
    if not form.validate_on_submit():
        return _page(link, token, decline_form=form)
    user = current_user._get_current_object() if visitor == "liaison" else None
    _decline(link.invitation, form, user=user, link=link)
    return redirect(url_for("invitations.show", event_id=event_id, token=token))


@bp.post("/events/<int(beyond=0):event_id>/invitation/<token>/account")
@token_page
@_with_link
def setup_account(link, event_id: int, token: str):
    if current_user.is_authenticated:
        abort(403)  # an account exists already; it never gets a second one through a link
    show_url = url_for("invitations.show", event_id=event_id, token=token)
    if not answers.may_set_up_account(link.invitation):  # the page does not offer the form
        flash(answers.setup_refusal(link.invitation), "error")
        return redirect(show_url)
    form = SetupAccountForm()
    if not form.validate_on_submit():
        return _page(link, token, setup_form=form)
    try:
        user = answers.setup_liaison_account(
            link, name=form.name.data, email=form.email.data, locale=current_language(),
            timezone=reader_zone())
    except DomainError as error:
        if error.field is None:  # the link may no longer set up an account
            flash(error.message, "error")
            return redirect(show_url)
        show_on_form(form, error)
        return _page(link, token, setup_form=form)
    flash(_("Your unit accepts the invitation. We have sent a link to %(email)s: open it to "
            "confirm the address and choose your password, then register your delegation.",
            email=user.email), "success")
    return redirect(show_url)


@bp.get("/my/invitations")
@role_required("liaison")
@cached_page("events", "members", "unit:{user.unit_id}", "user:{user.id}", personal=True)
def mine():
    page = paginate(unit_invitations_query(current_user.unit_id), PER_PAGE)
    rows = unit_views(list(page.items), current_user.unit_id, current_language(), reader_zone(), now_utc())
    return render_template("invitations/mine.html", page=page, rows=rows,
                           decline_form=DeclineForm(formdata=None),
                           inactive=None if rows or unit_is_active(current_user.unit_id) else INACTIVE_UNIT)


def _own_invitation(invitation_id: int) -> Invitation:
    """Another unit's invitation looks like a missing one."""
    return get_or_404(Invitation, invitation_id, unit_id=current_user.unit_id)


@bp.post("/my/invitations/<int:invitation_id>/accept")
@role_required("liaison")
def accept_mine(invitation_id: int):
    return _accept(_own_invitation(invitation_id), url_for("invitations.mine"))


@bp.post("/my/invitations/<int:invitation_id>/decline")
@role_required("liaison")
def decline_mine(invitation_id: int):
    invitation = _own_invitation(invitation_id)
    form = DeclineForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(message, "error")
        return redirect(url_for("invitations.mine"))
    _decline(invitation, form, user=current_user._get_current_object())
    return redirect(url_for("invitations.mine"))
