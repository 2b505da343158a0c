"""Form fields every feature's forms share."""
from __future__ import annotations

from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes (no Ctrl-click needed)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
