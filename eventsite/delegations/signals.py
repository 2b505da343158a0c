"""What delegations tell the features built on them (blinker signals, as events/signals.py);
sent inside the service's transaction, before its one commit.

- `delegate_left`: the sender is the Delegate, who no longer takes part (removed, declined, or
  with their delegation rejected or withdrawn); `status` is their new status.
"""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()
delegate_left = _signals.signal("delegate-left")
