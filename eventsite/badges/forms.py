"""The badge page's one form: which format, whose badges (status, role, delegation or one
person) and whether only those never printed or outdated. Read from the query string on GET
(links from other pages: ?delegation=<id>, ?delegate=<id>) and posted to print."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectChoice, SelectField, SubmitField
from wtforms.validators import ValidationError

from ..core.fields import MultiCheckboxField
from ..core.gettext import lazy_gettext as _l
from ..core.numbers import whole_number
from ..delegations.labels import DELEGATE_STATUS_LABELS, ROLE_LABELS
from .labels import FORMAT_LABELS


def optional_id(value) -> int | None:
    """A select's "" (every delegation) is None; anything else must be a whole number."""
    if value in (None, ""):
        return None
    if isinstance(value, int):
        return value
    number = whole_number(str(value))
    if number is None:
        raise ValueError("not an id")
    return number


def valid_id(form, field) -> None:
    if field.data not in (None, "") and whole_number(str(field.data)) is None:
        raise ValidationError(_l("Not a valid person."))


def _choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(code, label) for code, label in labels.items()]  # lazy: the reader's language


class BadgeForm(FlaskForm):
    format = SelectField(_l("Format"), default="a6", choices=_choices(FORMAT_LABELS))
    status = MultiCheckboxField(_l("Status (none ticked: confirmed and waiting list)"),
                                choices=_choices(DELEGATE_STATUS_LABELS))
    role = MultiCheckboxField(_l("Role (none ticked: every role)"), choices=_choices(ROLE_LABELS))
    # Choices: every delegation of the event (the view sets them after "every delegation").
    delegation = SelectField(_l("Delegation"), coerce=optional_id, choices=[])
    delegate = HiddenField(validators=[valid_id])
    pending = BooleanField(_l("Only the badges never printed or outdated"))
    show = SubmitField(_l("Show"))
    print = SubmitField(_l("Print the badges shown"))
    print_pending = SubmitField(_l("Print the outdated and never-printed ones"))
