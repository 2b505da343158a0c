"""Forms of the letter pages: the liaison's request, the organizer's decisions and the event's
letter settings. Types and formats only; the rules are the services'."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectChoice, SelectMultipleField, SubmitField, TextAreaField
from wtforms.validators import Length

from ..core.gettext import lazy_gettext as _l
from ..core.validators import newlines_filter, no_nul
from .labels import MODE_LABELS

MAX_NOTE = 500
MAX_BODY = 5000


class RequestForm(FlaskForm):
    # Choices: the members who can be chosen (the view sets them).
    people = SelectMultipleField(_l("Members"), coerce=int, validate_choice=False)
    purpose = TextAreaField(_l("Purpose of the visit (optional)"), filters=[newlines_filter],
                            validators=[Length(max=MAX_NOTE), no_nul])
    submit = SubmitField(_l("Request invitation letters"))


class DecideForm(FlaskForm):
    requests = SelectMultipleField(_l("Requests"), coerce=int, validate_choice=False)
    reason = TextAreaField(_l("Reason (when declining)"), filters=[newlines_filter],
                           validators=[Length(max=MAX_NOTE), no_nul])
    issue = SubmitField(_l("Issue letters for the selected"))
    decline = SubmitField(_l("Decline the selected"))


class RevokeForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), filters=[newlines_filter], validators=[Length(max=MAX_NOTE), no_nul])
    submit = SubmitField(_l("Revoke"))


class ReissueForm(FlaskForm):
    submit = SubmitField(_l("Re-issue"))


class SettingsForm(FlaskForm):
    mode = RadioField(_l("Letters"), choices=[SelectChoice(code, label) for code, label in MODE_LABELS.items()],
                      default="delegation")
    issue_on_confirmation = BooleanField(_l("Issue at once, without review, the letters requested for confirmed members"))
    body_en = TextAreaField(_l("Letter text in English"), filters=[newlines_filter],
                            validators=[Length(max=MAX_BODY), no_nul])
    body_zh = TextAreaField(_l("Letter text in Chinese"), filters=[newlines_filter],
                            validators=[Length(max=MAX_BODY), no_nul])
    preview = SubmitField(_l("Preview"))
    preview_pdf = SubmitField(_l("Preview the PDF"))
    save = SubmitField(_l("Save"))
