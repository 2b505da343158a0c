"""The one address rule: what an email address must be to be stored, and how it is spelled.

Every place an address enters, and every message written to the outbox, goes through it
(docs/security.md, "Email addresses"): lower-cased; no line breaks or control characters (they
would forge headers); only ASCII before the @ (SMTPUTF8 is not used: many servers cannot deliver
it); an internationalized domain kept in its ASCII (IDNA) form; the rest is email-validator's
syntax check (no DNS). An address stored under older rules is known as undeliverable instead of
breaking the operation that mails it.
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import TypeVar

from email_validator import EmailNotValidError, validate_email

from .gettext import lazy_gettext as _l

T = TypeVar("T")
CONTROL_CHARS = ("\r", "\n", "\0")
MAX_LENGTH = 320  # the address columns' length

# Why an address is refused: shown to the person typing it, in their language.
MESSAGES = {
    "control": _l("Line breaks and control characters are not allowed here."),
    "local_not_ascii": _l("Before the @, use only Latin letters, digits and punctuation: many mail "
                          "servers cannot deliver to addresses with other characters."),
    "invalid": _l("Enter a valid email address."),
}
# The same reasons for the outbox (an admin page, like the SMTP servers' own error texts).
OUTBOX_REASONS = {
    "control": "not sent: the address contains line breaks or control characters",
    "local_not_ascii": "not sent: the address has non-ASCII characters before the @ "
                       "(they would need SMTPUTF8, which is not used)",
    "invalid": "not sent: not a valid email address",
}


class AddressError(ValueError):
    """An address the rule refuses; `message` is ready to show, `reason` a key of MESSAGES."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason
        self.message = MESSAGES[reason]


def normalize_email(value: str | None) -> str:
    """The spelling used to look an address up (log-in, reset): stripped, lower-cased."""
    return (value or "").strip().lower()


@functools.lru_cache(maxsize=4096)  # recipient lists repeat the same addresses
def _checked(value: str) -> tuple[str, str]:
    """(address as stored, "") or ("", reason)."""
    value = normalize_email(value)
    if any(ch in value for ch in CONTROL_CHARS):
        return "", "control"
    local, at, domain = value.rpartition("@")
    if at and local and not local.isascii():
        return "", "local_not_ascii"
    if not at or len(value) > MAX_LENGTH:
        return "", "invalid"
    try:
        result = validate_email(value, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError:
        return "", "invalid"
    return f"{result.local_part}@{result.ascii_domain}".lower(), ""


def clean_address(value: str | None) -> str:
    """The address as stored and mailed, or AddressError (empty values included)."""
    address, reason = _checked(value or "")
    if reason:
        raise AddressError(reason)
    return address


def deliverable(value: str | None) -> str | None:
    """The address to write to, or None when it cannot be mailed."""
    return _checked(value or "")[0] or None


def undeliverable_reason(value: str | None) -> str:
    """Why `value` cannot be mailed, in words for the outbox ("" when it can)."""
    reason = _checked(value or "")[1]
    return OUTBOX_REASONS[reason] if reason else ""


def distinct_addresses(items: Iterable[T], address: Callable[[T], str | None]) -> list[tuple[str, T]]:
    """One recipient list's items, once per address (the first keeps it), each with the address
    to write to: the rule's spelling when it can be mailed, else the stored value lower-cased
    (mail.services.enqueue records that message as not sent, and the organizer sees it).
    Items without an address are left out. Two contacts of one unit sharing an address, or the
    same address typed in another case, make one message, never two or a clash."""
    seen: set[str] = set()
    result = []
    for item in items:
        stored = address(item)
        if not (stored or "").strip():
            continue
        key = deliverable(stored) or normalize_email(stored)
        if key not in seen:
            seen.add(key)
            result.append((key, item))
    return result
