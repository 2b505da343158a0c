"""The organizer's pickup forms: a run, and the people to put on it."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, IntegerField, SelectField, SubmitField
from wtforms.validators import InputRequired, NumberRange

from ..core.dates import in_range
from ..core.fields import MultiCheckboxField, line_field, options, text_field
from ..core.gettext import lazy_gettext as _l
from .labels import DIRECTION_LABELS
from .models import PickupRun
from .rules import MAX_CAPACITY, MAX_NOTES, RUN_FIELDS

TIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]


def _line(label, column: str, **kwargs):
    return line_field(label, PickupRun.__table__.c[column].type.length, **kwargs)


class RunForm(FlaskForm):
    direction = SelectField(_l("Direction"), default="arrival")
    starts_at = DateTimeLocalField(_l("Leaves at (event's time zone)"), format=TIME_FORMATS,
                                   validators=[InputRequired(), in_range])
    place = _line(_l("Airport or station"), "place")
    meeting_point_en = _line(_l("Meeting point (English)"), "meeting_point_en")
    meeting_point_zh = _line(_l("Meeting point (Chinese)"), "meeting_point_zh", render_kw={"lang": "zh"})
    vehicle = _line(_l("Vehicle"), "vehicle")
    capacity = IntegerField(_l("Seats"), default=8, validators=[InputRequired(), NumberRange(min=1, max=MAX_CAPACITY)])
    driver_name = _line(_l("Driver's name"), "driver_name")
    driver_contact = _line(_l("Driver's phone or contact"), "driver_contact")
    notes = text_field(_l("Notes for the secretariat"), MAX_NOTES)
    submit = SubmitField(_l("Save the run"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.direction.choices = options(DIRECTION_LABELS.items())

    def values(self) -> dict:
        return {name: self[name].data for name in RUN_FIELDS}

    def fill(self, run: PickupRun, local_start) -> None:
        for name in RUN_FIELDS:
            self[name].data = local_start if name == "starts_at" else getattr(run, name)


class AddPeopleForm(FlaskForm):
    delegates = MultiCheckboxField(_l("People"), coerce=int, choices=[])
    submit = SubmitField(_l("Put on this run"))
