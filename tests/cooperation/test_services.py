"""Cooperation use cases: topics' life cycle, profiles, the project workflow and its mail, the
contract with meetings/ (queries.topic_codes_by_unit, published_projects_of), stands."""
from __future__ import annotations

import pytest

from eventsite.audit.models import AuditEntry
from eventsite.cooperation import queries, services
from eventsite.cooperation.models import Project, Stand, Topic
from eventsite.core.domain import DomainError
from eventsite.extensions import db

from ..factories import make_event
from .helpers import approved_project, project_values, setup


def _actions():
    return [e.action for e in db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id))]


def test_topic_lifecycle_add_rename_reorder_deactivate_never_delete_in_use(app_ctx):
    topics, unit, _other, liaison, organizer = setup()
    added = services.save_topic(None, {"code": "water", "name_en": "Water", "name_zh": "水务", "active": True},
                                organizer)
    assert added.position == 4
    with pytest.raises(DomainError) as error:
        services.save_topic(None, {"code": "water", "name_en": "", "name_zh": "", "active": True}, organizer)
    assert set(error.value.problems) == {"code", "name_en"}  # every problem at once
    services.save_topic(added, {"code": "water", "name_en": "Water supply", "name_zh": "供水", "active": True},
                        organizer)
    services.move_topic(added, -1, organizer)
    assert [t.code for t in queries.topics()] == ["smart_city", "green", "water", "tourism"]
    services.save_profile(unit, {"text_en": "", "text_zh": "", "offers": [added.id], "seeks": []}, liaison)
    assert services.delete_topic(added, organizer) is False  # in use: deactivated
    assert db.session.get(Topic, added.id).active is False
    assert services.delete_topic(topics[2], organizer) is True  # unused: gone
    assert db.session.get(Topic, topics[2].id) is None
    assert {"coop_topic.create", "coop_topic.update", "coop_topic.move", "coop_topic.deactivate",
            "coop_topic.delete"} <= set(_actions())
    # a deactivated topic is no longer offered, nor in the matching contract
    assert queries.topic_codes_by_unit([unit.id]) == {unit.id: (set(), set())}


def test_profile_topics_and_the_contract_with_meetings(app_ctx):
    topics, unit, other, liaison, organizer = setup()
    services.save_profile(unit, {"text_en": "We build", "text_zh": "我们建设", "offers": [topics[0].id, topics[1].id],
                                 "seeks": [topics[2].id]}, liaison)
    services.save_profile(other, {"text_en": "Hi", "text_zh": "", "offers": [], "seeks": [topics[0].id]}, organizer)
    codes = queries.topic_codes_by_unit([unit.id, other.id, 999])
    assert codes[unit.id] == ({"smart_city", "green"}, {"tourism"})
    assert codes[other.id] == (set(), {"smart_city"})
    assert codes[999] == (set(), set())
    entries = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "coop_profile.update")).all()
    assert [e.details["moderated"] for e in entries] == [False, True]
    with pytest.raises(DomainError) as error:
        services.save_profile(unit, {"text_en": "", "text_zh": "", "offers": [12345], "seeks": []}, liaison)
    assert "offers" in error.value.problems


def test_project_workflow_and_mail_in_the_liaisons_language(app_ctx, outbox):
    topics, unit, _other, liaison, organizer = setup()
    project = services.save_project(unit, None, project_values(topics=[topics[0].id]), liaison)
    assert project.status == "draft"
    assert queries.published_projects_of([unit.id]) == {unit.id: []}
    services.submit_project(project, liaison)
    assert project.status == "submitted" and queries.review_queue() == [project]
    with pytest.raises(DomainError) as error:
        services.review_project(project, "rejected", "", organizer)
    assert error.value.field == "note"
    services.review_project(project, "rejected", "Add a budget.", organizer)
    assert project.status == "rejected" and project.review_note == "Add a budget."
    services.submit_project(project, liaison)
    services.review_project(project, "approved", "", organizer)
    assert project.status == "approved" and project.reviewed_by_id == organizer.id
    assert queries.published_projects_of([unit.id])[unit.id] == [project]
    mails = outbox(kind="project_reviewed")
    assert [m.subject for m in mails] == ["Your project was returned: Riverside logistics park",
                                          "Your project is published: Riverside logistics park"]
    assert "Add a budget." in mails[0].body_text and mails[0].to_addr == liaison.email
    # a content change sends it back to review; saving unchanged does not
    services.save_project(unit, project, project_values(topics=[topics[0].id]), liaison)
    assert project.status == "approved"
    services.save_project(unit, project, project_values(title_en="New title", topics=[topics[0].id]), liaison)
    assert project.status == "submitted"
    services.withdraw_project(project, liaison)
    assert project.status == "withdrawn"
    with pytest.raises(DomainError):
        services.withdraw_project(project, liaison)
    assert {"coop_project.create", "coop_project.submit", "coop_project.reject", "coop_project.approve",
            "coop_project.update", "coop_project.withdraw"} <= set(_actions())


