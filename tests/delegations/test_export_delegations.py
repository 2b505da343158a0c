"""CSV and XLSX exports of delegates: BOM and Chinese, formula cells and segments neutralized
(CSV read back with every delimiter), typed XLSX cells (text without a visible apostrophe, real
dates and times, language names), a workbook that opens whatever the title, times on the event's
clock, the overview's filters, headers in the organizer's language, audit."""
from __future__ import annotations

from datetime import date, datetime, time, timezone

import pytest

from eventsite.audit.models import AuditEntry
from eventsite.delegations import exports
from eventsite.events.models import Event
from eventsite.extensions import db

from .. import factories
from ..spreadsheet_checks import load_xlsx, read_csv
from .admin_seed import make_delegation

# The queries (GROUP BY, FILTER, LIKE escapes, row locks) must work on both databases.
pytestmark = pytest.mark.both_dbs

UTC = timezone.utc
DANGEROUS = ['=HYPERLINK("http://evil.example/","x")', "+86 138 0000 0000", "-1", "@SUM(A1:A2)",
             "\tTab", "\rCR"]


def seed(app, title="Urban Forum"):
    with app.app_context():
        event = factories.make_event(timezone="Europe/Brussels", title_en=title)
        plenary = factories.make_session(event, title_en="Smart cities", delegates_choose=True)
        chengdu = factories.make_unit(name_zh="成都市", name_en="Chengdu")
        evil = factories.make_unit(name_zh="", name_en=DANGEROUS[0], kind="foreign_city", country="FR")
        first = make_delegation(event, chengdu, "confirmed", [
            {"family_name": "Wang", "given_name": "Wei", "name_zh": "王伟", "title": "市长",
             "email": "wang@example.org", "language": "zh", "dietary": "素食",
             "arrival_at": datetime(2030, 4, 1, 22, 30, tzinfo=UTC),  # 00:30 CEST on Apr 2
             "arrival_details": "CA 933", "notes": "第一行\n第二行"},
        ])
        first.delegates[0].sessions = [plenary]
        make_delegation(event, evil, "submitted", [
            {"family_name": DANGEROUS[2], "given_name": DANGEROUS[3], "mobile": DANGEROUS[1],
             "title": DANGEROUS[4], "organization": DANGEROUS[5], "notes": "bad\x01char",
             "dietary": "Vegetarian please;=2+3", "accessibility": "ramp|@SUM(A1)\n-1",
             "language": "en"},
        ])
        db.session.commit()
        return event.id


