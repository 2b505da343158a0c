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

# What an organizer reads about one message: queued (pending or being handed over), sent, failed.
DELIVERY_LABELS = {"queued": _l("queued"), "sent": _l("sent"), "failed": _l("failed")}
DELIVERY_BADGES = {"queued": "secondary", "sent": "success", "failed": "danger"}
DELIVERY_OF = {"pending": "queued", "sending": "queued", "sent": "sent", "failed": "failed"}
if set(DELIVERY_OF) != set(MESSAGE_STATES):  # not assert: kept under -O
    raise RuntimeError("every message state needs a delivery status")


def delivery(state: str) -> str:
    return DELIVERY_OF.get(state, "queued")


def error_in_words(state: str, last_error: str | None) -> str:
    """Why a message failed (or is being retried), for people who do not read SMTP answers; the
    server's own answer follows in brackets where there is one."""
    error = (last_error or "").strip()
    if not error:
        return ""
    if error.startswith("not sent:"):
        return str(_l("Not sent: this address cannot receive mail. Correct it where it was entered, "
                      "then send again."))
    if error.startswith("personal data erased"):  # privacy/erasure.py
        return str(_l("Not sent: the recipient's personal data was erased first."))
    if error.startswith("cannot build message"):
        return str(_l("The message could not be built from what was stored."))
    if error.startswith("connection failed"):
        words = _l("Our mail server could not be reached.")
    elif error[:1] == "5" and error[:3].isdigit():
        words = _l("The recipient's mail server refused the message.")
    elif error[:1] == "4" and error[:3].isdigit():
        words = _l("The recipient's mail server asked us to try again later.")
    else:
        words = _l("The message could not be handed to the mail server.")
    retry = _l("It will be tried again.") if state in ("pending", "sending") else ""
    return " ".join(p for p in (str(words), str(retry), f"({error[:300]})") if p)
