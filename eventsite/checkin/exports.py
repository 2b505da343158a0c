"""Attendance as XLSX and CSV (core/spreadsheet.py: typed cells, nothing runs as a formula): one
row per admitted delegate (unit, names, role, checked in at on the event's clock, by whom, how)
and one column per agenda session (the time the person was checked in there). Four statements
whatever the size of the event."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from ..accounts.models import User
from ..core.collation import sort_key
from ..core.gettext import gettext as _
from ..core.spreadsheet import write_csv, write_xlsx
from ..core.timezones import to_local
from ..delegations import labels as delegation_labels
from ..delegations.models import ADMITTED_DELEGATE_STATUSES, Delegate, Delegation
from ..events.models import AgendaSession, Event
from ..extensions import db
from ..members.models import MemberUnit, name_in
from . import labels
from .models import CheckIn, SessionCheckIn


def _local(instant: datetime | None, zone: str) -> datetime | None:
    return None if instant is None else to_local(instant, zone).replace(tzinfo=None, second=0, microsecond=0)


def table(event: Event, lang: str) -> tuple[list[str], list[list[object]]]:
    sessions = db.session.execute(
        sa.select(AgendaSession.id, AgendaSession.title_en, AgendaSession.title_zh)
        .where(AgendaSession.event_id == event.id).order_by(AgendaSession.starts_at, AgendaSession.id)).all()
    header = [_("Unit"), _("Name"), _("Name in Chinese"), _("Role"), _("Checked in at"), _("By"), _("How"),
              *(name_in(lang, s.title_en, s.title_zh) for s in sessions)]
    people = db.session.execute(
        sa.select(Delegate.id, Delegate.given_name, Delegate.family_name, Delegate.name_zh, Delegate.role,
                  MemberUnit.name_en.label("unit_en"), MemberUnit.name_zh.label("unit_zh"))
        .join(Delegation, Delegation.id == Delegate.delegation_id)
        .join(MemberUnit, MemberUnit.id == Delegation.unit_id)
        .where(Delegate.event_id == event.id, Delegate.status.in_(ADMITTED_DELEGATE_STATUSES))).all()
    door = {row.delegate_id: row for row in db.session.execute(
        sa.select(CheckIn.delegate_id, CheckIn.scanned_at, CheckIn.method, User.name, User.email)
        .outerjoin(User, User.id == CheckIn.by_id).where(CheckIn.event_id == event.id))}
    at_sessions = {(row.delegate_id, row.session_id): row.scanned_at for row in db.session.execute(
        sa.select(SessionCheckIn.delegate_id, SessionCheckIn.session_id, SessionCheckIn.scanned_at)
        .where(SessionCheckIn.event_id == event.id))}
    rows = []
    for person in people:
        unit = name_in(lang, person.unit_en, person.unit_zh)
        latin = " ".join(p for p in (person.given_name, person.family_name.upper()) if p)
        seen = door.get(person.id)
        rows.append([
            unit, latin, person.name_zh, delegation_labels.role(person.role),
            _local(seen.scanned_at, event.timezone) if seen else None,
            (seen.name or seen.email or "") if seen else "", labels.method(seen.method) if seen else "",
            *(_local(at_sessions.get((person.id, s.id)), event.timezone) for s in sessions),
        ])
    rows.sort(key=lambda row: (sort_key(row[0], lang), sort_key(row[1] or row[2], lang)))
    return header, rows


def attendance_xlsx(event: Event, lang: str, title: str) -> bytes:
    header, rows = table(event, lang)
    return write_xlsx(_("Attendance"), header, rows, fallback_title=title)


def attendance_csv(event: Event, lang: str) -> bytes:
    header, rows = table(event, lang)
    return write_csv(header, rows)
