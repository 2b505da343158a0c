"""Forms of the mail feature, and validators other features may share.

`no_header_breaks` refuses CR, LF and NUL (for names, addresses and subjects: anything that may
end up in a mail header); `no_nul` refuses NUL in long text (PostgreSQL cannot store it).
"""
from __future__ import annotations

import re
import secrets

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectChoice, StringField, SubmitField, TextAreaField
from wtforms.validators import Length, ValidationError

from ..core.fields import MultiCheckboxField
from ..members.forms import AudienceForm
from ..members.labels import ROLE_LABELS


def no_header_breaks(form, field) -> None:
    if field.data and any(ch in field.data for ch in ("\r", "\n", "\0")):
        raise ValidationError(_l("Line breaks and control characters are not allowed here."))


def no_nul(form, field) -> None:
    if field.data and "\0" in field.data:
        raise ValidationError(_l("This text contains a character that is not allowed."))


class KeyedForm(FlaskForm):
    # Identifies this filled-in form: sending it twice acts once (see broadcasts.send,
    # invitations' issuing.issue and reminders).
    submission_key = HiddenField()

    def ensure_submission_key(self) -> None:
        """Keep a well-formed key from the browser; anything else is replaced by a new one."""
        if not re.fullmatch(r"[A-Za-z0-9_-]{16,64}", self.submission_key.data or ""):
            self.submission_key.data = secrets.token_urlsafe(24)


class MessageForm(KeyedForm):
    """A message written in English, Chinese or both (broadcasts.Content.from_form reads it)."""

    subject_en = StringField(_l("Subject (English)"), validators=[Length(max=300), no_header_breaks])
    body_en = TextAreaField(
        _l("Message (English)"), validators=[Length(max=20000), no_nul], render_kw={"rows": 8}
    )
    subject_zh = StringField(_l("Subject (Chinese)"), validators=[Length(max=300), no_header_breaks])
    body_zh = TextAreaField(
        _l("Message (Chinese)"), validators=[Length(max=20000), no_nul], render_kw={"rows": 8}
    )


class BroadcastForm(AudienceForm, MessageForm):
    """Audience (the shared fields, contact roles and the invitation flag) and message."""

    roles = MultiCheckboxField(
        _l("Contact roles"), choices=[SelectChoice(k, v) for k, v in ROLE_LABELS.items()]
    )
    invitations_only = BooleanField(_l("Only contacts who receive invitations"))

    preview = SubmitField(_l("Preview"))
    send = SubmitField(_l("Send"))
