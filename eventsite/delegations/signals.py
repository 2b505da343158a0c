"""What delegations tell the features built on them (blinker signals, as events/signals.py); the
sender is the Delegate. Sent inside the service's transaction, before its one commit.

- `delegate_left`: the person is out (removed, declined, or with their rejected or withdrawn
  delegation), sent by seats.remove, the one place every exit goes through; `actor`.
  hotels/receivers.py frees their room.
"""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()
delegate_left = _signals.signal("delegate-left")
