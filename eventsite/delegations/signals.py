"""What delegations tell the features built on them (blinker signals, as events/signals.py); the
sender is the Delegate
(the Delegation for `delegates_confirmed`). Sent inside the service's transaction, before its one commit.

- `delegate_left`: the person is out (removed, declined, or with their rejected or withdrawn
  delegation), sent by seats.remove, the one place every exit goes through; `actor`.
  hotels/receivers.py frees their room.
- `delegates_confirmed`: people of one delegation now hold a seat (approval, a promotion from the
  waiting list by an organizer or automatically, a newcomer seated at once); the sender is the
  Delegation, with `delegates` (those just confirmed) and `actor`. Sent through
  seats.announce_confirmed, once per delegation and service call. letters/receivers.py issues
  the letters requested for them when the event says so.
"""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()
delegate_left = _signals.signal("delegate-left")
delegates_confirmed = _signals.signal("delegates-confirmed")
