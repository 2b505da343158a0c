"""Forms of the organizer pages. Times are typed as wall-clock times in the event's zone
(`datetime-local` inputs); the services turn them into UTC instants."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from ..core.dates import in_range
from ..core.fields import MultiCheckboxField, line_field, options, text_field
from ..core.gettext import lazy_gettext as _l
from ..core.gettext import ngettext
from ..core.i18n import current_language
from ..core.numbers import MAX_INT
from ..core.timezones import is_valid_zone
from ..core.validators import email_address, email_filter, no_control_chars, strip_filter
from ..members.labels import country_choices
from . import labels
from .models import DEFAULT_DELEGATE_DETAILS, EVENT_TIMES
from .signals import NOTE_MAX

TIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
MARKDOWN_HINT = _l("Markdown: **bold**, *italic*, [link](https://example.org), lists with -. "
                   "HTML is shown as text.")


def _when(label, required=False):
    first = InputRequired() if required else Optional()
    return DateTimeLocalField(label, format=TIME_FORMATS, validators=[first, in_range])


def _count(label, minimum):
    return IntegerField(label, validators=[Optional(), NumberRange(min=minimum, max=MAX_INT)])


def known_zone(form, field) -> None:
    if not is_valid_zone(field.data):
        raise ValidationError(_l("Choose a time zone from the list, e.g. Asia/Shanghai or "
                                 "Europe/Brussels."))


class DetailsField(MultiCheckboxField):
    """Checkboxes for Event.delegate_details, which is stored as comma-separated text."""

    def process_data(self, value):
        super().process_data(value.split(",") if isinstance(value, str) else value)


class EventForm(FlaskForm):
    kind = SelectField(_l("Kind"), validators=[DataRequired()])
    title_en = line_field(_l("Title (English)"), 300)
    title_zh = line_field(_l("Title (Chinese)"), 300)
    summary_en = line_field(_l("Summary (English)"), 1000)
    summary_zh = line_field(_l("Summary (Chinese)"), 1000)
    description_en = text_field(_l("Description (English)"), description=MARKDOWN_HINT)
    description_zh = text_field(_l("Description (Chinese)"), description=MARKDOWN_HINT)
    timezone = StringField(_l("Time zone"), filters=[strip_filter],
                           description=_l("The zone the event happens in: start, end and "
                                          "registration dates are in this zone."),
                           validators=[DataRequired(), no_control_chars, Length(max=64), known_zone],
                           render_kw={"list": "zone-list", "autocomplete": "off"})
    starts_at = _when(_l("Starts (local time)"), required=True)
    ends_at = _when(_l("Ends (local time)"), required=True)
    venue_name_en = line_field(_l("Venue (English)"), 300)
    venue_name_zh = line_field(_l("Venue (Chinese)"), 300)
    venue_address_en = line_field(_l("Address (English)"), 500)
    venue_address_zh = line_field(_l("Address (Chinese)"), 500)
    city_en = line_field(_l("City (English)"), 200)
    city_zh = line_field(_l("City (Chinese)"), 200)
    country = SelectField(_l("Country"), validators=[DataRequired()])
    contact_name = line_field(_l("Contact person"), 200)
    contact_email = StringField(_l("Contact email"), filters=[email_filter],
                                validators=[Optional(), Length(max=320), email_address])
    contact_phone = line_field(_l("Contact phone"), 64)
    registration_mode = SelectField(_l("Who may register"), validators=[DataRequired()])
    registration_opens_at = _when(_l("Registration opens (local time)"))
    registration_closes_at = _when(_l("Registration closes (local time)"))
    edit_deadline = _when(_l("Delegations editable until (local time)"))
    capacity = _count(_l("Capacity (delegates; empty for no limit)"), 0)
    default_quota = IntegerField(_l("Default quota per unit"), default=5,
                                 validators=[DataRequired(), NumberRange(min=1, max=MAX_INT)])
    approval_required = BooleanField(_l("The secretariat approves delegations"))
    reminder_days = line_field(
        _l("Automatic invitation reminders (days before registration closes)"), 40, default="7,2",
        description=_l("Whole numbers separated by commas, e.g. 7,2; leave empty for none. "
                       "Units that have not answered get one reminder each time."))
    delegate_details = DetailsField(
        _l("What to ask each delegate"), default=list(DEFAULT_DELEGATE_DETAILS),
        description=_l("Names, email, role and language are always asked. Ask only what this "
                       "event needs: an online meeting needs no travel details."))
    agenda = RadioField(_l("The agenda when the start or the time zone changes"), default="move")
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = options(labels.EVENT_KIND_LABELS.items())
        self.country.choices = options(country_choices(current_language()))
        self.registration_mode.choices = options(labels.REGISTRATION_MODE_LABELS.items())
        self.delegate_details.choices = options(labels.DELEGATE_DETAIL_LABELS.items())
        self.agenda.choices = options([("move", _l("Move the sessions with the event")),
                                       ("keep", _l("Keep the sessions where they are"))])

    def count_sessions(self, count: int) -> None:
        """Name the number of sessions the choice of `agenda` is about."""
        self.agenda.choices = options([
            ("move", ngettext("Move the %(num)d session with the event",
                              "Move the %(num)d sessions with the event", count)),
            ("keep", ngettext("Keep the session where it is", "Keep the sessions where they are", count))])

    @property
    def move_agenda(self) -> bool:
        return self.agenda.data != "keep"

    def values(self) -> dict:
        """Plain values for the services (times still naive, in the chosen zone)."""
        texts = ("kind", "title_en", "title_zh", "summary_en", "summary_zh", "description_en",
                 "description_zh", "timezone", "venue_name_en", "venue_name_zh", "venue_address_en",
                 "venue_address_zh", "city_en", "city_zh", "country",
                 "contact_name", "contact_email", "contact_phone", "registration_mode",
                 "reminder_days")
        return ({f: getattr(self, f).data or "" for f in texts}
                | {f: getattr(self, f).data for f in (*EVENT_TIMES, "capacity", "default_quota")}
                | {"approval_required": bool(self.approval_required.data),
                   "delegate_details": list(self.delegate_details.data or [])})


class SessionForm(FlaskForm):
    kind = SelectField(_l("Kind"), validators=[DataRequired()])
    track = line_field(_l("Track"), 100, description=_l("e.g. A, B, Smart cities"))
    title_en = line_field(_l("Title (English)"), 300)
    title_zh = line_field(_l("Title (Chinese)"), 300)
    starts_at = _when(_l("Starts (local time)"), required=True)
    ends_at = _when(_l("Ends (local time)"), required=True)
    room_en = line_field(_l("Room or place (English)"), 200)
    room_zh = line_field(_l("Room or place (Chinese)"), 200)
    speakers = text_field(_l("Speakers"), 5000)
    description_en = text_field(_l("Description (English)"), description=MARKDOWN_HINT)
    description_zh = text_field(_l("Description (Chinese)"), description=MARKDOWN_HINT)
    capacity = _count(_l("Capacity (empty for no limit)"), 0)
    delegates_choose = BooleanField(_l("Delegates choose this session"))
    submit = SubmitField(_l("Save session"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = options(labels.SESSION_KIND_LABELS.items())

    def values(self) -> dict:
        texts = ("kind", "track", "title_en", "title_zh", "room_en", "room_zh", "speakers", "description_en",
                 "description_zh")
        return {f: getattr(self, f).data or "" for f in texts} | {
            "starts_at": self.starts_at.data, "ends_at": self.ends_at.data,
            "capacity": self.capacity.data, "delegates_choose": bool(self.delegates_choose.data),
        }


def _note(label):
    return text_field(label, NOTE_MAX, description=_l("Optional, at most %(n)d characters; sent as "
                                                 "written, in every delegate's email.", n=NOTE_MAX))


class EventChangeForm(EventForm):
    """The edit form, with the "N delegates will be notified" step (notifications.py)."""

    notify_note = _note(_l("Note to the delegates"))
    notify_preview = HiddenField()
    confirm_notify = SubmitField(_l("Save and notify"))


class CancelForm(FlaskForm):
    reason_en = text_field(_l("Reason (English)"), 2000)
    reason_zh = text_field(_l("Reason (Chinese)"), 2000)
    submit = SubmitField(_l("Cancel the event"))
    note = _note(_l("Note to the delegates and units"))


class DuplicateForm(FlaskForm):
    new_start = _when(_l("New start (local time)"), required=True)
    submit = SubmitField(_l("Duplicate"))


class CoverForm(FlaskForm):
    file = FileField(_l("Cover image (JPEG, PNG or WebP, at most 5 MB)"),
                     validators=[FileRequired(_l("Choose a file."))],
                     render_kw={"accept": "image/jpeg,image/png,image/webp"})
    submit = SubmitField(_l("Upload"))
