"""The audit page's read side: entries in words. Actions and keys get their labels (labels.py),
ids become names (accounts, units, events, sessions, delegates: one query per kind for the whole
page, whatever its size; the record too, in the reader's language), field changes read "field:
old → new", stored times read as local times, a move of the agenda as "1 hour later", statuses by
their labels. Details of any shape (old entries, unknown keys) still read, as text."""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from ..core.gettext import gettext as _
from ..core.i18n import format_instant
from ..core.timefmt import shift_text
from ..extensions import db
from . import labels
from .models import AuditEntry

# Keys whose values are ids of another record: one id, or a list of ids (or of pairs: replaced →
# by); a number under a plural key is a count ("sessions": 2), not an id.
ID_KEYS = {"replaces": "delegate", "unit_id": "unit", "copied_from": "event", "session_id": "session",
           "user_id": "user", "event_id": "event"}
ID_LIST_KEYS = {"added": "delegate", "removed": "delegate", "changed": "delegate", "substituted": "delegate",
                "sessions": "session"}
CHANGE_KEYS = ("changes", "changed")
# The kind of record an entry is about, for its name (target_label keeps the name it had then).
TARGET_KINDS = {"event": "event", "agenda_session": "session", "delegate": "delegate", "member_unit": "unit",
                "user_account": "user", "invitation": "invitation", "delegation": "delegation"}
# A stored instant (isoformat) and a stored timedelta (str: "1:00:00", "-1 day, 23:00:00").
ISO_INSTANT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?([+-]\d\d:\d\d|Z)?$")
DURATION = re.compile(r"^(?:(-?\d+) days?, )?(\d+):(\d\d):(\d\d)$")


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass
class Line:
    """One detail: its label and a text, or the field changes it lists."""

    label: str
    text: str = ""
    changes: list[Change] = field(default_factory=list)


@dataclass(frozen=True)
class Row:
    entry: AuditEntry
    action: str
    target_type: str
    lines: list[Line]
    record: str = ""  # the record's name now, in the reader's language (else as recorded)


class Names:
    """Ids asked for while reading the page's details, then resolved: one query per kind."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.wanted: dict[str, set[int]] = defaultdict(set)
        self.names: dict[str, dict[int, str]] | None = None

    def __call__(self, kind: str, value: Any) -> str:
        if not _is_id(value):
            return _text(value)
        if self.names is None:
            self.wanted[kind].add(value)
            return ""
        return self.names.get(kind, {}).get(value) or f"#{value}"

    def name_of(self, kind: str | None, value: Any) -> str | None:
        """The record's name once resolved (None while collecting, or for a record since deleted)."""
        if kind is None or not _is_id(value):
            return None
        if self.names is None:
            self.wanted[kind].add(value)
            return None
        return self.names.get(kind, {}).get(value)

    def resolve(self) -> None:
        self.names = {kind: _load(kind, ids, self.language) for kind, ids in self.wanted.items() if ids}


def rows(entries: list[AuditEntry], language: str) -> list[Row]:
    """The page's entries in words, in `language`."""
    names = Names(language)
    for entry in entries:  # first pass: which ids the page names
        _lines(entry, names)
        names.name_of(TARGET_KINDS.get(entry.target_type or ""), entry.target_id)
    names.resolve()
    return [Row(entry, labels.action_label(entry.action), labels.target_type_label(entry.target_type),
                _lines(entry, names),
                names.name_of(TARGET_KINDS.get(entry.target_type or ""), entry.target_id)
                or entry.target_label or "")
            for entry in entries]


def action_choices(codes: list[str]) -> list[tuple[str, str]]:
    """The filter's options: every labelled action and any other code found in the log, by label."""
    every = set(labels.ACTION_LABELS) | set(codes)
    return sorted(((code, labels.action_label(code)) for code in every), key=lambda pair: pair[1].lower())


def _lines(entry: AuditEntry, names: Names) -> list[Line]:
    details = entry.details if isinstance(entry.details, dict) else {"": entry.details}
    lines = []
    for key, value in details.items():
        if key == "session" and _is_id(details.get("session_id")) and isinstance(value, str):
            # One line for the session: its name now, in the reader's language; the title as
            # recorded for one since deleted.
            lines.append(Line(labels.key_label(key), names.name_of("session", details["session_id"]) or value))
        elif not (key == "session_id" and isinstance(details.get("session"), str)):
            lines.append(_line(str(key), value, entry.target_type, names))
    return lines


def _line(key: str, value: Any, target_type: str | None, names: Names) -> Line:
    label = labels.key_label(key)
    if key in CHANGE_KEYS and isinstance(value, dict):
        return Line(label, changes=[_change(target_type, str(f), v, names) for f, v in value.items()])
    if key in ID_KEYS:
        return Line(label, _ids(ID_KEYS[key], value, names))
    plain = key.rsplit(".", 1)[-1]
    if plain in ID_LIST_KEYS and isinstance(value, list):
        return Line(label, _ids(ID_LIST_KEYS[plain], value, names))
    if plain == "by" and isinstance(value, str) and (shift := _duration(value)) is not None:
        return Line(label, shift_text(shift))
    if plain == "status" and isinstance(value, str):
        return Line(label, _status(target_type, value))
    if isinstance(value, dict):  # e.g. {"sessions": [...], "by": "1:00:00"}: "agenda_moved.by" first
        parts = [_line(f"{key}.{k}" if f"{key}.{k}" in labels.KEY_LABELS else str(k), v, target_type, names)
                 for k, v in value.items()]
        return Line(label, "; ".join(f"{p.label}: {p.text}" for p in parts))
    return Line(label, _text(value))


