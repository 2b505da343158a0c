"""The admin's pages for user accounts: list, create, edit, deactivate, reactivate."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from ..core.domain import DomainError, show_on_form
from ..core.gettext import gettext as _
from ..core.i18n import current_language
from ..core.listing import paginate
from ..core.lookup import get_or_404
from . import labels, queries, services
from .forms import UserEditForm, UserFilterForm, UserForm
from .models import User
from .permissions import admin_required

bp = Blueprint("users", __name__, url_prefix="/admin/users")

@bp.before_request
@admin_required
def require_admin():
    return None


@bp.get("/")
def index():
    filters = UserFilterForm(request.args)
    filters.validate()
    page = paginate(queries.user_query(filters.role.data, filters.status.data, filters.q.data), 50)
    rows = [(user, queries.status_of(user)) for user in page.items]
    return render_template("users/index.html", filters=filters, page=page, rows=rows, lang=current_language(),
                           me=current_user.id, labels=labels)


@bp.route("/new", methods=["GET", "POST"])
def create():
    form = UserForm()
    _set_unit_choices(form)
    if request.method == "GET":
        form.locale.data = "zh" if current_language() == "zh" else "en"
    if form.validate_on_submit():
        try:
            user = services.create_user(email=form.email.data, **_values(form))
        except DomainError as error:
            show_on_form(form, error)
        else:
            flash(_("Account created; an activation link was sent to %(email)s.", email=user.email), "success")
            return redirect(url_for("users.index"))
    return render_template("users/form.html", form=form, user=None)


@bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
def edit(user_id: int):
    user = get_or_404(User, user_id)
    form = UserEditForm(obj=user) if request.method == "GET" else UserEditForm()
    _set_unit_choices(form, keep_unit_id=user.unit_id)
    if request.method == "GET":
        form.unit_id.data = user.unit_id or 0
        form.locale.data = user.locale or "en"
    if form.validate_on_submit():
        try:
            changes = services.update_user(user, **_values(form))
        except DomainError as error:
            show_on_form(form, error)
        else:
            if changes:
                flash(_("The account has been saved."), "success")
            return redirect(url_for("users.index"))
    return render_template("users/form.html", form=form, user=user)


@bp.post("/<int:user_id>/deactivate")
def deactivate(user_id: int):
    user = get_or_404(User, user_id)
    return _act(lambda: services.deactivate_user(user, current_user._get_current_object()),
                _("%(email)s has been deactivated; their sessions have ended.", email=user.email))


@bp.post("/<int:user_id>/reactivate")
def reactivate(user_id: int):
    user = get_or_404(User, user_id)
    return _act(lambda: services.reactivate_user(user),
                _("%(email)s has been reactivated.", email=user.email))


@bp.post("/<int:user_id>/resend-activation")
def resend_activation(user_id: int):
    user = get_or_404(User, user_id)
    return _act(lambda: services.resend_activation(user),
                _("A new activation link was sent to %(email)s.", email=user.email))


def _values(form: UserForm) -> dict:
    return {"name": form.name.data, "role": form.role.data, "unit_id": form.unit_id.data or None,
            "locale": form.locale.data}


def _act(use_case, success_message: str):
    """Run a one-button use case and go back to the list with its outcome."""
    try:
        use_case()
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        flash(success_message, "success")
    return redirect(url_for("users.index"))


def _set_unit_choices(form: UserForm, keep_unit_id: int | None = None) -> None:
    lang = current_language()
    form.unit_id.choices = [SelectChoice(0, "—")] + [SelectChoice(unit.id, unit.display_name(lang))
                                                     for unit in queries.unit_choices(keep_unit_id, lang)]
