"""The directory's read side: the staff list with its filters, the public list, exports' rows."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..core.listing import text_search
from ..extensions import db
from .models import UNIT_KINDS, Contact, MemberUnit
from .tags import all_tags, tag_matching


@dataclass
class DirectoryFilters:
    q: str = ""
    kind: str = ""
    province: str = ""
    tag: str = ""
    status: str = "active"


def unit_name_order(lang: str) -> tuple:
    """Chinese units first, then by name as the reader expects: pinyin order (the stored key,
    core/collation.py) in Chinese, alphabetical in English."""
    if lang == "zh":
        return (MemberUnit.country != "CN", MemberUnit.sort_key_zh, MemberUnit.name_zh, MemberUnit.id)
    return (MemberUnit.country != "CN", MemberUnit.name_en == "", MemberUnit.name_en, MemberUnit.name_zh,
            MemberUnit.id)


def directory_query(f: DirectoryFilters, lang: str = "en") -> sa.Select:
    """Units for the staff directory, with tags and contacts loaded in two extra queries."""
    query = db.select(MemberUnit).options(selectinload(MemberUnit.tags), selectinload(MemberUnit.contacts))
    if f.status == "active":
        query = query.where(MemberUnit.is_active.is_(True))
    elif f.status == "inactive":
        query = query.where(MemberUnit.is_active.is_(False))
    if f.kind in UNIT_KINDS:
        query = query.where(MemberUnit.kind == f.kind)
    if f.province:
        query = query.where(MemberUnit.province == f.province)
    if f.tag:
        query = query.where(MemberUnit.tags.any(tag_matching(f.tag)))
    if f.q:
        in_contacts = MemberUnit.contacts.any(text_search(f.q, Contact.name_zh, Contact.name_latin))
        query = query.where(sa.or_(text_search(f.q, MemberUnit.name_zh, MemberUnit.name_en), in_contacts))
    return query.order_by(*unit_name_order(lang))


def public_query(kind: str = "", q: str = "", lang: str = "en") -> sa.Select:
    """Active units only; the caller shows names, kinds and places, never contacts or notes."""
    query = db.select(MemberUnit).where(MemberUnit.is_active.is_(True))
    if kind in UNIT_KINDS:
        query = query.where(MemberUnit.kind == kind)
    if q:
        query = query.where(text_search(q, MemberUnit.name_zh, MemberUnit.name_en))
    return query.order_by(*unit_name_order(lang))


def all_tag_names(lang: str = "en") -> list[str]:
    """Every tag's name in `lang` (else its other name), in the reader's order: the filter's choices."""
    return list(dict.fromkeys(t.display_name(lang) for t in all_tags(lang)))


def liaisons_of(unit: MemberUnit) -> list[User]:
    return list(db.session.scalars(db.select(User).where(User.unit_id == unit.id)
                                   .order_by(User.name, User.email)))

