"""Every form of cooperation: types and formats only; the rules are rules.py's."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ..core.fields import MultiCheckboxField, line_field, options, text_field
from ..core.gettext import lazy_gettext as _l
from ..core.i18n import current_language
from ..core.numbers import MAX_INT, whole_number
from ..core.validators import email_address, email_filter, no_control_chars
from ..members import labels as member_labels
from . import labels, queries
from .services import PROJECT_FIELDS


def _ids(values) -> list[int]:
    return sorted({n for n in (whole_number(v, 1) for v in values or ()) if n is not None})


class TopicForm(FlaskForm):
    code = line_field(_l("Code"), 40, description=_l("Small letters, digits and underscores: smart_city"))
    name_en = line_field(_l("Name (English)"), 100)
    name_zh = line_field(_l("Name (Chinese)"), 100)
    active = BooleanField(_l("Offered to units"), default=True)
    submit = SubmitField(_l("Save"))

    def values(self) -> dict:
        return {"code": self.code.data or "", "name_en": self.name_en.data or "",
                "name_zh": self.name_zh.data or "", "active": bool(self.active.data)}

    def fill(self, topic) -> None:
        for name in ("code", "name_en", "name_zh", "active"):
            getattr(self, name).data = getattr(topic, name)


class ProfileForm(FlaskForm):
    text_en = text_field(_l("About our cooperation (English)"), 3000)
    text_zh = text_field(_l("About our cooperation (Chinese)"), 3000)
    offers = MultiCheckboxField(_l("Topics we offer"), choices=[], validate_choice=False)
    seeks = MultiCheckboxField(_l("Topics we seek"), choices=[], validate_choice=False)
    submit = SubmitField(_l("Save the profile"))

    def fill_choices(self, keep: set[int]) -> None:
        choices = options(queries.topic_choices(current_language(), keep))
        self.offers.choices = choices
        self.seeks.choices = choices

    def values(self) -> dict:
        return {"text_en": self.text_en.data or "", "text_zh": self.text_zh.data or "",
                "offers": _ids(self.offers.data), "seeks": _ids(self.seeks.data)}

    def fill(self, profile, chosen: dict[str, set[int]]) -> None:
        if profile is not None:
            self.text_en.data, self.text_zh.data = profile.text_en, profile.text_zh
        self.offers.data = [str(i) for i in sorted(chosen["offers"])]
        self.seeks.data = [str(i) for i in sorted(chosen["seeks"])]


class ProjectForm(FlaskForm):
    title_en = line_field(_l("Title (English)"), 200)
    title_zh = line_field(_l("Title (Chinese)"), 200)
    description_en = text_field(_l("Description (English)"), 5000)
    description_zh = text_field(_l("Description (Chinese)"), 5000)
    sector = SelectField(_l("Sector"), validators=[Optional()], validate_choice=False)
    topics = MultiCheckboxField(_l("Topics"), choices=[], validate_choice=False)
    location_en = line_field(_l("Location (English)"), 200)
    location_zh = line_field(_l("Location (Chinese)"), 200)
    country = SelectField(_l("Country"), validators=[Optional()], validate_choice=False)
    province = SelectField(_l("Province (projects in China)"), validators=[Optional()], validate_choice=False)
    stage = SelectField(_l("Stage"), validators=[Optional()], validate_choice=False)
    size_band = SelectField(_l("Size of the investment"), validators=[Optional()], validate_choice=False)
    partner_sought_en = text_field(_l("Partner sought (English)"), 2000)
    partner_sought_zh = text_field(_l("Partner sought (Chinese)"), 2000)
    contact_name = line_field(_l("Contact person"), 200)
    contact_email = StringField(_l("Contact email"), filters=[email_filter],
                                validators=[Optional(), no_control_chars, Length(max=320), email_address])
    contact_phone = line_field(_l("Contact phone"), 64)
    submit = SubmitField(_l("Save"))

    def fill_choices(self, keep: set[int]) -> None:
        lang = current_language()
        self.sector.choices = options([("", "—"), *labels.SECTOR_LABELS.items()])
        self.stage.choices = options([("", "—"), *labels.STAGE_LABELS.items()])
        self.size_band.choices = options([("", "—"), *labels.SIZE_LABELS.items()])
        self.country.choices = options(member_labels.country_choices(lang))
        self.province.choices = options([("", "—"), *member_labels.province_choices(lang)])
        self.topics.choices = options(queries.topic_choices(lang, keep))

    def values(self) -> dict:
        values = {name: getattr(self, name).data or "" for name in PROJECT_FIELDS}
        return values | {"topics": _ids(self.topics.data)}

    def fill(self, project) -> None:
        for name in PROJECT_FIELDS:
            getattr(self, name).data = getattr(project, name)
        self.topics.data = [str(t.id) for t in project.topics]


class ReviewForm(FlaskForm):
    note = text_field(_l("Note to the unit"), 2000)
    approve = SubmitField(_l("Approve and publish"))
    reject = SubmitField(_l("Return to the unit"))


class BrochureForm(FlaskForm):
    file = FileField(_l("Brochure (PDF, PNG or JPEG, at most 5 MB)"))
    submit = SubmitField(_l("Upload"))


class StandForm(FlaskForm):
    unit_id = SelectField(_l("Unit"), validators=[Optional()], validate_choice=False)
    hall = line_field(_l("Hall"), 40)
    number = line_field(_l("Stand number"), 20)
    size_m2 = IntegerField(_l("Size (m²)"), validators=[InputRequired(), NumberRange(min=0, max=MAX_INT)])
    submit = SubmitField(_l("Save"))

    def fill_choices(self) -> None:
        self.unit_id.choices = options([("", "—"), *queries.unit_choices(current_language())])

    def values(self) -> dict:
        return {"unit_id": whole_number(self.unit_id.data or "", 1),
                "hall": self.hall.data or "", "number": self.number.data or "", "size_m2": self.size_m2.data}

    def fill(self, stand) -> None:
        self.unit_id.data = str(stand.unit_id)
        self.hall.data, self.number.data, self.size_m2.data = stand.hall, stand.number, stand.size_m2
