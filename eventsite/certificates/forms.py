"""Forms of the organizer's certificate page: buttons only (the rules are the services')."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SubmitField

from ..core.gettext import lazy_gettext as _l


class IssueForm(FlaskForm):
    submit = SubmitField(_l("Issue certificates to everyone checked in"))


class RevokeForm(FlaskForm):
    submit = SubmitField(_l("Revoke"))
