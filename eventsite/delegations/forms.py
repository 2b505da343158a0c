"""The person fields (one sub-form for the liaison's rows, the delegate's own page and the
organizer's edit page) and the liaison's delegation form.

Rows are a FieldList (people-<i>-<field>); the page's script clones a blank row rendered with the
index "__i__", and without the script "add another person" posts the form back for one more row.
Indices may have gaps (a row removed in the browser); FieldList reads whatever arrives, in order.
"""
from __future__ import annotations

from datetime import datetime

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import Length, Optional

from ..core.dates import in_range
from ..core.fields import MultiCheckboxField, SubForm
from ..core.gettext import lazy_gettext as _l
from ..core.i18n import current_language
from ..core.timefmt import local_time
from ..core.timezones import local_naive
from ..core.validators import (
    email_address,
    email_filter,
    newlines_filter,
    no_control_chars,
    no_nul,
    strip_filter,
)
from ..members.labels import country_choices
from .labels import ROLE_LABELS
from .models import Delegate
from .rules import PERSON_FIELDS, TIME_FIELDS, choosable_sessions

# Travel documents the liaison who typed them sees only masked (docs/delegations.md).
HIDDEN_FROM_LIAISONS = ("passport_number", "birth_date")
CONTENT_TYPES = {"StringField", "TextAreaField", "DateField", "TimeField"}
MAX_ROWS = 200  # far above any quota; a crafted post cannot make the page build thousands
ROLE_CHOICES = [SelectChoice(role, label) for role, label in ROLE_LABELS.items()]


def _line(label, column: str, **kwargs):
    limit = Delegate.__table__.c[column].type.length
    return StringField(label, filters=[strip_filter],
                       validators=[Optional(), no_control_chars, Length(max=limit)], **kwargs)


def session_choices(event, language: str) -> list[SelectChoice]:
    """The sessions delegates choose themselves (title and local time)."""
    return [SelectChoice(s.id, f"{s.text('title', language)[0]} · {local_time(s.starts_at, event.timezone)}")
            for s in choosable_sessions(event)]


