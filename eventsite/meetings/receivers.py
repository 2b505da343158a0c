"""What meetings do when delegations tell them something (delegations/signals.py): when the last
person of a delegation leaves (it withdrew, was rejected, or everyone declined), its meetings are
cancelled. Connected by create_app."""
from __future__ import annotations

from ..delegations import signals
from . import queries, services


def connect() -> None:
    """Idempotent: blinker keeps one connection per receiver."""
    signals.delegate_left.connect(end_meetings)


def end_meetings(delegate, **_kwargs) -> int:
    if queries.people(delegate.delegation_id):
        return 0  # others of the delegation still come: its meetings stand
    return services.end_for_delegation(delegate.delegation)
