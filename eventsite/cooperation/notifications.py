"""The emails of cooperation, written to the outbox in each recipient's language (callers commit):
the unit's liaisons hear the secretariat's decision on a project."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import force_locale

from ..accounts.models import User
from ..core.gettext import lazy_gettext as _l
from ..core.urls import external_url
from ..extensions import db
from ..mail.services import enqueue_template, register_kind

PROJECT_REVIEWED = register_kind("project_reviewed", _l("Cooperation: project reviewed"))

SUBJECTS = {"approved": _l("Your project is published: %(title)s"),
            "rejected": _l("Your project was returned: %(title)s")}
INTROS = {"approved": _l("The secretariat has approved your project. It is now in the public catalogue."),
          "rejected": _l("The secretariat has returned your project. Change it as the note says and "
                         "submit it again.")}


def project_reviewed(project, decision: str) -> int:
    """Mail each active liaison of the project's unit; returns how many were written."""
    liaisons = db.session.scalars(sa.select(User).where(
        User.unit_id == project.unit_id, User.role == "liaison", User.is_active_flag.is_(True))
        .order_by(User.id)).all()
    for user in liaisons:
        language = user.locale if user.locale in ("en", "zh") else "zh"
        with force_locale(language):
            title = project.shown("title", language)
            enqueue_template(
                kind=PROJECT_REVIEWED, template="project_reviewed", to_addr=user.email, to_name=user.name,
                language=language, subject=str(SUBJECTS[decision]) % {"title": title},
                context={"name": user.name, "title": title, "intro": str(INTROS[decision]),
                         "note": project.review_note,
                         "link": external_url("cooperation.projects")},
                refs={"project": project.id, "notice": f"project.{decision}"}, unit_id=project.unit_id)
    return len(liaisons)
