"""What pickups do when delegations tell them something (delegations/signals.py): a person who
no longer takes part gives back their seats on pickup runs. Connected by create_app."""
from __future__ import annotations

from ..delegations import signals
from . import services


def connect() -> None:
    """Idempotent: blinker keeps one connection per receiver."""
    signals.delegate_left.connect(release_seats)


def release_seats(delegate, **_kwargs) -> int:
    return services.release_delegate(delegate)
