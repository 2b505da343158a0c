"""The room emails, written to the outbox in the delegate's language (callers commit). One
message per person whose own room changed: assigning 20 people writes 20 messages."""
from __future__ import annotations

from flask_babel import force_locale

from ..core.gettext import lazy_gettext as _l
from ..mail.services import enqueue_template, register_kind
from . import labels, queries

ROOM_NOTICE = register_kind("room_notice", _l("Hotel: room of a delegate"))

SUBJECTS = {
    "assigned": _l("Your hotel room: %(event)s"),
    "moved": _l("Your hotel room has changed: %(event)s"),
    "dates": _l("Your hotel dates have changed: %(event)s"),
    "removed": _l("Your hotel room was cancelled: %(event)s"),
}
INTROS = {
    "assigned": _l("The secretariat has booked a hotel room for you for %(event)s."),
    "moved": _l("The secretariat has changed your hotel room for %(event)s."),
    "dates": _l("The secretariat has changed the dates of your hotel stay for %(event)s."),
    "removed": _l("The secretariat has cancelled your hotel room for %(event)s. If you still need "
                  "one, write to your liaison or the secretariat."),
}


def room_changed(delegate, kind: str, assignment) -> None:
    """Tell the delegate (if they have an address) what their stay now is."""
    if not delegate.email:
        return
    language = delegate.mail_language
    event = delegate.delegation.event
    with force_locale(language):
        title = event.text("title", language)[0]
        stay = queries.stay(assignment, language) if assignment is not None else None
        enqueue_template(
            kind=ROOM_NOTICE, template="hotel_room", to_addr=delegate.email,
            to_name=delegate.display_name(language), language=language,
            subject=str(SUBJECTS[kind]) % {"event": title},
            context={"name": delegate.display_name(language), "intro": str(INTROS[kind]) % {"event": title},
                     "stay": stay, "event_title": title, "change": labels.room_change(kind)},
            refs={"delegate": delegate.id, "delegation": delegate.delegation_id, "notice": f"room.{kind}"},
            unit_id=delegate.delegation.unit_id, delegate_id=delegate.id, event_id=event.id)
