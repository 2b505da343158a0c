"""Use cases of cooperation: the topic list (organizers), profiles (a liaison's own, organizers
any), projects and their brochures (liaisons write and submit, organizers review), stands of
exposition events (organizers). Each checks its rules, writes, audits, mails and commits once."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from ..audit.services import record
from ..core.domain import DomainError, atomic
from ..core.gettext import gettext as _
from ..core.pagecache import bump
from ..core.validators import has_control_chars
from ..extensions import db, now_utc
from ..members.models import MemberUnit
from . import brochures, notifications, rules
from .models import (
    EXPOSITION_KIND,
    Profile,
    Project,
    ProjectAttachment,
    Stand,
    Topic,
    profile_topic,
    project_topic,
)

TOPIC_FIELDS = ("code", "name_en", "name_zh", "active")
PROJECT_FIELDS = ("title_en", "title_zh", "description_en", "description_zh", "sector", "location_en",
                  "location_zh", "country", "province", "stage", "size_band", "partner_sought_en",
                  "partner_sought_zh", "contact_name", "contact_email", "contact_phone")
STAND_FIELDS = ("unit_id", "hall", "number", "size_m2")
CATALOGUE = "coop:catalogue"


def _commit(message: str) -> None:
    """A unique key taken at the same moment by someone else fails here, with `message`."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise DomainError(message) from None


def _topic_ids(active_only: bool = True) -> set[int]:
    query = sa.select(Topic.id)
    if active_only:
        query = query.where(Topic.active.is_(True))
    return set(db.session.scalars(query))


# --- topics ---------------------------------------------------------------------------------

def check_topic(values: dict, topic: Topic | None = None) -> None:
    taken = set(db.session.scalars(sa.select(Topic.code).where(Topic.id != (topic.id if topic else -1))))
    rules.topic_problems(values, taken).raise_if_any()


@atomic
def save_topic(topic: Topic | None, values: dict, actor) -> Topic:
    check_topic(values, topic)
    created = topic is None
    if created:
        last = db.session.scalar(sa.select(sa.func.max(Topic.position))) or 0
        topic = Topic(position=last + 1)
        db.session.add(topic)
    changed = sorted(k for k in TOPIC_FIELDS if getattr(topic, k, None) != values[k])
    for key in TOPIC_FIELDS:
        setattr(topic, key, values[key])
    db.session.flush()
    record("coop_topic.create" if created else "coop_topic.update", topic, actor=actor,
           target_label=topic.name_en or topic.name_zh, details={"fields": changed, "code": topic.code})
    bump(CATALOGUE)
    _commit(_("Another topic has this code."))
    return topic


@atomic
def move_topic(topic: Topic, step: int, actor) -> None:
    """Swap the topic with its neighbour above (step -1) or below (+1)."""
    order = list(db.session.scalars(sa.select(Topic).order_by(Topic.position, Topic.id)))
    at = order.index(topic)
    to = at + (1 if step > 0 else -1)
    if not 0 <= to < len(order):
        return
    order[at], order[to] = order[to], order[at]
    for position, each in enumerate(order, start=1):
        each.position = position
    record("coop_topic.move", topic, actor=actor, target_label=topic.name_en or topic.name_zh,
           details={"position": topic.position})
    bump(CATALOGUE)
    db.session.commit()


def topic_in_use(topic: Topic) -> bool:
    used = sa.union_all(sa.select(profile_topic.c.topic_id).where(profile_topic.c.topic_id == topic.id),
                        sa.select(project_topic.c.topic_id).where(project_topic.c.topic_id == topic.id))
    return db.session.scalar(sa.select(sa.func.count()).select_from(used.subquery())) > 0


@atomic
def delete_topic(topic: Topic, actor) -> bool:
    """Delete an unused topic; one in use is deactivated instead. True when deleted."""
    label = topic.name_en or topic.name_zh
    if topic_in_use(topic):
        topic.active = False
        record("coop_topic.deactivate", topic, actor=actor, target_label=label, details={"code": topic.code})
        deleted = False
    else:
        record("coop_topic.delete", topic, actor=actor, target_label=label, details={"code": topic.code})
        db.session.delete(topic)
        deleted = True
    bump(CATALOGUE)
    db.session.commit()
    return deleted


