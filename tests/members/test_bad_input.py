"""Garbage in query strings, ids and forms gives a page or an error page, never a 500."""
from __future__ import annotations

import pytest

from eventsite.extensions import db

from .. import factories
from ..conftest import csrf_token
from .helpers import snapshot

GARBAGE_QUERIES = [
    "?page=abc&kind=zzz", "?page=-5", "?page=0", "?page=99999999999999999999999", "?status=zz",
    "?q=" + "x" * 5000, "?q=%25%5F%5C", "?province=%FF%FE", "?tag=%0D%0A",
    "?kind=prefecture_city&kind=town", "?q=' OR 1=1 --", "?q=%E4%B8",
]


@pytest.mark.both_dbs
def test_garbage_query_strings_never_500(app, admin_client, client):
    with app.app_context():
        factories.make_unit(name_zh="成都市", name_en="Chengdu")
        db.session.commit()
    for query in GARBAGE_QUERIES:
        assert admin_client.get("/directory/" + query).status_code == 200, query
        assert client.get("/alliance/members" + query).status_code == 200, query
    for query in ("?status=%00", "?q=%00%00"):  # NUL in a query string is refused site-wide
        assert admin_client.get("/directory/" + query).status_code == 400, query
        assert client.get("/alliance/members" + query).status_code == 400, query


@pytest.mark.both_dbs
def test_nonexistent_and_huge_ids_are_404(app, admin_client):
    with app.app_context():
        unit = factories.make_unit()
        db.session.commit()
        unit_id = unit.id
    token = csrf_token(admin_client, "/directory/")
    for url in ("/directory/999999", "/directory/99999999999999999999", "/directory/999999/edit",
                f"/directory/{unit_id}/contacts/999999/edit", "/directory/2147483648/contacts/new",
                f"/directory/{unit_id}/contacts/99999999999999999999/edit"):
        assert admin_client.get(url).status_code == 404, url
    for url in ("/directory/999999/deactivate", f"/directory/{unit_id}/contacts/999999/delete",
                "/directory/99999999999999999999/reactivate"):
        assert admin_client.post(url, data={"csrf_token": token}).status_code == 404, url
    assert admin_client.get("/directory/abc").status_code == 404


@pytest.mark.both_dbs
def test_hostile_form_values_never_500_and_change_nothing(app, admin_client):
    with app.app_context():
        unit = factories.make_unit()
        contact = factories.make_contact(unit)
        db.session.commit()
        unit_id, contact_id = unit.id, contact.id
    token = csrf_token(admin_client, "/directory/new")
    before = snapshot(app)
    hostile = ["\x00", "a\r\nb", "x" * 100_000, "<script>alert(1)</script>\x00", "9" * 50, ""]
    urls = ["/directory/new", f"/directory/{unit_id}/edit", f"/directory/{unit_id}/contacts/new",
            f"/directory/{unit_id}/contacts/{contact_id}/edit"]
    fields = ["kind", "name_zh", "name_en", "country", "province", "region", "batch", "joined_on",
              "website", "notes", "tags", "role", "name_latin", "title", "email", "phone", "language"]
    for url in urls:
        for value in hostile:
            data = {"csrf_token": token, **{f: value for f in fields}}
            response = admin_client.post(url, data=data)
            assert response.status_code in (200, 400), (url, repr(value)[:30], response.status_code)
    assert snapshot(app) == before
