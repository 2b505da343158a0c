"""Cooperation pages of liaisons (their own unit's profile and projects: the unit comes from the
login, never the URL) and of the public (the project catalogue, a project, an exposition's
exhibitors)."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..accounts.permissions import role_required
from ..core.domain import DomainError, rules_may_run, show_on_form
from ..core.gettext import gettext as _
from ..core.i18n import current_language
from ..core.listing import paginate, query_arg
from ..core.lookup import get_or_404
from ..core.numbers import whole_number
from ..events.models import Event
from ..events.queries import public_event_or_404
from ..extensions import db
from ..members import labels as member_labels
from ..members.models import MemberUnit
from . import brochures as brochures_rule
from . import labels, queries, services
from .forms import BrochureForm, ProfileForm, ProjectForm
from .models import EXPOSITION_KIND, Project, ProjectAttachment

bp = Blueprint("cooperation", __name__)


@bp.context_processor
def helpers():
    lang = current_language()
    return {"labels": labels, "lang": lang, "member_labels": member_labels,
            "name_of": lambda obj: obj.display_name(lang), "shown": lambda obj, f: obj.shown(f, lang)}


@bp.app_template_global()
def has_exhibitors(event_id: int) -> bool:
    """For the event pages: whether the event is an exposition (it has stands and exhibitors)."""
    event = db.session.get(Event, event_id)
    return event is not None and event.kind == EXPOSITION_KIND


def _unit() -> MemberUnit:
    if current_user.unit_id is None:
        abort(403)
    return get_or_404(MemberUnit, current_user.unit_id)


def _actor():
    return current_user._get_current_object()


def _own_project(project_id: int) -> Project:
    return get_or_404(Project, project_id, unit_id=_unit().id)


# --- liaisons -------------------------------------------------------------------------------

@bp.route("/cooperation/profile", methods=["GET", "POST"])
@role_required("liaison")
def profile():
    return profile_page(_unit(), moderating=False, done=url_for("cooperation.profile"),
                        cancel=url_for("cooperation.projects"))


def profile_page(unit: MemberUnit, *, moderating: bool, done: str, cancel: str):
    """A unit's profile form, for its liaison and for an organizer moderating it (admin_views)."""
    saved = services.profile_of(unit.id)
    chosen = services.topics_chosen(saved)
    form = ProfileForm()
    form.fill_choices(chosen["offers"] | chosen["seeks"])
    if request.method == "GET":
        form.fill(saved, chosen)
    valid = form.validate_on_submit()
    if valid or rules_may_run(form):
        try:
            if valid:
                services.save_profile(unit, form.values(), _actor())
                flash(_("The cooperation profile was saved."), "success")
                return redirect(done)
            services.check_profile(unit, form.values())
        except DomainError as error:
            show_on_form(form, error)
    return render_template("cooperation/profile_form.html", unit=unit, form=form, moderating=moderating,
                           cancel=cancel)


@bp.get("/cooperation/projects")
@role_required("liaison")
def projects():
    unit = _unit()
    return render_template("cooperation/my_projects.html", unit=unit, projects=queries.unit_projects(unit.id))


@bp.route("/cooperation/projects/new", methods=["GET", "POST"])
@bp.route("/cooperation/projects/<int:project_id>/edit", methods=["GET", "POST"])
@role_required("liaison")
def edit_project(project_id: int | None = None):
    unit = _unit()
    project = _own_project(project_id) if project_id is not None else None
    form = ProjectForm()
    form.fill_choices({t.id for t in project.topics} if project else set())
    if request.method == "GET":
        if project is not None:
            form.fill(project)
        else:
            form.country.data, form.province.data = unit.country, unit.province if unit.country == "CN" else ""
    valid = form.validate_on_submit()
    if valid or rules_may_run(form):
        try:
            if valid:
                was = project.status if project else None
                saved = services.save_project(unit, project, form.values(), _actor())
                flash(_("The project was saved. It goes back to the secretariat for review.")
                      if was == "approved" and saved.status == "submitted" else _("The project was saved."),
                      "success")
                return redirect(url_for("cooperation.projects"))
            services.check_project(form.values(), project)
        except DomainError as error:
            show_on_form(form, error)
    return render_template("cooperation/project_form.html", unit=unit, project=project, form=form)


