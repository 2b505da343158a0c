"""Reusable WTForms validators and filters shared by every feature's forms.

Names and email addresses end up in mail headers; CR, LF and NUL there would let user data forge
headers, so every form refuses them at the door (Flask-Mail does not check extra headers).
"""
from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from wtforms.validators import StopValidation, ValidationError

CONTROL_CHARS = ("\r", "\n", "\0")


def has_control_chars(value: str | None) -> bool:
    return bool(value) and any(ch in value for ch in CONTROL_CHARS)  # type: ignore[operator]


def no_control_chars(form, field) -> None:
    """Validator: refuse line breaks and NUL (use on every name, email and header-bound field)."""
    if isinstance(field.data, str) and has_control_chars(field.data):
        raise StopValidation(_l("Line breaks and control characters are not allowed here."))


def email_address(form, field) -> None:
    """Validator: a syntactically valid address (email-validator, no DNS look-up).

    Empty values pass, so combine with DataRequired/Optional as the field needs.
    """
    value = field.data
    if not value:
        return
    if has_control_chars(value):
        raise StopValidation(_l("Line breaks and control characters are not allowed here."))
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        raise ValidationError(_l("Enter a valid email address.")) from None


def normalize_email(value: str | None) -> str:
    """The one spelling we store and compare: stripped, lower-cased."""
    return (value or "").strip().lower()


def strip_filter(value):
    """WTForms filter: strip surrounding whitespace from strings, leave other values alone."""
    return value.strip() if isinstance(value, str) else value


def email_filter(value):
    """WTForms filter: normalize an email address (see normalize_email)."""
    return normalize_email(value) if isinstance(value, str) else value
