"""The liaison's registration form: one fieldset per person, as many as the unit registers.

Rows are a FieldList, so the names are people-<i>-<field>; the page's script clones a blank row
from a <template> rendered with the index "__i__", and without the script the "add another
person" button posts the form back and gets one more row. Indices may have gaps (a row removed
in the browser); FieldList reads whatever indices arrive, in order.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateField, FieldList, Form, FormField, HiddenField,
                     SelectChoice, SelectField, SelectMultipleField, StringField, SubmitField,
                     TextAreaField, TimeField)
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..core.dates import in_range
from ..core.validators import email_address, email_filter, no_control_chars, strip_filter
from ..members.forms import newlines_filter, no_nul
from .models import DELEGATE_ROLES
from .labels import ROLE_LABELS

# Fields that make a row "someone": a new row with none of them filled is an unused blank row.
CONTENT_FIELDS = ("family_name", "given_name", "name_zh", "title", "organization", "email",
                  "mobile", "dietary", "accessibility", "arrival_date", "arrival_time",
                  "arrival_details", "departure_date", "departure_time", "departure_details", "notes")
ROW_PERSON_FIELDS = ("role", "family_name", "given_name", "name_zh", "title", "organization",
                     "email", "mobile", "language", "dietary", "accessibility", "arrival_details",
                     "departure_details", "notes")
MAX_ROWS = 200  # far above any quota; a crafted post cannot make the page build thousands


def _line(label, limit, **kwargs):
    return StringField(label, filters=[strip_filter],
                       validators=[Optional(), no_control_chars, Length(max=limit)], **kwargs)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def role_choices() -> list[SelectChoice]:
    return [SelectChoice(role, str(ROLE_LABELS[role])) for role in DELEGATE_ROLES]


def language_choices() -> list[SelectChoice]:
    return [SelectChoice("zh", str(_l("Chinese"))), SelectChoice("en", str(_l("English")))]


class PersonForm(Form):
    """One person (no CSRF of its own: the outer form has it)."""

    id = HiddenField()
    substitute = BooleanField(_l("Someone else takes this place (substitute): the fields below "
                                 "describe the new person, who keeps the seat"))
    remove = BooleanField(_l("Remove this person from the delegation"))
    role = SelectField(_l("Role"), default="member")
    family_name = _line(_l("Family name (Latin letters)"), 100, render_kw={"autocomplete": "off"})
    given_name = _line(_l("Given name (Latin letters)"), 100, render_kw={"autocomplete": "off"})
    name_zh = _line(_l("Name in Chinese characters"), 100, render_kw={"autocomplete": "off", "lang": "zh"})
    title = _line(_l("Title / position"), 200)
    organization = _line(_l("Organization"), 200)
    email = StringField(_l("Email"), filters=[email_filter],
                        validators=[Optional(), email_address, Length(max=320)],
                        description=_l("Optional. With an address the person gets a confirmation "
                                       "and a personal link."),
                        render_kw={"type": "email", "autocomplete": "off"})
    mobile = _line(_l("Mobile phone"), 64, render_kw={"type": "tel"})
    language = SelectField(_l("Language for emails"), default="zh")
    dietary = _line(_l("Dietary needs"), 200)
    accessibility = _line(_l("Accessibility needs"), 300)
    arrival_date = DateField(_l("Arrival date"), validators=[Optional(), in_range])
    arrival_time = TimeField(_l("Arrival time"), validators=[Optional()])
    arrival_details = _line(_l("Arrival flight or train"), 100)
    departure_date = DateField(_l("Departure date"), validators=[Optional(), in_range])
    departure_time = TimeField(_l("Departure time"), validators=[Optional()])
    departure_details = _line(_l("Departure flight or train"), 100)
    sessions = MultiCheckboxField(_l("Sessions"), coerce=int, validate_choice=True)
    notes = TextAreaField(_l("Notes"), filters=[newlines_filter],
                          validators=[Optional(), no_nul, Length(max=5000)])

    def is_blank(self) -> bool:
        return not self.id.data and not any(getattr(self, f).data for f in CONTENT_FIELDS)

    def moment(self, which: str) -> datetime | None:
        """The arrival or departure as a naive wall-clock time in the event's zone."""
        day, time = getattr(self, f"{which}_date").data, getattr(self, f"{which}_time").data
        return datetime.combine(day, time) if day and time else None

    def check_moments(self) -> bool:
        ok = True
        for which in ("arrival", "departure"):
            day, time = getattr(self, f"{which}_date"), getattr(self, f"{which}_time")
            if day.data and not time.data and not time.errors:
                time.errors = [*time.errors, _l("Give the time too.")]
                ok = False
            if time.data and not day.data and not day.errors:
                day.errors = [*day.errors, _l("Give the date too.")]
                ok = False
        return ok


class DelegationForm(FlaskForm):
    submission_key = HiddenField()
    people = FieldList(FormField(PersonForm), min_entries=0, max_entries=MAX_ROWS)
    notes = TextAreaField(_l("Notes to the secretariat"), filters=[newlines_filter],
                          validators=[Optional(), no_nul, Length(max=5000)])
    add_row = SubmitField(_l("Add another person"))
    submit = SubmitField(_l("Save the delegation"))


def prepare_rows(form: DelegationForm, session_choices: list[SelectChoice]) -> None:
    """Choices every row needs before it validates or renders."""
    for entry in form.people:
        set_choices(entry.form, session_choices)


def set_choices(person: PersonForm, session_choices: list[SelectChoice]) -> None:
    person.role.choices = role_choices()
    person.language.choices = language_choices()
    person.sessions.choices = session_choices


class WithdrawForm(FlaskForm):
    confirm = BooleanField(_l("Yes, withdraw our whole delegation (everyone's seat is given back)"))
    submit = SubmitField(_l("Withdraw the delegation"))
