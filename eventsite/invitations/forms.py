"""Forms of the organizers' invitation pages. The units are chosen with the directory's audience
fields (members.forms.AudienceForm); per-unit quotas are read by the view from `quota-<unit id>` inputs (one per planned unit)."""
from __future__ import annotations

import re
import secrets

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Length, NumberRange, Optional

from ..mail.forms import no_header_breaks, no_nul
from ..members.forms import AudienceForm
from .issuing import MAX_QUOTA


class _Keyed(FlaskForm):
    # Identifies this filled-in form: sending it twice acts once (see issuing.issue, reminders).
    submission_key = HiddenField()

    def ensure_submission_key(self) -> None:
        """Keep a well-formed key from the browser; anything else is replaced by a new one."""
        if not re.fullmatch(r"[A-Za-z0-9_-]{16,64}", self.submission_key.data or ""):
            self.submission_key.data = secrets.token_urlsafe(24)


class IssueForm(AudienceForm, _Keyed):
    everyone = BooleanField(_l("All active member units"))

    subject_en = StringField(_l("Subject (English)"), validators=[Length(max=300), no_header_breaks])
    body_en = TextAreaField(_l("Message (English)"), validators=[Length(max=20000), no_nul],
                            render_kw={"rows": 12})
    subject_zh = StringField(_l("Subject (Chinese)"), validators=[Length(max=300), no_header_breaks])
    body_zh = TextAreaField(_l("Message (Chinese)"), validators=[Length(max=20000), no_nul],
                            render_kw={"rows": 12})
    # The unit whose mail the preview shows (any planned unit; the first one otherwise).
    preview_unit = IntegerField(_l("Show the mail of"), validators=[Optional()])

    preview = SubmitField(_l("Preview"))
    issue = SubmitField(_l("Issue the invitations"))


class QuotaForm(FlaskForm):
    quota = IntegerField(_l("Quota"), validators=[NumberRange(min=1, max=MAX_QUOTA)])
    submit = SubmitField(_l("Save"))


class RemindForm(_Keyed):
    send = SubmitField(_l("Send the reminders"))
