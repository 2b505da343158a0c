"""The cooperation pages through HTTP: the liaison's own profile and projects only, every
problem in one submit, the organizer's review and moderation, the public catalogue's filters in
both languages, the exhibitor list, the stand list exports read back."""
from __future__ import annotations

import csv
import io
import re

from openpyxl import load_workbook

from eventsite.accounts.models import User
from eventsite.cooperation import services
from eventsite.cooperation.models import Profile, Project
from eventsite.extensions import db

from ..conftest import csrf_token
from ..factories import make_event, make_user
from .helpers import approved_project, project_values, setup


def _as(app, login, user_id, lang="en"):
    client = app.test_client()
    with app.app_context():
        login(client, db.session.get(User, user_id))
    _language(client, lang)
    return client


def _language(client, lang):
    with client.session_transaction() as session:
        session["lang"] = lang


def _prepared(app):
    with app.app_context():
        topics, unit, other, liaison, organizer = setup()
        foreign = services.save_project(other, None, project_values(title_en="Aachen rail"), organizer)
        return {"topics": [t.id for t in topics], "unit": unit.id, "other": other.id, "liaison": liaison.id,
                "organizer": organizer.id, "foreign": foreign.id}


def test_liaison_edits_own_profile_only_and_sees_every_problem(app, login):
    ids = _prepared(app)
    client = _as(app, login, ids["liaison"])
    token = csrf_token(client, "/cooperation/profile")
    page = client.get("/cooperation/profile").get_data(as_text=True)
    assert "Smart city" in page and "Topics we offer" in page
    response = client.post("/cooperation/profile", data={
        "csrf_token": token, "text_en": "Port city", "text_zh": "港口城市",
        "offers": [str(ids["topics"][0])], "seeks": [str(ids["topics"][1]), str(ids["topics"][2])]})
    assert response.status_code == 302
    bad = client.post("/cooperation/profile", data={"csrf_token": token, "text_en": "x" * 3001, "offers": ["99999"]})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 200 and "Choose topics from the list." in text and "3000" in text
    with app.app_context():
        profile = db.session.scalar(db.select(Profile).filter_by(unit_id=ids["unit"]))
        assert profile.text_en == "Port city"
        assert db.session.scalar(db.select(Profile).filter_by(unit_id=ids["other"])) is None
    # another unit's project is not the liaison's
    for url in (f"/cooperation/projects/{ids['foreign']}/edit", f"/cooperation/projects/{ids['foreign']}/brochures"):
        assert client.get(url).status_code == 404
    assert client.post(f"/cooperation/projects/{ids['foreign']}/submit", data={"csrf_token": token}).status_code == 404


def test_project_form_every_problem_then_submit_review_and_catalogue(app, login):
    ids = _prepared(app)
    client = _as(app, login, ids["liaison"])
    token = csrf_token(client, "/cooperation/projects/new")
    page = client.post("/cooperation/projects/new", data={
        "csrf_token": token, "country": "CN", "contact_email": "not an address"}).get_data(as_text=True)
    for message in ("Give the project&#39;s title in English or in Chinese.", "Choose a sector.",
                    "Choose the project&#39;s stage.", "Describe the project in English or in Chinese."):
        assert message in page
    data = {k: v for k, v in project_values().items() if k != "topics"} | {
        "csrf_token": token, "topics": [str(ids["topics"][0])]}
    assert client.post("/cooperation/projects/new", data=data).status_code == 302
    with app.app_context():
        project = db.session.scalar(db.select(Project).filter_by(unit_id=ids["unit"]))
        project_id = project.id
    client.post(f"/cooperation/projects/{project_id}/submit", data={"csrf_token": token})
    organizer = _as(app, login, ids["organizer"])
    token_o = csrf_token(organizer, "/organizer/cooperation/projects")
    assert "Riverside logistics park" in organizer.get("/organizer/cooperation/projects").get_data(as_text=True)
    assert organizer.post(f"/organizer/cooperation/projects/{project_id}",
                          data={"csrf_token": token_o, "approve": "1"}).status_code == 302
    anonymous = app.test_client()
    assert "Riverside logistics park" in anonymous.get("/projects").get_data(as_text=True)
    assert "Aachen rail" not in anonymous.get("/projects").get_data(as_text=True)  # a draft
    assert anonymous.get(f"/projects/{project_id}").status_code == 200
    assert anonymous.get(f"/projects/{ids['foreign']}").status_code == 404


def test_catalogue_filters_in_both_languages(app):
    with app.app_context():
        topics, unit, other, liaison, organizer = setup()
        approved_project(unit, organizer, liaison, topics=[topics[0].id])
        approved_project(other, organizer, liaison, title_en="Hydrogen buses", title_zh="氢能公交",
                         sector="energy", country="DE", province="", topics=[topics[1].id])
        approved_project(unit, organizer, liaison, title_en="", title_zh="阿坝生态旅游", sector="tourism")
        db.session.commit()
        smart, green = topics[0].id, topics[1].id
    client = app.test_client()

    def titles(query, lang="en"):
        _language(client, lang)
        html = client.get(f"/projects?{query}").get_data(as_text=True)
        return re.findall(r'<h3 class="h6 card-title mb-1"><a [^>]*>([^<]+)</a>', html)

    assert titles("") == ["Hydrogen buses", "Riverside logistics park", "阿坝生态旅游"]
    assert titles("", "zh") == ["阿坝生态旅游", "滨江物流园", "氢能公交"]  # pinyin: a, b, q
    assert titles("sector=energy") == ["Hydrogen buses"]
    assert titles("country=DE") == ["Hydrogen buses"]
    assert titles("province=CN-SC", "zh") == ["阿坝生态旅游", "滨江物流园"]
    assert titles(f"topic={smart}") == ["Riverside logistics park"]
    assert titles(f"topic={green}", "zh") == ["氢能公交"]
    assert titles("q=%E6%BB%A8%E6%B1%9F", "zh") == ["滨江物流园"]  # 滨江
    assert titles("q=AACHEN") == ["Hydrogen buses"]  # the unit's name, case ignored
    assert titles("sector=nonsense&topic=%C2%B2&country=zz") == titles("")