class PersonFields(SubForm):
    """One person's details, whoever types them. Arrival and departure are a date and a time on
    the EVENT's clock; rules.clean_person turns them into UTC and checks everything again."""

    family_name = _line(_l("Family name (Latin letters)"), "family_name", render_kw={"autocomplete": "off"})
    given_name = _line(_l("Given name (Latin letters)"), "given_name", render_kw={"autocomplete": "off"})
    name_zh = _line(_l("Name in Chinese characters"), "name_zh", render_kw={"autocomplete": "off", "lang": "zh"})
    title = _line(_l("Title / position"), "title")
    organization = _line(_l("Organization"), "organization")
    email = StringField(_l("Email"), filters=[email_filter],
                        validators=[Optional(), email_address, Length(max=320)],
                        render_kw={"type": "email", "autocomplete": "off"})
    mobile = _line(_l("Mobile phone"), "mobile", render_kw={"type": "tel"})
    language = SelectField(_l("Language for emails"), default="zh", choices=[
        SelectChoice("zh", "中文"), SelectChoice("en", "English")])
    dietary = _line(_l("Dietary needs"), "dietary")
    accessibility = _line(_l("Accessibility needs"), "accessibility")
    arrival_date = DateField(_l("Arrival date"), validators=[Optional(), in_range])
    arrival_time = TimeField(_l("Arrival time"), validators=[Optional()])
    arrival_details = _line(_l("Arrival flight or train number"), "arrival_details")
    arrival_place = _line(_l("Arrival airport or station"), "arrival_place")
    departure_date = DateField(_l("Departure date"), validators=[Optional(), in_range])
    departure_time = TimeField(_l("Departure time"), validators=[Optional()])
    departure_details = _line(_l("Departure flight or train number"), "departure_details")
    departure_place = _line(_l("Departure airport or station"), "departure_place")
    sessions = MultiCheckboxField(_l("Sessions"), coerce=int, choices=[])
    notes = TextAreaField(_l("Notes"), filters=[newlines_filter],
                          validators=[Optional(), no_nul, Length(max=5000)])
    # Travel documents (passports.py checks them; the select's choices are set per reader).
    passport_name = StringField(_l("Name as in the passport (Latin letters)"), filters=[strip_filter],
                                validators=[Optional(), no_control_chars, Length(max=100)],
                                render_kw={"autocomplete": "off"})
    passport_number = StringField(_l("Passport number"), filters=[strip_filter],
                                  validators=[Optional(), no_control_chars, Length(max=40)],
                                  render_kw={"autocomplete": "off"})
    nationality = SelectField(_l("Nationality"), validate_choice=False)
    birth_date = DateField(_l("Date of birth"), validators=[Optional(), in_range])
    passport_expiry = DateField(_l("Passport valid until"), validators=[Optional(), in_range])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.nationality.choices = [SelectChoice("", "—")] + [
            SelectChoice(code, name) for code, name in country_choices(current_language())]

    def check_moments(self) -> bool:
        """A date without its time (or the reverse) names no moment: say which part is missing."""
        ok = True
        for side in ("arrival", "departure"):
            day, time = getattr(self, f"{side}_date"), getattr(self, f"{side}_time")
            if bool(day.data) != bool(time.data) and not (day.errors or time.errors):
                missing = time if day.data else day
                missing.errors = [*missing.errors, _l("Give both the date and the time, or neither.")]
                ok = False
        return ok

    def moment(self, side: str) -> datetime | None:
        """Naive, on the event's clock."""
        day, time = getattr(self, f"{side}_date").data, getattr(self, f"{side}_time").data
        return datetime.combine(day, time) if day and time else None

    def fill(self, delegate: Delegate, zone_name: str, full: bool = True) -> None:
        """The stored values; `full` False (the liaison's rows) leaves out the passport number
        and the date of birth, which the page shows masked (an empty field keeps them)."""
        for field in PERSON_FIELDS:
            if not full and field in HIDDEN_FROM_LIAISONS:
                continue
            if field in TIME_FIELDS:
                local = local_naive(getattr(delegate, field), zone_name)
                side = field.split("_")[0]
                getattr(self, f"{side}_date").data = local.date() if local else None
                getattr(self, f"{side}_time").data = local.time() if local else None
            elif field in self:
                getattr(self, field).data = getattr(delegate, field)
        self.sessions.data = [s.id for s in delegate.sessions]

    def values(self) -> dict:
        """Plain values for rules.clean_person."""
        return {field: self.moment(field.split("_")[0]) if field in TIME_FIELDS
                else getattr(self, field).data or "" for field in PERSON_FIELDS if
                field in TIME_FIELDS or field in self}

    def shown_as(self, prefix: str = "") -> dict:
        """The fields by the names the services give problems (`prefix` + column)."""
        return ({f"{prefix}{name}": field for name, field in self._fields.items()}
                | {f"{prefix}{column}": self[f"{column.split('_')[0]}_date"] for column in TIME_FIELDS})


class PersonForm(PersonFields):
    """One row of the liaison's form (no CSRF of its own: the outer form has it)."""

    id = HiddenField()
    substitute = BooleanField(_l("Someone else takes this place (substitute): the fields below "
                                 "describe the new person, who keeps the seat"))
    remove = BooleanField(_l("Remove this person from the delegation"))
    role = SelectField(_l("Role"), default="member", choices=ROLE_CHOICES)

    def is_blank(self) -> bool:
        """A new row with no text, date or time typed is an unused blank row."""
        return not self.id.data and not any(f.data for f in self if f.type in CONTENT_TYPES)


class DelegationForm(FlaskForm):
    submission_key = HiddenField()
    people = FieldList(FormField(PersonForm), min_entries=0, max_entries=MAX_ROWS)
    notes = TextAreaField(_l("Notes to the secretariat"), filters=[newlines_filter],
                          validators=[Optional(), no_nul, Length(max=5000)])
    add_row = SubmitField(_l("Add another person"))
    submit = SubmitField(_l("Save the delegation"))


class DetailsForm(PersonFields, FlaskForm):
    submit = SubmitField(_l("Save my details"))

    def validate(self, extra_validators=None) -> bool:
        return super().validate(extra_validators) & self.check_moments()


class OrganizerDetailsForm(DetailsForm):
    """An organizer also sets the person's role in the delegation."""

    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    submit = SubmitField(_l("Save"))


class WithdrawForm(FlaskForm):
    confirm = BooleanField(_l("Yes, withdraw our whole delegation (everyone's seat is given back)"))
    submit = SubmitField(_l("Withdraw the delegation"))
