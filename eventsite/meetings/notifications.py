"""The meeting emails, in each recipient's language (callers commit).

Who gets what (docs/matching-meetings.md): the other side's liaisons (delegations'
`unit_recipients`) hear of requests, proposals, answers and cancellations; once a meeting is
accepted, every person of both delegations who takes part and has an email gets it with a calendar
message (REQUEST; a reschedule is a REQUEST with a higher SEQUENCE; a cancellation a CANCEL), and
both sides' liaisons a notice."""
from __future__ import annotations

from flask_babel import force_locale

from ..calendar.attachments import entry_imip_parts
from ..calendar.builder import Attendee
from ..core.gettext import lazy_gettext as _l
from ..core.timefmt import local_time
from ..delegations.notifications import unit_recipients
from ..mail.services import enqueue_template, register_kind
from . import queries
from .models import Meeting

MEETING_NOTICE = register_kind("meeting_notice", _l("Meetings: notice to a liaison"))
MEETING_CALENDAR = register_kind("meeting_calendar", _l("Meetings: calendar message to a delegate"))

SUBJECTS = {
    "requested": _l("Meeting request from %(unit)s"),
    "proposed": _l("Another time proposed for your meeting with %(unit)s"),
    "declined": _l("%(unit)s declined the meeting"),
    "kept": _l("%(unit)s keeps the meeting at its time"),
    "cancelled": _l("%(unit)s cancelled the meeting"),
    "booked": _l("Meeting with %(unit)s confirmed"),
    "rescheduled": _l("Meeting with %(unit)s moved"),
}
INTROS = {
    "requested": _l("%(unit)s asks your delegation for a meeting at %(event)s."),
    "proposed": _l("%(unit)s proposes another time for your meeting at %(event)s."),
    "declined": _l("%(unit)s declined the meeting at %(event)s."),
    "kept": _l("%(unit)s did not accept the new time: the meeting at %(event)s stays as it was."),
    "cancelled": _l("The meeting with %(unit)s at %(event)s was cancelled."),
    "booked": _l("Your meeting with %(unit)s at %(event)s is confirmed."),
    "rescheduled": _l("Your meeting with %(unit)s at %(event)s was moved to a new time."),
}


def requested(meeting: Meeting) -> None:
    _notice(meeting, meeting.invitee, meeting.requester, "requested")


def proposed(meeting: Meeting, by_id: int) -> None:
    by, other = (meeting.requester, meeting.invitee) if by_id == meeting.requester_id else (
        meeting.invitee, meeting.requester)
    _notice(meeting, other, by, "proposed")


def answered(meeting: Meeting, by_id: int, notice: str) -> None:
    """The answering side (`by_id`) declined, or kept the old time: the proposer hears of it."""
    by, other = (meeting.requester, meeting.invitee) if by_id == meeting.requester_id else (
        meeting.invitee, meeting.requester)
    _notice(meeting, other, by, notice)


def cancelled(meeting: Meeting, by_id: int, *, was_accepted: bool) -> None:
    by, other = (meeting.requester, meeting.invitee) if by_id == meeting.requester_id else (
        meeting.invitee, meeting.requester)
    _notice(meeting, other, by, "cancelled")
    if was_accepted:
        for side, against in ((meeting.requester, meeting.invitee), (meeting.invitee, meeting.requester)):
            _calendar(meeting, side, against, "cancelled", "CANCEL")


def booked(meeting: Meeting, *, rescheduled: bool) -> None:
    notice = "rescheduled" if rescheduled else "booked"
    for side, other in ((meeting.requester, meeting.invitee), (meeting.invitee, meeting.requester)):
        _notice(meeting, side, other, notice)
        _calendar(meeting, side, other, notice, "REQUEST")


def _context(meeting: Meeting, other, notice: str, language: str, name: str) -> dict:
    event = meeting.event
    zone = event.timezone
    title = event.text("title", language)[0]
    slot = meeting.proposed_slot if notice in ("requested", "proposed") else meeting.slot
    return {
        "name": name, "notice": notice, "meeting": meeting,
        "intro": str(INTROS[notice]) % {"unit": other.unit.display_name(language), "event": title},
        "when": local_time(slot.starts_at, zone) if slot is not None else "",
        "where": queries.location(meeting, language) if meeting.is_accepted else "",
    }


def _notice(meeting: Meeting, to, other, notice: str) -> None:
    for address, name, language in unit_recipients(to.unit):
        with force_locale(language):
            enqueue_template(kind=MEETING_NOTICE, template="meeting_notice", to_addr=address, to_name=name,
                             language=language,
                             subject=str(SUBJECTS[notice]) % {"unit": other.unit.display_name(language)},
                             context=_context(meeting, other, notice, language, name),
                             refs={"meeting": meeting.id, "notice": notice}, unit_id=to.unit_id,
                             event_id=meeting.event_id)


def _calendar(meeting: Meeting, side, other, notice: str, method: str) -> None:
    for delegate in queries.people(side.id):
        if not delegate.email:
            continue
        language = delegate.mail_language
        name = delegate.display_name(language)
        with force_locale(language):
            entry = queries.entry(meeting, side.id, language)
            enqueue_template(kind=MEETING_CALENDAR, template="meeting_notice", to_addr=delegate.email,
                             to_name=name, language=language,
                             subject=str(SUBJECTS[notice]) % {"unit": other.unit.display_name(language)},
                             context=_context(meeting, other, notice, language, name),
                             refs={"meeting": meeting.id, "notice": notice, "sequence": meeting.sequence},
                             delegate_id=delegate.id, event_id=meeting.event_id,
                             **entry_imip_parts(meeting.event, entry, Attendee(delegate.email, name),
                                                method=method, language=language))
