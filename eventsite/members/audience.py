"""The one way invitations and messages to groups pick member units and their contacts: active
units matching every chosen criterion (any value within one); `members.forms.AudienceForm` holds
the fields the pages share."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ..extensions import db
from .models import Contact, MemberUnit, Tag, unit_tag
from .tags import sorted_tags


@dataclass
class Audience:
    """Who: every active unit (`everyone`), or the units matching every chosen criterion; for
    contacts, also only the chosen roles and, with `invitations_only`, those receiving invitations."""

    everyone: bool = False
    kinds: list[str] = field(default_factory=list)
    provinces: list[str] = field(default_factory=list)
    tag_ids: list[int] = field(default_factory=list)
    unit_ids: list[int] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    invitations_only: bool = False

    def is_empty(self) -> bool:
        return not (self.everyone or self.kinds or self.provinces or self.tag_ids or self.unit_ids
                    or self.roles)

    def as_dict(self) -> dict:
        """The criteria chosen, as stored with what was sent (`everyone` only when set)."""
        return {k: v for k, v in asdict(self).items() if k != "everyone" or self.everyone}


def _unit_criteria(audience: Audience) -> list:
    criteria = [MemberUnit.is_active.is_(True)]
    if audience.everyone:
        return criteria
    if audience.kinds:
        criteria.append(MemberUnit.kind.in_(audience.kinds))
    if audience.provinces:
        criteria.append(MemberUnit.province.in_(audience.provinces))
    if audience.tag_ids:
        tagged = db.select(unit_tag.c.unit_id).where(unit_tag.c.tag_id.in_(audience.tag_ids))
        criteria.append(MemberUnit.id.in_(tagged))
    if audience.unit_ids:
        criteria.append(MemberUnit.id.in_(audience.unit_ids))
    return criteria


_DIRECTORY_ORDER = (MemberUnit.name_en, MemberUnit.name_zh, MemberUnit.id)


def units_query(audience: Audience):
    """Active units matching `audience`, in directory order (roles are about contacts: ignored)."""
    return db.select(MemberUnit).where(*_unit_criteria(audience)).order_by(*_DIRECTORY_ORDER)


def contacts_query(audience: Audience):
    """(contact, unit) rows matching `audience`, in directory order (one query)."""
    query = (db.select(Contact, MemberUnit).join(MemberUnit, Contact.unit_id == MemberUnit.id)
             .where(*_unit_criteria(audience)))
    if audience.roles:
        query = query.where(Contact.role.in_(audience.roles))
    if audience.invitations_only:
        query = query.where(Contact.receives_invitations.is_(True))
    return query.order_by(*_DIRECTORY_ORDER, Contact.id)


def choices() -> dict[str, list]:
    """Values an audience form offers: provinces, tags and units in use (active units only)."""
    provinces = db.session.scalars(
        db.select(MemberUnit.province).where(MemberUnit.is_active.is_(True), MemberUnit.province != "")
        .distinct().order_by(MemberUnit.province)).all()
    tags = db.session.scalars(db.select(Tag)).all()  # the form orders them in the reader's language
    units = db.session.execute(
        db.select(MemberUnit.id, MemberUnit.name_en, MemberUnit.name_zh)
        .where(MemberUnit.is_active.is_(True))
        .order_by(MemberUnit.name_en, MemberUnit.name_zh)).all()
    return {"provinces": list(provinces), "tags": list(tags), "units": [tuple(u) for u in units]}


def tag_names(ids: list[int], locale: str = "en") -> list[str]:
    tags = db.session.scalars(db.select(Tag).where(Tag.id.in_(ids)))
    return [tag.display_name(locale) for tag in sorted_tags(tags, locale)]


def unit_names(ids: list[int], locale: str = "en") -> list[str]:
    units = db.session.scalars(db.select(MemberUnit).where(MemberUnit.id.in_(ids)).order_by(MemberUnit.id))
    return [unit.display_name(locale) for unit in units]
