"""The audit log in words (issue 16): actions and detail keys in the reader's language, ids as
names (delegates, units, sessions, events, accounts: one query per kind for the page), field
changes as "field: old → new", old and unknown entries still readable; the action filter offers
the labelled actions."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from eventsite.audit.models import AuditEntry
from eventsite.extensions import db

from .. import factories
from ..conftest import count_statements


@pytest.fixture
def app(app_factory):
    return app_factory(PAGE_CACHE_SECONDS=0)


def _client(app, login, language: str):
    with app.app_context():
        user = factories.make_user(role="admin", locale=language)
        db.session.commit()
        client = app.test_client()
        login(client, user)
    return client


def _seed(copies: int = 1) -> dict:
    """`copies` sets of entries, each naming its own delegates, unit, sessions and event."""
    names: dict = {}
    for _ in range(copies):
        unit = factories.make_unit(name_en="Chengdu Municipality", name_zh="成都市")
        event = factories.make_event(title_en="Brussels Forum", title_zh="布鲁塞尔论坛")
        opening = factories.make_session(event, title_en="Opening", title_zh="开幕式")
        lunch = factories.make_session(event, title_en="Lunch", title_zh="午餐")
        delegation, head = factories.make_delegation(event, unit, people=3)
        second, third = [d for d in delegation.delegates if d.id != head.id]
        user = factories.make_user(role="organizer", name="Wang Fang")
        db.session.add_all([
            AuditEntry(action="delegation.update", target_type="delegation", target_id=delegation.id,
                       details={"by_organizer": True, "added": [head.id, second.id], "removed": [third.id],
                                "substituted": [[third.id, second.id]]}),
            AuditEntry(action="event.update", target_type="event", target_id=event.id, target_label="Brussels Forum",
                       details={"changed": {"venue_name": ["Old hall", "New hall"]}, "sequence": 3,
                                "agenda_moved": {"sessions": [opening.id, lunch.id], "by": "1:00:00"}}),
            AuditEntry(action="user.update", target_type="user_account", target_id=user.id,
                       details={"changes": {"unit_id": {"old": None, "new": unit.id}}}),
            AuditEntry(action="contact.create", target_type="contact", target_id=1, details={"unit_id": unit.id}),
            AuditEntry(action="event.duplicate", target_type="event", target_id=event.id,
                       details={"copied_from": event.id, "days": 365, "sessions": 2}),
            AuditEntry(action="auth.login_failed", details={"email": "x@example.org", "reason": "password",
                                                            "locked": False}),
        ])
        names = {"head": head, "second": second, "third": third}
    db.session.commit()
    return {k: (d.display_name("en"), d.display_name("zh")) for k, d in names.items()}


def _details(html: str) -> dict[str, str]:
    """{action label: details text} of each row."""
    rows = BeautifulSoup(html, "html.parser").select("tbody tr")
    return {r.select_one(".audit-action").contents[0].strip(): r.select_one(".audit-details").get_text(" ", strip=True)
            for r in rows if r.select_one(".audit-action")}


def test_the_log_reads_in_words_in_english(app, login):
    with app.app_context():
        people = _seed()
    html = _client(app, login, "en").get("/admin/audit/").get_data(as_text=True)
    rows = _details(html)
    head, second, third = (people[k][0] for k in ("head", "second", "third"))
    assert rows["Delegation changed"] == (f"Saved by an organizer: Yes Added: {head}, {second} Removed: {third} "
                                          f"Replaced: {third} → {second}")
    assert rows["Event changed"] == ("Changed: Venue: Old hall → New hall Calendar version: 3 "
                                     "Sessions moved with the event: Sessions: Opening, Lunch; Moved by: 1 hour later")
    assert rows["Account changed"] == "Changes: Member unit: — → Chengdu Municipality"
    assert rows["Contact added"] == "Member unit: Chengdu Municipality"
    assert rows["Event duplicated"] == "Copied from: Brussels Forum Days: 365 Sessions: 2"
    assert rows["Failed login"] == "Email: x@example.org Reason: wrong password Locked: No"
    assert "[" not in "".join(rows.values())  # no raw lists of ids


def test_the_log_reads_in_words_in_chinese(app, login):
    with app.app_context():
        people = _seed()
    html = _client(app, login, "zh").get("/admin/audit/").get_data(as_text=True)
    rows = _details(html)
    head, second, third = (people[k][1] for k in ("head", "second", "third"))
    assert rows["修改代表团"] == f"由组织方保存: 是 新增: {head}, {second} 已移除: {third} 已替换: {third} → {second}"
    assert rows["修改活动"] == "更改: 场地: Old hall → New hall 日历版本: 3 随活动移动的议程项目: 议程项目: 开幕式, 午餐; 移动幅度: 推迟1小时"
    assert rows["修改账户"] == "更改内容: 成员单位: — → 成都市"
    assert rows["登录失败"] == "电子邮件: x@example.org 原因: 密码错误 已锁定: 否"
    assert "活动" in BeautifulSoup(html, "html.parser").select_one("tbody").get_text()  # record kinds too


def test_old_and_unknown_entries_still_read(app, login):
    with app.app_context():
        db.session.add_all([
            AuditEntry(action="legacy.thing", target_type="gadget", target_id=4,
                       details={"weird": [1, {"a": 2}], "nothing": None, "changed": {"colour": ["red", "blue"]},
                                "added": ["not an id"]}),
            AuditEntry(action="delegation.update", details={"added": [999999], "changed": 5}),
            AuditEntry(action="event.update", details={"agenda_moved": {"sessions": 4, "by": "7 days, 0:00:00"}}),
        ])
        db.session.commit()
    for language in ("en", "zh"):
        response = _client(app, login, language).get("/admin/audit/")
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert "legacy.thing" in html and "weird" in html and "colour" in html and "red" in html
        assert "#999999" in html  # a record since deleted: its id


def test_the_filter_offers_the_labelled_actions(app, login):
    with app.app_context():
        _seed()
        db.session.add(AuditEntry(action="legacy.thing"))
        db.session.commit()
    client = _client(app, login, "zh")
    page = BeautifulSoup(client.get("/admin/audit/").data, "html.parser")
    options = {o["value"]: o.get_text() for o in page.select("#f-action option")}
    assert options["delegation.update"] == "修改代表团" and options["auth.login"] == "登录"
    assert options["legacy.thing"] == "legacy.thing"
    filtered = _details(client.get("/admin/audit/?action=event.update").get_data(as_text=True))
    assert list(filtered) == ["修改活动"]


@pytest.mark.both_dbs
def test_names_cost_one_query_per_kind_not_one_per_row(app, login):
    client = _client(app, login, "en")
    counts = []
    for copies in (1, 7):  # 6 entries, then 48
        with app.app_context():
            _seed(copies)
            engine = db.engine
        with count_statements(engine) as seen:
            response = client.get("/admin/audit/")
        assert response.status_code == 200
        counts.append(len(seen))
    assert counts[0] == counts[1], counts


def test_every_field_the_event_and_session_forms_save_has_a_label(app):
    """The audit shows an event's or a session's changes by the form's field names: each one the
    forms hand to the services is labelled (the bilingual place fields too), never a raw key."""
    from eventsite.audit.labels import FIELD_LABELS
    from eventsite.events.forms import EventForm, SessionForm

    with app.test_request_context():
        fields = set(EventForm(meta={"csrf": False}).values()) | set(SessionForm(meta={"csrf": False}).values())
    assert {"city_en", "city_zh", "venue_name_zh", "room_en"} <= fields
    assert not fields - set(FIELD_LABELS["event"]), fields - set(FIELD_LABELS["event"])


@pytest.mark.parametrize("language", ["en", "zh"])
def test_records_times_moves_and_statuses_read_in_the_readers_words(app, login, language):
    """The record's name in the reader's language (not the label stored then), a session by its
    name now (as recorded once deleted), stored instants as local times, the agenda's move as "1 hour later", statuses by their labels."""
    with app.app_context():
        unit = factories.make_unit(name_en="Chengdu Municipality", name_zh="成都市")
        event = factories.make_event(title_en="Brussels Forum", title_zh="布鲁塞尔论坛")
        delegation, _head = factories.make_delegation(event, unit)
        opening = factories.make_session(event, title_en="Opening", title_zh="开幕式")
        db.session.add_all([
            AuditEntry(action="event.session_add", target_type="event", target_id=event.id,
                       details={"session_id": opening.id, "session": "Opening"}),
            AuditEntry(action="event.session_delete", target_type="event", target_id=event.id,
                       details={"session_id": 999999, "session": "Gone"}),
            AuditEntry(action="event.update", target_type="event", target_id=event.id, target_label="Brussels Forum",
                       details={"changed": {"starts_at": ["2027-01-14T01:00:00+00:00", "2027-01-14T02:00:00+00:00"]},
                                "agenda_moved": {"sessions": [], "by": "-1 day, 23:00:00"},
                                "invitations_expire_at": "2027-01-14T02:00:00+00:00"}),
            AuditEntry(action="delegation.submit", target_type="delegation", target_id=delegation.id,
                       target_label="Delegation 1", details={"status": "confirmed"}),
        ])
        db.session.commit()
        client = _client(app, login, language)
        with app.app_context():
            from eventsite.accounts.models import User

            user = db.session.scalars(db.select(User).filter_by(role="admin")).first()
            user.timezone = "Asia/Shanghai"
            db.session.commit()
    page = BeautifulSoup(client.get("/admin/audit/").data, "html.parser")
    rows = {r["data-action"]: r for r in page.select("tbody tr[data-action]")}
    event_row, delegation_row = rows["event.update"], rows["delegation.submit"]
    details = event_row.select_one(".audit-details").get_text(" ", strip=True)
    added = rows["event.session_add"].select_one(".audit-details").get_text(" ", strip=True)
    assert added == ("议程项目: 开幕式" if language == "zh" else "Session: Opening")
    assert rows["event.session_delete"].select_one(".audit-details").get_text(" ", strip=True).endswith(": Gone")
    assert "2027-01-14T" not in details and "23:00:00" not in details
    if language == "zh":
        assert "布鲁塞尔论坛" in event_row.select_one(".audit-record").get_text()
        assert "成都市 · 布鲁塞尔论坛" in delegation_row.select_one(".audit-record").get_text()
        assert "提前1小时" in details and "10:00" in details and "9:00" in details
        assert "状态: 已确认" in delegation_row.select_one(".audit-details").get_text(" ", strip=True)
    else:
        assert "Brussels Forum" in event_row.select_one(".audit-record").get_text()
        assert "Chengdu Municipality · Brussels Forum" in delegation_row.select_one(".audit-record").get_text()
        assert "1 hour earlier" in details and "10:00" in details and "9:00" in details
        assert "Status: Confirmed" in delegation_row.select_one(".audit-details").get_text(" ", strip=True)
