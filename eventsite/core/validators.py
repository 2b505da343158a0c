"""Reusable WTForms validators and filters shared by every feature's forms.

Names and email addresses end up in mail headers; CR, LF and NUL there would let user data forge
headers, so every form refuses them at the door (Flask-Mail does not check extra headers).
"""
from __future__ import annotations

from wtforms.validators import StopValidation, ValidationError

# normalize_email is re-exported: forms and services use it.
from .addresses import CONTROL_CHARS, AddressError, clean_address, normalize_email  # noqa: F401
from .gettext import lazy_gettext as _l


def has_control_chars(value: str | None) -> bool:
    return bool(value) and any(ch in value for ch in CONTROL_CHARS)  # type: ignore[operator]


def no_control_chars(form, field) -> None:
    """Validator: refuse line breaks and NUL (use on every name, email and header-bound field)."""
    if isinstance(field.data, str) and has_control_chars(field.data):
        raise StopValidation(_l("Line breaks and control characters are not allowed here."))


def no_nul(form, field) -> None:
    """Multi-line text may hold line breaks, but never NUL (PostgreSQL refuses it anyway)."""
    if isinstance(field.data, str) and "\x00" in field.data:
        raise ValidationError(_l("Control characters are not allowed here."))


def email_address(form, field) -> None:
    """Validator: the address rule (core/addresses.py); the field's data becomes the address as
    stored. Empty values pass (combine with DataRequired/Optional)."""
    value = field.data
    if not value:
        return
    try:
        field.data = clean_address(value)
    except AddressError as exc:
        if exc.reason == "control":
            raise StopValidation(exc.message) from None
        raise ValidationError(exc.message) from None


def strip_filter(value):
    return value.strip() if isinstance(value, str) else value


def email_filter(value):
    return normalize_email(value) if isinstance(value, str) else value


def newlines_filter(value):
    """Browsers send text areas with CRLF; store plain LF."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip() if isinstance(value, str) else value
