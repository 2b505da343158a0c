"""CSV import: encodings, delimiters, header aliases, all-or-nothing with per-line errors, upsert."""
from __future__ import annotations

import re

import pytest

from eventsite.audit.models import AuditEntry
from eventsite.extensions import db
from eventsite.members.models import Contact, MemberUnit

from .. import factories
from .helpers import snapshot, units_by_name, upload

GOOD = (
    "kind,name_zh,name_en,country,province,batch,joined_on,tags,active\n"
    "prefecture_city,成都市,Chengdu,CN,CN-SC,1,2016-06-18,\"Belt and Road, EU-China pair\",yes\n"
    "地级市,洛阳市,Luoyang,中国,河南,2,2018/5/10,Belt and Road、Yellow River,是\n"
    "county_city,义乌市,Yiwu,CN,浙江省,3,2021年4月22日,,\n"
    "Foreign partner city,杜伊斯堡,Duisburg,Germany,North Rhine-Westphalia,1,,EU-China pair,1\n"
)


def errors_of(response) -> list[str]:
    html = response.get_data(as_text=True)
    block = re.search(r'<ul class="mb-0 import-errors">(.*?)</ul>', html, re.S)
    return re.findall(r"<li>(.*?)</li>", block.group(1), re.S) if block else []


@pytest.mark.both_dbs
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_good_file_in_each_encoding_creates_units(app, admin_client, encoding):
    response = upload(admin_client, GOOD.encode(encoding))
    assert response.status_code == 200
    assert "The import is done." in response.get_data(as_text=True)
    units = units_by_name(app)
    assert set(units) == {"成都市", "洛阳市", "义乌市", "杜伊斯堡"}
    chengdu, luoyang, yiwu, duisburg = (units[n] for n in ("成都市", "洛阳市", "义乌市", "杜伊斯堡"))
    assert chengdu["tags"] == ["Belt and Road", "EU-China pair"] and chengdu["province"] == "CN-SC"
    assert luoyang["kind"] == "prefecture_city" and luoyang["province"] == "CN-HA"
    assert luoyang["tags"] == ["Belt and Road", "Yellow River"]
    assert str(luoyang["joined_on"]) == "2018-05-10" and str(yiwu["joined_on"]) == "2021-04-22"
    assert yiwu["province"] == "CN-ZJ" and yiwu["is_active"] is True
    assert duisburg["kind"] == "foreign_city" and duisburg["country"] == "DE"
    assert duisburg["province"] == "North Rhine-Westphalia"
    with app.app_context():
        entry = db.session.scalar(db.select(AuditEntry).filter_by(action="member.import"))
        assert entry.details["created"] == 4 and entry.details["updated"] == 0


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab_files_with_chinese_headers(app, admin_client, delimiter):
    text = delimiter.join(["类型", "中文名称", "英文名称", "国家", "省份", "批次", "入盟日期", "标签"]) + "\r\n"
    text += delimiter.join(["县级市", "昆山市", "Kunshan", "中国", "江苏", "1", "2016-06-01", "长江经济带"]) + "\r\n"
    response = upload(admin_client, text.encode("gb18030"))
    assert "The import is done." in response.get_data(as_text=True)
    kunshan = units_by_name(app)["昆山市"]
    assert (kunshan["kind"], kunshan["province"], kunshan["batch"], kunshan["tags"]) == (
        "county_city", "CN-JS", 1, ["长江经济带"])


def test_quoted_newlines_keep_line_numbers(app, admin_client):
    text = ('kind,name_zh,name_en,notes\n'
            'town,乌镇,Wuzhen,"two\nlines"\n'
            'zzz,周庄,Zhouzhuang,\n')
    response = upload(admin_client, text.encode())
    assert [e.split(":")[0] for e in errors_of(response)] == ["Line 4"]