def test_project_rules_all_at_once(app_ctx):
    _topics, unit, _other, liaison, _organizer = setup()
    bad = project_values(title_en="", title_zh="", description_en="", description_zh="", sector="x", stage="",
                         size_band="", country="ZZ", province="", contact_email="", contact_phone="", topics=[999])
    with pytest.raises(DomainError) as error:
        services.save_project(unit, None, bad, liaison)
    assert set(error.value.problems) == {"title_en", "description_en", "sector", "stage", "size_band", "country",
                                         "topics", "contact_email"}
    with pytest.raises(DomainError) as error:
        services.save_project(unit, None, project_values(country="DE", province="CN-SC"), liaison)
    assert "province" in error.value.problems
    assert db.session.scalar(db.select(db.func.count(Project.id))) == 0


def test_brochures_type_and_size_limits(app_ctx):
    _topics, unit, _other, liaison, _organizer = setup()
    project = services.save_project(unit, None, project_values(), liaison)
    services.add_brochure(project, "../plan.pdf", b"%PDF-1.4 hello", liaison)
    assert [a.filename for a in project.attachments] == ["plan.pdf"]
    for name, data in (("x.exe", b"MZ"), ("fake.pdf", b"MZ not a pdf"), ("big.png", b"\x89PNG\r\n\x1a\n" + b"0" * (5 * 1024 * 1024)),
                       ("empty.pdf", b"")):
        with pytest.raises(DomainError) as error:
            services.add_brochure(project, name, data, liaison)
        assert error.value.field == "file"
    for n in range(4):
        services.add_brochure(project, f"p{n}.jpg", b"\xff\xd8\xff\xe0 jpeg", liaison)
    with pytest.raises(DomainError):
        services.add_brochure(project, "sixth.pdf", b"%PDF-1.4", liaison)
    assert len(project.attachments) == 5


@pytest.mark.both_dbs
def test_stands_unique_per_hall_and_only_for_expositions(app_ctx):
    _topics, unit, other, _liaison, organizer = setup()
    expo = make_event(kind="exposition")
    forum = make_event(kind="forum")
    db.session.commit()
    services.save_stand(expo, None, {"unit_id": unit.id, "hall": "A", "number": "12", "size_m2": 18}, organizer)
    services.save_stand(expo, None, {"unit_id": other.id, "hall": "B", "number": "12", "size_m2": 9}, organizer)
    with pytest.raises(DomainError) as error:
        services.save_stand(expo, None, {"unit_id": other.id, "hall": "A", "number": "12", "size_m2": 9}, organizer)
    assert "number" in error.value.problems
    with pytest.raises(DomainError) as error:
        services.save_stand(forum, None, {"unit_id": unit.id, "hall": "A", "number": "1", "size_m2": 0}, organizer)
    assert None in error.value.problems and "size_m2" in error.value.problems
    # the database refuses a duplicate even past the check
    db.session.add(Stand(event_id=expo.id, unit_id=other.id, hall="A", number="12", size_m2=9))
    with pytest.raises(Exception):
        db.session.commit()
    db.session.rollback()
    assert len(queries.stands(expo.id)) == 2


def test_exhibitors_show_profile_and_published_projects(app_ctx):
    topics, unit, _other, liaison, organizer = setup()
    services.save_profile(unit, {"text_en": "River port", "text_zh": "港口", "offers": [topics[0].id], "seeks": []},
                          liaison)
    project = approved_project(unit, organizer, liaison)
    services.save_project(unit, None, project_values(title_en="Draft one"), liaison)
    expo = make_event(kind="exposition")
    db.session.commit()
    services.save_stand(expo, None, {"unit_id": unit.id, "hall": "1", "number": "A1", "size_m2": 9}, organizer)
    [row] = queries.exhibitors(expo.id, "en")
    assert row.card.profile.text_en == "River port" and row.card.offers == [topics[0]]
    assert row.projects == [project]
