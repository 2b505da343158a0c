"""Calendar files for the outbox: the event's PUBLISH file as an attachment, or the parts that
make a mail an iMIP message to one delegate (REQUEST or CANCEL)."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..core.addresses import deliverable
from ..mail.services import Attachment
from .builder import Attendee, Entry, calendar_filename, entry_ics, event_ics

if TYPE_CHECKING:
    from ..events.models import Event


def event_attachment(event: Event, language: str, *, include_sessions: bool = False,
                     now: datetime | None = None) -> Attachment:
    return Attachment(filename=calendar_filename(event, sessions=include_sessions),
                      content_type="text/calendar; charset=UTF-8; method=PUBLISH",
                      data=event_ics(event, include_sessions=include_sessions, language=language, now=now))


def imip_parts(event: Event, attendee: Attendee, *, method: str = "REQUEST", language: str = "en",
               now: datetime | None = None, sequence: int | None = None) -> dict[str, Any]:
    """`enqueue(..., **imip_parts(event, Attendee(email, name), method="CANCEL", language=lang))`;
    `sequence`: the recipient's own SEQUENCE (delegations/notifications.py decides it). Nothing for
    an address that cannot be mailed (enqueue records that message as not sent)."""
    address = deliverable(attendee.email)
    if address is None:
        return {}
    attendee = replace(attendee, email=address)
    method = method.upper()
    ics = event_ics(event, method=method, attendee=attendee, language=language, now=now, sequence=sequence)
    return {"calendar_method": method, "calendar_ics": ics}


def entry_imip_parts(event: Event, entry: Entry, attendee: Attendee, *, method: str = "REQUEST",
                     language: str = "en", now: datetime | None = None) -> dict[str, Any]:
    """The same for a person's own entry (a bilateral meeting: its UID and SEQUENCE)."""
    address = deliverable(attendee.email)
    if address is None:
        return {}
    method = method.upper()
    ics = entry_ics(event, entry, method=method, attendee=replace(attendee, email=address), language=language,
                    now=now)
    return {"calendar_method": method, "calendar_ics": ics}