@pytest.mark.both_dbs
def test_bad_rows_write_nothing_and_every_line_is_reported(app, admin_client):
    with app.app_context():
        factories.make_unit(name_zh="绵阳市", name_en="Mianyang")
        db.session.commit()
    before = snapshot(app)
    text = (
        "kind,name_zh,name_en,country,province,batch,joined_on\n"
        "prefecture_city,成都市,Chengdu,CN,CN-SC,1,2016-06-18\n"   # 2: good
        "metropolis,洛阳市,Luoyang,CN,CN-HA,1,\n"                  # 3: bad kind
        "county,,,CN,CN-ZJ,1,\n"                                    # 4: no name
        "county,安吉县,Anji,CN,CN-ZJ,1,2019-02-30\n"               # 5: bad date
        "prefecture_city,成都市,Chengdu 2,CN,CN-SC,1,\n"           # 6: duplicate of 2
        "county,德清县,Deqing,CN,Atlantis,1,\n"                     # 7: bad province
        "county,长兴县,Changxing,CN,CN-ZJ,one,\n"                   # 8: bad batch
    )
    response = upload(admin_client, text.encode())
    assert response.status_code == 200
    assert "Nothing was imported." in response.get_data(as_text=True)
    lines = [int(re.match(r"Line (\d+)", e).group(1)) for e in errors_of(response)]
    assert lines == [3, 4, 5, 6, 7, 8]
    assert "line 2" in errors_of(response)[3]
    assert snapshot(app) == before


def test_bad_contact_rows_are_all_reported(app, admin_client):
    with app.app_context():
        unit = factories.make_unit(name_zh="成都市", name_en="Chengdu")
        db.session.commit()
        unit_id = unit.id
    before = snapshot(app)
    text = (
        "unit_id,unit,role,name_zh,name_latin,email,language\n"
        f"{unit_id},,mayor,王伟,WANG Wei,wang@example.org,zh\n"      # 2: good
        f"{unit_id},,mayor,李明,LI Ming,not-an-email,zh\n"            # 3: bad email
        f"{unit_id},,boss,赵强,ZHAO Qiang,,zh\n"                       # 4: bad role
        f",成都市,mayor,王伟,Wang Wei,,zh\n"                           # 5: duplicate of 2
        f"999999,,mayor,周杰,ZHOU Jie,,zh\n"                           # 6: no such unit
        f",无此市,liaison,吴敏,WU Min,,klingon\n"                      # 7: unknown unit and language
        f"{unit_id},,mayor,,,x@example.org,zh\n"                      # 8: no name
    )
    response = upload(admin_client, text.encode("utf-8-sig"), content="contacts")
    lines = [int(re.match(r"Line (\d+)", e).group(1)) for e in errors_of(response)]
    assert lines == [3, 4, 5, 6, 7, 8]
    assert snapshot(app) == before


def test_error_page_in_chinese_locale_lists_lines(app, admin_client):
    with app.app_context():
        from eventsite.accounts.models import User

        db.session.get(User, admin_client.user_id).locale = "zh"
        db.session.commit()
    response = upload(admin_client, "kind,name_zh\nbad,某市\nprefecture_city,\n".encode())
    assert response.status_code == 200
    assert 'lang="zh-Hans"' in response.get_data(as_text=True)
    assert [int(re.search(r"(\d+)", e).group(1)) for e in errors_of(response)] == [2, 3]


