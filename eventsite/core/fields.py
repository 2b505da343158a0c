"""Form fields every feature's forms share."""
from __future__ import annotations

from flask import current_app
from flask_wtf.i18n import translations
from wtforms import Form, SelectChoice, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from .validators import newlines_filter, no_control_chars, no_nul, strip_filter


class SubForm(Form):
    """A form inside a FlaskForm (a FormField, a FieldList's rows): WTForms' own messages in the
    reader's language, as Flask-WTF gives its own forms (a plain Form has no translations)."""

    class Meta:
        def get_translations(self, form):
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)
            return translations


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes (no Ctrl-click needed)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def options(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, str(label)) for value, label in pairs]


def line_field(label, limit: int, *more, **kwargs) -> StringField:
    return StringField(label, filters=[strip_filter],
                       validators=[Optional(), no_control_chars, Length(max=limit), *more], **kwargs)


def text_field(label, limit: int = 20000, **kwargs) -> TextAreaField:
    return TextAreaField(label, filters=[newlines_filter],
                         validators=[Optional(), no_nul, Length(max=limit)], **kwargs)
