"""A submitted list of people, checked as a whole before anything changes (delegations/services.py
carries the plan out).

Each row is a new person, a correction, a substitution or a removal; together they must leave
exactly one head, at least one person, no more than the quota, and no session over its capacity.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from ..core.domain import DomainError, Problems
from ..events.models import Event
from .models import Delegate
from .people import PERSON_FIELDS, clean_person, clean_sessions, session_counts


@dataclass
class PersonRow:
    """One person as submitted: `id` of an existing delegate (None = a new person).

    `substitute`: the values describe a different person who takes this one's place (and seat);
    `remove`: take this person out. `session_ids` None leaves the session choices as they are.
    """

    values: dict[str, Any]
    id: int | None = None
    substitute: bool = False
    remove: bool = False
    session_ids: list[int] | None = None


@dataclass
class Plan:
    """The checked changes: (row index, delegate, values, sessions) per kind."""

    removals: list[tuple[int, Delegate]] = field(default_factory=list)
    edits: list[tuple[int, Delegate, dict, list | None]] = field(default_factory=list)
    substitutes: list[tuple[int, Delegate, dict, list | None]] = field(default_factory=list)
    additions: list[tuple[int, dict, list | None]] = field(default_factory=list)


def make_plan(event: Event, current_people: list[Delegate], rows: list[PersonRow],
              quota: int | None) -> Plan:
    """Check every row and the delegation as a whole before anything changes: one DomainError
    with every problem, a row's named `people-<index>-<field>` (index in `rows`)."""
    current = {d.id: d for d in current_people}
    plan, seen, problems = Plan(), set(), Problems()
    final_roles = {d.id: d.role for d in current.values()}
    for index, row in enumerate(rows):
        prefix = f"people-{index}-"
        if row.id is not None:
            delegate = current.get(row.id)
            if delegate is None or row.id in seen:
                problems.add(f"{prefix}family_name", _("This person is no longer in the delegation. "
                                                       "Reload the page."))
                continue
            seen.add(row.id)
            if row.remove:
                plan.removals.append((index, delegate))
                final_roles.pop(row.id)
                continue
        else:
            delegate = None
        values = problems.check(clean_person, event, row.values,
                                PERSON_FIELDS, None if row.substitute else delegate, rename=prefix)
        sessions = problems.check(clean_sessions, event, row.session_ids, rename=prefix)
        # A row with problems counts with the role it asks for (no second, misleading problem).
        role = (values or row.values).get("role", delegate.role if delegate else "member")
        final_roles[row.id if delegate else f"new{index}"] = role
        if values is None:
            continue
        if delegate is None:
            plan.additions.append((index, values, sessions))
        else:
            (plan.substitutes if row.substitute else plan.edits).append((index, delegate, values, sessions))
    if not final_roles:
        problems.add(None, _("Register at least one person."))
    heads = list(final_roles.values()).count("head")
    if final_roles and heads != 1:
        problems.add("role", _("Name exactly one head of delegation.") if heads else
                     _("Name the head of delegation (exactly one person)."))
    if quota is not None and len(final_roles) > quota:
        problems.add(None, _("Your unit may register at most %(n)d people.", n=quota))
    problems.raise_if_any()
    check_session_room(event, plan)
    return plan


def check_session_room(event: Event, plan: Plan) -> None:
    """Sessions with a capacity: a save may not push a session beyond it. (A plain count, not a
    seat-style lock: session places are soft, the organizers see the totals.)"""
    before = session_counts(event.id)
    after = dict(before)

    def count(sessions, step: int) -> None:
        for session in sessions:
            after[session.id] = after.get(session.id, 0) + step

    for _index, delegate in plan.removals:
        count(delegate.sessions, -1)
    for _index, delegate, _values, sessions in [*plan.edits, *plan.substitutes]:
        if sessions is not None:
            count(delegate.sessions, -1)
            count(sessions, 1)
    for _index, _values, sessions in plan.additions:
        count(sessions or [], 1)
    for session in event.sessions:
        n = after.get(session.id, 0)
        if session.capacity is not None and n > session.capacity and n > before.get(session.id, 0):
            raise DomainError(_("The session “%(title)s” is full.",
                                    title=session.title_en or session.title_zh), "sessions")
