"""Translated labels for mail's codes (message states, transports), with the states' badge colours;
the outbox pages get them from the blueprint's context processor."""
from __future__ import annotations

from ..core.gettext import lazy_gettext as _l
from .models import MESSAGE_STATES

STATE_LABELS = {"pending": _l("pending"), "sending": _l("sending"), "sent": _l("sent"), "failed": _l("failed")}
STATE_BADGES = {"pending": "secondary", "sending": "info", "sent": "success", "failed": "danger"}
TRANSPORT_LABELS = {"smtp": _l("delivered by SMTP"), "local": _l("kept locally")}
if not set(STATE_LABELS) == set(STATE_BADGES) == set(MESSAGE_STATES):  # not assert: kept under -O
    raise RuntimeError("every message state needs a label and a badge")
