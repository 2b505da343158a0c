"""What letters do when delegations tell them something (delegations/signals.py): people just
confirmed get the letters requested for them, at once, when the event's letter settings say
"issue on confirmation" (services.issue_for_confirmed), inside the confirming service's
transaction, so the letters, their mails and audit entries exist exactly when the confirmation
does."""
from __future__ import annotations

from ..delegations import signals
from . import services


def connect() -> None:
    """Idempotent: blinker keeps one connection per receiver."""
    signals.delegates_confirmed.connect(issue_requested)


def issue_requested(delegation, delegates=(), actor=None) -> list[str]:
    """The references of the letters issued (none unless the event issues on confirmation)."""
    return [letter.reference for letter in services.issue_for_confirmed(delegation, list(delegates), actor)]
