"""What events tell the features built on them (blinker signals, as Flask's own); the sender is
the Event. Sent inside the service's transaction, before its one commit, so what receivers write
is committed with the change or not at all; a receiver returns what it did, for the audit entry.

- `event_changed`: a save changed what a calendar shows, or a publish; `changes`, `note`, and
  `agenda` when the start or zone moved ({"moved", "sessions", "by"}: what became of the sessions).
- `event_cancelled`: `note`.
"""
from __future__ import annotations

from typing import Any

from blinker import Namespace

_signals = Namespace()
event_changed = _signals.signal("event-changed")
event_cancelled = _signals.signal("event-cancelled")

# The longest note an organizer may send with a change or a cancellation.
NOTE_MAX = 1000


def send(signal, event, **kwargs) -> Any:
    """The reply of the one receiver (a list if there are several, None without any)."""
    replies = [reply for _receiver, reply in signal.send(event, **kwargs)]
    return replies[0] if len(replies) == 1 else (replies or None)
