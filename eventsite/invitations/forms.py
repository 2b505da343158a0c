"""Forms of the organizers' invitation pages: the directory's audience fields
(members.forms.AudienceForm) and the mail's message fields (mail.forms.MessageForm). Per-unit quotas
are read by the view from `quota-<unit id>` inputs (one per planned unit)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SubmitField
from wtforms.validators import NumberRange, Optional

from ..mail.forms import KeyedForm, MessageForm
from ..members.forms import AudienceForm
from .issuing import MAX_QUOTA


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
