"""The organizer's confirmation step before a change of an event is saved: the edit form shows what
would change, to how many delegates it is sent, and which sessions of the agenda move (or stay)
with the organizer's choice; it saves only when that exact preview is confirmed (a fingerprint of
the preview, choice included, travels with the form: edited again, it is shown again)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ..core.gettext import gettext as _
from ..core.i18n import current_language
from ..core.timefmt import local_date, span_text
from . import queries, services
from .forms import EventChangeForm
from .labels import Change, describe
from .models import Event
from .services import AgendaPlan


@dataclass(frozen=True)
class SessionLine:
    """One session in the preview, in the reader's language, on the event's clock."""

    id: int
    title: str
    old: str
    new: str
    moves: bool
    outside: bool


@dataclass(frozen=True)
class AgendaPreview:
    move: bool
    shifts: bool  # the start or zone changes: the organizer chooses
    total: int
    moving: list[SessionLine]
    outside: list[SessionLine]
    first_day: str
    last_day: str


@dataclass(frozen=True)
class Pending:
    """A change to confirm: calendars of delegates to update, or sessions of the agenda to move."""

    count: int  # confirmed delegates with an address: each gets the update
    units: int  # units with a live delegation: their liaisons get the same lines
    lines: list[Change]
    ask: bool  # not confirmed yet: show the preview instead of saving
    notify: bool = False  # the change is sent to delegates and liaisons
    agenda: AgendaPreview | None = None


def check(event: Event, form: EventChangeForm) -> Pending | None:
    """None when saving needs no confirmation; else what it does and whether to ask first. Raises
    DomainError for values update_event would refuse."""
    changes, plan = services.preview_change(event, form.values(), form.move_agenda)
    told = queries.audience(event) if changes and event.status == "published" else None
    notify = told is not None and bool(told.confirmed or told.units)
    agenda = _agenda(event, form, plan)
    if not notify and (agenda is None or not agenda.shifts):
        return None
    text = repr((sorted((field, repr(old), repr(new)) for field, (old, new) in changes.items()),
                 form.move_agenda, [(s.session.id, repr(s.new)) for s in plan.sessions] if plan else []))
    fingerprint = hashlib.sha256(text.encode()).hexdigest()[:32]
    confirmed = bool(form.confirm_notify.data) and form.notify_preview.data == fingerprint
    form.notify_preview.data = fingerprint
    if not notify:
        form.confirm_notify.label.text = _("Save")
    return Pending(told.confirmed if notify else 0, told.units if notify else 0,  # type: ignore[union-attr]
                   describe(event, changes) if notify else [], ask=not confirmed, notify=notify,
                   agenda=agenda)


def _agenda(event: Event, form: EventChangeForm, plan: AgendaPlan | None) -> AgendaPreview | None:
    if plan is None:
        return None
    form.count_sessions(len(plan.sessions))
    language = current_language()
    lines = [SessionLine(item.session.id, item.session.text("title", language)[0] or f"#{item.session.id}",
                         _span(item.old, plan.old_zone), _span(item.new, plan.new_zone), item.moves,
                         item.outside) for item in plan.sessions]
    first, last = plan.window
    return AgendaPreview(plan.move, plan.shifts, len(lines), [line for line in lines if line.moves],
                         [line for line in lines if line.outside],
                         local_date(first, plan.new_zone), local_date(last, plan.new_zone))


def _span(times, zone_name: str) -> str:
    return span_text(*times, zone_name, date_first=True)
