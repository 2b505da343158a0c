"""Login, logout, password reset, activation and one's own profile."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from ..core.domain import DomainError, show_on_form
from ..core.gettext import gettext as _
from ..core.security import token_page
from ..core.urls import safe_next
from . import devices, services
from .forms import ChangePasswordForm, ForgotPasswordForm, LoginForm, ProfileForm, SetPasswordForm
from .models import User

bp = Blueprint("accounts", __name__)


def _clear_session() -> None:
    """Nothing of an earlier visitor's session survives but the chosen language."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def start_session(user: User) -> None:
    """The one way in (password login, an emailed link): a brand-new, permanent session."""
    _clear_session()
    login_user(user, remember=False)
    session.permanent = True


def landing_url(user: User) -> str:
    """After logging in without a safe `next`: the role's home. Staff to the event dashboard
    (the organizer's events list), a liaison to their unit's invitations, check-in staff to the
    events they check people in at."""
    homes = {"liaison": "invitations.mine", "checkin": "checkin.events"}
    return url_for(homes.get(user.role, "event_admin.dashboard"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next(request.args.get("next")) or landing_url(current_user))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next")) or ""
    status, error = 200, None
    if form.validate_on_submit():
        device = devices.read(request.cookies.get(devices.COOKIE))
        try:
            user = services.log_in(form.email.data, form.password.data, request.remote_addr, device)
        except services.LoginLocked as locked:
            status, error = 429, locked.message
        except services.LoginFailed as failed:
            error = failed.message
        else:
            start_session(user)
            response = redirect(safe_next(form.next.data) or landing_url(user))
            devices.remember(response, user.id, device)
            return response
    return render_template("accounts/login.html", form=form, error=error), status


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        services.log_out(current_user._get_current_object())
    logout_user()
    _clear_session()
    flash(_("You are logged out."), "success")
    return redirect(url_for("accounts.login"))


@bp.route("/forgot-password", methods=["GET", "POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        flash(_("If an account exists for that address, we have sent it a link to choose a new "
                "password."), "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@token_page
def reset_password(token: str):
    return _token_page(token, "reset")


@bp.route("/activate/<token>", methods=["GET", "POST"])
@token_page
def activate(token: str):
    return _token_page(token, "activate")


def _token_page(token: str, purpose: str):
    """The form behind an emailed link: choose a password, then be logged in."""
    user = services.token_user(token, purpose)
    if user is None:
        return render_template("accounts/link_invalid.html", purpose=purpose), 400
    form = SetPasswordForm()
    form.account_email = user.email
    if form.validate_on_submit():
        try:
            user = services.use_token(token, purpose, form.password.data)
        except services.InvalidToken:
            return render_template("accounts/link_invalid.html", purpose=purpose), 400
        except DomainError as error:
            show_on_form(form, error)
        else:
            start_session(user)
            flash(_("Your account is active. Welcome!") if purpose == "activate"
                  else _("Your password has been changed."), "success")
            # The mailbox's owner proved the account is theirs: this browser is known from now on
            # (a fresh device cookie: the old one, if any, is sent to the login page only).
            response = redirect(landing_url(user))
            devices.remember(response, user.id, None)
            return response
    return render_template("accounts/set_password.html", form=form, purpose=purpose, user=user)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def profile():
    user = current_user._get_current_object()
    form = ProfileForm(obj=user) if request.method == "GET" else ProfileForm()
    if request.method == "GET" and not form.locale.data:
        form.locale.data = user.locale or "en"
    if form.validate_on_submit():
        try:
            services.update_profile(user, name=form.name.data or "", locale=form.locale.data,
                                    timezone=form.timezone.data)
        except DomainError as error:
            show_on_form(form, error)
        else:
            session["lang"] = user.locale
            flash(_("Your profile has been saved."), "success")
            return redirect(url_for("accounts.profile"))
    return _profile_page(form, ChangePasswordForm(formdata=None))


@bp.post("/account/password")
@login_required
def change_password():
    user = current_user._get_current_object()
    form = ChangePasswordForm()
    form.account_email = user.email
    if form.validate_on_submit():
        try:
            services.change_password(user, form.current_password.data, form.password.data)
        except DomainError as error:
            show_on_form(form, error)
        else:
            login_user(user, remember=False)  # this session carries the new token; others end
            session.permanent = True
            flash(_("Your password has been changed. Other sessions have been logged out."), "success")
            return redirect(url_for("accounts.profile"))
    return _profile_page(ProfileForm(obj=user, formdata=None), form)


def _profile_page(profile_form: ProfileForm, password_form: ChangePasswordForm):
    return render_template("accounts/profile.html", form=profile_form, password_form=password_form,
                           timezones=ProfileForm.COMMON_TIMEZONES)
