"""Forms of the invitation pages: the organizers' (the directory's audience fields,
members.forms.AudienceForm, and the mail's message fields, mail.forms.MessageForm; per-unit quotas
are read by the view from `quota-<unit id>` inputs) and the unit's answers."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..core.gettext import lazy_gettext as _l
from ..core.validators import email_address, email_filter, no_control_chars, no_nul, strip_filter
from ..mail.forms import KeyedForm, MessageForm
from ..members.forms import AudienceForm
from .services.answers import MAX_REASON_LENGTH
from .services.issuing import MAX_QUOTA


class IssueForm(AudienceForm, MessageForm):
    everyone = BooleanField(_l("All active member units"))

    # The unit whose mail the preview shows (any planned unit; the first one otherwise).
    preview_unit = IntegerField(_l("Show the mail of"), validators=[Optional()])

    preview = SubmitField(_l("Preview"))
    issue = SubmitField(_l("Issue the invitations"))


class QuotaForm(FlaskForm):
    quota = IntegerField(_l("Quota"), validators=[NumberRange(min=1, max=MAX_QUOTA)])
    submit = SubmitField(_l("Save"))


class RemindForm(KeyedForm):
    send = SubmitField(_l("Send the reminders"))


class AcceptForm(FlaskForm):
    submit = SubmitField(_l("Accept the invitation"))


class DeclineForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason (optional, but it helps the secretariat)"),
        filters=[strip_filter],
        validators=[Optional(), no_nul, Length(max=MAX_REASON_LENGTH)],
        render_kw={"rows": 3, "maxlength": MAX_REASON_LENGTH},
    )
    submit = SubmitField(_l("Decline the invitation"))


class SetupAccountForm(FlaskForm):
    """The unit's first liaison account, from the invitation link; no password here (it is chosen
    behind the link mailed to the address, which so proves to be the person's)."""

    name = StringField(_l("Your name"), filters=[strip_filter],
                       validators=[DataRequired(), no_control_chars, Length(max=200)],
                       render_kw={"autocomplete": "name"})
    email = StringField(_l("Email address"), filters=[email_filter],
                        validators=[DataRequired(), no_control_chars, Length(max=320), email_address],
                        render_kw={"autocomplete": "email", "type": "email"})
    submit = SubmitField(_l("Create my account and accept"))
