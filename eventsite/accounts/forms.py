"""Forms of the accounts feature. Lengths match the model columns; names and emails refuse CR/LF/NUL."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, ValidationError

from ..core.gettext import lazy_gettext as _l
from ..core.validators import email_address, email_filter, no_control_chars, strip_filter
from .labels import ROLE_LABELS, STATUS_LABELS
from .models import ROLES
from .services import MAX_PASSWORD_LENGTH, password_problem, valid_timezone

LANGUAGE_CHOICES = [SelectChoice("en", "English"), SelectChoice("zh", "中文")]


def role_choices():
    return [SelectChoice(role, ROLE_LABELS[role]) for role in ROLES]


def _email_field(label):
    return StringField(label, filters=[email_filter], render_kw={"autocomplete": "email", "type": "email"},
                       validators=[DataRequired(), no_control_chars, Length(max=320), email_address])


def _name_field(required: bool = False):
    presence = DataRequired() if required else Optional()
    return StringField(_l("Full name"), filters=[strip_filter],
                       validators=[presence, no_control_chars, Length(max=200)])


def _password_field(label, autocomplete: str, *validators):
    return PasswordField(label, validators=[DataRequired(), *validators],
                         render_kw={"autocomplete": autocomplete})


class NewPasswordMixin:
    """A new password twice, checked against the length rule and the account's email address."""

    password = _password_field(_l("New password"), "new-password", Length(max=MAX_PASSWORD_LENGTH))
    confirm = _password_field(_l("Repeat the new password"), "new-password",
                              EqualTo("password", message=_l("The two passwords do not match.")))
    # The account's address, set by the view, so "password == email" is caught as a field error.
    account_email: str | None = None

    def validate_password(self, field):
        problem = password_problem(field.data, self.account_email)
        if problem is not None:
            raise ValidationError(problem)


class LoginForm(FlaskForm):
    email = StringField(_l("Email address"), filters=[email_filter],
                        validators=[DataRequired(), no_control_chars, Length(max=320)],
                        render_kw={"autocomplete": "username", "type": "email"})
    password = _password_field(_l("Password"), "current-password", Length(max=MAX_PASSWORD_LENGTH))
    next = HiddenField(validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Log in"))


class ForgotPasswordForm(FlaskForm):
    email = _email_field(_l("Email address"))
    submit = SubmitField(_l("Send me a link"))


class SetPasswordForm(NewPasswordMixin, FlaskForm):
    submit = SubmitField(_l("Save the password"))


class ProfileForm(FlaskForm):
    # Offered in the profile's time-zone list; any other valid IANA name may be typed.
    COMMON_TIMEZONES = ("Asia/Shanghai", "Asia/Hong_Kong", "Asia/Taipei", "Asia/Tokyo", "Europe/Brussels",
                        "Europe/Berlin", "Europe/Paris", "Europe/London", "Europe/Madrid", "Europe/Rome",
                        "Europe/Amsterdam", "Europe/Vienna", "Europe/Warsaw", "Europe/Athens", "UTC",
                        "America/New_York")
    name = _name_field()
    locale = SelectField(_l("Interface language"), choices=LANGUAGE_CHOICES)
    timezone = StringField(_l("Time zone"), filters=[strip_filter],
                           validators=[DataRequired(), no_control_chars, Length(max=64)],
                           description=_l("Choose from the list or type any IANA name, e.g. Asia/Shanghai."))
    submit = SubmitField(_l("Save"))

    def validate_timezone(self, field):
        if not valid_timezone(field.data):
            raise ValidationError(_l("Unknown time zone."))


class ChangePasswordForm(NewPasswordMixin, FlaskForm):
    current_password = _password_field(_l("Current password"), "current-password",
                                       Length(max=MAX_PASSWORD_LENGTH))
    submit = SubmitField(_l("Change the password"))


class UserForm(FlaskForm):
    """Create or edit an account (admin). `unit_id` 0 means no unit; choices are set by the view."""

    email = _email_field(_l("Email address"))
    name = _name_field(required=True)
    role = SelectField(_l("Role"), choices=role_choices)
    unit_id = SelectField(_l("Member unit"), coerce=int, choices=[],
                          description=_l("Required for liaisons; leave empty for staff."))
    locale = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    submit = SubmitField(_l("Save"))

    def validate_unit_id(self, field):
        if self.role.data == "liaison" and not field.data:
            raise ValidationError(_l("A liaison must belong to a member unit."))
        if self.role.data != "liaison" and field.data:
            raise ValidationError(_l("Only liaisons belong to a member unit."))


class UserEditForm(UserForm):
    email = None  # the address identifies the account and is not edited here


class UserFilterForm(FlaskForm):
    """The list's filters (GET, so no CSRF token); bad values are simply ignored."""

    class Meta:
        csrf = False

    role = SelectField(_l("Role"), choices=lambda: [SelectChoice("", _l("All roles"))] + role_choices(),
                       validate_choice=False)
    status = SelectField(_l("Status"), validate_choice=False, choices=[SelectChoice("", _l("Any status"))] + [
        SelectChoice(status, label) for status, label in STATUS_LABELS.items()])
    q = StringField(_l("Search"), filters=[strip_filter], validators=[Length(max=200)])
