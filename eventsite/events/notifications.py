"""The organizer's "N delegates will be notified" step before a change reaches calendars: the
edit form shows what would change and to how many, and saves only when that exact change is
confirmed (a fingerprint of the preview travels with the form: edited again, it is shown again)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from . import queries, services
from .forms import EventChangeForm
from .labels import Change, describe
from .models import Event


@dataclass(frozen=True)
class Pending:
    """A calendar change of a published event with confirmed delegates."""

    count: int  # confirmed delegates with an address: each gets the update
    units: int  # units with a live delegation: their liaisons get the same lines
    lines: list[Change]
    ask: bool  # not confirmed yet: show the preview instead of saving


def check(event: Event, form: EventChangeForm) -> Pending | None:
    """None when saving tells nobody; else how many are told and whether to ask first. Raises
    DomainError for values update_event would refuse."""
    changes = services.calendar_changes(event, form.values())
    if not changes or event.status != "published":
        return None
    told = queries.audience(event)
    if not told.confirmed and not told.units:
        return None
    text = repr(sorted((field, repr(old), repr(new)) for field, (old, new) in changes.items()))
    fingerprint = hashlib.sha256(text.encode()).hexdigest()[:32]
    confirmed = bool(form.confirm_notify.data) and form.notify_preview.data == fingerprint
    form.notify_preview.data = fingerprint
    return Pending(told.confirmed, told.units, describe(event, changes), ask=not confirmed)
