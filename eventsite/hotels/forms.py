"""Every form of the hotels: types and formats only; the rules are rules.py's."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ..core.dates import in_range
from ..core.fields import SubForm, line_field, options, text_field
from ..core.gettext import lazy_gettext as _l
from ..core.i18n import LANGUAGE_LABELS
from ..core.numbers import MAX_INT
from ..core.validators import email_address, email_filter, no_control_chars
from . import labels
from .models import LIST_LANGUAGES

HOTEL_FIELDS = ("name_en", "name_zh", "address_en", "address_zh", "phone", "email", "list_language", "notes")
BLOCK_FIELDS = ("room_type_en", "room_type_zh", "beds", "check_in", "check_out", "rooms", "notes")


class HotelForm(FlaskForm):
    name_en = line_field(_l("Name (English)"), 200)
    name_zh = line_field(_l("Name (Chinese)"), 200)
    address_en = line_field(_l("Address (English)"), 500)
    address_zh = line_field(_l("Address (Chinese)"), 500)
    phone = line_field(_l("Phone"), 64)
    email = StringField(_l("Email"), filters=[email_filter],
                        validators=[Optional(), no_control_chars, Length(max=320), email_address])
    list_language = SelectField(_l("Language of the rooming list"), validators=[InputRequired()])
    notes = text_field(_l("Notes"), 5000)
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)  # labels in the reader's language, chosen per request
        self.list_language.choices = options((code, LANGUAGE_LABELS[code]) for code in LIST_LANGUAGES)

    def values(self) -> dict:
        return {name: getattr(self, name).data or "" for name in HOTEL_FIELDS}

    def fill(self, hotel) -> None:
        for name in HOTEL_FIELDS:
            getattr(self, name).data = getattr(hotel, name)


class BlockForm(FlaskForm):
    room_type_en = line_field(_l("Room type (English)"), 200)
    room_type_zh = line_field(_l("Room type (Chinese)"), 200)
    beds = SelectField(_l("Guests per room"), coerce=int, validators=[InputRequired()])
    check_in = DateField(_l("Check-in"), validators=[InputRequired(), in_range])
    check_out = DateField(_l("Check-out"), validators=[InputRequired(), in_range])
    rooms = IntegerField(_l("Number of rooms"), validators=[InputRequired(), NumberRange(min=0, max=MAX_INT)])
    notes = text_field(_l("Notes"), 5000)
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.beds.choices = options(labels.BED_LABELS.items())

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in BLOCK_FIELDS} | {"notes": self.notes.data or ""}

    def fill(self, block) -> None:
        for name in BLOCK_FIELDS:
            getattr(self, name).data = getattr(block, name)


class AssignmentRow(SubForm):
    """One delegate on the assignment page: a block ("" = no room), a roommate, own dates."""

    delegate_id = HiddenField()
    block = SelectField(_l("Room block"), choices=[], validate_choice=False)
    mate = SelectField(_l("Share with"), choices=[], validate_choice=False)
    check_in = DateField(_l("Check-in"), validators=[Optional(), in_range])
    check_out = DateField(_l("Check-out"), validators=[Optional(), in_range])
    notes = line_field(_l("Note for the hotel"), 500)


class AssignmentsForm(FlaskForm):
    rows = FieldList(FormField(AssignmentRow), min_entries=0, max_entries=2000)
    submit = SubmitField(_l("Save the assignments"))


class RequestRow(SubForm):
    """What the liaison asks for one member."""

    delegate_id = HiddenField()
    kind = SelectField(_l("Room"), validators=[InputRequired()])  # choices: request_choices()
    share_with = SelectField(_l("Share with"), choices=[], validate_choice=False)
    note = line_field(_l("Note"), 500)


class RequestsForm(FlaskForm):
    rows = FieldList(FormField(RequestRow), min_entries=0, max_entries=500)
    submit = SubmitField(_l("Send the room requests"))


def request_choices():
    """The request kinds in the reader's language (set on each row per request)."""
    return options(labels.REQUEST_LABELS.items())
