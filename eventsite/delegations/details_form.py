"""The form for one person's details, as the delegate (personal page) or an organizer (edit page)
types them. Arrival and departure are a date and a time on the EVENT's clock; the services
(people.clean_person) turn them into UTC and check everything again.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (DateField, EmailField, SelectChoice, SelectField, SelectMultipleField,
                     StringField, SubmitField, TextAreaField, TimeField)
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..core.dates import in_range
from ..core.validators import email_address, email_filter, no_control_chars, strip_filter
from ..members.forms import newlines_filter, no_nul
from . import labels
from .models import Delegate
from .people import NAME_FIELDS, SELF_FIELDS


def _line(label, column: str, **kwargs):
    limit = Delegate.__table__.c[column].type.length
    return StringField(label, filters=[strip_filter],
                       validators=[Optional(), no_control_chars, Length(max=limit)], **kwargs)


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class DetailsForm(FlaskForm):
    """Choices of `sessions` (the event's sessions delegates choose) are set by the view."""

    family_name = _line(_l("Family name (Latin letters)"), "family_name")
    given_name = _line(_l("Given name (Latin letters)"), "given_name")
    name_zh = _line(_l("Name in Chinese characters"), "name_zh")
    title = _line(_l("Title / position"), "title")
    organization = _line(_l("Organization"), "organization")
    email = EmailField(_l("Email"), filters=[email_filter],
                       validators=[Optional(), email_address, Length(max=320)])
    mobile = _line(_l("Mobile"), "mobile")
    language = SelectField(_l("Language for messages"), choices=[
        SelectChoice("zh", "中文"), SelectChoice("en", "English")])
    dietary = _line(_l("Dietary needs"), "dietary")
    accessibility = _line(_l("Accessibility needs"), "accessibility")
    arrival_date = DateField(_l("Arrival date"), validators=[Optional(), in_range])
    arrival_time = TimeField(_l("Arrival time"), validators=[Optional()])
    arrival_details = _line(_l("Arrival flight or train"), "arrival_details")
    departure_date = DateField(_l("Departure date"), validators=[Optional(), in_range])
    departure_time = TimeField(_l("Departure time"), validators=[Optional()])
    departure_details = _line(_l("Departure flight or train"), "departure_details")
    notes = TextAreaField(_l("Notes"), filters=[newlines_filter],
                          validators=[Optional(), no_nul, Length(max=5000)])
    sessions = CheckboxesField(_l("Sessions"), coerce=int, choices=[], validators=[Optional()])
    submit = SubmitField(_l("Save my details"))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if ok and not any(getattr(self, f).data for f in NAME_FIELDS):
            self.family_name.errors.append(_l("Give a name: the family or given name in Latin "
                                              "letters, or the name in Chinese characters."))
            ok = False
        for side in ("arrival", "departure"):
            day, time = getattr(self, f"{side}_date"), getattr(self, f"{side}_time")
            if bool(day.data) != bool(time.data) and not (day.errors or time.errors):
                (time if day.data else day).errors.append(_l("Give both the date and the time, "
                                                             "or neither."))
                ok = False
        return ok

    def fill(self, delegate: Delegate, zone_name: str) -> None:
        """Show `delegate`'s details, times on the event's clock."""
        from ..events.timezones import local_naive

        for field in SELF_FIELDS:
            if field in ("arrival_at", "departure_at"):
                local = local_naive(getattr(delegate, field), zone_name)
                side = field.split("_")[0]
                getattr(self, f"{side}_date").data = local.date() if local else None
                getattr(self, f"{side}_time").data = local.time() if local else None
            else:
                getattr(self, field).data = getattr(delegate, field)
        if hasattr(self, "role"):
            self.role.data = delegate.role
        self.sessions.data = [s.id for s in delegate.sessions]

    def values(self) -> dict:
        """Plain values for people.clean_person: naive times are on the event's clock."""
        out = {}
        for field in SELF_FIELDS:
            if field in ("arrival_at", "departure_at"):
                side = field.split("_")[0]
                day, time = getattr(self, f"{side}_date").data, getattr(self, f"{side}_time").data
                out[field] = datetime.combine(day, time) if day and time else None
            else:
                out[field] = getattr(self, field).data or ""
        if hasattr(self, "role"):
            out["role"] = self.role.data
        return out


class OrganizerDetailsForm(DetailsForm):
    """An organizer also sets the person's role in the delegation."""

    role = SelectField(_l("Role"), choices=[SelectChoice(k, v) for k, v in labels.ROLE_LABELS.items()])
    submit = SubmitField(_l("Save"))


def session_choices(event, language: str) -> list[SelectChoice]:
    """The sessions delegates choose themselves, as checkbox choices (title and local time)."""
    from ..events.dashboard import local_time
    from .people import choosable_sessions

    return [SelectChoice(s.id, f"{s.text('title', language)[0]} · {local_time(s.starts_at, event.timezone)}")
            for s in choosable_sessions(event)]


def show_error(form: DetailsForm, error) -> None:
    """Put a service's DelegationError next to its field (or flash it): the user sees why."""
    from flask import flash
    from flask_babel import gettext as _

    from ..extensions import db

    db.session.rollback()
    name = {"arrival_at": "arrival_date", "departure_at": "departure_date"}.get(error.field, error.field)
    field = getattr(form, name, None) if name else None
    if field is not None and isinstance(field.errors, list):
        field.errors.append(error.message)
        flash(_("Please correct the marked fields."), "error")
    else:
        flash(error.message, "error")