def test_exhibitors_and_stand_exports(app, login):
    ids = _prepared(app)
    with app.app_context():
        expo = make_event(kind="exposition", title_en="Expo", title_zh="博览会")
        db.session.commit()
        expo_id = expo.id
    organizer = _as(app, login, ids["organizer"])
    token = csrf_token(organizer, f"/organizer/events/{expo_id}/stands")
    url = f"/organizer/events/{expo_id}/stands"
    assert organizer.post(url, data={"csrf_token": token, "unit_id": str(ids["unit"]), "hall": "A",
                                     "number": "12", "size_m2": "18"}).status_code == 302
    page = organizer.post(url, data={"csrf_token": token, "unit_id": "", "hall": "A", "number": "12",
                                     "size_m2": "0"}).get_data(as_text=True)
    assert "Choose a unit." in page and "This hall already has a stand with this number." in page
    assert "Give the size in square metres" in page
    data = organizer.get(f"{url}.csv").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data)))
    assert rows[0][0] == "Hall / 展馆" and rows[1][:5] == ["A", "12", "18", "Yibin", "宜宾市"]
    book = load_workbook(io.BytesIO(organizer.get(f"{url}.xlsx").data))
    sheet = book.active
    assert [c.value for c in sheet[2]][:5] == ["A", "12", 18, "Yibin", "宜宾市"]
    public = app.test_client()
    html = public.get(f"/events/{expo_id}/exhibitors").get_data(as_text=True)
    assert "Yibin" in html and "Hall A, stand 12" in html
    assert 'id="exhibitors-link"' in public.get(f"/events/{expo_id}").get_data(as_text=True)
    with app.app_context():
        forum = make_event()
        db.session.commit()
        forum_id = forum.id
    assert public.get(f"/events/{forum_id}/exhibitors").status_code == 404
    assert organizer.get(f"/organizer/events/{forum_id}/stands").status_code == 404


def test_topic_editor_and_moderation_pages(app, login):
    ids = _prepared(app)
    organizer = _as(app, login, ids["organizer"], "zh")
    token = csrf_token(organizer, "/organizer/cooperation/topics")
    page = organizer.get("/organizer/cooperation/topics").get_data(as_text=True)
    assert "智慧城市" in page
    bad = organizer.post("/organizer/cooperation/topics", data={"csrf_token": token, "code": "Bad Code"})
    assert "请填写主题的英文或中文名称。" in bad.get_data(as_text=True)
    assert organizer.post("/organizer/cooperation/topics", data={
        "csrf_token": token, "code": "water", "name_en": "Water", "name_zh": "水务", "active": "y"}).status_code == 302
    assert organizer.post(f"/organizer/cooperation/topics/{ids['topics'][1]}/move/up",
                          data={"csrf_token": token}).status_code == 302
    assert "宜宾市" in organizer.get("/organizer/cooperation/profiles").get_data(as_text=True)
    assert organizer.post(f"/organizer/cooperation/profiles/{ids['other']}", data={
        "csrf_token": token, "text_en": "Moderated", "text_zh": "", "offers": [str(ids["topics"][0])]}).status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(Profile).filter_by(unit_id=ids["other"])).text_en == "Moderated"


def test_brochure_upload_and_download(app, login):
    ids = _prepared(app)
    with app.app_context():
        unit = db.session.get(services.MemberUnit, ids["unit"])
        liaison = db.session.get(User, ids["liaison"])
        organizer = db.session.get(User, ids["organizer"])
        project_id = approved_project(unit, organizer, liaison).id
    client = _as(app, login, ids["liaison"])
    url = f"/cooperation/projects/{project_id}/brochures"
    token = csrf_token(client, url)
    response = client.post(url, data={"csrf_token": token, "file": (io.BytesIO(b"%PDF-1.4 plan"), "plan.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    bad = client.post(url, data={"csrf_token": token, "file": (io.BytesIO(b"MZ"), "virus.pdf")},
                      content_type="multipart/form-data")
    assert "is not a PDF file" in bad.get_data(as_text=True)
    page = app.test_client().get(f"/projects/{project_id}").get_data(as_text=True)
    link = re.search(r'href="(/projects/\d+/brochures/\d+)"', page).group(1)
    download = app.test_client().get(link)
    assert download.data == b"%PDF-1.4 plan" and download.mimetype == "application/pdf"
    with app.app_context():
        other_liaison = make_user(role="liaison", unit=db.session.get(services.MemberUnit, ids["other"]))
        db.session.commit()
        other_id = other_liaison.id
    assert _as(app, login, other_id).get(url).status_code == 404
