"""Tags in both languages and Chinese order: the unit form, the directory and its filters, the
public list, the invitation picker and the CSV files, read by English and Chinese readers."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from eventsite.extensions import db
from eventsite.members.models import MemberUnit, Tag

from .. import factories
from ..conftest import csrf_token
from .helpers import snapshot, upload
from .test_views import unit_form

ZH = {"Accept-Language": "zh"}
EN = {"Accept-Language": "en"}
# The names; in pinyin order (liǎng, shàng, wū, yì, zhōng), not by code point.
IN_PINYIN_ORDER = ["两江新区", "上海市闵行区", "乌镇", "义乌市", "中国（浙江）自由贸易试验区"]


def soup(client, url, headers, **query):
    return BeautifulSoup(client.get(url, headers=headers, query_string=query).get_data(as_text=True), "html.parser")


@pytest.fixture
def alliance(app):
    """Five Chinese units (stored in code-point order), one foreign one; bilingual and one-language tags."""
    with app.app_context():
        english = {"两江新区": "Liangjiang New Area", "上海市闵行区": "Minhang District",
                   "乌镇": "Wuzhen", "义乌市": "Yiwu", "中国（浙江）自由贸易试验区": "Zhejiang Free Trade Zone"}
        for name in sorted(IN_PINYIN_ORDER):
            factories.make_unit(name_zh=name, name_en=english[name], province="CN-ZJ",
                                tags=["Belt and Road / 一带一路"] if name == "义乌市" else ["长江经济带"])
        factories.make_unit(kind="foreign_city", name_zh="杜伊斯堡", name_en="Duisburg", country="DE",
                            province="", tags=["Smart city pilot"])
        db.session.commit()


def unit_names(page) -> list[str]:
    return [a.get_text(strip=True) for a in page.select("table tbody tr td:first-child a")]


@pytest.mark.both_dbs
def test_directory_in_chinese_is_in_pinyin_order_and_in_english_alphabetical(organizer_client, alliance):
    assert unit_names(soup(organizer_client, "/directory/", ZH)) == IN_PINYIN_ORDER + ["杜伊斯堡"]
    english = [row.select_one("td:first-child span").get_text(strip=True)
               for row in soup(organizer_client, "/directory/", EN).select("table tbody tr")]
    assert english == ["Liangjiang New Area", "Minhang District", "Wuzhen", "Yiwu", "Zhejiang Free Trade Zone",
                       "Duisburg"]


@pytest.mark.both_dbs
def test_public_list_in_chinese_is_in_pinyin_order(client, alliance):
    rows = soup(client, "/alliance/members", ZH).select("table tbody tr td:first-child")
    assert [td.get_text(strip=True) for td in rows] == IN_PINYIN_ORDER + ["杜伊斯堡"]


@pytest.mark.both_dbs
def test_tags_show_and_filter_in_the_readers_language(organizer_client, alliance):
    zh = soup(organizer_client, "/directory/", ZH)
    # the filter lists each tag once, by its Chinese name where it has one, in pinyin order
    # (长江 is chángjiāng: before "smart", and 一带一路 yīdàiyīlù after it)
    assert [o["value"] for o in zh.select("#f-tag option")] == ["", "长江经济带", "Smart city pilot", "一带一路"]
    assert [b.get_text() for b in zh.select("table tbody tr")[3].select(".badge")] == ["一带一路"]
    en = soup(organizer_client, "/directory/", EN)
    assert [o["value"] for o in en.select("#f-tag option")] == ["", "Belt and Road", "Smart city pilot", "长江经济带"]
    # either name finds the tag, whatever the page's language (a link shared across languages)
    for name in ("一带一路", "Belt and Road"):
        for headers in (ZH, EN):
            page = soup(organizer_client, "/directory/", headers, tag=name)
            assert len(page.select("table tbody tr")) == 1 and "Yiwu" in page.get_text()
    assert len(soup(organizer_client, "/directory/", ZH, tag="长江经济带").select("table tbody tr")) == 4


def test_unit_form_takes_both_names_of_a_tag_and_completes_an_existing_one(app, admin_client):
    with app.app_context():
        factories.get_tag("Belt and Road")  # created in English only, before this feature
        db.session.commit()
    token = csrf_token(admin_client, "/directory/new")
    response = admin_client.post("/directory/new", data=unit_form(
        csrf_token=token, name_zh="绵阳市", name_en="Mianyang",
        tags="一带一路 / Belt and Road, Smart city／智慧城市、 乡村振兴 /, R&D / innovation"))
    assert response.status_code == 302
    with app.app_context():
        tags = {(t.name_en, t.name_zh) for t in db.session.scalars(db.select(Tag))}
        # a slash between two names of one script is part of the name
        assert tags == {("Belt and Road", "一带一路"), ("Smart city", "智慧城市"), ("", "乡村振兴"),
                        ("R&D / innovation", "")}
        unit_id = db.session.scalar(db.select(MemberUnit.id).filter_by(name_zh="绵阳市"))
    form = soup(admin_client, f"/directory/{unit_id}/edit", EN)
    assert form.select_one("#tags")["value"] == "Belt and Road / 一带一路, R&D / innovation, Smart city / 智慧城市, 乡村振兴"
    # saving the form unchanged changes nothing (no audit line)
    page = admin_client.post(f"/directory/{unit_id}/edit", data=unit_form(
        csrf_token=token, name_zh="绵阳市", name_en="Mianyang", tags=form.select_one("#tags")["value"]))
    assert page.status_code == 302
    # a tag name too long in one language is refused with a message, nothing changed
    page = admin_client.post(f"/directory/{unit_id}/edit", data=unit_form(
        csrf_token=token, name_zh="绵阳市", name_en="Mianyang City", tags="x / " + "长" * 101))
    assert page.status_code == 200 and "at most 100" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(MemberUnit, unit_id).name_en == "Mianyang"


@pytest.mark.both_dbs
def test_csv_round_trip_keeps_both_names_and_old_files_still_import(app, admin_client, alliance):
    before = snapshot(app)
    data = admin_client.get("/directory/export/units.csv").data
    assert "Belt and Road / 一带一路" in data.decode("utf-8-sig")
    html = upload(admin_client, data).get_data(as_text=True)
    assert "Unchanged: 6" in html and "Created: 0" in html, html
    assert snapshot(app) == before
    # An old file: one name per tag. The Chinese name finds the bilingual tag; a new English one is made.
    old = ("kind,name_zh,name_en,country,province,tags\n"
           "county_city,嘉善县,Jiashan,CN,CN-ZJ,\"一带一路, 长江经济带, Digital trade\"\n").encode()
    html = upload(admin_client, old).get_data(as_text=True)
    assert "Created: 1" in html, html
    with app.app_context():
        unit = db.session.scalar(db.select(MemberUnit).filter_by(name_zh="嘉善县"))
        assert sorted((t.name_en, t.name_zh) for t in unit.tags) == [
            ("", "长江经济带"), ("Belt and Road", "一带一路"), ("Digital trade", "")]
        assert db.session.scalar(db.select(db.func.count()).select_from(Tag)) == 4


def test_invitation_picker_orders_units_tags_and_provinces_for_the_reader(app, organizer_client, alliance):
    with app.app_context():
        factories.make_unit(name_zh="成都市", name_en="Chengdu", province="CN-SC")
        factories.make_unit(name_zh="北京市", name_en="Beijing", province="CN-BJ")
        event_id = factories.make_event().id
        db.session.commit()
    url = f"/organizer/events/{event_id}/invitations/new"
    zh = soup(organizer_client, url, ZH)
    units = [o.get_text() for o in zh.select("#units-options label")]
    assert units.index("两江新区") < units.index("上海市闵行区") < units.index("乌镇") < units.index("义乌市")
    assert [o.get_text() for o in zh.select("#tags-options label")] == ["长江经济带", "Smart city pilot", "一带一路"]
    # provinces in the official order (GB/T 2260) for Chinese readers, alphabetical in English
    assert [o.get_text() for o in zh.select("#provinces-options label")] == ["北京市", "浙江省", "四川省"]
    en = soup(organizer_client, url, EN)
    assert [o.get_text() for o in en.select("#provinces-options label")] == ["Beijing", "Sichuan", "Zhejiang"]
    assert [o.get_text() for o in en.select("#tags-options label")] == ["Belt and Road", "Smart city pilot", "长江经济带"]


@pytest.mark.both_dbs
def test_every_name_a_unit_may_have_saves_with_its_sort_key(app_ctx):
    """The stored key fits its column whatever the name (ﷺ alone decomposes into 18 letters)."""
    from eventsite.core.collation import KEY_LENGTH

    for name_zh, name_en in (("", "\ufdfa" * 200), ("中" * 200, ""), ("成都市", "Chengdu")):
        unit = factories.make_unit(name_zh=name_zh, name_en=name_en)
        db.session.commit()
        assert 0 < len(unit.sort_key_zh) <= KEY_LENGTH
    unit.name_zh = "两江新区"  # kept on every save
    db.session.commit()
    assert unit.sort_key_zh.startswith("liang03jiang01")