def test_csv_export(app, organizer_client):
    event_id = seed(app)
    response = organizer_client.get(f"/organizer/events/{event_id}/delegations.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert response.headers["Content-Disposition"] == f'attachment; filename="delegations-{event_id}.csv"'
    assert response.headers["Cache-Control"] == "no-store"
    table = read_csv(response.data)
    header, rows = table[0], table[1:]
    assert header[:4] == ["Unit", "Delegation status", "Delegate status", "Role"]
    assert len(rows) == 2
    wang = dict(zip(header, rows[0]))
    assert (wang["Unit"], wang["Name in Chinese"], wang["Title / position"]) == ("Chengdu", "王伟", "市长")
    assert (wang["Arrival date"], wang["Arrival time"], wang["Arrival flight or train number"]) == (
        "2030-04-02", "00:30", "CA 933")
    assert wang["Sessions chosen"] == "Smart cities"
    assert wang["Notes"] == "第一行\n第二行"
    assert wang["Delegate status"] == "Confirmed" and wang["Role"] == "Head of delegation"
    assert wang["Language"] == "Chinese"
    evil = dict(zip(header, rows[1]))
    assert evil["Unit"] == "'" + DANGEROUS[0]
    assert (evil["Family name"], evil["Given name"], evil["Mobile"]) == ("'-1", "'@SUM(A1:A2)", "'+86 138 0000 0000")
    assert evil["Title / position"] == "'\tTab" and evil["Organization"] == "'\rCR"
    assert evil["Dietary needs"] == "Vegetarian please;'=2+3"
    assert evil["Accessibility needs"] == "ramp|'@SUM(A1)\n'-1"
    assert evil["Language"] == "English"


def test_xlsx_export(app, organizer_client):
    event_id = seed(app)
    response = organizer_client.get(f"/organizer/events/{event_id}/delegations.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_xlsx(response.data)  # no formula, text cells in the Text format
    assert sheet.title == "Urban Forum"
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header, rows = values[0], values[1:]
    assert header[0] == "Unit" and len(rows) == 2
    wang = dict(zip(header, rows[0]))
    assert wang["Name in Chinese"] == "王伟" and wang["Language"] == "Chinese"
    assert wang["Arrival date"] == datetime(2030, 4, 2) and wang["Arrival time"] == time(0, 30)
    evil = dict(zip(header, rows[1]))
    # Text as typed: no apostrophe shown (Excel's quote prefix keeps it text).
    assert evil["Unit"] == DANGEROUS[0] and evil["Mobile"] == "+86 138 0000 0000"
    assert evil["Dietary needs"] == "Vegetarian please;=2+3"
    assert evil["Notes"] == "badchar"  # a control character XML cannot hold is dropped
    mobile = sheet.cell(row=3, column=header.index("Mobile") + 1)
    assert mobile.data_type == "s" and mobile.number_format == "@" and mobile.quotePrefix
    arrival = sheet.cell(row=2, column=header.index("Arrival date") + 1)
    assert arrival.is_date and arrival.value.date() == date(2030, 4, 2)


@pytest.mark.parametrize("title", ["Forum\x01\x0b 2030", "[Q1]: a/b\\c*?", "\x1f\x7f", "'History'",
                                   "城镇化论坛" * 10])
def test_xlsx_of_an_event_with_any_title_opens(app, organizer_client, title):
    event_id = seed(app, title=title)
    response = organizer_client.get(f"/organizer/events/{event_id}/delegations.xlsx")
    assert response.status_code == 200
    sheet = load_xlsx(response.data)
    assert sheet.title and len(sheet.title) <= 31
    assert not any(ch in sheet.title for ch in "[]:*?/\\\x00\x01\x0b")
    assert len(list(sheet.iter_rows())) == 3


def test_filters_apply_and_export_is_audited(app, organizer_client):
    event_id = seed(app)
    table = read_csv(organizer_client.get(f"/organizer/events/{event_id}/delegations.csv",
                                          query_string={"status": "confirmed"}).data)
    assert [row[0] for row in table[1:]] == ["Chengdu"]
    table = read_csv(organizer_client.get(f"/organizer/events/{event_id}/delegations.csv",
                                          query_string={"q": "王伟"}).data)
    assert len(table) == 2
    organizer_client.get(f"/organizer/events/{event_id}/delegations.xlsx")
    with app.app_context():
        entries = db.session.scalars(db.select(AuditEntry).filter_by(action="delegation.export")
                                     .order_by(AuditEntry.id)).all()
        assert [e.details["format"] for e in entries] == ["csv", "csv", "xlsx"]
        assert entries[0].details == {"format": "csv", "rows": 1, "filters": {"status": "confirmed"}}
        assert entries[0].actor_id == organizer_client.user_id
        assert entries[0].target_type == "event" and entries[0].target_id == event_id


def test_headers_in_the_organizers_language(app, organizer_client):
    event_id = seed(app)
    with app.app_context():
        user = db.session.get(factories.User, organizer_client.user_id)
        user.locale = "zh"
        db.session.commit()
    table = read_csv(organizer_client.get(f"/organizer/events/{event_id}/delegations.csv").data)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        english = exports.header(db.session.get(Event, event_id))
    assert len(table[0]) == len(english) and table[0] != english  # translated, complete
    assert table[1][0] == "成都市"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_of_an_event_without_delegations(app, organizer_client, fmt):
    with app.app_context():
        event = factories.make_event()
        db.session.commit()
        event_id = event.id
    response = organizer_client.get(f"/organizer/events/{event_id}/delegations.{fmt}")
    assert response.status_code == 200
    if fmt == "csv":
        assert len(read_csv(response.data)) == 1
    else:
        assert len(list(load_xlsx(response.data).iter_rows())) == 1
