"""Forms of the mail feature; invitations reuse the keyed form and the message fields."""
from __future__ import annotations

import re
import secrets

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    MultipleFileField,
    SelectChoice,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Length

from ..core.fields import MultiCheckboxField
from ..core.gettext import lazy_gettext as _l
from ..core.validators import no_control_chars, no_nul
from ..members.forms import AudienceForm
from ..members.labels import ROLE_LABELS


class KeyedForm(FlaskForm):
    # Identifies this filled-in form: sending it twice acts once (see services.send,
    # invitations' issuing.issue and reminders).
    submission_key = HiddenField()

    def ensure_submission_key(self) -> None:
        """Keep a well-formed key from the browser; anything else is replaced by a new one."""
        if not re.fullmatch(r"[A-Za-z0-9_-]{16,64}", self.submission_key.data or ""):
            self.submission_key.data = secrets.token_urlsafe(24)


class MessageForm(KeyedForm):
    """A message written in English, Chinese or both (services.Content.from_form reads it)."""

    subject_en = StringField(_l("Subject (English)"), validators=[Length(max=300), no_control_chars])
    body_en = TextAreaField(_l("Message (English)"), validators=[Length(max=20000), no_nul],
                            render_kw={"rows": 8})
    subject_zh = StringField(_l("Subject (Chinese)"), validators=[Length(max=300), no_control_chars])
    body_zh = TextAreaField(_l("Message (Chinese)"), validators=[Length(max=20000), no_nul],
                            render_kw={"rows": 8})


class BroadcastForm(AudienceForm, MessageForm):
    """Audience (the shared fields, contact roles and the invitation flag) and message."""

    roles = MultiCheckboxField(_l("Contact roles"),
                               choices=[SelectChoice(k, v) for k, v in ROLE_LABELS.items()])
    invitations_only = BooleanField(_l("Only contacts who receive invitations"))
    # Checked by content and name in uploads.py; kept with the form's submission key until sent.
    attachments = MultipleFileField(_l("Attach files (PDF, Word, Excel, images)"))
    remove_files = MultiCheckboxField(_l("Remove attached files"), coerce=int, choices=[])

    preview = SubmitField(_l("Preview"))
    send = SubmitField(_l("Send"))
