"""What delegations tell the features built on them (blinker signals, as events/signals.py);
sent inside the service's transaction, before its one commit.

- `delegate_left`: the sender is the Delegate, who no longer takes part (removed, declined, or
  with their rejected or withdrawn delegation); `status` is their new status, `actor` who did it.
  Sent by seats.remove, the one place every exit goes through. hotels/receivers.py frees their
  room, pickups/receivers.py their seats on pickup runs.
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
