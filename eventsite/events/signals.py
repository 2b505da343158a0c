"""What events tell the features built on them (blinker signals, as Flask's own).

events/services.py sends these inside its transaction, after SEQUENCE has moved and before its
single commit: receivers run synchronously, there and then, so what they write (outbox messages,
audit details) is committed with the event's change or not at all. The sender is the Event.

- `event_changed`: a save changed what a calendar shows (CALENDAR_FIELDS), or a publish;
  keyword arguments `changes` ({field: (old, new)}, real values) and `note` (the organizer's).
- `event_cancelled`: keyword argument `note`.

delegations/receivers.py connects its receivers when the app is created (create_app): events
never imports delegations. A receiver returns what it did (how many it told), which the sender
records in the audit entry.
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
    """Call `signal`'s receivers now; the reply of the one receiver (a list if there are several,
    None without any)."""
    replies = [reply for _receiver, reply in signal.send(event, **kwargs)]
    return replies[0] if len(replies) == 1 else (replies or None)
