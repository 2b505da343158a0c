"""The read side of badges: who a selection takes (one person, a delegation or the whole event,
by status and role, in print order) and each person's badge state (never printed, printed,
outdated)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from ..core.collation import sort_key
from ..delegations.models import ADMITTED_DELEGATE_STATUSES, Delegate, Delegation
from ..extensions import db
from . import document
from .models import BADGE_STATES, NEEDS_PRINTING, BadgePrint


@dataclass(frozen=True)
class Selection:
    """Whose badges: one person (`delegate_id`), one delegation, or the whole event (neither);
    of these statuses and roles (no roles: every role); `pending_only`: only the badges never
    printed or outdated."""

    delegate_id: int | None = None
    delegation_id: int | None = None
    statuses: tuple[str, ...] = ADMITTED_DELEGATE_STATUSES
    roles: tuple[str, ...] = ()
    pending_only: bool = False

    def details(self) -> dict:
        """For the audit entry."""
        return {"delegate": self.delegate_id, "delegation": self.delegation_id,
                "statuses": list(self.statuses), "roles": list(self.roles), "pending_only": self.pending_only}


@dataclass
class Row:
    delegate: Delegate
    state: str
    printed: BadgePrint | None = None

    @property
    def printed_at(self) -> datetime | None:
        return self.printed.printed_at if self.printed else None


@dataclass
class Overview:
    rows: list[Row]
    counts: dict[str, int] = field(default_factory=dict)  # of the rows, by state

    @property
    def to_print(self) -> int:
        return sum(self.counts[state] for state in NEEDS_PRINTING)


def print_order(delegate: Delegate, lang: str) -> tuple:
    """By unit, then by name, as a reader of `lang` looks for them (core.collation)."""
    unit = delegate.delegation.unit
    return (sort_key(unit.display_name(lang), lang), unit.id, sort_key(delegate.display_name(lang), lang),
            delegate.id)


def delegates(event_id: int, selection: Selection, lang: str) -> list[Delegate]:
    query = (sa.select(Delegate).where(Delegate.event_id == event_id)
             .options(joinedload(Delegate.delegation).joinedload(Delegation.unit)))
    if selection.delegate_id is not None:
        query = query.where(Delegate.id == selection.delegate_id)
    if selection.delegation_id is not None:
        query = query.where(Delegate.delegation_id == selection.delegation_id)
    query = query.where(Delegate.status.in_(selection.statuses))
    if selection.roles:
        query = query.where(Delegate.role.in_(selection.roles))
    found = db.session.scalars(query).unique().all()
    return sorted(found, key=lambda d: print_order(d, lang))


def state_of(delegate: Delegate, event, printed: BadgePrint | None) -> str:
    if printed is None:
        return "never"
    return "printed" if printed.fingerprint == document.fingerprint(document.content(delegate, event)) \
        else "outdated"


def overview(event, selection: Selection, lang: str) -> Overview:
    """The selected people with their badge states, in print order (only those to print when the
    selection says so); counts are of the whole selection."""
    people = delegates(event.id, selection, lang)
    prints = {p.delegate_id: p for p in db.session.scalars(
        sa.select(BadgePrint).where(BadgePrint.event_id == event.id))} if people else {}
    rows = [Row(d, state_of(d, event, prints.get(d.id)), prints.get(d.id)) for d in people]
    counts = Counter(row.state for row in rows)
    shown = [row for row in rows if row.state in NEEDS_PRINTING] if selection.pending_only else rows
    return Overview(shown, {state: counts.get(state, 0) for state in BADGE_STATES})


def delegation_choices(event_id: int, lang: str) -> list[tuple[int, str]]:
    found = db.session.scalars(sa.select(Delegation).where(Delegation.event_id == event_id)
                               .options(joinedload(Delegation.unit))).all()
    ordered = sorted(found, key=lambda d: (sort_key(d.unit.display_name(lang), lang), d.id))
    return [(d.id, d.unit.display_name(lang)) for d in ordered]