# --- profiles -------------------------------------------------------------------------------

def profile_of(unit_id: int) -> Profile | None:
    return db.session.scalar(sa.select(Profile).where(Profile.unit_id == unit_id))


def topics_chosen(profile: Profile | None) -> dict[str, set[int]]:
    chosen: dict[str, set[int]] = {"offers": set(), "seeks": set()}
    if profile is not None and profile.id is not None:
        for topic_id, kind in db.session.execute(sa.select(profile_topic.c.topic_id, profile_topic.c.kind)
                                                 .where(profile_topic.c.profile_id == profile.id)):
            chosen[kind].add(topic_id)
    return chosen


def check_profile(unit: MemberUnit, values: dict) -> None:
    before = topics_chosen(profile_of(unit.id))
    rules.profile_problems(values, _topic_ids() | before["offers"] | before["seeks"]).raise_if_any()


@atomic
def save_profile(unit: MemberUnit, values: dict, actor) -> Profile:
    """The unit's texts and topics (`offers`, `seeks`: topic ids); a topic deactivated since it
    was chosen may stay chosen."""
    check_profile(unit, values)
    profile = profile_of(unit.id)
    created = profile is None
    if created:
        profile = Profile(unit_id=unit.id)
        db.session.add(profile)
        db.session.flush()
    before = topics_chosen(profile)
    changed = [k for k in ("text_en", "text_zh") if getattr(profile, k) != values[k]]
    profile.text_en, profile.text_zh = values["text_en"], values["text_zh"]
    for kind in ("offers", "seeks"):
        wanted = set(values[kind])
        if wanted != before[kind]:
            changed.append(kind)
            db.session.execute(sa.delete(profile_topic).where(profile_topic.c.profile_id == profile.id,
                                                              profile_topic.c.kind == kind))
            if wanted:
                db.session.execute(sa.insert(profile_topic), [
                    {"profile_id": profile.id, "topic_id": t, "kind": kind} for t in sorted(wanted)])
    if changed:
        profile.updated_at = now_utc()
    record("coop_profile.update", profile, actor=actor, target_label=unit.display_name("en"),
           details={"unit": unit.id, "fields": changed, "moderated": bool(getattr(actor, "is_staff", False))})
    bump(CATALOGUE)
    _commit(_("Someone saved this profile at the same moment. Reload the page and try again."))
    return profile


# --- projects -------------------------------------------------------------------------------

def check_project(values: dict, project: Project | None = None) -> None:
    known = _topic_ids() | ({t.id for t in project.topics} if project else set())
    rules.project_problems(values, known).raise_if_any()


@atomic
def save_project(unit: MemberUnit, project: Project | None, values: dict, actor) -> Project:
    """Create or change a project; a published one whose content changed goes back to review."""
    check_project(values, project)
    wanted = set(values["topics"])
    chosen = list(db.session.scalars(sa.select(Topic).where(Topic.id.in_(wanted)))) if wanted else []
    created = project is None
    if created:
        project = Project(unit_id=unit.id, status="draft")
    changed = sorted(k for k in PROJECT_FIELDS if getattr(project, k, None) != values[k])
    if created or {t.id for t in project.topics} != wanted:
        changed.append("topics")
        project.topics = chosen
    if created:
        db.session.add(project)
    for key in PROJECT_FIELDS:
        setattr(project, key, values[key])
    details = {"unit": unit.id, "fields": changed}
    if not created and changed and project.status == "approved":
        project.status, project.submitted_at = "submitted", now_utc()
        details["status"] = "submitted"
    db.session.flush()
    record("coop_project.create" if created else "coop_project.update", project, actor=actor,
           target_label=project.display_name("en"), details=details)
    bump(CATALOGUE)
    db.session.commit()
    return project


@atomic
def submit_project(project: Project, actor) -> None:
    if not project.can_submit:
        raise DomainError(_("This project cannot be submitted now."))
    check_project(_values_of(project), project)
    project.status, project.submitted_at = "submitted", now_utc()
    record("coop_project.submit", project, actor=actor, target_label=project.display_name("en"),
           details={"unit": project.unit_id})
    db.session.commit()


def _values_of(project: Project) -> dict:
    return {k: getattr(project, k) for k in PROJECT_FIELDS} | {"topics": [t.id for t in project.topics]}


