"""Directory, unit pages, contacts and the public list, through the real pages."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from eventsite.audit.models import AuditEntry
from eventsite.extensions import db
from eventsite.members.models import Contact, MemberUnit

from .. import factories
from ..conftest import csrf_token


def unit_form(**fields):
    return {"kind": "prefecture_city", "name_zh": "", "name_en": "", "country": "CN", "province": "",
            "region": "", "batch": "", "joined_on": "", "website": "", "notes": "", "tags": "",
            "is_active": "y", **fields}


def contact_form(**fields):
    return {"role": "mayor", "name_zh": "", "name_latin": "", "title": "", "email": "", "phone": "",
            "language": "zh", "receives_invitations": "y", **fields}


def audit_actions(app):
    with app.app_context():
        return [e.action for e in db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id))]


@pytest.fixture
def directory(app):
    with app.app_context():
        chengdu = factories.make_unit(name_zh="成都市", name_en="Chengdu", tags=["Belt and Road"])
        factories.make_contact(chengdu, name_zh="王小明", name_latin="WANG Xiaoming")
        factories.make_unit(kind="county_city", name_zh="义乌市", name_en="Yiwu", province="CN-ZJ")
        factories.make_unit(kind="foreign_city", name_zh="米兰", name_en="Milan", country="IT",
                            province="Lombardy")
        factories.make_unit(name_zh="旧市", name_en="Old_100% City", is_active=False)
        db.session.commit()


def names(html: str, candidates=("Chengdu", "Yiwu", "Milan", "Old_100% City")) -> set[str]:
    return {n for n in candidates if n in html}


@pytest.mark.both_dbs
def test_directory_search_and_filters(app, organizer_client, directory):
    get = lambda q: organizer_client.get("/directory/", query_string=q).get_data(as_text=True)  # noqa: E731
    assert names(get({})) == {"Chengdu", "Yiwu", "Milan"}
    assert names(get({"q": "义乌"})) == {"Yiwu"}
    assert names(get({"q": "chENG"})) == {"Chengdu"}
    assert names(get({"q": "小明"})) == {"Chengdu"}           # a contact's Chinese name
    assert names(get({"q": "wang xiao"})) == {"Chengdu"}      # a contact's Latin name
    assert names(get({"q": "%", "status": "all"})) == {"Old_100% City"}  # wildcards are literal
    assert names(get({"q": "_", "status": "all"})) == {"Old_100% City"}
    assert names(get({"kind": "county_city"})) == {"Yiwu"}
    assert names(get({"province": "CN-ZJ"})) == {"Yiwu"}
    assert names(get({"tag": "Belt and Road"})) == {"Chengdu"}
    assert names(get({"status": "inactive"})) == {"Old_100% City"}
    assert names(get({"status": "all"})) == {"Chengdu", "Yiwu", "Milan", "Old_100% City"}
    html = get({"q": "Milan"})
    assert "Italy" in html and "Lombardy" in html
    assert "Sichuan" in get({"q": "Chengdu"})


def test_directory_has_no_n_plus_one(app, organizer_client):
    def count_queries(n_units: int) -> int:
        with app.app_context():
            for _ in range(n_units):
                unit = factories.make_unit(tags=["A", "B"])
                factories.make_contact(unit)
            db.session.commit()
            engine = db.engine
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        sa.event.listen(engine, "before_cursor_execute", listener)
        try:
            assert organizer_client.get("/directory/").status_code == 200
        finally:
            sa.event.remove(engine, "before_cursor_execute", listener)
        return len(statements)

    assert count_queries(3) == count_queries(20)


def test_create_edit_deactivate_reactivate_unit(app, admin_client):
    token = csrf_token(admin_client, "/directory/new")
    response = admin_client.post("/directory/new", data=unit_form(
        csrf_token=token, name_zh="绵阳市", name_en="Mianyang", province="CN-SC", batch="2",
        joined_on="2018-05-10", tags="Belt and Road、 Smart city, Belt and Road", website="https://mianyang.example.org"))
    assert response.status_code == 302
    with app.app_context():
        unit = db.session.scalar(db.select(MemberUnit).filter_by(name_zh="绵阳市"))
        assert (unit.province, unit.batch, sorted(t.both_names() for t in unit.tags)) == ("CN-SC", 2, ["Belt and Road", "Smart city"])
        unit_id = unit.id
    page = admin_client.get(f"/directory/{unit_id}").get_data(as_text=True)
    assert "Mianyang" in page and "Smart city" in page and "Sichuan" in page

    response = admin_client.post(f"/directory/{unit_id}/edit", data=unit_form(
        csrf_token=token, name_zh="绵阳市", name_en="Mianyang City", country="DE", region="Bavaria",
        tags="Smart city"))
    assert response.status_code == 302
    with app.app_context():
        unit = db.session.get(MemberUnit, unit_id)
        assert (unit.name_en, unit.country, unit.province) == ("Mianyang City", "DE", "Bavaria")
        entry = db.session.scalar(db.select(AuditEntry).filter_by(action="member.update"))
        assert set(entry.details["changed"]) == {"name_en", "country", "province", "batch", "joined_on",
                                                 "website", "tags"}
    assert admin_client.post(f"/directory/{unit_id}/deactivate", data={"csrf_token": token}).status_code == 302
    assert admin_client.post(f"/directory/{unit_id}/reactivate", data={"csrf_token": token}).status_code == 302
    assert admin_client.post(f"/directory/{unit_id}/deactivate").status_code == 400  # no CSRF token
    assert audit_actions(app) == ["member.create", "member.update", "member.deactivate", "member.reactivate"]


@pytest.mark.parametrize("fields, message", [
    ({"name_zh": "", "name_en": ""}, "Give the unit a Chinese or an English name."),
    ({"province": "CN-XX"}, "Not a valid choice"),
    ({"country": "DE", "province": "CN-SC"}, "Choose a province only for units in China."),
    ({"country": "ZZ"}, "Not a valid choice"),
    ({"kind": "metropolis"}, "Not a valid choice"),
    ({"batch": "abc"}, "Not a valid integer"),
    ({"joined_on": "2021-02-30"}, "Not a valid date"),
    ({"website": "javascript:alert(1)"}, "http://"),
    ({"name_zh": "成都\r\nBcc: x@evil.example"}, "Line breaks"),
    ({"name_en": "Chengdu\x00"}, "Line breaks"),
    ({"name_en": "x" * 201}, "200"),
    ({"notes": "a\x00b"}, "Control characters"),
    ({"tags": "a" * 101}, "at most 100"),
])
def test_unit_form_rejects_bad_input(app, admin_client, fields, message):
    token = csrf_token(admin_client, "/directory/new")
    response = admin_client.post("/directory/new", data=unit_form(**{"csrf_token": token, "name_zh": "某市", **fields}))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(MemberUnit)) == 0
    assert audit_actions(app) == []


def test_contacts_add_edit_delete(app, admin_client):
    with app.app_context():
        unit_id = factories.make_unit().id
        db.session.commit()
    token = csrf_token(admin_client, f"/directory/{unit_id}/contacts/new")
    response = admin_client.post(f"/directory/{unit_id}/contacts/new", data=contact_form(
        csrf_token=token, name_zh="李明", name_latin="LI Ming", email=" Li.Ming@Example.ORG "))
    assert response.status_code == 302
    with app.app_context():
        contact = db.session.scalar(db.select(Contact))
        assert (contact.unit_id, contact.email, contact.receives_invitations) == (unit_id, "li.ming@example.org", True)
        contact_id = contact.id
    assert "李明" in admin_client.get(f"/directory/{unit_id}").get_data(as_text=True)
    response = admin_client.post(f"/directory/{unit_id}/contacts/{contact_id}/edit", data=contact_form(
        csrf_token=token, role="foreign_affairs", name_zh="李明", language="en", receives_invitations=""))
    assert response.status_code == 302
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        assert (contact.role, contact.language, contact.receives_invitations, contact.email) == (
            "foreign_affairs", "en", False, "")
    assert admin_client.post(f"/directory/{unit_id}/contacts/{contact_id}/delete",
                             data={"csrf_token": token}).status_code == 302
    with app.app_context():
        assert db.session.get(Contact, contact_id) is None
    assert audit_actions(app) == ["contact.create", "contact.update", "contact.delete"]


@pytest.mark.parametrize("fields, message", [
    ({"name_zh": "", "name_latin": ""}, "Give the contact a Chinese or a Latin name."),
    ({"email": "not-an-email"}, "Enter a valid email address."),
    ({"email": "a@example.org\r\nBcc: b@evil.example"}, "Line breaks"),
    ({"email": "a@example.org\x00"}, "Line breaks"),
    ({"name_latin": "Li\nMing"}, "Line breaks"),
    ({"role": "boss"}, "Not a valid choice"),
    ({"language": "fr"}, "Not a valid choice"),
    ({"phone": "1" * 65}, "64"),
    ({"title": "t" * 5000}, "200"),
])
def test_contact_form_rejects_bad_input(app, admin_client, fields, message):
    with app.app_context():
        unit_id = factories.make_unit().id
        db.session.commit()
    token = csrf_token(admin_client, f"/directory/{unit_id}/contacts/new")
    response = admin_client.post(f"/directory/{unit_id}/contacts/new",
                                 data=contact_form(**{"csrf_token": token, "name_zh": "李明", **fields}))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Contact)) == 0


def test_liaison_edits_own_unit_profile_only(app, liaison_client):
    with app.app_context():
        from eventsite.accounts.models import User

        unit = db.session.get(User, liaison_client.user_id).unit
        unit.batch, unit.kind = 1, "prefecture_city"
        factories.get_tag("Secretariat tag")
        unit.tags = [factories.get_tag("Secretariat tag")]
        db.session.commit()
        unit_id = unit.id
    assert liaison_client.get("/my-unit").headers["Location"].endswith(f"/directory/{unit_id}")
    token = csrf_token(liaison_client, f"/directory/{unit_id}/edit")
    response = liaison_client.post(f"/directory/{unit_id}/edit", data={
        "csrf_token": token, "name_zh": "新名字", "name_en": "New Name", "website": "https://x.example.org",
        "notes": "hello\r\nworld", "kind": "town", "batch": "3", "tags": "", "is_active": "", "country": "DE"})
    assert response.status_code == 302
    with app.app_context():
        unit = db.session.get(MemberUnit, unit_id)
        assert (unit.name_zh, unit.name_en, unit.notes) == ("新名字", "New Name", "hello\nworld")
        assert (unit.kind, unit.batch, unit.is_active, unit.country) == ("prefecture_city", 1, True, "CN")
        assert [t.both_names() for t in unit.tags] == ["Secretariat tag"]
    assert liaison_client.post(f"/directory/{unit_id}/deactivate", data={"csrf_token": token}).status_code == 403
    assert liaison_client.get("/directory/").status_code == 403
    assert liaison_client.get("/directory/new").status_code == 403


def test_my_unit_for_staff_and_anonymous(organizer_client, client):
    assert organizer_client.get("/my-unit").headers["Location"].endswith("/directory/")
    assert "/login" in client.get("/my-unit").headers["Location"]


def test_anonymous_is_sent_to_login(app, client):
    with app.app_context():
        unit = factories.make_unit()
        contact = factories.make_contact(unit)
        db.session.commit()
        unit_id, contact_id = unit.id, contact.id
    for url in ("/directory/", f"/directory/{unit_id}", f"/directory/{unit_id}/edit", "/directory/new",
                f"/directory/{unit_id}/contacts/new", f"/directory/{unit_id}/contacts/{contact_id}/edit",
                "/directory/import", "/directory/export/units.csv"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


@pytest.mark.both_dbs
def test_public_list_shows_names_never_contacts(app, client, directory):
    with app.app_context():
        unit = db.session.scalar(db.select(MemberUnit).filter_by(name_en="Chengdu"))
        unit.notes = "secret note"
        factories.make_contact(unit, email="mayor.secret@example.org", phone="+86 28 1111 2222")
        db.session.commit()
    html = client.get("/alliance/members", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert names(html) == {"Chengdu", "Yiwu", "Milan"}
    assert "Prefecture-level city" in html and "Italy" in html
    assert "@example.org" not in html and "secret note" not in html and "王小明" not in html
    assert "+86 28" not in html
    zh = client.get("/alliance/members", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "成都市" in zh and "米兰" in zh and "意大利" in zh
    filtered = client.get("/alliance/members?kind=foreign_city").get_data(as_text=True)
    assert names(filtered) == {"Milan"}
    assert names(client.get("/alliance/members?q=yi").get_data(as_text=True)) == {"Yiwu"}
