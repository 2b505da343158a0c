"""CSV export: UTF-8 with BOM, formula cells and segments neutralized (read back with every
delimiter a spreadsheet may split on), and export -> import changes nothing."""
from __future__ import annotations

import csv
import io

import pytest

from eventsite.core.spreadsheet import neutralize
from eventsite.extensions import db

from .. import factories
from ..spreadsheet_checks import assert_no_formula
from .helpers import snapshot, upload

DANGEROUS = ['=HYPERLINK("http://evil.example/","click")', "+1", "-1", "@SUM(A1:A2)"]
# Formulas after a separator: live for a spreadsheet splitting on ; (or tab, |, a line break).
SEGMENTS = ["Vegetarian please;=2+3", "a\t+1|-1", 'x; "@SUM(A1)', "line\n=1+1", "成都；＝1+1;＝2"]


def read_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def seed(app):
    with app.app_context():
        evil = factories.make_unit(
            kind="foreign_city", name_zh="", name_en=DANGEROUS[0], country="FR",
            province="@SUM(A1:A2)", batch=2, tags=["-1", "Belt and Road", "x|=1"],
            notes="+1\nsecond line\n" + "\n".join(SEGMENTS), website="http://a.example/;=1",
        )
        factories.make_contact(evil, name_zh=SEGMENTS[4], name_latin="-1", title="=1+1",
                               phone="+33 4 1234", email="a@example.org", language="en")
        factories.make_contact(evil, name_latin=SEGMENTS[0], title=SEGMENTS[1], phone=SEGMENTS[2],
                               email="b@example.org", language="en")
        plain = factories.make_unit(name_zh="成都市", name_en="Chengdu", tags=["长江经济带"])
        factories.make_contact(plain, name_zh="王伟", name_latin="WANG Wei", receives_invitations=False)
        db.session.commit()


def test_neutralize():
    assert [neutralize(v) for v in DANGEROUS] == ["'" + v for v in DANGEROUS]
    assert neutralize("\tx") == "'\tx" and neutralize("\rx") == "'\rx"
    assert [neutralize(v) for v in SEGMENTS] == [
        "Vegetarian please;'=2+3", "a\t'+1|'-1", "x; \"'@SUM(A1)", "line\n'=1+1", "成都；＝1+1;'＝2"]  # a full-width ； splits nothing
    assert neutralize("成都") == "成都" and neutralize(3) == "3" and neutralize(None) == ""


def test_exports_neutralize_formula_cells(app, admin_client):
    seed(app)
    data = admin_client.get("/directory/export/units.csv").data
    assert_no_formula(data)
    units = read_csv(data)
    evil = next(row for row in units if row["country"] == "FR")
    assert evil["name_en"] == "'" + DANGEROUS[0]
    assert evil["province"] == "'@SUM(A1:A2)"
    assert evil["tags"] == "'-1, Belt and Road, x|'=1"
    assert evil["notes"] == "'+1\nsecond line\n" + "\n".join(neutralize(v) for v in SEGMENTS)
    response = admin_client.get("/directory/export/contacts.csv")
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    assert_no_formula(response.data)
    contacts = read_csv(response.data)
    row = next(r for r in contacts if r["email"] == "a@example.org")
    assert (row["name_latin"], row["title"], row["phone"]) == ("'-1", "'=1+1", "'+33 4 1234")
    row = next(r for r in contacts if r["email"] == "b@example.org")
    assert (row["name_latin"], row["title"], row["phone"]) == tuple(neutralize(v) for v in SEGMENTS[:3])


@pytest.mark.both_dbs
def test_export_then_import_changes_nothing(app, admin_client):
    seed(app)
    before = snapshot(app)
    units = admin_client.get("/directory/export/units.csv").data
    contacts = admin_client.get("/directory/export/contacts.csv").data
    html = upload(admin_client, units).get_data(as_text=True)
    assert "Unchanged: 2" in html and "Created: 0" in html, html
    html = upload(admin_client, contacts, content="contacts").get_data(as_text=True)
    assert "Unchanged: 3" in html and "Created: 0" in html
    assert snapshot(app) == before


def test_export_is_for_staff_only(client, liaison_client, organizer_client):
    for url in ("/directory/export/units.csv", "/directory/export/contacts.csv"):
        assert client.get(url).status_code == 302
        assert liaison_client.get(url).status_code == 403
        assert organizer_client.get(url).status_code == 200