@atomic
def withdraw_project(project: Project, actor) -> None:
    if not project.can_withdraw:
        raise DomainError(_("Only a project awaiting review or published can be withdrawn."))
    project.status = "withdrawn"
    record("coop_project.withdraw", project, actor=actor, target_label=project.display_name("en"),
           details={"unit": project.unit_id})
    bump(CATALOGUE)
    db.session.commit()


@atomic
def review_project(project: Project, decision: str, note: str, actor) -> int:
    """Approve or reject (with a note) a submitted project; the unit's liaisons are mailed.
    Returns the number of messages written."""
    if decision not in ("approved", "rejected"):
        raise DomainError(_("Approve or return the project."))
    if not project.awaits_review:
        raise DomainError(_("This project is not awaiting review (someone may have reviewed it already)."))
    if decision == "rejected" and not note:
        raise DomainError(_("Say in the note what the unit should change."), "note")
    project.status, project.review_note = decision, note
    project.reviewed_by_id, project.reviewed_at = getattr(actor, "id", None), now_utc()
    mailed = notifications.project_reviewed(project, decision)
    record("coop_project.approve" if decision == "approved" else "coop_project.reject", project, actor=actor,
           target_label=project.display_name("en"), details={"unit": project.unit_id, "mailed": mailed})
    bump(CATALOGUE)
    db.session.commit()
    return mailed


@atomic
def add_brochure(project: Project, filename: str, data: bytes, actor) -> ProjectAttachment:
    filename = brochures.clean_filename(filename)
    content_type = brochures.content_type(filename, data, len(project.attachments))
    attachment = ProjectAttachment(project=project, filename=filename, content_type=content_type,
                                   size=len(data), data=data)
    db.session.add(attachment)
    db.session.flush()
    record("coop_brochure.add", project, actor=actor, target_label=project.display_name("en"),
           details={"file": filename, "size": len(data)})
    bump(CATALOGUE)
    db.session.commit()
    return attachment


@atomic
def delete_brochure(attachment: ProjectAttachment, actor) -> None:
    project = attachment.project
    record("coop_brochure.delete", project, actor=actor, target_label=project.display_name("en"),
           details={"file": attachment.filename})
    db.session.delete(attachment)
    bump(CATALOGUE)
    db.session.commit()


# --- stands ---------------------------------------------------------------------------------

def check_stand(event, values: dict, stand: Stand | None = None) -> None:
    problems = rules.stand_problems(values)
    if event.kind != EXPOSITION_KIND:
        problems.add(None, _("Only exposition events have stands."))
    if values.get("unit_id") and db.session.get(MemberUnit, values["unit_id"]) is None:
        problems.add("unit_id", _("Choose a unit."))
    place = (values.get("hall") or "") + (values.get("number") or "")
    if values.get("hall") and values.get("number") and not has_control_chars(place):  # the form marks those
        taken = db.session.scalar(sa.select(Stand.id).where(
            Stand.event_id == event.id, Stand.hall == values["hall"], Stand.number == values["number"],
            Stand.id != (stand.id if stand else -1)))
        if taken is not None:
            problems.add("number", _("This hall already has a stand with this number."))
    problems.raise_if_any()


@atomic
def save_stand(event, stand: Stand | None, values: dict, actor) -> Stand:
    check_stand(event, values, stand)
    created = stand is None
    if created:
        stand = Stand(event_id=event.id)
        db.session.add(stand)
    changed = sorted(k for k in STAND_FIELDS if getattr(stand, k, None) != values[k])
    for key in STAND_FIELDS:
        setattr(stand, key, values[key])
    record("coop_stand.create" if created else "coop_stand.update", stand, actor=actor,
           target_label=f"{values['hall']} {values['number']}",
           details={"event": event.id, "unit": values["unit_id"], "fields": changed})
    bump(f"event:{event.id}")
    _commit(_("This hall already has a stand with this number."))
    return stand


@atomic
def delete_stand(stand: Stand, actor) -> None:
    record("coop_stand.delete", stand, actor=actor, target_label=f"{stand.hall} {stand.number}",
           details={"event": stand.event_id, "unit": stand.unit_id})
    bump(f"event:{stand.event_id}")
    db.session.delete(stand)
    db.session.commit()
