"""The read side of cooperation: what the matching (meetings/) needs about units, the topic list,
the public catalogue with its filters, a unit's projects, the review queue, the profiles overview,
an exposition's stands and exhibitors."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..core.collation import sorted_by_name
from ..core.listing import text_search
from ..extensions import db
from ..members.models import MemberUnit
from ..members.queries import unit_name_order
from .models import PUBLIC_PROJECT_STATUSES, Profile, Project, Stand, Topic, profile_topic, project_topic

PER_PAGE = 20


# --- the contract with meetings/ ------------------------------------------------------------

def topic_codes_by_unit(unit_ids) -> dict[int, tuple[set[str], set[str]]]:
    """{unit_id: (offered topic codes, sought topic codes)} of active topics, one statement; every
    unit asked for is in the answer (two empty sets without a profile)."""
    ids = sorted({int(i) for i in unit_ids})
    result: dict[int, tuple[set[str], set[str]]] = {i: (set(), set()) for i in ids}
    if not ids:
        return result
    rows = db.session.execute(
        sa.select(Profile.unit_id, Topic.code, profile_topic.c.kind)
        .join(profile_topic, profile_topic.c.profile_id == Profile.id)
        .join(Topic, Topic.id == profile_topic.c.topic_id)
        .where(Profile.unit_id.in_(ids), Topic.active.is_(True)))
    for unit_id, code, kind in rows:
        result[unit_id][0 if kind == "offers" else 1].add(code)
    return result


def published_projects_of(unit_ids) -> dict[int, list[Project]]:
    """{unit_id: its approved projects, newest first} (topics and brochures loaded)."""
    ids = sorted({int(i) for i in unit_ids})
    result: dict[int, list[Project]] = {i: [] for i in ids}
    if not ids:
        return result
    projects = db.session.scalars(
        sa.select(Project).options(selectinload(Project.topics), selectinload(Project.attachments))
        .where(Project.unit_id.in_(ids), Project.status.in_(PUBLIC_PROJECT_STATUSES))
        .order_by(Project.unit_id, Project.created_at.desc(), Project.id.desc()))
    for project in projects:
        result[project.unit_id].append(project)
    return result


# --- topics ---------------------------------------------------------------------------------

def topics(active_only: bool = False) -> list[Topic]:
    query = sa.select(Topic).order_by(Topic.position, Topic.id)
    if active_only:
        query = query.where(Topic.active.is_(True))
    return list(db.session.scalars(query))


def topic_choices(lang: str, keep: set[int] = frozenset()) -> list[tuple[str, str]]:
    """Active topics (and inactive ones in `keep`, already chosen) in the secretariat's order."""
    return [(str(t.id), t.display_name(lang)) for t in topics() if t.active or t.id in keep]


def topic_usage() -> dict[int, int]:
    """{topic id: profiles and projects using it}."""
    counts: dict[int, int] = defaultdict(int)
    for table in (profile_topic, project_topic):
        for topic_id, count in db.session.execute(
                sa.select(table.c.topic_id, sa.func.count()).group_by(table.c.topic_id)):
            counts[topic_id] += count
    return counts


# --- profiles -------------------------------------------------------------------------------

@dataclass
class ProfileCard:
    unit: MemberUnit
    profile: Profile | None
    offers: list[Topic] = field(default_factory=list)
    seeks: list[Topic] = field(default_factory=list)


def profile_cards(unit_ids, lang: str) -> dict[int, ProfileCard]:
    """{unit_id: its card} for the units given (units without a profile get an empty one)."""
    ids = sorted({int(i) for i in unit_ids})
    if not ids:
        return {}
    units = db.session.scalars(sa.select(MemberUnit).where(MemberUnit.id.in_(ids)))
    cards = {u.id: ProfileCard(u, None) for u in units}
    for profile in db.session.scalars(sa.select(Profile).where(Profile.unit_id.in_(ids))):
        cards[profile.unit_id].profile = profile
    by_id = {t.id: t for t in topics()}
    rows = db.session.execute(
        sa.select(Profile.unit_id, profile_topic.c.topic_id, profile_topic.c.kind)
        .join(profile_topic, profile_topic.c.profile_id == Profile.id).where(Profile.unit_id.in_(ids)))
    for unit_id, topic_id, kind in rows:
        getattr(cards[unit_id], kind).append(by_id[topic_id])
    for card in cards.values():
        card.offers.sort(key=lambda t: t.position)
        card.seeks.sort(key=lambda t: t.position)
    return cards