@pytest.mark.parametrize("data, message", [
    (b"", "The file is empty."),
    (b"   \r\n", "The file is empty."),
    (b"kind,name_zh\n", "no rows"),
    (bytes(range(256)) * 20, "could not be read as text"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "could not be read as text"),
    (b"name,province\nX,Y\n", "Required columns are missing"),
    ("kind,名称,名称\ntown,乌镇,乌镇\n".encode(), "appears twice"),
])
def test_unreadable_files_get_a_clear_message(app, admin_client, data, message):
    response = upload(admin_client, data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert units_by_name(app) == {}


def test_missing_file_is_a_form_error(admin_client):
    from ..conftest import csrf_token

    token = csrf_token(admin_client, "/directory/import")
    response = admin_client.post("/directory/import", data={"csrf_token": token, "content": "units"})
    assert response.status_code == 200 and "Choose a file." in response.get_data(as_text=True)


def test_limits_on_size_and_rows(app, admin_client, monkeypatch):
    from eventsite.members.importer import table as csv_io

    # (A small limit keeps the upload in memory: Werkzeug's test client leaks its temp file.)
    monkeypatch.setattr(csv_io, "MAX_BYTES", 1024 * 1024 // 4)
    big = b"kind,name_zh\n" + b"town,\xe9\x95\x87" + b"x" * (1024 * 1024 // 4) + b"\n"
    html = upload(admin_client, big).get_data(as_text=True)
    assert "too large" in html
    monkeypatch.setattr(csv_io, "MAX_ROWS", 3)
    rows = "kind,name_zh\n" + "".join(f"town,镇{i}\n" for i in range(4))
    assert "too many rows" in upload(admin_client, rows.encode()).get_data(as_text=True)
    assert units_by_name(app) == {}


@pytest.mark.both_dbs
def test_upsert_by_id_and_by_name(app, admin_client):
    with app.app_context():
        chengdu = factories.make_unit(name_zh="成都市", name_en="Chengdu", batch=1, tags=["Old"])
        lyon = factories.make_unit(kind="foreign_city", name_zh="", name_en="Lyon", country="FR",
                                   province="Auvergne-Rhône-Alpes")
        db.session.commit()
        chengdu_id, lyon_id = chengdu.id, lyon.id
    text = (
        "id,kind,name_zh,name_en,country,province,batch,tags\n"
        f"{chengdu_id},prefecture_city,成都市,Chengdu City,CN,CN-SC,2,New\n"
        ",foreign_city,,LYON,FR,Auvergne-Rhône-Alpes,3,\n"
        ",town,乌镇,Wuzhen,CN,CN-ZJ,,\n"
    )
    response = upload(admin_client, text.encode())
    html = response.get_data(as_text=True)
    assert "Created: 1" in html and "Updated: 2" in html
    units = units_by_name(app)
    assert units["成都市"]["id"] == chengdu_id and units["成都市"]["name_en"] == "Chengdu City"
    assert units["成都市"]["batch"] == 2 and units["成都市"]["tags"] == ["New"]
    assert units["LYON"]["id"] == lyon_id and units["LYON"]["batch"] == 3
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(MemberUnit)) == 3
    # The same file again: nothing changes.
    before = snapshot(app)
    html = upload(admin_client, text.encode()).get_data(as_text=True)
    assert "Unchanged: 3" in html and snapshot(app) == before


def test_unknown_id_is_an_error(app, admin_client):
    response = upload(admin_client, b"id,kind,name_en\n4242,town,Nowhere\n")
    assert "Line 2" in response.get_data(as_text=True) and units_by_name(app) == {}


def test_contacts_import_by_unit_name_and_update(app, admin_client):
    with app.app_context():
        unit = factories.make_unit(name_zh="洛阳市", name_en="Luoyang")
        db.session.commit()
        unit_id = unit.id
    text = ("单位名称,职能,中文姓名,拼音,职务,邮箱,电话,语言,接收邀请\n"
            "洛阳市,市长,王伟,WANG Wei,市长,Wang.Wei@Example.org,+86 379 1234 5678,中文,是\n"
            "Luoyang,Liaison,,Anna Schmidt,Officer,anna@example.org,,English,否\n")
    html = upload(admin_client, text.encode("gb18030"), content="contacts").get_data(as_text=True)
    assert "Created: 2" in html
    with app.app_context():
        contacts = db.session.scalars(db.select(Contact).order_by(Contact.id)).all()
        assert [(c.unit_id, c.role, c.name_zh, c.email, c.language, c.receives_invitations) for c in contacts] == [
            (unit_id, "mayor", "王伟", "wang.wei@example.org", "zh", True),
            (unit_id, "liaison", "", "anna@example.org", "en", False),
        ]
    html = upload(admin_client, text.replace("+86 379 1234 5678", "+86 379 0000").encode(),
                  content="contacts").get_data(as_text=True)
    assert "Updated: 1" in html and "Unchanged: 1" in html


def test_import_needs_staff_and_csrf(app, client, liaison_client, admin_client):
    assert client.get("/directory/import").status_code == 302
    assert liaison_client.get("/directory/import").status_code == 403
    import io

    response = admin_client.post("/directory/import", data={
        "content": "units", "file": (io.BytesIO(b"kind,name_en\ntown,X\n"), "a.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 400
    assert "X" not in units_by_name(app)
