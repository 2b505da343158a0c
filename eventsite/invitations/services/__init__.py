"""Use cases of invitations: issuing.py (issue, resend, revoke, quotas), answers.py (a unit
answers through its link or its liaison), reminders.py (by hand, and the worker's automatic job)."""
from . import answers, issuing, reminders  # noqa: F401
