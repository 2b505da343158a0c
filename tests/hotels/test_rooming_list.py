"""Rooming lists read back with openpyxl and csv, in both hotel languages, with the marks of
what changed since the previous list issued to the hotel."""
from __future__ import annotations

import csv
import io
from datetime import date

from openpyxl import load_workbook

from eventsite.audit.models import AuditEntry
from eventsite.extensions import db
from eventsite.hotels import services
from eventsite.hotels.models import RoomingList

from .helpers import change, setup

URL = "/organizer/events/{}/hotels/{}/rooming-list.{}"


def _xlsx(data: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(data)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def _prepared(app, login, language):
    with app.app_context():
        event, hotel, block, people, organizer = setup(people=3, rooms=3)
        hotel.list_language = language
        a, b, c = people
        a.passport_name = "LI MING PASSPORT"
        db.session.commit()
        services.assign(event, [change(a, block, mate=b, notes="Late arrival"), change(b, block, mate=a)],
                        organizer)
        ids = event.id, hotel.id, block.id, [p.id for p in people], organizer.id
        names = {p.id: (p.family_name.upper() + " " + p.given_name, p.name_zh) for p in people}
    client = app.test_client()
    with app.app_context():
        from eventsite.accounts.models import User
        login(client, db.session.get(User, ids[4]))
    return client, ids, names


def test_first_list_in_chinese_marks_nothing(app, login):
    client, (event_id, hotel_id, block_id, (a, b, c), _o), names = _prepared(app, login, "zh")
    response = client.get(URL.format(event_id, hotel_id, "xlsx"))
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    rows = _xlsx(response.data)
    assert rows[0] == ["客人姓名", "中文姓名", "单位", "房型", "同住人", "入住日期", "退房日期", "晚数", "备注",
                       "与上一份名单相比的变化"]
    assert rows[1][:5] == ["LI MING PASSPORT", names[a][1], rows[1][2], "双床房", names[b][0]]
    assert rows[1][5].date() == date(2030, 5, 10) and rows[1][7] == 3 and rows[1][8] == "Late arrival"
    assert rows[2][0] == names[b][0] and rows[2][4] == "LI MING PASSPORT"
    assert [r[9] for r in rows[1:]] == [None, None]
    with app.app_context():
        entry = db.session.scalars(db.select(AuditEntry).filter_by(action="rooming_list.issue")).one()
        assert entry.details["format"] == "xlsx" and entry.details["rows"] == 2


def test_next_list_in_english_marks_new_changed_removed(app, login):
    client, (event_id, hotel_id, block_id, (a, b, c), organizer_id), names = _prepared(app, login, "en")
    first = _csv(client.get(URL.format(event_id, hotel_id, "csv")).data)
    assert first[0][0] == "Guest name" and first[0][-1] == "Changes since the last list"
    assert [r[-1] for r in first[1:]] == ["", ""]
    with app.app_context():
        from eventsite.accounts.models import User
        from eventsite.events.models import Event

        event, organizer = db.session.get(Event, event_id), db.session.get(User, organizer_id)
        services.assign(event, [services.Change(a, block_id, mate_id=b, check_in=date(2030, 5, 11),
                                                notes="Late arrival"),
                                services.Change(b, None), services.Change(c, block_id)], organizer)
    rows = _csv(client.get(URL.format(event_id, hotel_id, "csv")).data)
    marks = {r[0]: r[-1] for r in rows[1:]}
    assert marks == {"LI MING PASSPORT": "Changed", names[c][0]: "New", names[b][0]: "Removed"}
    changed = next(r for r in rows[1:] if r[0] == "LI MING PASSPORT")
    assert changed[4] == "" and changed[5] == "2030-05-11" and changed[7] == "2"
    # A third list with nothing changed marks nothing (removed rows are gone).
    third = _csv(client.get(URL.format(event_id, hotel_id, "csv")).data)
    assert [r[-1] for r in third[1:]] == ["", ""]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(RoomingList.id))) == 3


def test_lists_are_for_staff_only(app, client, login, liaison_client):
    with app.app_context():
        event, hotel, block, people, organizer = setup(people=1)
        event_id, hotel_id = event.id, hotel.id
    assert liaison_client.get(URL.format(event_id, hotel_id, "xlsx")).status_code == 403
    assert client.get(URL.format(event_id, hotel_id, "csv")).status_code in (302, 401)
