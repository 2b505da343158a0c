"""CSV export: UTF-8 with BOM, formula cells neutralized, and export -> import changes nothing."""
from __future__ import annotations

import csv
import io

import pytest

from eventsite.extensions import db
from eventsite.members.csv_io import neutralize

from .. import factories
from .helpers import snapshot, upload

DANGEROUS = ['=HYPERLINK("http://evil.example/","click")', "+1", "-1", "@SUM(A1:A2)"]


def read_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def seed(app):
    with app.app_context():
        evil = factories.make_unit(
            kind="foreign_city", name_zh="", name_en=DANGEROUS[0], country="FR",
            province="@SUM(A1:A2)", batch=2, tags=["-1", "Belt and Road"], notes="+1\nsecond line",
        )
        factories.make_contact(evil, name_zh="", name_latin="-1", title="=1+1", phone="+33 4 1234",
                               email="a@example.org", language="en")
        plain = factories.make_unit(name_zh="成都市", name_en="Chengdu", tags=["长江经济带"])
        factories.make_contact(plain, name_zh="王伟", name_latin="WANG Wei", receives_invitations=False)
        db.session.commit()


def test_neutralize():
    assert [neutralize(v) for v in DANGEROUS] == ["'" + v for v in DANGEROUS]
    assert neutralize("\tx") == "'\tx" and neutralize("\rx") == "'\rx"
    assert neutralize("成都") == "成都" and neutralize(3) == "3" and neutralize(None) == ""


def test_exports_neutralize_formula_cells(app, admin_client):
    seed(app)
    units = read_csv(admin_client.get("/directory/export/units.csv").data)
    evil = next(row for row in units if row["country"] == "FR")
    assert evil["name_en"] == "'" + DANGEROUS[0]
    assert evil["province"] == "'@SUM(A1:A2)"
    assert evil["tags"] == "'-1, Belt and Road"
    assert evil["notes"] == "'+1\nsecond line"
    response = admin_client.get("/directory/export/contacts.csv")
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    contacts = read_csv(response.data)
    row = next(r for r in contacts if r["email"] == "a@example.org")
    assert (row["name_latin"], row["title"], row["phone"]) == ("'-1", "'=1+1", "'+33 4 1234")
    for line in response.data.decode("utf-8-sig").splitlines():
        for cell in next(csv.reader([line])):
            assert not cell.startswith(("=", "+", "-", "@"))


@pytest.mark.both_dbs
def test_export_then_import_changes_nothing(app, admin_client):
    seed(app)
    before = snapshot(app)
    units = admin_client.get("/directory/export/units.csv").data
    contacts = admin_client.get("/directory/export/contacts.csv").data
    html = upload(admin_client, units).get_data(as_text=True)
    assert "Unchanged: 2" in html and "Created: 0" in html, html
    html = upload(admin_client, contacts, content="contacts").get_data(as_text=True)
    assert "Unchanged: 2" in html and "Created: 0" in html
    assert snapshot(app) == before


def test_export_is_for_staff_only(client, liaison_client, organizer_client):
    for url in ("/directory/export/units.csv", "/directory/export/contacts.csv"):
        assert client.get(url).status_code == 302
        assert liaison_client.get(url).status_code == 403
        assert organizer_client.get(url).status_code == 200
