"""The meeting forms: a liaison's request and proposal; the organizer's settings, slots
generator and tables. Types and formats only; the rules are the services'."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    SubmitField,
    TimeField,
)
from wtforms.validators import InputRequired, NumberRange, Optional

from ..core.dates import in_range
from ..core.fields import line_field, text_field
from ..core.gettext import lazy_gettext as _l
from .rules import MAX_LENGTH, MIN_LENGTH

TIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
MAX_DAYS = 14


class RequestForm(FlaskForm):
    invitee = SelectField(_l("Delegation"), coerce=int, validators=[InputRequired()])
    slot = SelectField(_l("Preferred time"), coerce=int, validators=[InputRequired()])
    topic = line_field(_l("Topic"), 64)
    message = text_field(_l("Message"), 2000)
    interpreter_needed = BooleanField(_l("We need an interpreter"))
    submit = SubmitField(_l("Send the request"))

    def values(self) -> dict:
        return {"invitee": self.invitee.data, "slot": self.slot.data, "topic": self.topic.data or "",
                "message": self.message.data or "", "interpreter_needed": bool(self.interpreter_needed.data)}


class ProposeForm(FlaskForm):
    slot = SelectField(_l("Another time"), coerce=int, validators=[InputRequired()])
    submit = SubmitField(_l("Propose this time"))


class SettingsForm(FlaskForm):
    is_open = BooleanField(_l("Meeting requests are open"))
    deadline = DateTimeLocalField(_l("Request deadline (event's time zone)"), format=TIME_FORMATS,
                                  validators=[Optional(), in_range])
    submit = SubmitField(_l("Save"))


class SlotsForm(FlaskForm):
    first_day = DateField(_l("First day"), validators=[InputRequired(), in_range])
    days = IntegerField(_l("Number of days"), default=1, validators=[InputRequired(), NumberRange(min=1, max=MAX_DAYS)])
    starts = TimeField(_l("From"), validators=[InputRequired()])
    ends = TimeField(_l("To"), validators=[InputRequired()])
    minutes = IntegerField(_l("Minutes per meeting"), default=30,
                           validators=[InputRequired(), NumberRange(min=MIN_LENGTH, max=MAX_LENGTH)])
    submit = SubmitField(_l("Add the slots"))


class TableForm(FlaskForm):
    name = line_field(_l("Table name or number"), 50)
    room_en = line_field(_l("Room (English)"), 200)
    room_zh = line_field(_l("Room (Chinese)"), 200, render_kw={"lang": "zh"})
    submit = SubmitField(_l("Add the table"))
