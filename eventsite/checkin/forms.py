"""The organizers' door forms: undo a check-in, a walk-in, a substitute, check-in staff. Types and
formats only; the rules are door.py's."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, Optional

from ..core.fields import line_field, options, text_field
from ..core.gettext import lazy_gettext as _l
from ..core.validators import email_address, email_filter
from ..delegations.labels import ROLE_LABELS
from .door import REASON_MAX

LANGUAGES = [("zh", "中文"), ("en", "English")]


class UndoForm(FlaskForm):
    reason = text_field(_l("Reason for undoing the check-in"), REASON_MAX)
    submit = SubmitField(_l("Undo the check-in"))


class _PersonForm(FlaskForm):
    family_name = line_field(_l("Family name (Latin letters)"), 100)
    given_name = line_field(_l("Given name (Latin letters)"), 100)
    name_zh = line_field(_l("Name in Chinese characters"), 100, render_kw={"lang": "zh"})
    role = SelectField(_l("Role"), default="member")
    email = StringField(_l("Email"), filters=[email_filter], validators=[Optional(), email_address, Length(max=320)],
                        render_kw={"type": "email"})
    language = SelectField(_l("Language for emails"), default="zh", choices=options(LANGUAGES))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = options(ROLE_LABELS.items())

    def values(self) -> dict:
        return {name: self[name].data or "" for name in
                ("family_name", "given_name", "name_zh", "role", "email", "language")}

    def shown_as(self) -> dict:
        """The service's names of the person's fields (rows of delegations' rules) -> fields."""
        fields = {name: self[name] for name in self.values()}
        return fields | {f"people-0-{name}": field for name, field in fields.items()}


class WalkInForm(_PersonForm):
    unit_id = SelectField(_l("Member unit"), coerce=int, choices=[], validators=[InputRequired()])
    override = BooleanField(_l("Override: admit beyond the unit's quota or the event's capacity"))
    reason = text_field(_l("Reason for the override"), REASON_MAX)
    submit = SubmitField(_l("Register and check in"))

    def shown_as(self) -> dict:
        return super().shown_as() | {"override": self.override, "reason": self.reason}


class SubstituteForm(_PersonForm):
    submit = SubmitField(_l("Replace and check in"))


class AssignForm(FlaskForm):
    user_id = SelectField(_l("Check-in account"), coerce=int, choices=[], validators=[InputRequired()])
    submit = SubmitField(_l("Assign"))


class NewStaffForm(FlaskForm):
    email = StringField(_l("Email address"), filters=[email_filter],
                        validators=[InputRequired(), email_address, Length(max=320)], render_kw={"type": "email"})
    name = line_field(_l("Name"), 200)
    language = SelectField(_l("Language"), default="zh", choices=options(LANGUAGES))
    submit = SubmitField(_l("Create and assign"))


class ConfirmForm(FlaskForm):
    """A button's post: the CSRF token only."""