def _act(action, success: str):
    try:
        action()
    except DomainError as error:
        show_on_form(None, error)
    else:
        flash(success, "success")
    return redirect(url_for("cooperation.projects"))


@bp.post("/cooperation/projects/<int:project_id>/submit")
@role_required("liaison")
def submit_project(project_id: int):
    project = _own_project(project_id)
    return _act(lambda: services.submit_project(project, _actor()),
                _("The project was sent to the secretariat for review."))


@bp.post("/cooperation/projects/<int:project_id>/withdraw")
@role_required("liaison")
def withdraw_project(project_id: int):
    project = _own_project(project_id)
    return _act(lambda: services.withdraw_project(project, _actor()), _("The project was withdrawn."))


@bp.route("/cooperation/projects/<int:project_id>/brochures", methods=["GET", "POST"])
@role_required("liaison")
def brochures(project_id: int):
    project = _own_project(project_id)
    form = BrochureForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            data = upload.read(brochures_rule.MAX_BYTES + 1) if upload else b""
            services.add_brochure(project, getattr(upload, "filename", "") or "", data, _actor())
        except DomainError as error:
            show_on_form(form, error)
        else:
            flash(_("The brochure was added."), "success")
            return redirect(url_for("cooperation.brochures", project_id=project.id))
    return render_template("cooperation/brochures.html", project=project, form=form)


@bp.post("/cooperation/projects/<int:project_id>/brochures/<int:attachment_id>/delete")
@role_required("liaison")
def delete_brochure(project_id: int, attachment_id: int):
    project = _own_project(project_id)
    attachment = get_or_404(ProjectAttachment, attachment_id, project_id=project.id)
    services.delete_brochure(attachment, _actor())
    flash(_("The brochure was removed."), "success")
    return redirect(url_for("cooperation.brochures", project_id=project.id))


# --- the public -----------------------------------------------------------------------------

def _filters() -> queries.CatalogueFilters:
    sector = query_arg("sector", 32)
    country = query_arg("country", 2).upper()
    province = query_arg("province", 8).upper()
    topic = query_arg("topic", 9)
    return queries.CatalogueFilters(
        sector=sector if sector in labels.SECTOR_LABELS else "",
        country=country if country in member_labels.country_codes() else "",
        province=province if province in member_labels.PROVINCE_CODES else "",
        topic=whole_number(topic, 1), text=query_arg("q", 200))


@bp.get("/projects")
def catalogue():
    lang = current_language()
    filters = _filters()
    page = paginate(queries.catalogue_query(filters, lang), queries.PER_PAGE)
    return render_template("cooperation/catalogue.html", page=page, filters=filters,
                           topics=queries.topic_choices(lang), sectors=list(labels.SECTOR_LABELS.items()),
                           countries=member_labels.country_choices(lang),
                           provinces=member_labels.province_choices(lang))


def _public_project(project_id: int) -> Project:
    project = get_or_404(Project, project_id)
    if not project.is_public:
        abort(404)
    return project


@bp.get("/projects/<int:project_id>")
def project_page(project_id: int):
    return render_template("cooperation/project.html", project=_public_project(project_id))


@bp.get("/projects/<int:project_id>/brochures/<int:attachment_id>")
def brochure(project_id: int, attachment_id: int):
    """A brochure of a published project (the liaison of its unit and organizers: any project)."""
    project = get_or_404(Project, project_id)
    mine = current_user.is_authenticated and (current_user.is_staff or current_user.unit_id == project.unit_id)
    if not (project.is_public or mine):
        abort(404)
    attachment = get_or_404(ProjectAttachment, attachment_id, project_id=project.id)
    response = Response(attachment.data, mimetype=attachment.content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="brochure-{attachment.id}.' \
                                              f'{attachment.content_type.rsplit("/", 1)[-1].replace("jpeg", "jpg")}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/events/<int:event_id>/exhibitors")
def exhibitors(event_id: int):
    event: Event = public_event_or_404(event_id)
    if event.kind != EXPOSITION_KIND:
        abort(404)
    lang = current_language()
    return render_template("cooperation/exhibitors.html", event=event, title=event.shown("title", lang),
                           exhibitors=queries.exhibitors(event.id, lang))
