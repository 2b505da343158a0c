"""Attendance exports read back: one row per admitted delegate, door check-in on the event's
clock with who and how, one column per session."""
from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone

from openpyxl import load_workbook

from eventsite.checkin.services import check_in
from eventsite.extensions import db

from .. import factories
from ..spreadsheet_checks import assert_no_formula


def _event():
    event = factories.make_event(timezone="Asia/Shanghai")
    first = factories.make_session(event, title_en="Opening", title_zh="开幕")
    factories.make_session(event, title_en="=Closing", title_zh="闭幕",
                           starts_at=event.starts_at + timedelta(hours=3))
    unit = factories.make_unit(name_en="Unit A", name_zh="甲市")
    _delegation, head = factories.make_delegation(event, unit, people=2)
    removed = factories.make_delegation(event, factories.make_unit(), people=1)[1]
    removed.status = "removed"
    organizer = factories.make_user("organizer", name="Door Keeper")
    at = datetime(2026, 5, 1, 1, 30, tzinfo=timezone.utc)  # 09:30 in Shanghai
    check_in(head, by=organizer, scanned_at=at, method="scan")
    check_in(head, by=organizer, scanned_at=at + timedelta(minutes=15), session=first)
    db.session.commit()
    return event, head


def test_attendance_xlsx_read_back(app, organizer_client):
    with app.app_context():
        event, head = _event()
        event_id, head_zh = event.id, head.name_zh
    response = organizer_client.get(f"/organizer/events/{event_id}/checkin/attendance.xlsx")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Unit", "Name", "Name in Chinese", "Role", "Checked in at", "By", "How", "Opening",
                       "=Closing")
    assert len(rows) == 3  # the two admitted people; the removed one is left out
    came = next(r for r in rows[1:] if r[2] == head_zh)
    assert came[0] == "Unit A" and came[3] == "Head of delegation"
    assert came[4] == datetime(2026, 5, 1, 9, 30) and came[5] == "Door Keeper" and came[6] == "Badge scanned"
    assert came[7] == datetime(2026, 5, 1, 9, 45) and came[8] is None
    other = next(r for r in rows[1:] if r[2] != head_zh)
    assert other[4] is None and other[5] in ("", None)


def test_attendance_csv_read_back(app, organizer_client):
    with app.app_context():
        event, head = _event()
        event_id, head_zh = event.id, head.name_zh
    response = organizer_client.get(f"/organizer/events/{event_id}/checkin/attendance.csv")
    assert response.status_code == 200
    text = assert_no_formula(response.data)
    line = next(line for line in text.splitlines() if head_zh in line)
    assert "2026-05-01 09:30" in line and "2026-05-01 09:45" in line and "Door Keeper" in line
    assert "'=Closing" in text.splitlines()[0]
