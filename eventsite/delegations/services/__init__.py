"""Use cases of delegations: registration.py (register, edit, withdraw, what a unit may do now),
decisions.py (what organizers decide), selfservice.py (what a delegate does through their link)."""
from . import decisions, selfservice  # noqa: F401
from .registration import (  # noqa: F401
    PersonRow,
    Registration,
    SaveResult,
    active_delegates,
    check_delegation,
    delegation_for,
    fill_from_waitlist,
    registration_for,
    save_delegation,
    withdraw,
)
