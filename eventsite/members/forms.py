"""Forms of the member directory. Choices are filled per request, in the reader's language."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from ..core.collation import sorted_by_name
from ..core.dates import in_range
from ..core.fields import MultiCheckboxField, line_field, options, text_field
from ..core.gettext import lazy_gettext as _l
from ..core.i18n import current_language
from ..core.validators import email_address, email_filter
from . import labels
from .audience import Audience
from .audience import choices as audience_choices
from .models import name_in
from .tags import sorted_tags


def http_url(form, field) -> None:
    value = field.data or ""
    if value:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValidationError(_l("Enter a web address starting with http:// or https://."))


def _named(first, second, message) -> bool:
    """One of the two names is given; else `message` next to the first."""
    if first.data or second.data:
        return True
    first.errors.append(message)
    return False


class _UnitProfileFields(FlaskForm):
    name_zh = line_field(_l("Chinese name"), 200)
    name_en = line_field(_l("English name"), 200)
    website = line_field(_l("Website"), 300, http_url)
    notes = text_field(_l("Notes"), 5000)

    def validate(self, extra_validators=None) -> bool:
        return super().validate(extra_validators) and _named(
            self.name_zh, self.name_en, _l("Give the unit a Chinese or an English name."))


class LiaisonUnitForm(_UnitProfileFields):
    """What a liaison may change on their own unit."""

    submit = SubmitField(_l("Save"))


class UnitForm(_UnitProfileFields):
    """Everything about a unit, for the secretariat."""

    kind = SelectField(_l("Kind"), validators=[DataRequired()])
    country = SelectField(_l("Country"), validators=[DataRequired()])
    province = SelectField(_l("Province (units in China)"), validators=[Optional()])
    region = line_field(_l("Region (units outside China)"), 100)
    batch = IntegerField(_l("Batch"), validators=[Optional(), NumberRange(min=1, max=99)])
    joined_on = DateField(_l("Joined on"), validators=[Optional(), in_range])
    tags = line_field(_l("Tags"), 1000, description=_l(
        "Separate tags with commas or 、. Give a tag its English and Chinese names with a slash: "
        "Belt and Road / 一带一路"))
    is_active = BooleanField(_l("Active member"), default=True)
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lang = current_language()
        self.kind.choices = options(labels.KIND_LABELS.items())
        self.country.choices = options(labels.country_choices(lang))
        self.province.choices = options([("", "—"), *labels.province_choices(lang)])

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if ok and self.country.data != "CN" and self.province.data:
            self.province.errors.append(_l("Choose a province only for units in China."))
            ok = False
        return ok

    def province_value(self) -> str:
        return (self.province.data if self.country.data == "CN" else self.region.data) or ""

    def fill_place(self, unit) -> None:
        """Put the unit's province into the select (China) or the free-text region (elsewhere)."""
        place = (unit.province, "") if unit.country == "CN" else ("", unit.province)
        self.province.data, self.region.data = place


class ContactForm(FlaskForm):
    role = SelectField(_l("Role"), validators=[DataRequired()])
    name_zh = line_field(_l("Name in Chinese characters"), 200)
    name_latin = line_field(_l("Name in Latin letters"), 200)
    title = line_field(_l("Title / position"), 200)
    email = StringField(_l("Email"), filters=[email_filter],
                        validators=[Optional(), Length(max=320), email_address])
    phone = line_field(_l("Phone"), 64)
    language = SelectField(_l("Preferred language"), validators=[DataRequired()])
    receives_invitations = BooleanField(_l("Receives invitations"), default=True)
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = options(labels.ROLE_LABELS.items())
        self.language.choices = options(labels.LANGUAGE_LABELS.items())

    def validate(self, extra_validators=None) -> bool:
        return super().validate(extra_validators) and _named(
            self.name_zh, self.name_latin, _l("Give the contact a Chinese or a Latin name."))


class ImportForm(FlaskForm):
    content = SelectField(_l("The file contains"), choices=[
        SelectChoice("units", _l("Member units")), SelectChoice("contacts", _l("Contacts")),
    ], validators=[DataRequired()])
    file = FileField(_l("CSV file"), validators=[FileRequired(_l("Choose a file."))])
    submit = SubmitField(_l("Import"))


class AudienceForm(FlaskForm):
    """The fields every audience form shares (see members/audience.py). A page's form extends it
    and calls `fill_choices()` before validating and `audience(...)` after."""

    kinds = MultiCheckboxField(_l("Unit kinds"), choices=[SelectChoice(k, v) for k, v in labels.KIND_LABELS.items()])
    provinces = MultiCheckboxField(_l("Provinces / regions"), choices=[])
    tags = MultiCheckboxField(_l("Tags"), coerce=int, choices=[])
    units = MultiCheckboxField(_l("Specific units"), coerce=int, choices=[])

    def fill_choices(self) -> None:
        lang = current_language()
        offered = audience_choices()
        self.provinces.choices = [SelectChoice(p, labels.province_name(p, lang))
                                  for p in labels.provinces_in_order(offered["provinces"], lang)]
        self.tags.choices = [SelectChoice(tag.id, tag.display_name(lang)) for tag in sorted_tags(offered["tags"], lang)]
        units = [(uid, name_in(lang, name_en, name_zh)) for uid, name_en, name_zh in offered["units"]]
        self.units.choices = [SelectChoice(uid, name) for uid, name in sorted_by_name(units, lambda u: u[1], lang)]

    def audience(self, **more) -> Audience:
        """The criteria chosen; `more` adds those of the page's own fields."""
        return Audience(
            kinds=list(self.kinds.data or []), provinces=list(self.provinces.data or []),
            tag_ids=list(self.tags.data or []), unit_ids=list(self.units.data or []), **more)
