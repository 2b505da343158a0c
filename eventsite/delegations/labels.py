"""Translated labels of the codes of delegations and delegates, the one place for them (templates
get this module as `labels`)."""
from __future__ import annotations

from ..core.gettext import lazy_gettext as _l
from .models import (
    ACTIVE_DELEGATE_STATUSES,  # noqa: F401  (templates read it here, in the pages' order)
    DELEGATE_ROLES,
    DELEGATE_STATUSES,
    DELEGATION_STATUSES,
)

DELEGATION_STATUS_LABELS = {
    "submitted": _l("Submitted (awaiting approval)"),
    "confirmed": _l("Confirmed"),
    "rejected": _l("Rejected"),
    "withdrawn": _l("Withdrawn"),
}
DELEGATE_STATUS_LABELS = {  # in the pages' order
    "confirmed": _l("Confirmed"),
    "waitlisted": _l("Waiting list"),
    "pending": _l("Pending approval"),
    "declined": _l("Declined"),
    "removed": _l("Removed"),
}
ROLE_LABELS = {
    "head": _l("Head of delegation"),
    "deputy": _l("Deputy head"),
    "member": _l("Member"),
    "interpreter": _l("Interpreter"),
    "staff": _l("Staff"),
    "press": _l("Press"),
}
# Bootstrap colours of the status badges.
STATUS_BADGES = {
    "submitted": "warning", "confirmed": "success", "rejected": "danger", "withdrawn": "secondary",
    "pending": "warning", "waitlisted": "info", "declined": "secondary", "removed": "secondary",
}
# Explicit checks, not `assert` (removed under python -O): a code without a label fails at import.
if (set(DELEGATION_STATUS_LABELS) != set(DELEGATION_STATUSES)
        or set(DELEGATE_STATUS_LABELS) != set(DELEGATE_STATUSES)
        or set(ROLE_LABELS) != set(DELEGATE_ROLES)):
    raise RuntimeError("every delegation status, delegate status and role needs a label")


def delegation_status(code: str) -> str:
    return str(DELEGATION_STATUS_LABELS.get(code, code))


def delegate_status(code: str) -> str:
    return str(DELEGATE_STATUS_LABELS.get(code, code))


def role(code: str) -> str:
    return str(ROLE_LABELS.get(code, code))
