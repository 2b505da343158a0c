"""Use cases of events: `lifecycle` (create, edit, publish, cancel, reopen, duplicate), `agenda`
(the sessions of an event) and `viewer` (the time zone a reader sees times in)."""
from ..rules import normalize_reminder_days, registration_state  # noqa: F401
from .agenda import (  # noqa: F401
    add_session,
    default_session_start,
    delete_session,
    duplicate_session,
    move_session,
    update_session,
)
from .lifecycle import (  # noqa: F401
    EVENT_FIELDS,
    AgendaPlan,
    calendar_changes,
    cancel,
    check_values,
    create_event,
    duplicate_event,
    preview_change,
    publish,
    reopen,
    update_event,
)
