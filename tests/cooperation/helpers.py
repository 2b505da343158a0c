"""Shared set-up of the cooperation tests."""
from __future__ import annotations

from eventsite.cooperation import services
from eventsite.cooperation.models import Topic
from eventsite.extensions import db

from ..factories import make_unit, make_user

TOPICS = (("smart_city", "Smart city", "智慧城市"), ("green", "Green development", "绿色发展"),
          ("tourism", "Culture and tourism", "文化旅游"))


def make_topics() -> list[Topic]:
    topics = [Topic(code=c, name_en=en, name_zh=zh, position=n) for n, (c, en, zh) in enumerate(TOPICS, 1)]
    db.session.add_all(topics)
    db.session.flush()
    return topics


def project_values(**more) -> dict:
    return {"title_en": "Riverside logistics park", "title_zh": "滨江物流园", "description_en": "A park.",
            "description_zh": "物流园区。", "sector": "trade", "location_en": "Yibin", "location_zh": "宜宾",
            "country": "CN", "province": "CN-SC", "stage": "planning", "size_band": "large",
            "partner_sought_en": "An operator", "partner_sought_zh": "运营商", "contact_name": "Li Lei",
            "contact_email": "li@example.org", "contact_phone": "", "topics": [], **more}


def setup():
    """Topics, a unit with a liaison (English), another unit, an organizer."""
    topics = make_topics()
    unit = make_unit(name_en="Yibin", name_zh="宜宾市")
    other = make_unit(name_en="Aachen", name_zh="亚琛", kind="foreign_city", country="DE", province="")
    liaison = make_user(role="liaison", unit=unit, locale="en")
    organizer = make_user(role="organizer")
    db.session.commit()
    return topics, unit, other, liaison, organizer


def approved_project(unit, organizer, liaison, **more):
    project = services.save_project(unit, None, project_values(**more), liaison)
    services.submit_project(project, liaison)
    services.review_project(project, "approved", "", organizer)
    return project


def cooperation_world(unit, expo=None) -> dict:
    """For the route walks (tests/security): a topic, a published project of `unit` with a
    brochure, `unit`'s stand at the exposition `expo` (a new one if None). Returns the records by
    URL argument name."""
    from eventsite.cooperation.models import Profile, Project, ProjectAttachment, Stand

    from ..factories import make_event

    topic = Topic(code="world_topic", name_en="World", name_zh="世界", position=99)
    db.session.add(topic)
    db.session.add(Profile(unit_id=unit.id, text_en="About", text_zh="简介"))
    values = {k: v for k, v in project_values().items() if k != "topics"}
    project = Project(unit_id=unit.id, status="approved", topics=[topic], **values)
    db.session.add(project)
    db.session.flush()
    attachment = ProjectAttachment(project_id=project.id, filename="a.pdf", content_type="application/pdf",
                                   size=8, data=b"%PDF-1.4")
    expo = expo or make_event(kind="exposition")
    db.session.add(attachment)
    db.session.flush()
    stand = Stand(event_id=expo.id, unit_id=unit.id, hall="A", number="1", size_m2=9)
    db.session.add(stand)
    db.session.flush()
    return {"topic_id": topic, "project_id": project, "attachment_id": attachment, "stand_id": stand}