def _change(target_type: str | None, name: str, value: Any, names: Names) -> Change:
    if isinstance(value, dict) and set(value) <= {"old", "new"}:
        old, new = value.get("old"), value.get("new")
    elif isinstance(value, (list, tuple)) and len(value) == 2:
        old, new = value
    else:
        old, new = None, value
    kind = ID_KEYS.get(name) or (ID_LIST_KEYS.get(name) if isinstance(new, list) else None)
    if kind:
        return Change(labels.field_label(target_type, name), _ids(kind, old, names), _ids(kind, new, names))
    if name == "status":
        return Change(labels.field_label(target_type, name), _status(target_type, old), _status(target_type, new))
    return Change(labels.field_label(target_type, name), _text(old), _text(new))


def _ids(kind: str, value: Any, names: Names) -> str:
    if _is_id(value):
        return names(kind, value)
    if isinstance(value, (list, tuple)):
        if value and all(isinstance(v, (list, tuple)) and len(v) == 2 for v in value):  # replaced → by
            return ", ".join(f"{names(kind, a)} → {names(kind, b)}" for a, b in value)
        return ", ".join(names(kind, v) for v in value) or "—"
    return _text(value)


def _text(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, str):
        label = labels.VALUE_LABELS.get(value)
        if label is None and ISO_INSTANT.match(value):
            return _instant(value)
        return str(label) if label is not None else value
    if isinstance(value, (list, tuple)):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{labels.key_label(str(k))}: {_text(v)}" for k, v in value.items())
    return str(value)


def _instant(value: str) -> str:
    """A stored instant in the reader's zone and locale (a naive one was stored as UTC)."""
    try:
        instant = datetime.fromisoformat(value)
    except ValueError:
        return value
    return format_instant(instant if instant.tzinfo else instant.replace(tzinfo=UTC))


def _duration(value: str) -> timedelta | None:
    found = DURATION.match(value.strip())
    if not found:
        return None
    days, hours, minutes, seconds = (int(part or 0) for part in found.groups())
    return timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)


def _status(target_type: str | None, code: Any) -> str:
    """A status code by its label for that kind of record (the features' labels, read when drawn)."""
    if not isinstance(code, str):
        return _text(code)
    if target_type in ("delegation", "delegate"):
        from ..delegations import labels as delegation_labels

        found = (delegation_labels.DELEGATION_STATUS_LABELS if target_type == "delegation"
                 else delegation_labels.DELEGATE_STATUS_LABELS).get(code)
    elif target_type == "invitation":
        from ..invitations.labels import STATUS_LABELS

        found = STATUS_LABELS.get(code)
    elif target_type == "event":
        from ..events.labels import EVENT_STATUS_LABELS

        found = EVENT_STATUS_LABELS.get(code)
    else:
        found = None
    return str(found) if found is not None else _text(code)


def _is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _load(kind: str, ids: set[int], language: str) -> dict[int, str]:
    """{id: name} of one kind of record, in one query. The features build on audit: their models
    are imported when a page is drawn, not when audit is."""
    if kind == "user":
        from ..accounts.models import User

        return {i: name or email for i, name, email in db.session.execute(
            db.select(User.id, User.name, User.email).where(User.id.in_(ids)))}
    if kind == "unit":
        from ..members.models import MemberUnit

        return {u.id: u.display_name(language) for u in db.session.scalars(
            db.select(MemberUnit).where(MemberUnit.id.in_(ids)))}
    if kind in ("event", "session"):
        from ..events.models import AgendaSession, Event

        model = Event if kind == "event" else AgendaSession
        return {i: (zh if language == "zh" and zh else en or zh) for i, en, zh in db.session.execute(
            db.select(model.id, model.title_en, model.title_zh).where(model.id.in_(ids)))}
    if kind in ("invitation", "delegation"):
        from ..delegations.models import Delegation
        from ..events.models import Event
        from ..invitations.models import Invitation
        from ..members.models import MemberUnit

        model = Invitation if kind == "invitation" else Delegation
        found = db.session.execute(
            db.select(model.id, MemberUnit, Event.title_en, Event.title_zh)
            .join(MemberUnit, MemberUnit.id == model.unit_id).join(Event, Event.id == model.event_id)
            .where(model.id.in_(ids)))
        return {i: f"{unit.display_name(language)} · {zh if language == 'zh' and zh else en or zh}"
                for i, unit, en, zh in found}
    if kind == "delegate":
        from ..delegations.models import Delegate

        return {d.id: d.display_name(language) for d in db.session.scalars(
            db.select(Delegate).where(Delegate.id.in_(ids)))}
    return {}
