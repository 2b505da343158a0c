"""Forms of the invitation page and the liaison's list: decline with a reason, set up an account."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, StopValidation

from ..core.validators import email_address, email_filter, no_control_chars, strip_filter
from .answers import MAX_REASON_LENGTH


def _no_nul(form, field) -> None:
    # Line breaks are welcome in a reason; NUL is not (PostgreSQL refuses it in text).
    if isinstance(field.data, str) and "\x00" in field.data:
        raise StopValidation(_l("Line breaks and control characters are not allowed here."))


class AcceptForm(FlaskForm):
    """Only the CSRF token: the URL says which invitation."""

    submit = SubmitField(_l("Accept the invitation"))


class DeclineForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason (optional, but it helps the secretariat)"),
        filters=[strip_filter],
        validators=[Optional(), _no_nul, Length(max=MAX_REASON_LENGTH)],
        render_kw={"rows": 3, "maxlength": MAX_REASON_LENGTH},
    )
    submit = SubmitField(_l("Decline the invitation"))


class SetupAccountForm(FlaskForm):
    """The unit's first liaison account, asked for from the invitation link. No password here:
    it is chosen behind the link mailed to the address, which so proves to be the person's."""

    name = StringField(_l("Your name"), filters=[strip_filter],
                       validators=[DataRequired(), no_control_chars, Length(max=200)],
                       render_kw={"autocomplete": "name"})
    email = StringField(_l("Email address"), filters=[email_filter],
                        validators=[DataRequired(), no_control_chars, Length(max=320), email_address],
                        render_kw={"autocomplete": "email", "type": "email"})
    submit = SubmitField(_l("Create my account and accept"))