def profiles_overview(lang: str, text: str = "") -> list[ProfileCard]:
    """Every active unit with its profile (or none yet), in the reader's order."""
    query = sa.select(MemberUnit.id).where(MemberUnit.is_active.is_(True)).order_by(*unit_name_order(lang))
    if text:
        query = query.where(text_search(text, MemberUnit.name_en, MemberUnit.name_zh))
    ids = list(db.session.scalars(query))
    cards = profile_cards(ids, lang)
    return [cards[i] for i in ids]


# --- projects -------------------------------------------------------------------------------

@dataclass
class CatalogueFilters:
    sector: str = ""
    country: str = ""
    province: str = ""
    topic: int | None = None
    text: str = ""


def catalogue_query(f: CatalogueFilters, lang: str) -> sa.Select:
    query = (sa.select(Project).join(MemberUnit, MemberUnit.id == Project.unit_id)
             .options(selectinload(Project.topics), selectinload(Project.unit))
             .where(Project.status.in_(PUBLIC_PROJECT_STATUSES)))
    if f.sector:
        query = query.where(Project.sector == f.sector)
    if f.country:
        query = query.where(Project.country == f.country)
    if f.province:
        query = query.where(Project.province == f.province)
    if f.topic is not None:
        query = query.where(Project.id.in_(sa.select(project_topic.c.project_id)
                                           .where(project_topic.c.topic_id == f.topic)))
    if f.text:
        query = query.where(text_search(f.text, Project.title_en, Project.title_zh, Project.description_en,
                                        Project.description_zh, Project.location_en, Project.location_zh,
                                        MemberUnit.name_en, MemberUnit.name_zh))
    if lang == "zh":
        return query.order_by(Project.sort_key_zh, Project.title_zh, Project.id)
    return query.order_by(Project.title_en == "", sa.func.lower(Project.title_en), Project.title_zh, Project.id)


def unit_projects(unit_id: int) -> list[Project]:
    return list(db.session.scalars(
        sa.select(Project).options(selectinload(Project.attachments)).where(Project.unit_id == unit_id)
        .order_by(Project.created_at.desc(), Project.id.desc())))


def review_queue() -> list[Project]:
    return list(db.session.scalars(
        sa.select(Project).options(selectinload(Project.unit)).where(Project.status == "submitted")
        .order_by(Project.submitted_at, Project.id)))


def all_projects(status: str = "") -> list[Project]:
    query = sa.select(Project).options(selectinload(Project.unit)).order_by(Project.updated_at.desc(), Project.id)
    if status:
        query = query.where(Project.status == status)
    return list(db.session.scalars(query.limit(500)))


# --- stands ---------------------------------------------------------------------------------

def stands(event_id: int) -> list[Stand]:
    return list(db.session.scalars(
        sa.select(Stand).options(selectinload(Stand.unit)).where(Stand.event_id == event_id)
        .order_by(Stand.hall, Stand.number, Stand.id)))


@dataclass
class Exhibitor:
    stand: Stand
    card: ProfileCard
    projects: list[Project]


def exhibitors(event_id: int, lang: str) -> list[Exhibitor]:
    """The stands in hall and number order, each with its unit's profile and published projects."""
    rows = stands(event_id)
    ids = {s.unit_id for s in rows}
    cards, projects = profile_cards(ids, lang), published_projects_of(ids)
    return [Exhibitor(s, cards[s.unit_id], projects[s.unit_id]) for s in rows]


def unit_choices(lang: str) -> list[tuple[str, str]]:
    units = db.session.scalars(sa.select(MemberUnit).where(MemberUnit.is_active.is_(True)))
    return [(str(u.id), u.display_name(lang)) for u in sorted_by_name(units, lambda u: u.display_name(lang), lang)]
