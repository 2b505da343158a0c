"""Checks the letter services share; they read nothing but their arguments."""
from __future__ import annotations

from string import Formatter

from ..core.domain import DomainError
from ..core.gettext import gettext as _
from ..delegations.models import PASSPORT_FIELDS  # a member without all of them is on no letter

# The placeholders a letter text may use (filled in services.letter_texts).
PLACEHOLDERS = ("event", "dates", "venue", "city", "unit", "names", "purpose", "contact", "reference", "date")


def check_template(text: str, field: str) -> None:
    """A letter text whose placeholders are all known (a clear message naming the others)."""
    try:
        parts = [(name, spec, conversion) for _text, name, spec, conversion in Formatter().parse(text)
                 if name is not None]
    except ValueError:
        raise DomainError(_("A brace { or } stands alone: write a placeholder as {event}, or a "
                            "brace itself as {{ or }}."), field) from None
    if any(spec or conversion for _name, spec, conversion in parts):
        raise DomainError(_("A placeholder takes nothing after its name: write {event}, not {event:…}."), field)
    unknown = sorted({name for name, _spec, _conversion in parts if name not in PLACEHOLDERS})
    if unknown:
        raise DomainError(_("Unknown placeholder: %(names)s. Use: %(known)s.",
                            names=", ".join("{%s}" % n for n in unknown),
                            known=", ".join("{%s}" % n for n in PLACEHOLDERS)), field)


def fill(text: str, values: dict[str, str]) -> str:
    """A checked text with its placeholders filled."""
    return text.format_map(values)


def missing_details(delegate) -> list[str]:
    """The passport details `delegate` lacks (codes of PASSPORT_FIELDS)."""
    return [name for name in PASSPORT_FIELDS if not getattr(delegate, name)]
