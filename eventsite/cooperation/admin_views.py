"""Organizers' cooperation pages: the topic list, the profiles with moderation, the project review
queue, and the stands of exposition events with the venue's stand list (staff only)."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..accounts.permissions import staff_required
from ..core.domain import DomainError, rules_may_run, show_on_form
from ..core.gettext import gettext as _
from ..core.i18n import current_language
from ..core.listing import query_arg
from ..core.lookup import get_or_404
from ..events.models import Event
from ..members import labels as member_labels
from ..members.models import MemberUnit
from . import exports, labels, queries, services
from .forms import ReviewForm, StandForm, TopicForm
from .models import EXPOSITION_KIND, PROJECT_STATUSES, Project, Stand, Topic
from .views import profile_page

bp = Blueprint("cooperation_admin", __name__, url_prefix="/organizer")

MIMETYPES = {"csv": "text/csv; charset=utf-8",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@bp.context_processor
def helpers():
    lang = current_language()
    return {"labels": labels, "lang": lang, "member_labels": member_labels,
            "name_of": lambda obj: obj.display_name(lang), "shown": lambda obj, f: obj.shown(f, lang)}


def _actor():
    return current_user._get_current_object()


def _done(action, success: str, target: str):
    try:
        action()
    except DomainError as error:
        show_on_form(None, error)
    else:
        flash(success, "success")
    return redirect(target)


# --- topics ---------------------------------------------------------------------------------

@bp.route("/cooperation/topics", methods=["GET", "POST"])
@bp.route("/cooperation/topics/<int:topic_id>/edit", methods=["GET", "POST"])
@staff_required
def topics(topic_id: int | None = None):
    topic = get_or_404(Topic, topic_id) if topic_id is not None else None
    form = TopicForm()
    if request.method == "GET" and topic is not None:
        form.fill(topic)
    valid = form.validate_on_submit()
    if valid or rules_may_run(form):
        try:
            if valid:
                services.save_topic(topic, form.values(), _actor())
                flash(_("The topic was saved."), "success")
                return redirect(url_for("cooperation_admin.topics"))
            services.check_topic(form.values(), topic)
        except DomainError as error:
            show_on_form(form, error)
    return render_template("cooperation/topics.html", form=form, topic=topic, topics=queries.topics(),
                           usage=queries.topic_usage())


@bp.post("/cooperation/topics/<int:topic_id>/move/<any(up, down):direction>")
@staff_required
def move_topic(topic_id: int, direction: str):
    topic = get_or_404(Topic, topic_id)
    return _done(lambda: services.move_topic(topic, -1 if direction == "up" else 1, _actor()),
                 _("The topic was moved."), url_for("cooperation_admin.topics"))


@bp.post("/cooperation/topics/<int:topic_id>/delete")
@staff_required
def delete_topic(topic_id: int):
    topic = get_or_404(Topic, topic_id)
    deleted = services.delete_topic(topic, _actor())
    flash(_("The topic was deleted.") if deleted else
          _("The topic is in use, so it was deactivated: units no longer see it."), "success")
    return redirect(url_for("cooperation_admin.topics"))


# --- profiles -------------------------------------------------------------------------------

@bp.get("/cooperation/profiles")
@staff_required
def profiles():
    text = query_arg("q", 200)
    return render_template("cooperation/profiles.html", cards=queries.profiles_overview(current_language(), text),
                           q=text)


@bp.route("/cooperation/profiles/<int:unit_id>", methods=["GET", "POST"])
@staff_required
def edit_profile(unit_id: int):
    back = url_for("cooperation_admin.profiles")
    return profile_page(get_or_404(MemberUnit, unit_id), moderating=True, done=back, cancel=back)


# --- projects -------------------------------------------------------------------------------

@bp.get("/cooperation/projects")
@staff_required
def projects():
    status = query_arg("status", 16)
    status = status if status in PROJECT_STATUSES else ""
    return render_template("cooperation/review_queue.html", queue=queries.review_queue(),
                           projects=queries.all_projects(status), status=status, statuses=PROJECT_STATUSES)


@bp.route("/cooperation/projects/<int:project_id>", methods=["GET", "POST"])
@staff_required
def review(project_id: int):
    project = get_or_404(Project, project_id)
    form = ReviewForm()
    if form.validate_on_submit():
        decision = "approved" if form.approve.data else "rejected" if form.reject.data else ""
        try:
            mailed = services.review_project(project, decision, form.note.data or "", _actor())
        except DomainError as error:
            show_on_form(form, error)
        else:
            flash(_("The project was published.") if decision == "approved" else
                  _("The project was returned to the unit."), "success")
            if not mailed:
                flash(_("The unit has no liaison account: nobody was told by email."), "warning")
            return redirect(url_for("cooperation_admin.projects"))
    return render_template("cooperation/review.html", project=project, form=form)


# --- stands ---------------------------------------------------------------------------------

def _exposition(event_id: int) -> Event:
    event = get_or_404(Event, event_id)
    if event.kind != EXPOSITION_KIND:
        abort(404)
    return event


@bp.route("/events/<int:event_id>/stands", methods=["GET", "POST"])
@bp.route("/events/<int:event_id>/stands/<int:stand_id>/edit", methods=["GET", "POST"])
@staff_required
def stands(event_id: int, stand_id: int | None = None):
    event = _exposition(event_id)
    stand = get_or_404(Stand, stand_id, event_id=event.id) if stand_id is not None else None
    form = StandForm()
    form.fill_choices()
    if request.method == "GET" and stand is not None:
        form.fill(stand)
    valid = form.validate_on_submit()
    if valid or rules_may_run(form):
        try:
            if valid:
                services.save_stand(event, stand, form.values(), _actor())
                flash(_("The stand was saved."), "success")
                return redirect(url_for("cooperation_admin.stands", event_id=event.id))
            services.check_stand(event, form.values(), stand)
        except DomainError as error:
            show_on_form(form, error)
    return render_template("cooperation/stands.html", event=event, title=event.shown("title", current_language()),
                           form=form, stand=stand, stands=queries.stands(event.id))


@bp.post("/events/<int:event_id>/stands/<int:stand_id>/delete")
@staff_required
def delete_stand(event_id: int, stand_id: int):
    event = _exposition(event_id)
    stand = get_or_404(Stand, stand_id, event_id=event.id)
    return _done(lambda: services.delete_stand(stand, _actor()), _("The stand was removed."),
                 url_for("cooperation_admin.stands", event_id=event.id))


@bp.get("/events/<int:event_id>/stands.<any(xlsx, csv):fmt>")
@staff_required
def stand_list(event_id: int, fmt: str):
    event = _exposition(event_id)
    data = exports.stand_list(event.title_en or event.title_zh, queries.stands(event.id), fmt)
    response = Response(data, mimetype=MIMETYPES[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="stands-{event.id}.{fmt}"'
    response.headers["Cache-Control"] = "no-store"
    return response
