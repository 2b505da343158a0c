"""What hotels do when delegations tell them something (delegations/signals.py): a delegate who
left (removed, declined, withdrawn or rejected with the delegation) frees their bed at once, in
the same transaction, audited as "room.release". No extra email: the person was just told they
are out, and the room goes with their registration."""
from __future__ import annotations

from ..delegations import signals
from . import services


def connect() -> None:
    """Idempotent: blinker keeps one connection per receiver."""
    signals.delegate_left.connect(free_room)


def free_room(delegate, actor=None, **_kwargs) -> bool:
    return services.release(delegate, actor=actor)
